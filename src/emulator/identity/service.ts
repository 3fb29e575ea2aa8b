/**
 * The emulator's identity service: an Azure AD stand-in for the emulator's one tenant. It issues
 * the access tokens the other services accept (see `tokens.ts`), to the owner application (client
 * credentials with the emulator's token as secret) and to the managed identity of the processes
 * the emulator starts (the `IDENTITY_ENDPOINT`/`MSI_ENDPOINT` protocols). Each route checks its own
 * credential; injected faults never reach it, so a fault meant for a service is not spent on the
 * token that precedes the service call.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock";
import type { EmulatorService } from "../core/service";
import { identityErrors } from "./errors";
import { createIdentityHandlers } from "./handlers";
import { IDENTITY_PATHS, identityRoutes } from "./routes";
import type { TokenIssuer } from "./tokens";

/** Options of the identity service. */
export interface IdentityServiceOptions {
  readonly issuer: TokenIssuer;
  /** The emulator's token: the owner application's client secret. */
  readonly ownerToken: string;
  /** The secret of managed-identity requests, made anew at each start. */
  readonly managedIdentitySecret: string;
  readonly clock: Clock;
}

/** Creates the identity service. */
export function createIdentityService(options: IdentityServiceOptions): EmulatorService {
  const handlers = createIdentityHandlers({ ...options, now: () => new Date(options.clock.now()) });
  return {
    name: "identity",
    routes: identityRoutes(handlers),
    errors: identityErrors,
    takesFaults: false,
    owns: (pathname) => IDENTITY_PATHS.some((p) => p.test(pathname)),
    authenticate: () => undefined,
    validate: () => undefined,
    responseHeaders: () => ({ "x-ms-request-id": randomUUID(), "Cache-Control": "no-store" }),
    reset: () => undefined,
  };
}
