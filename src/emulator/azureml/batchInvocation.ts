/**
 * Invoking a batch endpoint on the data plane (`POST <scoringUri>`), with the body azure-ai-ml's
 * `batch_endpoints.invoke` sends: `{"properties": <BatchJob>}`, the pipeline's inputs in
 * `inputData` and outputs in `outputData`, typed in the data plane's spelling (`UriFolder`,
 * `Literal`). The deployment is the one the `azureml-model-deployment` header names, else the
 * endpoint's default; it must be a pipeline-component deployment. The invocation submits an
 * ordinary pipeline job (as a PUT of a job does): the component's `jobs` with the given inputs and
 * outputs, the deployment's settings and compute, in the endpoint's experiment. The answer is the
 * batch job resource: the job's id and name, its data and status.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorResponse } from "../core/service";
import { invalidProperty, notFound, userError } from "./errors";
import { submitJob, type JobExecutor } from "./jobs";
import { isObject, type AzureMlContext } from "./routes";
import { childPathOf } from "./scope";
import type { JsonObject, StoredResource } from "./state";

/** The header naming a deployment other than the endpoint's default. */
export const DEPLOYMENT_HEADER = "azureml-model-deployment";

/** Data-plane input types and the jobs API's spelling of them. */
const INPUT_TYPES: Readonly<Record<string, string>> = {
  UriFile: "uri_file",
  UriFolder: "uri_folder",
  MLTable: "mltable",
  Literal: "literal",
  CustomModel: "custom_model",
  MLFlowModel: "mlflow_model",
  TritonModel: "triton_model",
};
const OUTPUT_TYPES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(INPUT_TYPES).filter(([k]) => k !== "Literal"));

/** Inputs or outputs of a batch job in the jobs API's spelling; throws naming the property. */
function jobData(values: unknown, field: "jobInputType" | "jobOutputType", property: string): JsonObject {
  if (values === undefined || values === null) return {};
  if (!isObject(values)) throw invalidProperty(property, "must be an object");
  const types = field === "jobInputType" ? INPUT_TYPES : OUTPUT_TYPES;
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      if (!isObject(value)) throw invalidProperty(`${property}.${name}`, "must be an object");
      const kind = String(value[field]);
      const mapped = types[kind] ?? (Object.values(types).includes(kind) ? kind : undefined);
      if (!mapped) throw invalidProperty(`${property}.${name}.${field}`, `must be one of ${Object.keys(types).join(", ")}`);
      return [name, { ...value, [field]: mapped }];
    }),
  );
}

/** The endpoint's deployment that runs an invocation. */
function deploymentOf(ctx: AzureMlContext, endpoint: string, named: string | undefined): StoredResource {
  const found = ctx.resources.find(`batchEndpoints/${endpoint}`);
  if (!found) throw notFound(`batch endpoint ${endpoint}`);
  const defaults = (found.body.properties as JsonObject).defaults;
  const name = named ?? (isObject(defaults) && typeof defaults.deploymentName === "string" ? defaults.deploymentName : undefined);
  if (!name) throw userError(400, `The batch endpoint ${endpoint} has no default deployment; name one with the ${DEPLOYMENT_HEADER} header.`);
  const deployment = ctx.resources.find(`batchEndpoints/${endpoint}/deployments/${name}`);
  if (!deployment) throw notFound(`batch deployment ${name} of endpoint ${endpoint}`);
  return deployment;
}

/** Runs an invocation of `endpoint` with `body`; `deploymentName` from the request's header. */
export function invokeBatchEndpoint(ctx: AzureMlContext, executor: JobExecutor | undefined, endpoint: string, deploymentName: string | undefined, body: unknown): EmulatorResponse {
  const deployment = deploymentOf(ctx, endpoint, deploymentName);
  const deploymentProperties = deployment.body.properties as JsonObject;
  const configuration = deploymentProperties.deploymentConfiguration;
  if (!isObject(configuration) || configuration.deploymentConfigurationType !== "PipelineComponent" || !isObject(configuration.componentId)) {
    throw userError(400, `The batch deployment ${deployment.path.split("/").pop()} is not a pipeline component deployment; the emulator runs only those.`);
  }
  const component = ctx.resources.find(childPathOf(String(configuration.componentId.assetId), ctx.config) ?? "");
  if (!component) throw notFound(`component ${String(configuration.componentId.assetId)}`);
  const spec = (component.body.properties as JsonObject).componentSpec as JsonObject;
  if (!isObject(body) || !isObject(body.properties)) throw invalidProperty("properties", "is required and must be an object");
  const batch = body.properties;
  const settings = { ...(isObject(configuration.settings) ? configuration.settings : {}) };
  if (settings.default_compute === undefined && typeof deploymentProperties.compute === "string") settings.default_compute = deploymentProperties.compute;
  const name = typeof batch.name === "string" && batch.name !== "" ? batch.name : randomUUID();
  submitJob(ctx, executor, name, {
    jobType: "Pipeline",
    description: batch.description ?? deploymentProperties.description ?? null,
    experimentName: endpoint,
    inputs: jobData(batch.inputData, "jobInputType", "properties.inputData"),
    outputs: jobData(batch.outputData, "jobOutputType", "properties.outputData"),
    jobs: isObject(spec?.jobs) ? spec.jobs : {},
    settings,
    tags: { ...(isObject(configuration.tags) ? configuration.tags : {}), ...(isObject(batch.tags) ? batch.tags : {}) },
    properties: isObject(batch.properties) ? batch.properties : {},
  });
  const job = ctx.resources.view(ctx.resources.find(`jobs/${name}`) as StoredResource);
  const properties = job.properties as JsonObject;
  return {
    status: 200,
    body: {
      ...job,
      properties: { description: properties.description, inputData: batch.inputData ?? {}, outputData: batch.outputData ?? {}, tags: properties.tags, properties: properties.properties, status: properties.status },
    },
  };
}
