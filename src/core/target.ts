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

/** True for http(s) URLs whose host is a loopback address. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
