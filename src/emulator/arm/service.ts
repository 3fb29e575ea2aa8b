/**
 * The Azure Resource Manager service of the emulator: the paths under `/subscriptions`,
 * `/providers` and `/metadata` with ARM's authentication, `api-version` check and error format.
 * Resource providers (`../azureml/`, Microsoft.MachineLearningServices) plug their routes, state
 * and reset into it; what none serves is ARM's own 404.
 */
import { randomUUID } from "node:crypto";
import { runEveryStep } from "../core/everyStep";
import type { EmulatorRequest, EmulatorResponse, EmulatorService, Route } from "../core/service";
import type { TokenIssuer } from "../identity/tokens";
import { authenticateArm } from "./auth";
import { armErrors, missingApiVersion } from "./errors";

/** Path prefixes Resource Manager answers. */
export const ARM_PATH_PREFIXES = ["/subscriptions", "/providers", "/metadata"] as const;

/** A resource provider served by the Resource Manager service. */
export interface ArmProvider {
  /** Short name, in reset failures and health problems. */
  readonly name: string;
  /** Its routes (full paths from `/subscriptions` or `/metadata`). */
  readonly routes: readonly Route[];
  /** Paths answered without a token or `api-version` (the cloud metadata document). */
  readonly publicPaths?: readonly RegExp[];
  /** Forgets its state. */
  reset(): void;
  /** What keeps it from keeping its state. */
  problems?(): string[];
  /** Resolves once its changes are on disk. */
  durable?(): Promise<void>;
}

/** Options of the Resource Manager service. */
export interface ArmServiceOptions {
  /** The emulator's own token, always accepted. */
  readonly token: string;
  /** Verifies the access tokens the emulator issued (management audience); without it only {@link token} is accepted. */
  readonly tokens?: TokenIssuer;
  /** When true, `api-version` may be missing. Default false. */
  readonly loose?: boolean;
  /** The resource providers served. Default none. */
  readonly providers?: readonly ArmProvider[];
}

/** Creates the Resource Manager service. */
export function createArmService(options: ArmServiceOptions): EmulatorService {
  const providers = options.providers ?? [];
  const routes: Route[] = providers.flatMap((p) => p.routes);
  const isPublic = (req: EmulatorRequest): boolean => providers.some((p) => p.publicPaths?.some((re) => re.test(req.pathname)));
  return {
    name: "arm",
    routes,
    errors: armErrors,
    owns: (pathname) => ARM_PATH_PREFIXES.some((p) => pathname.toLowerCase() === p || pathname.toLowerCase().startsWith(`${p}/`)),
    authenticate: (req: EmulatorRequest): EmulatorResponse | undefined => (isPublic(req) ? undefined : authenticateArm(req, options.token, options.tokens)),
    validate: (req) => (options.loose || isPublic(req) || req.query.get("api-version") ? undefined : missingApiVersion()),
    responseHeaders: () => ({ "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": randomUUID(), "Cache-Control": "no-cache" }),
    reset: () => runEveryStep(providers.map((p) => [p.name, () => p.reset()] as const)),
    problems: () => providers.flatMap((p) => (p.problems?.() ?? []).map((m) => `${p.name}: ${m}`)),
    durable: async () => {
      await Promise.all(providers.map((p) => p.durable?.()));
    },
  };
}
