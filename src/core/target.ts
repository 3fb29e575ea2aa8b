/**
 * Which services the resources talk to. Read from the environment of the engine process by the
 * providers at call time, so credentials never enter the program, its closures or the state.
 */

/** `local`: the project's emulator on loopback; `azure`: the real services. */
export type Target = "local" | "azure";

/** Environment variable selecting the target; `azure` when unset. */
export const TARGET_ENV = "AMLDB_TARGET";
/** Environment variable holding the local emulator's bearer token (local target only). */
export const LOCAL_TOKEN_ENV = "AMLDB_LOCAL_TOKEN";
/**
 * Environment variable that lets the local target use plain `http://` URLs, for an emulator
 * started with `--http` (`1` or `true`). Without it the local target, like the azure one, sends
 * tokens over https only.
 */
export const LOCAL_HTTP_ENV = "AMLDB_LOCAL_HTTP";

/**
 * The bearer token the emulator accepts when no other token is configured. Public on purpose, like
 * Azurite's well-known account key: the emulator only listens on loopback and holds development
 * data. Defined here, the one module both the clients and the emulator import.
 */
export const LOCAL_EMULATOR_TOKEN = "local-emulator-token";

/** The emulator's bearer token for the local target: {@link LOCAL_TOKEN_ENV}, else {@link LOCAL_EMULATOR_TOKEN}. */
export function localToken(env: NodeJS.ProcessEnv = process.env): string {
  return env[LOCAL_TOKEN_ENV] || LOCAL_EMULATOR_TOKEN;
}

/** The target selected by the environment; throws on an unknown value. */
export function currentTarget(env: NodeJS.ProcessEnv = process.env): Target {
  const value = (env[TARGET_ENV] ?? "azure").trim().toLowerCase();
  if (value === "local" || value === "azure") return value;
  throw new Error(`${TARGET_ENV} must be "local" or "azure", not "${env[TARGET_ENV]}".`);
}

/** True when {@link LOCAL_HTTP_ENV} allows plain http in the local target. */
export function localHttpAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true)$/i.test((env[LOCAL_HTTP_ENV] ?? "").trim());
}

/**
 * Why `url` cannot be the local emulator, or `undefined` when it can: it must be on loopback and
 * use https, or plain http when {@link LOCAL_HTTP_ENV} allows it. `what` names the URL in the message.
 */
export function localUrlProblem(url: URL, what: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const where = `${url.protocol}//${url.host}`;
  if (!isLoopbackUrl(url)) return `${what} ${where} is not on loopback; the local target sends its token only to the emulator.`;
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") {
    return localHttpAllowed(env)
      ? undefined
      : `${what} ${where} uses plain http; the local target, like the azure one, sends tokens over https only. Use the https URL the emulator prints, or set ${LOCAL_HTTP_ENV}=1 for an emulator started with --http.`;
  }
  return `${what} ${where} must be an https URL.`;
}

/** True for http(s) URLs whose host is a loopback address. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
