/**
 * THE provider entry: the one module path stored in stack state. Every resource's serialized
 * provider requires `pulumi-azureml-databricks/provider` at call time and asks it for the
 * lifecycle of its type. `pulumi refresh` and `destroy` run the provider stored in state, so this
 * path, the function names below and the type names are a contract with every existing stack
 * (`forward`, `forwardChange`); every other file may move between releases.
 */
import * as amlComponent from "./azureml/component/lifecycle";
import * as databricksComputeAttachment from "./azureml/computeAttachment/lifecycle";
import * as amlEnvironment from "./azureml/environment/lifecycle";
import * as amlPipelineEndpoint from "./azureml/pipelineEndpoint/lifecycle";
import * as amlPipelineRun from "./azureml/pipelineRun/lifecycle";
import * as amlSchedule from "./azureml/schedule/lifecycle";
import type { Lifecycle } from "./core/lifecycle";
import { isPendingCreate } from "./core/pendingCreates";
import * as databricksBlobMount from "./databricks/blobMount/lifecycle";
import * as databricksCluster from "./databricks/cluster/lifecycle";
import * as databricksDbfsFile from "./databricks/dbfsFile/lifecycle";
import * as databricksJob from "./databricks/job/lifecycle";
import * as databricksRun from "./databricks/run/lifecycle";
import * as databricksSecret from "./databricks/secret/lifecycle";
import * as databricksSecretScope from "./databricks/secretScope/lifecycle";
import * as databricksWorkspaceItem from "./databricks/workspaceItem/lifecycle";
import * as keyVaultSecret from "./keyvault/secret/lifecycle";

/** Each resource type (the last part of its type token) and its lifecycle. */
const REGISTRY: Readonly<Record<string, Lifecycle>> = Object.freeze({
  KeyVaultSecret: keyVaultSecret,
  DatabricksRun: databricksRun,
  DatabricksBlobMount: databricksBlobMount,
  DatabricksSecretScope: databricksSecretScope,
  DatabricksSecret: databricksSecret,
  DatabricksWorkspaceItem: databricksWorkspaceItem,
  DatabricksDbfsFile: databricksDbfsFile,
  DatabricksCluster: databricksCluster,
  DatabricksJob: databricksJob,
  DatabricksComputeAttachment: databricksComputeAttachment,
  AmlEnvironment: amlEnvironment,
  AmlComponent: amlComponent,
  AmlSchedule: amlSchedule,
  AmlPipelineEndpoint: amlPipelineEndpoint,
  AmlPipelineRun: amlPipelineRun,
});

/**
 * The types whose create refuses an object already there unless `adopt` is set; a create that
 * `recover` found pending adopts it (`core/pendingCreates`). The other types find their own
 * object by idempotency token or job name.
 */
const ADOPTING_TYPES: ReadonlySet<string> = new Set([
  "KeyVaultSecret",
  "DatabricksBlobMount",
  "DatabricksSecretScope",
  "DatabricksSecret",
  "DatabricksWorkspaceItem",
  "DatabricksDbfsFile",
  "DatabricksComputeAttachment",
  "AmlEnvironment",
  "AmlComponent",
  "AmlSchedule",
  "AmlPipelineEndpoint",
]);

/** The resource types this release knows. */
export const RESOURCE_TYPES: readonly string[] = Object.freeze(Object.keys(REGISTRY));

/**
 * check, diff, create or read, told apart by their arguments: `create(inputs)`,
 * `check(olds, news)` (an object first), `read(id, props)`, `diff(id, olds, news)`.
 */
export function forward(type: string, args: unknown[]): Promise<unknown> {
  const l = lifecycle(type);
  const [a, b, c] = args as [never, never, never];
  if (typeof a !== "string") return args.length < 2 ? create(type, l, a) : l.check(a, b);
  return args.length < 3 ? l.read(a, b) : l.diff(a, b, c);
}

/**
 * A create; the one an interrupted `up` left pending (`recover` passed its key) adopts the object
 * it finds, which that create made, and records the resource as the program declared it (no `adopt`).
 */
async function create(type: string, l: Lifecycle, inputs: Record<string, unknown>): Promise<unknown> {
  if (inputs.adopt !== undefined || !ADOPTING_TYPES.has(type) || !isPendingCreate(type, inputs)) return l.create(inputs);
  const { id, outs } = await l.create({ ...inputs, adopt: true });
  const { adopt: _adopt, ...recorded } = outs as Record<string, unknown>;
  return { id, outs: recorded };
}

/** update or delete, told apart by their arguments: `update(id, olds, news)`, `delete(id, props)`. */
export function forwardChange(type: string, args: unknown[]): Promise<unknown> {
  const l = lifecycle(type);
  const [id, b, c] = args as [string, never, never];
  return args.length < 3 ? l.remove(id, b) : l.update(id, b, c);
}

/** The lifecycle of a resource type; throws naming the known types for an unknown one. */
export function lifecycle(type: string): Lifecycle {
  if (!Object.prototype.hasOwnProperty.call(REGISTRY, type)) {
    throw new Error(`pulumi-azureml-databricks does not know the resource type "${type}" (this release knows ${RESOURCE_TYPES.join(", ")}). Install the package version that created it.`);
  }
  return REGISTRY[type];
}
