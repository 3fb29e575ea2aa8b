/**
 * A CLI v2 pipeline job YAML document as the REST `PipelineJob` properties, mapped as azure-ai-ml
 * maps it (design note §3.1): top-level inputs and outputs as typed REST models (camelCase),
 * everything inside `jobs` and `settings` free-form (snake_case), bindings as literal strings,
 * `azureml:` references to registered components, computes and datastores as ARM ids.
 */
import { workspacePath, WorkspaceRef } from "../client";
import { parseAssetReference } from "./yamlFile";

const OUTPUT_MODES: Readonly<Record<string, string>> = { rw_mount: "ReadWriteMount", upload: "Upload", direct: "Direct" };
const INPUT_MODES: Readonly<Record<string, string>> = { ro_mount: "ReadOnlyMount", rw_mount: "ReadWriteMount", download: "Download", direct: "Direct", eval_mount: "EvalMount", eval_download: "EvalDownload" };
const DATA_TYPES = ["uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"];

/** A mapping problem: where in the YAML and what is wrong. */
export interface PipelineProblem {
  path: string;
  message: string;
}

/** The REST properties of a pipeline job YAML document, and every problem found. */
export function pipelineJobFromYaml(doc: Record<string, unknown>, ws: WorkspaceRef): { job: Record<string, unknown>; problems: PipelineProblem[] } {
  const problems: PipelineProblem[] = [];
  const base = workspacePath(ws);
  if (doc.type !== undefined && doc.type !== "pipeline") problems.push({ path: "type", message: `must be pipeline, not ${JSON.stringify(doc.type)}` });
  const job: Record<string, unknown> = { jobType: "Pipeline", properties: {}, tags: {}, isArchived: false };
  if (typeof doc.display_name === "string") job.displayName = doc.display_name;
  if (typeof doc.experiment_name === "string") job.experimentName = doc.experiment_name;
  if (typeof doc.description === "string") job.description = doc.description;
  if (isMap(doc.tags)) job.tags = stringMap(doc.tags);
  if (isMap(doc.inputs)) job.inputs = mapValues(doc.inputs, (v) => restInput(v));
  if (isMap(doc.outputs)) job.outputs = mapValues(doc.outputs, (v) => restOutput(v));
  const settings: Record<string, unknown> = isMap(doc.settings) ? { ...doc.settings } : {};
  if (typeof settings.default_compute === "string") settings.default_compute = armRef(settings.default_compute, `${base}/computes/`);
  if (typeof settings.default_datastore === "string") settings.default_datastore = armRef(settings.default_datastore, `${base}/datastores/`);
  settings._source = "YAML.JOB";
  job.settings = settings;
  if (!isMap(doc.jobs) || Object.keys(doc.jobs).length === 0) problems.push({ path: "jobs", message: "is required: the pipeline's steps" });
  else job.jobs = mapValues(doc.jobs, (step, name) => restStep(step, name, base, problems));
  return { job, problems };
}

function restStep(step: unknown, name: string, base: string, problems: PipelineProblem[]): Record<string, unknown> {
  if (!isMap(step)) {
    problems.push({ path: `jobs.${name}`, message: "must be a mapping" });
    return {};
  }
  const out: Record<string, unknown> = { ...step, name, type: step.type ?? "command" };
  delete out.component;
  const component = step.component;
  const ref = typeof component === "string" ? parseAssetReference(component) : undefined;
  if (ref?.version !== undefined) out.componentId = `${base}/components/${ref.name}/versions/${ref.version}`;
  else if (typeof component === "string" && /^azureml:\/subscriptions\//i.test(component)) out.componentId = component.slice("azureml:".length);
  else problems.push({ path: `jobs.${name}.component`, message: "must be a registered component, azureml:<name>:<version> (e.g. an AmlComponent's reference)" });
  out._source = "REMOTE.WORKSPACE.COMPONENT";
  if (typeof step.compute === "string") out.compute = armRef(step.compute, `${base}/computes/`);
  if (isMap(step.inputs)) out.inputs = mapValues(step.inputs, stepInput);
  if (isMap(step.outputs)) out.outputs = mapValues(step.outputs, stepOutput);
  return out;
}

function restInput(v: unknown): Record<string, unknown> {
  if (isMap(v) && typeof v.type === "string" && DATA_TYPES.includes(v.type)) {
    const input: Record<string, unknown> = { jobInputType: v.type, uri: v.path };
    if (typeof v.mode === "string") input.mode = INPUT_MODES[v.mode] ?? v.mode;
    return input;
  }
  return { jobInputType: "literal", value: String(isMap(v) ? v.default ?? v.value : v) };
}

function restOutput(v: unknown): Record<string, unknown> {
  const o = isMap(v) ? v : {};
  const output: Record<string, unknown> = { jobOutputType: typeof o.type === "string" ? o.type : "uri_folder" };
  if (typeof o.mode === "string") output.mode = OUTPUT_MODES[o.mode] ?? o.mode;
  if (typeof o.path === "string") output.uri = o.path;
  return output;
}

function stepInput(v: unknown): Record<string, unknown> {
  if (isMap(v) && typeof v.type === "string" && DATA_TYPES.includes(v.type)) {
    const input: Record<string, unknown> = { job_input_type: v.type, uri: v.path };
    if (typeof v.mode === "string") input.mode = v.mode;
    return input;
  }
  return { job_input_type: "literal", value: String(v) };
}

/** A step output: a binding as a literal; `{type, mode, path}` as a free-form job output (`job_output_type`, `uri`, `mode`). */
function stepOutput(v: unknown): Record<string, unknown> {
  if (!isMap(v)) return { type: "literal", value: String(v) };
  const output: Record<string, unknown> = { job_output_type: typeof v.type === "string" ? v.type : "uri_folder" };
  if (typeof v.path === "string") output.uri = v.path;
  if (typeof v.mode === "string") output.mode = OUTPUT_MODES[v.mode] ?? v.mode;
  return output;
}

/** `azureml:<name>` as `<prefix><name>`; anything else (an ARM id) as given. */
function armRef(value: string, prefix: string): string {
  const m = /^azureml:([^/:@]+)$/.exec(value);
  return m ? `${prefix}${m[1]}` : value.replace(/^azureml:/, "");
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringMap(v: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

function mapValues<T>(o: Record<string, unknown>, f: (v: unknown, key: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]));
}
