/**
 * The Azure Resource Manager service of the emulator: the paths under `/subscriptions` and
 * `/providers` with ARM's authentication, `api-version` check and error format. It serves no
 * operation yet (the Azure ML resources fill it); until then every authenticated request with an
 * `api-version` is ARM's own 404, not another service's error.
 */
import { randomUUID } from "node:crypto";
import { bearerTokenOf, tokenMatches } from "../core/bearer";
import type { EmulatorRequest, EmulatorResponse, EmulatorService, Route } from "../core/service";
import { armErrors, invalidAuthenticationToken, missingApiVersion, missingAuthorization } from "./errors";

/** Path prefixes Resource Manager answers. */
export const ARM_PATH_PREFIXES = ["/subscriptions", "/providers"] as const;

/** Options of the Resource Manager service. */
export interface ArmServiceOptions {
  /** The one bearer token accepted. */
  readonly token: string;
  /** When true, `api-version` may be missing. Default false. */
  readonly loose?: boolean;
}

/** Creates the Resource Manager service. */
export function createArmService(options: ArmServiceOptions): EmulatorService {
  const routes: Route[] = [];
  return {
    name: "arm",
    routes,
    errors: armErrors,
    owns: (pathname) => ARM_PATH_PREFIXES.some((p) => pathname.toLowerCase() === p || pathname.toLowerCase().startsWith(`${p}/`)),
    authenticate(req: EmulatorRequest): EmulatorResponse | undefined {
      if (req.headers.authorization === undefined) return missingAuthorization();
      const token = bearerTokenOf(req.headers);
      return token !== undefined && tokenMatches(token, options.token) ? undefined : invalidAuthenticationToken();
    },
    validate: (req) => (options.loose || req.query.get("api-version") ? undefined : missingApiVersion()),
    responseHeaders: () => ({ "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": randomUUID(), "Cache-Control": "no-cache" }),
    reset: () => undefined,
  };
}
