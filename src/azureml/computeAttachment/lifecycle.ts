/**
 * The DatabricksComputeAttachment provider's operations: attach (PUT compute, a long-running
 * operation), read back (GET, which never returns the token), re-attach with a new token, detach
 * (`underlyingResourceAction=Detach`, never deleting the Databricks workspace). Required by the
 * provider at call time.
 */
import { checkListening } from "../../core/check";
import { currentTarget } from "../../core/target";
import { AzureMlApi, ComputeResource, DatabricksCompute, workspacePath } from "../client";
import { reportDiff } from "../shared/diff";
import { ifPresent, inContext } from "../shared/errors";
import { refuseExisting } from "../shared/existing";
import { ARM_ENDPOINT_SETTINGS, azureMlApi, workspaceOf } from "../shared/workspace";
import { AttachmentInputs, AttachmentOutputs, checkAttachment, diffAttachment } from "./inputs";

/** Validation at preview and up. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
  return checkListening(checkAttachment(news, currentTarget()), "armEndpoint", ARM_ENDPOINT_SETTINGS);
}

/** What a change does; see {@link diffAttachment}. The token's value is never printed, only that it changed. */
export async function diff(_id: string, olds: AttachmentOutputs, news: AttachmentInputs) {
  return reportDiff(`Azure ML compute "${news.computeName}"`, diffAttachment(olds, news), "attach it again with the new settings", olds, news);
}

/** Attaches the Databricks workspace; a compute already of that name only with `adopt`. */
export async function create(inputs: AttachmentInputs): Promise<{ id: string; outs: AttachmentOutputs }> {
  const api = azureMlApi(inputs);
  await refuseExisting(() => api.computes.get(inputs.computeName), inputs.adopt, { object: `compute "${inputs.computeName}" in ${api.calls.where}`, adopting: "attaches the Databricks workspace over it", destroy: "detaches it", otherwise: "choose another computeName" });
  const outs = await attach(api, inputs, "attach");
  return { id: outs.computeId, outs };
}

/** Attaches again with the new token or description (the same PUT). */
export async function update(_id: string, _olds: AttachmentOutputs, news: AttachmentInputs): Promise<{ outs: AttachmentOutputs }> {
  return { outs: await attach(azureMlApi(news), news, "update") };
}

/** Reads the compute back: gone when it is not there or no longer Databricks; drift of id, URL and description flows back. */
export async function read(id: string, props: AttachmentOutputs): Promise<{ id: string; props: Partial<AttachmentOutputs>; inputs?: Partial<AttachmentInputs> }> {
  const api = azureMlApi(props);
  const compute = await ifPresent(`read compute "${props.computeName}" in ${api.calls.where}`, () => api.computes.get(props.computeName));
  const p = compute?.properties as DatabricksCompute | undefined;
  if (!compute || p?.computeType !== "Databricks") return { id: "", props: {} };
  const outs = toOutputs(props, compute);
  const { computeId: _c, reference: _r, provisioningState: _p, ...inputs } = outs;
  return { id, props: outs, inputs };
}

/** Detaches the compute; the Databricks workspace stays. */
export async function remove(_id: string, props: AttachmentOutputs): Promise<void> {
  const api = azureMlApi(props);
  await ifPresent(`detach compute "${props.computeName}" from ${api.calls.where}`, () => api.computes.delete(props.computeName, "Detach"));
}

async function attach(api: AzureMlApi, inputs: AttachmentInputs, verb: "attach" | "update"): Promise<AttachmentOutputs> {
  const properties: DatabricksCompute = {
    computeType: "Databricks",
    resourceId: inputs.databricksResourceId,
    properties: { databricksAccessToken: inputs.accessToken, workspaceUrl: inputs.workspaceUrl },
  };
  if (inputs.description !== undefined) properties.description = inputs.description;
  if (inputs.location !== undefined) properties.computeLocation = inputs.location;
  const body: ComputeResource = { properties };
  if (inputs.location !== undefined) body.location = inputs.location;
  try {
    return toOutputs(inputs, await api.computes.createOrUpdate(inputs.computeName, body));
  } catch (err) {
    throw inContext(err, { operation: `${verb} Databricks compute "${inputs.computeName}" in ${api.calls.where}` });
  }
}

/** Outputs from the inputs (the token is ours: the service never returns it) and the compute read. */
function toOutputs(base: AttachmentInputs, compute: ComputeResource): AttachmentOutputs {
  const p = (compute.properties ?? {}) as DatabricksCompute;
  const outs: AttachmentOutputs = {
    ...workspaceOf(base),
    computeName: base.computeName,
    databricksResourceId: p.resourceId ?? base.databricksResourceId,
    workspaceUrl: p.properties?.workspaceUrl ? new URL(p.properties.workspaceUrl).origin : base.workspaceUrl,
    accessToken: base.accessToken,
    computeId: compute.id ?? `${workspacePath(base)}/computes/${base.computeName}`,
    reference: `azureml:${base.computeName}`,
    provisioningState: p.provisioningState ?? "Succeeded",
  };
  if (p.description !== undefined && p.description !== null) outs.description = p.description;
  if (base.location !== undefined) outs.location = base.location;
  if (base.adopt !== undefined) outs.adopt = base.adopt;
  return outs;
}
