/**
 * The AmlPipelineEndpoint provider's operations: register the pipeline component (from a file),
 * create the batch endpoint, its pipeline-component deployment, and make that the default; read
 * back; update; delete deployment and endpoint. Every PUT and DELETE waits for its long-running
 * operation. Required by the provider at call time.
 */
import { currentTarget } from "../../core/target";
import { AzureMlApi, BatchEndpoint, workspacePath } from "../client";
import { deleteVersion } from "../shared/assetVersion";
import { reportDiff } from "../shared/diff";
import { ifPresent, inContext } from "../shared/errors";
import { refuseExisting } from "../shared/existing";
import { azureMlApi, workspaceOf } from "../shared/workspace";
import { componentRegistered } from "../pipelineRun/components";
import { checkEndpoint, diffEndpoint, EndpointInputs, EndpointOutputs } from "./inputs";

/** Validation at preview and up; a registered component it deploys is looked up in the workspace. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
  const checked = checkEndpoint(news, currentTarget());
  const { inputs, failures } = checked;
  const ws = inputs as unknown as EndpointInputs;
  if (failures.length > 0 || typeof news.component !== "string" || typeof inputs.componentId !== "string") return checked;
  if (!inputs.componentId.toLowerCase().startsWith(workspacePath(ws).toLowerCase() + "/")) return checked;
  const api = azureMlApi(ws);
  const registered = await componentRegistered(api, ws, inputs.componentId);
  if (typeof registered === "object") failures.push(registered);
  else if (!registered) {
    failures.push({ property: "component", reason: `component ${JSON.stringify(news.component)} is not registered in ${api.calls.where}: register the pipeline component first (az ml component create), or give pipelineFile to register it from a pipeline YAML.` });
  }
  return checked;
}

/** What a change does; see {@link diffEndpoint}. */
export async function diff(_id: string, olds: EndpointOutputs, news: EndpointInputs) {
  return reportDiff(`Azure ML pipeline endpoint "${news.endpointName}"`, diffEndpoint(olds, news), "deploy the pipeline again", olds, news);
}

/** Creates the endpoint and its deployment; an endpoint already of that name only with `adopt`. */
export async function create(inputs: EndpointInputs): Promise<{ id: string; outs: EndpointOutputs }> {
  const api = azureMlApi(inputs);
  await refuseExisting(() => api.batchEndpoints.get(inputs.endpointName), inputs.adopt, { object: `batch endpoint "${inputs.endpointName}" in ${api.calls.where}`, adopting: "deploys the pipeline to it", destroy: "deletes it", otherwise: "choose another endpointName" });
  const outs = await publish(api, inputs, "create");
  return { id: outs.endpointId, outs };
}

/**
 * Deploys the new pipeline or settings; afterwards a new deployment name removes the old deployment,
 * and a new pipeline the pipeline component version this resource registered before.
 */
export async function update(_id: string, olds: EndpointOutputs, news: EndpointInputs): Promise<{ outs: EndpointOutputs }> {
  const api = azureMlApi(news);
  const outs = await publish(api, news, "update");
  if (olds.deploymentName !== news.deploymentName) await removeDeployment(api, olds);
  const before = olds.pipelineComponent;
  if (before && (before.name !== news.pipelineComponent?.name || before.version !== news.pipelineComponent?.version)) await deleteVersion(api.components, "component", api.calls.where, before);
  return { outs };
}

/**
 * Reads the endpoint back; gone when deleted. Its description changed in the workspace flows back
 * as drift (outputs), so the next `up` deploys the program's again.
 */
export async function read(id: string, props: EndpointOutputs): Promise<{ id: string; props: Partial<EndpointOutputs>; inputs?: Partial<EndpointInputs> }> {
  const api = azureMlApi(props);
  const endpoint = await ifPresent(`read batch endpoint "${props.endpointName}" in ${api.calls.where}`, () => api.batchEndpoints.get(props.endpointName));
  if (!endpoint) return { id: "", props: {} };
  const outs: EndpointOutputs = { ...props, invocationUri: endpoint.properties?.scoringUri ?? props.invocationUri };
  const { endpointId: _e, deploymentId: _d, invocationUri: _i, ...inputs } = outs;
  const description = endpoint.properties?.description ?? undefined;
  if (description === undefined) delete outs.description;
  else outs.description = description;
  return { id, props: outs, inputs };
}

/** Deletes the deployment, then the endpoint, then the pipeline component version it registered from a file. */
export async function remove(_id: string, props: EndpointOutputs): Promise<void> {
  const api = azureMlApi(props);
  await removeDeployment(api, props);
  await ifPresent(`delete batch endpoint "${props.endpointName}" in ${api.calls.where}`, () => api.batchEndpoints.delete(props.endpointName));
  const c = props.pipelineComponent;
  if (c) await deleteVersion(api.components, "component", api.calls.where, c);
}

async function removeDeployment(api: AzureMlApi, props: EndpointOutputs): Promise<void> {
  await ifPresent(`delete deployment "${props.deploymentName}" of batch endpoint "${props.endpointName}" in ${api.calls.where}`, () => api.batchEndpoints.deleteDeployment(props.endpointName, props.deploymentName));
}

async function publish(api: AzureMlApi, inputs: EndpointInputs, verb: "create" | "update"): Promise<EndpointOutputs> {
  const where = `batch endpoint "${inputs.endpointName}" in ${api.calls.where}`;
  try {
    if (inputs.pipelineComponent) {
      const c = inputs.pipelineComponent;
      await api.components.createOrUpdateVersion(c.name, c.version, { properties: { componentSpec: c.spec, isAnonymous: false, isArchived: false, properties: {}, tags: {} } });
    }
    const location = inputs.location ?? (await api.workspaces.get()).location;
    const endpointBody = (deploymentName?: string): BatchEndpoint => ({
      location,
      properties: { authMode: "AADToken", ...(inputs.description !== undefined ? { description: inputs.description } : {}), ...(deploymentName ? { defaults: { deploymentName } } : {}) },
    });
    await api.batchEndpoints.createOrUpdate(inputs.endpointName, endpointBody());
    const deployment = await api.batchEndpoints.createOrUpdateDeployment(inputs.endpointName, inputs.deploymentName, {
      location,
      properties: {
        ...(inputs.description !== undefined ? { description: inputs.description } : {}),
        deploymentConfiguration: {
          deploymentConfigurationType: "PipelineComponent",
          componentId: { referenceType: "Id", assetId: inputs.componentId },
          settings: inputs.restSettings ?? {},
          tags: inputs.tags ?? {},
          ...(inputs.description !== undefined ? { description: inputs.description } : {}),
        },
      },
    });
    const endpoint = await api.batchEndpoints.createOrUpdate(inputs.endpointName, endpointBody(inputs.deploymentName));
    return {
      ...inputs,
      ...workspaceOf(inputs),
      endpointId: endpoint.id ?? `${api.workspaceId}/batchEndpoints/${inputs.endpointName}`,
      deploymentId: deployment.id ?? `${api.workspaceId}/batchEndpoints/${inputs.endpointName}/deployments/${inputs.deploymentName}`,
      invocationUri: endpoint.properties?.scoringUri ?? "",
    };
  } catch (err) {
    throw inContext(err, { operation: `${verb} ${where}` });
  }
}
