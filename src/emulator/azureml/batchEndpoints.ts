/**
 * Batch endpoints and their deployments (B1), the v2 form of a published pipeline: an endpoint
 * (`authMode`, `defaults.deploymentName`; its `scoringUri` is the invocation URI) and a deployment
 * whose `deploymentConfiguration` is a `PipelineComponent` naming a registered component version.
 * PUT and DELETE are long-running; deleting an endpoint removes its deployments. Invoking one is
 * the data plane's (`inference.ts`, `batchInvocation.ts`).
 */
import type { EmulatorRequest, Route } from "../core/service";
import { invalidProperty, notFound } from "./errors";
import { lroResourceOperations } from "./lroResources";
import { isObject, mustExist, oneOf, requiredString, workspaceRoutes, type AzureMlContext, type MlOperation } from "./routes";
import type { JsonObject } from "./state";

/** The invocation URI of an endpoint of the emulator reached at `baseUrl`, served by the data plane (`inference.ts`). */
export function invocationUri(baseUrl: string, workspace: string, endpoint: string): string {
  return `${baseUrl}/inference/${encodeURIComponent(workspace)}/batchEndpoints/${encodeURIComponent(endpoint)}/jobs`;
}

/** The batch endpoint and deployment routes. */
export function batchEndpointRoutes(ctx: AzureMlContext): Route[] {
  const { resources, config } = ctx;
  const endpointExists = (req: EmulatorRequest): void => {
    if (!resources.find(`batchEndpoints/${req.params.endpointName}`)) throw notFound(`batch endpoint ${req.params.endpointName}`);
  };
  const endpoints = lroResourceOperations(ctx, {
    collection: "batchEndpoints",
    param: "endpointName",
    what: "batch endpoint",
    tracked: true,
    shape(req, properties): JsonObject {
      const authMode = properties.authMode === undefined ? "AADToken" : oneOf(properties.authMode, ["AADToken", "AMLToken", "Key"] as const, "properties.authMode");
      if (properties.defaults !== undefined && properties.defaults !== null && !isObject(properties.defaults)) throw invalidProperty("properties.defaults", "must be an object");
      const scoringUri = invocationUri(req.baseUrl, config.workspace, req.params.endpointName);
      return { ...properties, description: properties.description ?? null, properties: isObject(properties.properties) ? properties.properties : {}, authMode, defaults: properties.defaults ?? {}, scoringUri, swaggerUri: null };
    },
  });
  const deployments = lroResourceOperations(ctx, {
    collection: "batchEndpoints/{endpointName}/deployments",
    param: "deploymentName",
    what: "batch deployment",
    tracked: true,
    parent: endpointExists,
    shape(_req, properties): JsonObject {
      const configuration = properties.deploymentConfiguration;
      if (configuration !== undefined && configuration !== null) {
        if (!isObject(configuration)) throw invalidProperty("properties.deploymentConfiguration", "must be an object");
        const type = oneOf(configuration.deploymentConfigurationType, ["PipelineComponent", "Model"] as const, "properties.deploymentConfiguration.deploymentConfigurationType");
        if (type === "PipelineComponent") {
          const assetId = requiredString(isObject(configuration.componentId) ? configuration.componentId.assetId : undefined, "properties.deploymentConfiguration.componentId.assetId");
          mustExist(ctx, assetId, "properties.deploymentConfiguration.componentId.assetId");
        }
      }
      return { ...properties, description: properties.description ?? null, properties: isObject(properties.properties) ? properties.properties : {} };
    },
  });
  const all: MlOperation[] = [...endpoints, ...deployments];
  return workspaceRoutes(ctx, all);
}
