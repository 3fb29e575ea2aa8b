/**
 * The Azure ML inference data plane of the emulator: `POST /inference/<workspace>/batchEndpoints/
 * <endpoint>/jobs`, the `scoringUri` of a batch endpoint (`batchEndpoints.ts`). Callers present an
 * access token for Azure ML's audience, `https://ml.azure.com` (what azure-ai-ml asks for:
 * `_get_aml_resource_id_from_metadata()`'s default, as `<resource>/.default`), or the emulator's
 * own token; other tokens get Resource Manager's 401, as the service's front door answers.
 */
import { randomUUID } from "node:crypto";
import { authenticateBearer } from "../arm/auth";
import { armErrors, armGuarded } from "../arm/errors";
import type { EmulatorService } from "../core/service";
import type { TokenIssuer } from "../identity/tokens";
import { DEPLOYMENT_HEADER, invokeBatchEndpoint } from "./batchInvocation";
import { notFound } from "./errors";
import type { JobExecutor } from "./jobs";
import { readBody, type AzureMlContext } from "./routes";

/** The audiences of Azure ML's data plane. */
export const ML_AUDIENCES: readonly string[] = ["https://ml.azure.com", "https://ml.azure.com/"];
/** Where the data plane's paths start. */
export const INFERENCE_PREFIX = "/inference";

/** Options of the data plane. */
export interface InferenceServiceOptions {
  readonly ctx: AzureMlContext;
  readonly executor?: JobExecutor;
  /** The emulator's own token, always accepted; without it, only issued tokens are. */
  readonly token?: string;
  /** Verifies the access tokens the emulator issued. */
  readonly tokens?: TokenIssuer;
}

/** Creates the data plane service. */
export function createInferenceService(options: InferenceServiceOptions): EmulatorService {
  const { ctx } = options;
  return {
    name: "azureml-inference",
    owns: (pathname) => pathname === INFERENCE_PREFIX || pathname.startsWith(`${INFERENCE_PREFIX}/`),
    authenticate: (req) => authenticateBearer(req, options.token, options.tokens, ML_AUDIENCES),
    validate: () => undefined,
    errors: armErrors,
    responseHeaders: () => ({ "x-ms-request-id": randomUUID(), "Cache-Control": "no-cache" }),
    reset: () => undefined,
    routes: [
      {
        method: "POST",
        path: `${INFERENCE_PREFIX}/{workspace}/batchEndpoints/{endpointName}/jobs`,
        operation: "invoke batch endpoint",
        handle: armGuarded(async (req) => {
          if (req.params.workspace !== ctx.config.workspace) throw notFound(`workspace ${req.params.workspace}`);
          ctx.operations.settle();
          const header = req.headers[DEPLOYMENT_HEADER];
          return invokeBatchEndpoint(ctx, options.executor, req.params.endpointName, typeof header === "string" && header !== "" ? header : undefined, await readBody(req));
        }),
      },
    ],
  };
}
