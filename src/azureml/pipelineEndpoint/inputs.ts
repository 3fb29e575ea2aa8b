/**
 * What an AmlPipelineEndpoint is made of, as the provider sees it, and the rules that decide whether
 * inputs are valid and what a change does. Pure functions: no network.
 */
import { createHash } from "node:crypto";
import { CheckFailure, checkExclusive, checkString, checkStringMap, failureList, isObject, known, UNKNOWN } from "../../core/check";
import { checkAdopt } from "../../core/takeover";
import { currentTarget, Target } from "../../core/target";
import { workspacePath } from "../client";
import { amlDiff, AmlDiff, changedKeys } from "../shared/diff";
import { pipelineJobFromYaml } from "../shared/pipelineJob";
import { changedWorkspaceKeys, checkRequiredName, checkWorkspace, WorkspaceInputs } from "../shared/workspace";
import { parseAssetReference } from "../shared/yamlFile";

/** Inputs as they reach the provider (after check: the component id and settings resolved). */
export interface EndpointInputs extends WorkspaceInputs {
  endpointName: string;
  deploymentName: string;
  /** A registered pipeline component as given. */
  component?: string;
  pipelineFile?: string;
  pipelineYaml?: Record<string, unknown>;
  /** The pipeline component to register (from `pipelineFile`): name, version and `componentSpec`. */
  pipelineComponent?: { name: string; version: string; spec: Record<string, unknown> };
  /** The pipeline component's ARM id. */
  componentId: string;
  settings?: Record<string, string>;
  /** Settings with `azureml:` names as ARM ids. */
  restSettings?: Record<string, string>;
  description?: string;
  tags?: Record<string, string>;
  location?: string;
  adopt?: boolean;
}

/** What state holds besides the inputs. */
export interface EndpointOutputs extends EndpointInputs {
  endpointId: string;
  deploymentId: string;
  invocationUri: string;
}

const ENDPOINT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,30}[a-zA-Z0-9]$/;
const DEPLOYMENT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,31}$/;

/** Validates the inputs and resolves the component id; every failure at once. */
export function checkEndpoint(news: Record<string, unknown>, target: Target = currentTarget(), env: NodeJS.ProcessEnv = process.env): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  checkWorkspace(inputs, fail, target, env);
  checkRequiredName(inputs, "endpointName", fail, "the batch endpoint's name", ENDPOINT_NAME, "3-32 letters, digits and '-', starting with a letter and not ending with '-'");
  inputs.deploymentName ??= "default";
  if (known(inputs.deploymentName) && (typeof inputs.deploymentName !== "string" || !DEPLOYMENT_NAME.test(inputs.deploymentName))) fail("deploymentName", `deploymentName ${JSON.stringify(inputs.deploymentName)} is not valid: 1-32 letters, digits and '-', starting with a letter or digit.`);
  checkStringMap(inputs.settings, "settings", fail, '{ "default_compute": "azureml:cpu-cluster" }');
  checkStringMap(inputs.tags, "tags", fail);
  checkString(inputs.description, "description", fail, "a string");
  checkString(inputs.location, "location", fail, "an Azure region such as westeurope");
  checkAdopt(inputs, fail);
  const wsKnown = [inputs.subscriptionId, inputs.resourceGroupName, inputs.workspaceName].every((v) => known(v) && typeof v === "string");
  const given = checkExclusive(inputs, ["component", "pipelineFile"], "", fail, "deploy a registered pipeline component or register one from a pipeline file, not both.");
  if (given.length === 0) fail("component", "give the pipeline: component (a registered pipeline component, azureml:<name>:<version>) or pipelineFile (a CLI v2 pipeline YAML).");
  if (!wsKnown) return { inputs, failures };
  const ws = inputs as unknown as WorkspaceInputs;
  const base = workspacePath(ws);
  if (isObject(inputs.settings)) inputs.restSettings = restSettings(inputs.settings as Record<string, string>, base);
  const component = inputs.component;
  if (typeof component === "string" && component !== UNKNOWN) {
    const ref = parseAssetReference(component);
    if (ref?.version !== undefined) inputs.componentId = `${base}/components/${ref.name}/versions/${ref.version}`;
    else if (/^(azureml:)?\/subscriptions\/.+\/components\/[^/]+\/versions\/[^/]+$/i.test(component)) inputs.componentId = component.replace(/^azureml:/, "");
    else fail("component", `component ${JSON.stringify(component)} is not a registered component: azureml:<name>:<version> or a component version's ARM id.`);
  } else if (isObject(inputs.pipelineYaml) && typeof inputs.endpointName === "string") {
    const doc = inputs.pipelineYaml;
    const { job, problems } = pipelineJobFromYaml({ ...doc, settings: undefined }, ws);
    for (const p of problems) fail("pipelineFile", `${String(inputs.pipelineFile)}: ${p.path} ${p.message}.`);
    if (problems.length === 0) {
      const spec: Record<string, unknown> = { type: "pipeline", jobs: job.jobs, _source: "YAML.COMPONENT" };
      for (const key of ["display_name", "description", "inputs", "outputs", "tags"]) if (doc[key] !== undefined) spec[key] = doc[key];
      const compName = typeof doc.name === "string" ? doc.name : `${inputs.endpointName.replace(/-/g, "_").toLowerCase()}_pipeline`;
      const version = createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 16);
      inputs.pipelineComponent = { name: compName, version, spec: { ...spec, name: compName, version } };
      inputs.componentId = `${base}/components/${compName}/versions/${version}`;
    }
  }
  return { inputs, failures };
}

function restSettings(settings: Record<string, string>, base: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    const m = typeof value === "string" ? /^azureml:([^/:@]+)$/.exec(value) : null;
    out[key] = m && key === "default_compute" ? `${base}/computes/${m[1]}` : m && key === "default_datastore" ? `${base}/datastores/${m[1]}` : value;
  }
  return out;
}

/** Another workspace, endpoint name or region replaces the endpoint; the pipeline, deployment and settings update it. */
export function diffEndpoint(olds: Partial<EndpointOutputs>, news: Partial<EndpointInputs>): AmlDiff {
  const replaces = [...changedWorkspaceKeys(olds, news), ...changedKeys(olds, news, ["endpointName", "location"])];
  const updates = changedKeys(olds, news, ["deploymentName", "componentId", "restSettings", "description", "tags"]);
  return amlDiff(replaces, updates, replaces.length > 0 && !replaces.includes("endpointName") && changedWorkspaceKeys(olds, news).length === 0);
}
