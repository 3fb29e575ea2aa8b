/**
 * Well-known values of the local emulator. Like Azurite's well-known account key, they are public
 * on purpose: the emulator only listens on loopback and holds development data.
 */

export { LOCAL_EMULATOR_TOKEN } from "../../core/target";

/** The tenant the emulator names in its Key Vault authentication challenge by default. */
export const LOCAL_EMULATOR_TENANT_ID = "00000000-0000-0000-0000-000000000000";

/** The address the emulator binds to by default (loopback only). */
export const DEFAULT_EMULATOR_HOST = "127.0.0.1";

/** Path prefix of the emulator's own control plane (health, reset, faults); it takes the emulator's token. */
export const CONTROL_PLANE_PREFIX = "/_emulator/";

/** Name of the request log written into the state directory: one JSON line per request. */
export const REQUEST_LOG_FILE = "requests.log";
