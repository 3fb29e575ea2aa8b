/**
 * Where Azure Resource Manager is and which URLs may receive its token: the public cloud's
 * `https://management.azure.com` (or another https endpoint given explicitly) in the azure target,
 * the emulator on loopback in the local target.
 */
import { localUrlProblem, Target } from "../../core/target";

/** Environment variable naming the Resource Manager endpoint (the emulator's URL in the local target). */
export const ARM_ENDPOINT_ENV = "AMLDB_ARM_ENDPOINT";
/** The public cloud's Resource Manager. */
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";
/** The token scope of Resource Manager calls, in both targets (the emulator issues tokens for it too). */
export const ARM_SCOPE = "https://management.azure.com/.default";

/**
 * The endpoint to use: `given`, else {@link ARM_ENDPOINT_ENV} of `env`, else the public cloud's
 * (azure target only); normalised to its origin.
 *
 * @throws Error naming what is wrong when there is no usable endpoint.
 */
export function resolveArmEndpoint(given: string | undefined, target: Target, env: NodeJS.ProcessEnv = process.env): string {
  const raw = given || env[ARM_ENDPOINT_ENV] || (target === "azure" ? DEFAULT_ARM_ENDPOINT : undefined);
  if (!raw) throw new Error(`No Azure Resource Manager endpoint: AMLDB_TARGET is "local", so set armEndpoint (or ${ARM_ENDPOINT_ENV}) to the emulator's URL, e.g. https://127.0.0.1:<port>.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`The Azure Resource Manager endpoint "${raw}" is not a URL, e.g. ${DEFAULT_ARM_ENDPOINT}.`);
  }
  if (url.pathname !== "/" || url.search || url.hash) throw new Error(`The Azure Resource Manager endpoint "${raw}" must be a root URL without a path, e.g. ${url.protocol}//${url.host}.`);
  const problem = armEndpointProblem(url, target, env);
  if (problem) throw new Error(problem);
  return url.origin;
}

/** Why `url` may not receive a Resource Manager token in `target`, or undefined when it may. */
export function armEndpointProblem(url: URL, target: Target, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (target === "local") return localUrlProblem(url, "The Azure Resource Manager endpoint", env);
  return url.protocol === "https:" ? undefined : `The Azure Resource Manager endpoint ${url.protocol}//${url.host} must use https; Azure tokens are sent over https only.`;
}
