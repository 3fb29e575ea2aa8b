/**
 * What an AmlPipelineRun is made of, as the provider sees it: the pipeline document (the YAML
 * file's with the typed arguments over it, in the CLI v2 shape), its validation (every failure at
 * once, against the property that holds it), the REST job it becomes, the job's deterministic
 * name, and what a change does (run again or not, and why). Pure functions: no network.
 */
import { createHash } from "node:crypto";
import { canonical, CheckFailure, checkBoolean, checkString, checkStringMap, checkWhole, Fail, isObject, known, sameJson, UNKNOWN } from "../../core/check";
import { CodeFileHashes, describeFiles } from "../../core/codeFiles";
import { changedEntries, DetailedDiff, keyDetail, mapDetail, pathOf, topLevelKeys } from "../../core/detailedDiff";
import { currentTarget, Target } from "../../core/target";
import { pipelineJobFromYaml } from "../shared/pipelineJob";
import { changedWorkspaceKeys, checkWorkspace, WorkspaceInputs } from "../shared/workspace";
import { parseAssetReference } from "../shared/yamlFile";

/** Inputs as they reach the provider (after check: `componentIds` and `pipelineJob` filled in). */
export interface PipelineRunInputs extends WorkspaceInputs {
  /** Identity of the resource in its stack: part of the job's name. */
  identity: string;
  file?: string;
  /** The pipeline YAML file's document. */
  pipelineYaml?: Record<string, unknown>;
  /** Why the file could not be read (reported by check). */
  fileProblem?: string;
  jobs?: Record<string, Record<string, unknown>>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  experimentName?: string;
  displayName?: string;
  description?: string;
  tags?: Record<string, string>;
  triggers?: Record<string, string>;
  /** Each local code file's hash by its path relative to the program (`notebooks/x.py`): a change runs again. */
  codeFiles?: CodeFileHashes;
  timeoutSeconds?: number;
  keepHistory?: boolean;
  /** The component of each step as an ARM id (`@latest` resolved). */
  componentIds?: Record<string, string>;
  /** The REST PipelineJob properties the run submits, without displayName, description and tags. */
  pipelineJob?: Record<string, unknown>;
}

/** A component reference: an ARM id, a name and version, or a name's newest version. */
export type ComponentRef = { kind: "id"; id: string } | { kind: "version"; name: string; version: string } | { kind: "latest"; name: string };

/** A step of the pipeline document and where it came from (for the property a failure names). */
interface StepOrigin {
  readonly fromArgs: boolean;
}

/** The merged CLI v2 document and, per step, whether the arguments gave it. */
export interface PipelineDocument {
  doc: Record<string, unknown>;
  steps: Record<string, StepOrigin>;
}

const COMPONENT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+\/components\/([^/]+)\/versions\/([^/]+)$/i;
const STEP_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const BINDING = /^\$\{\{\s*parent\.(.*?)\s*\}\}$/;
const STEP_OUTPUT = /^jobs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/;
const PARENT_INPUT = /^inputs\.([A-Za-z0-9_-]+)$/;
const PARENT_OUTPUT = /^outputs\.([A-Za-z0-9_-]+)$/;
const COMPONENT_FIX = "azureml:<name>:<version>, azureml:<name>@latest, or an AmlComponent's componentId or reference";
const SETTINGS: Readonly<Record<string, string>> = { defaultCompute: "default_compute", defaultDatastore: "default_datastore", continueOnStepFailure: "continue_on_step_failure" };
/** Inputs that only change how the resource behaves or is shown (no new run). */
const SETTING_KEYS = ["displayName", "description", "tags", "timeoutSeconds", "keepHistory"] as const;

/** Reads a step's component reference; undefined when it is none of the accepted forms. */
export function parseComponentRef(value: string): ComponentRef | undefined {
  const id = value.replace(/^azureml:(?=\/subscriptions\/)/i, "");
  if (COMPONENT_ID.test(id)) return { kind: "id", id };
  const ref = parseAssetReference(value);
  if (!ref) return undefined;
  return ref.version === undefined ? { kind: "latest", name: ref.name } : { kind: "version", name: ref.name, version: ref.version };
}

/** `name:version` of a component's ARM id (for messages); the id itself when it is not one. */
export function shortComponent(id: string): string {
  const m = COMPONENT_ID.exec(id);
  return m ? `${decodeURIComponent(m[1])}:${decodeURIComponent(m[2])}` : id;
}

/**
 * The pipeline document: the file's, with the arguments over it (steps, inputs, outputs and
 * settings by key; experiment, display name, description and tags whole), in CLI v2 keys.
 */
export function pipelineDocument(inputs: Partial<PipelineRunInputs>): PipelineDocument {
  const file = isObject(inputs.pipelineYaml) ? inputs.pipelineYaml : {};
  const doc: Record<string, unknown> = { ...file, type: file.type ?? "pipeline" };
  const steps: Record<string, StepOrigin> = {};
  for (const name of Object.keys(isObject(file.jobs) ? file.jobs : {})) steps[name] = { fromArgs: false };
  const fileJobs = isObject(file.jobs) ? file.jobs : {};
  if (isObject(inputs.jobs)) {
    for (const name of Object.keys(inputs.jobs)) steps[name] = { fromArgs: true };
    doc.jobs = { ...fileJobs, ...Object.fromEntries(Object.entries(inputs.jobs).map(([name, step]) => [name, yamlStep(step)])) };
  }
  if (isObject(inputs.inputs)) doc.inputs = { ...(isObject(file.inputs) ? file.inputs : {}), ...inputs.inputs };
  if (isObject(inputs.outputs)) doc.outputs = { ...(isObject(file.outputs) ? file.outputs : {}), ...inputs.outputs };
  if (isObject(inputs.settings)) {
    const given = Object.entries(inputs.settings).filter(([, v]) => v !== undefined).map(([k, v]) => [SETTINGS[k] ?? k, v]);
    doc.settings = { ...(isObject(file.settings) ? file.settings : {}), ...Object.fromEntries(given) };
  }
  for (const [key, yamlKey] of [["experimentName", "experiment_name"], ["displayName", "display_name"], ["description", "description"], ["tags", "tags"]] as const) {
    if (inputs[key] !== undefined) doc[yamlKey] = inputs[key];
  }
  return { doc, steps };
}

/** A typed step as the CLI v2 YAML step. */
function yamlStep(step: unknown): unknown {
  if (!isObject(step)) return step;
  const { displayName, ...rest } = step;
  return { type: "command", ...rest, ...(displayName !== undefined ? { display_name: displayName } : {}) };
}

/**
 * Validates the inputs and returns the pipeline document (undefined when it has no steps to
 * check); fills `armEndpoint`. Bindings are checked against the document; components and their
 * input and output names need the service (the lifecycle's check).
 */
export function checkPipelineRun(inputs: Record<string, unknown>, fail: Fail, target: Target = currentTarget(), env: NodeJS.ProcessEnv = process.env): PipelineDocument | undefined {
  checkWorkspace(inputs, fail, target, env);
  if (typeof inputs.fileProblem === "string") fail("file", `${inputs.fileProblem.replace(/\.?$/, ".")} Fix the file, or give the pipeline as arguments (jobs, inputs, outputs, settings).`);
  for (const key of ["experimentName", "displayName", "description"]) checkString(inputs[key], key, fail, "a non-empty string");
  checkStringMap(inputs.tags, "tags", fail);
  checkStringMap(inputs.triggers, "triggers", fail, '{ "notebook": "<hash>" }; change any value to run again');
  checkWhole(inputs.timeoutSeconds, "timeoutSeconds", fail, 1);
  checkBoolean(inputs.keepHistory, "keepHistory", fail);
  for (const key of ["jobs", "inputs", "outputs", "settings"]) {
    if (known(inputs[key]) && !isObject(inputs[key])) fail(key, `${key} must be a map by name.`);
  }
  if (isObject(inputs.settings)) {
    for (const key of Object.keys(inputs.settings)) if (!(key in SETTINGS)) fail(`settings.${key}`, `settings.${key} is not a setting: use ${Object.keys(SETTINGS).join(", ")}.`);
    checkBoolean(inputs.settings.continueOnStepFailure, "settings.continueOnStepFailure", fail);
  }
  if (inputs.fileProblem !== undefined) return undefined;
  if (inputs.jobs === UNKNOWN) return undefined;
  const document = pipelineDocument(inputs as Partial<PipelineRunInputs>);
  const { doc, steps } = document;
  const file = String(inputs.file ?? "the pipeline file");
  const stepFail = stepFailures(document, file, fail);
  if (doc.type !== "pipeline") fail("file", `${file}: type must be pipeline, not ${JSON.stringify(doc.type)}.`);
  const jobs = isObject(doc.jobs) ? doc.jobs : {};
  if (Object.keys(jobs).length === 0) {
    fail(inputs.file === undefined ? "jobs" : "file", "The pipeline has no steps: give jobs (a map of steps, each with a component), or a file whose jobs: has them.");
    return undefined;
  }
  for (const [name, step] of Object.entries(jobs)) {
    const at = (rest: string, reason: string) => stepFail(name, rest, reason);
    if (!STEP_NAME.test(name)) at("", "is not a valid step name: letters, digits and '_', starting with a letter or '_'.");
    if (step === UNKNOWN) continue;
    if (!isObject(step)) {
      at("", "must be a step: { component, inputs?, outputs?, compute? }.");
      continue;
    }
    checkStepComponent(step, at);
    checkStepBindings(name, step, doc, at);
  }
  checkCycles(jobs, (step, reason) => (steps[step]?.fromArgs ? fail(`jobs.${step}.inputs`, reason) : fail("file", `${file}: ${reason}`)));
  return document;
}

/**
 * Reports a problem of a step's part (`rest`, e.g. `.inputs.n`): against `jobs.<step><rest>` when
 * the arguments gave the step, else against `file`, naming the file and the YAML path.
 */
export function stepFailures(document: PipelineDocument, file: string, fail: Fail): (step: string, rest: string, reason: string) => void {
  return (step, rest, reason) => {
    if (document.steps[step]?.fromArgs) fail(`jobs.${step}${rest}`, `jobs.${step}${rest} ${reason}`);
    else fail("file", `${file}: jobs.${step}${rest} ${reason}`);
  };
}

function checkStepComponent(step: Record<string, unknown>, at: (rest: string, reason: string) => void): void {
  const component = step.component;
  if (component === undefined || component === "") at(".component", `is required: the registered component the step runs, ${COMPONENT_FIX}.`);
  else if (known(component) && (typeof component !== "string" || !parseComponentRef(component))) at(".component", `${JSON.stringify(component)} is not a registered component: use ${COMPONENT_FIX} (a local component file is not supported; register it with an AmlComponent).`);
  if (known(step.type) && step.type !== "command") at(".type", `must be command (the only step type supported), not ${JSON.stringify(step.type)}.`);
}

/** Each `${{parent...}}` of a step must name something the pipeline has. */
function checkStepBindings(name: string, step: Record<string, unknown>, doc: Record<string, unknown>, at: (rest: string, reason: string) => void): void {
  const jobs = isObject(doc.jobs) ? doc.jobs : {};
  const pipelineInputs = isObject(doc.inputs) ? doc.inputs : {};
  const pipelineOutputs = isObject(doc.outputs) ? doc.outputs : {};
  for (const [input, value] of Object.entries(isObject(step.inputs) ? step.inputs : {})) {
    const target = bindingOf(value);
    if (target === undefined) continue;
    const out = STEP_OUTPUT.exec(target);
    const parentInput = PARENT_INPUT.exec(target);
    if (out && out[1] === name) at(`.inputs.${input}`, `binds the step's own output ${out[2]}: a step reads outputs of other steps.`);
    else if (out && !(out[1] in jobs)) at(`.inputs.${input}`, `binds \${{parent.jobs.${out[1]}.outputs.${out[2]}}}, but the pipeline has no step ${out[1]} (its steps: ${Object.keys(jobs).join(", ")}).`);
    else if (parentInput && !(parentInput[1] in pipelineInputs)) at(`.inputs.${input}`, `binds \${{parent.inputs.${parentInput[1]}}}, but the pipeline has no input ${parentInput[1]}: add it to inputs${Object.keys(pipelineInputs).length ? ` (it has ${Object.keys(pipelineInputs).join(", ")})` : ""}.`);
    else if (!out && !parentInput) at(`.inputs.${input}`, `binds \${{parent.${target}}}, which is neither \${{parent.inputs.<input>}} nor \${{parent.jobs.<step>.outputs.<output>}}.`);
  }
  for (const [output, value] of Object.entries(isObject(step.outputs) ? step.outputs : {})) {
    const target = bindingOf(value);
    if (target === undefined) continue;
    const parentOutput = PARENT_OUTPUT.exec(target);
    if (!parentOutput) at(`.outputs.${output}`, `binds \${{parent.${target}}}; a step output binds only \${{parent.outputs.<output>}}.`);
    else if (!(parentOutput[1] in pipelineOutputs)) at(`.outputs.${output}`, `binds \${{parent.outputs.${parentOutput[1]}}}, but the pipeline has no output ${parentOutput[1]}: add it to outputs.`);
  }
}

/** What `${{parent.<x>}}` names (`x`), or undefined for a value that is no binding. */
export function bindingOf(value: unknown): string | undefined {
  return typeof value === "string" ? BINDING.exec(value.trim())?.[1] : undefined;
}

/** The steps a step reads outputs of. */
export function dependenciesOf(step: unknown): string[] {
  const inputs = isObject(step) && isObject(step.inputs) ? Object.values(step.inputs) : [];
  return [...new Set(inputs.map((v) => STEP_OUTPUT.exec(bindingOf(v) ?? "")?.[1]).filter((s): s is string => s !== undefined))];
}

/** Reports each cycle of step dependencies once, against the step it closes on. */
function checkCycles(jobs: Record<string, unknown>, report: (step: string, reason: string) => void): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done" || !(name in jobs)) return;
    if (state.get(name) === "visiting") {
      report(name, `The steps read each other's outputs in a cycle: ${[...trail.slice(trail.indexOf(name)), name].join(" -> ")}; a step can only read outputs of steps before it.`);
      return;
    }
    state.set(name, "visiting");
    for (const d of dependenciesOf(jobs[name])) if (d !== name) visit(d, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of Object.keys(jobs)) visit(name, []);
}

/** True when a value holds the preview's placeholder anywhere. */
export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  return isObject(v) && Object.values(v).some(hasUnknown);
}

/**
 * The REST PipelineJob properties of the document with each step's component as its resolved ARM
 * id, without displayName, description and tags (they change without a new run).
 */
export function restPipelineJob(doc: Record<string, unknown>, componentIds: Record<string, string>, ws: WorkspaceInputs): { job: Record<string, unknown>; problems: CheckFailure[] } {
  const jobs = Object.fromEntries(Object.entries(doc.jobs as Record<string, Record<string, unknown>>).map(([name, step]) => [name, { ...step, component: `azureml:${componentIds[name]}` }]));
  const { job, problems } = pipelineJobFromYaml({ ...doc, jobs }, ws);
  const { displayName: _d, description: _e, tags: _t, ...rest } = job;
  return { job: rest, problems: problems.map((p) => ({ property: "file", reason: `${p.path} ${p.message}.` })) };
}

/** The job's properties as submitted: the run's definition with its display name, description and tags. */
export function jobBody(inputs: PipelineRunInputs): Record<string, unknown> {
  const body: Record<string, unknown> = { ...inputs.pipelineJob, tags: inputs.tags ?? stringTags(inputs.pipelineYaml?.tags), displayName: inputs.displayName ?? inputs.pipelineYaml?.display_name ?? resourceName(inputs) };
  const description = inputs.description ?? inputs.pipelineYaml?.description;
  if (typeof description === "string") body.description = description;
  return body;
}

function stringTags(tags: unknown): Record<string, string> {
  return isObject(tags) ? Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])) : {};
}

/** The resource's name (the last part of its identity). */
export function resourceName(inputs: Pick<PipelineRunInputs, "identity">): string {
  return inputs.identity.split("/").pop() ?? inputs.identity;
}

/**
 * The job's name for attempt `attempt`: the resource's name and a hash of its identity, workspace,
 * definition and triggers, so an interrupted `up` finds the job it submitted instead of submitting
 * another, and a failed job's next attempt gets a name of its own.
 */
export function jobNameOf(inputs: PipelineRunInputs, attempt: number): string {
  const material = JSON.stringify(canonical({ identity: inputs.identity, ws: [inputs.armEndpoint, inputs.subscriptionId, inputs.resourceGroupName, inputs.workspaceName], job: inputs.pipelineJob, triggers: inputs.triggers, codeFiles: inputs.codeFiles, attempt }));
  const slug = resourceName(inputs).replace(/[^A-Za-z0-9_-]/g, "_").replace(/^[^A-Za-z0-9]+/, "").slice(0, 60) || "pipeline";
  return `${slug}_${createHash("sha256").update(material).digest("hex").slice(0, 20)}`;
}

/** What a change of inputs does to a run, and why. */
export interface PipelineRunDiff {
  changes: boolean;
  /** Keys whose change means a new run; non-empty => replace. */
  replaces: string[];
  /** Why it runs again, in words (step "x": component a:1 -> a:2; input "n"; triggers). */
  reasons: string[];
  /** Keys that change without a new run. */
  updates: string[];
  /** What a preview lists: the inputs that changed, down to the step, trigger or code file. */
  detail: DetailedDiff;
}

/**
 * A change of the workspace, the definition (components included), triggers or code files runs
 * again; settings only update.
 */
export function diffPipelineRun(oldInputs: Partial<PipelineRunInputs>, news: Partial<PipelineRunInputs>): PipelineRunDiff {
  const olds = legacyNotebookTrigger(oldInputs, news);
  const workspace = changedWorkspaceKeys(olds, news);
  const reasons: string[] = [...workspace];
  const replaces: string[] = [...workspace];
  const detail: DetailedDiff = keyDetail(olds, news, workspace, workspace);
  const definition = definitionReasons(olds.pipelineJob, news.pipelineJob, news.jobs);
  if (definition.length > 0) {
    const shown = definitionDetail(olds, news);
    // The program's properties behind the new definition (jobs, inputs, ...), as the detail shows them.
    replaces.push(...topLevelKeys(shown));
    reasons.push(...definition);
    Object.assign(detail, shown);
  }
  const triggers = triggerReasons(olds.triggers, news.triggers);
  if (triggers.length > 0) {
    replaces.push("triggers");
    reasons.push(...triggers);
    Object.assign(detail, (news.triggers as unknown) === UNKNOWN ? keyDetail(olds, news, ["triggers"], ["triggers"]) : mapDetail("triggers", olds.triggers, news.triggers, true));
  }
  const files = changedEntries(olds.codeFiles, news.codeFiles);
  if (files.length > 0) {
    replaces.push("codeFiles");
    reasons.push(describeFiles(files.every((f) => /\.(py|ipynb|scala|sql|r)$/i.test(f)) ? "notebook" : "code", files));
    Object.assign(detail, mapDetail("codeFiles", olds.codeFiles, news.codeFiles, true));
  }
  const updates = SETTING_KEYS.filter((k) => !sameJson(olds[k], news[k]));
  Object.assign(detail, keyDetail(olds, news, updates, []));
  return { changes: replaces.length + updates.length > 0, replaces, reasons, updates, detail };
}

/**
 * A state written before `codeFiles` (DatabricksPipeline kept its notebook's hash as
 * `triggers.notebook`) read as the same code under the new shape, so upgrading runs nothing again:
 * with no `codeFiles` in the state, the old `notebook` trigger stands for the one new code file.
 */
export function legacyNotebookTrigger(olds: Partial<PipelineRunInputs>, news: Partial<PipelineRunInputs>): Partial<PipelineRunInputs> {
  const notebook = olds.triggers?.notebook;
  const files = isObject(news.codeFiles) ? Object.keys(news.codeFiles) : [];
  if (olds.codeFiles !== undefined || typeof notebook !== "string" || !isObject(news.triggers ?? {}) || news.triggers?.notebook !== undefined || files.length !== 1) return olds;
  const { notebook: _n, ...triggers } = olds.triggers!;
  return { ...olds, triggers, codeFiles: { [files[0]]: notebook } };
}

/**
 * The inputs behind a change of definition, as the program wrote them: each step that changed
 * (`jobs.<step>`, its unknown component when that is being registered again), the pipeline's
 * inputs, outputs, settings, experiment and file; the REST definition itself only when none tells.
 */
function definitionDetail(olds: Partial<PipelineRunInputs>, news: Partial<PipelineRunInputs>): DetailedDiff {
  const detail: DetailedDiff = {};
  const oJobs = (isObject(olds.jobs) ? olds.jobs : {}) as Record<string, unknown>;
  const nJobs = (isObject(news.jobs) ? news.jobs : {}) as Record<string, unknown>;
  if ((news.jobs as unknown) === UNKNOWN) Object.assign(detail, keyDetail(olds, news, ["jobs"], ["jobs"]));
  else Object.assign(detail, mapDetail("jobs", oJobs, nJobs, true));
  for (const key of ["inputs", "outputs", "settings", "experimentName", "pipelineYaml"] as const) Object.assign(detail, keyDetail(olds, news, [key], [key]));
  const oIds = (isObject(olds.componentIds) ? olds.componentIds : {}) as Record<string, unknown>;
  const nIds = (isObject(news.componentIds) ? news.componentIds : {}) as Record<string, unknown>;
  // A step whose arguments stayed but whose component resolved to another version (`@latest`, an id given as is).
  if ((news.componentIds as unknown) !== UNKNOWN) {
    for (const [path, kind] of Object.entries(mapDetail("componentIds", oIds, nIds, true))) {
      const step = /^componentIds(?:\.|\[")(.*?)(?:"\])?$/.exec(path)?.[1] ?? "";
      if (detail[pathOf("jobs", step)] === undefined) detail[path] = kind;
    }
  }
  if (Object.keys(detail).length === 0) detail[pathOf("pipelineJob")] = "update-replace";
  return detail;
}

/** Which triggers changed, in words. */
function triggerReasons(olds: Record<string, string> | undefined, news: Record<string, string> | undefined): string[] {
  if ((news as unknown) === UNKNOWN) return ["triggers (not known until apply)"];
  if (sameJson(olds, news)) return [];
  const [o, n] = [olds ?? {}, news ?? {}];
  return [...new Set([...Object.keys(o), ...Object.keys(n)])].filter((k) => o[k] !== n[k]).map((k) => (n[k] === UNKNOWN ? `trigger "${k}" (not known until apply)` : `trigger "${k}"`));
}

/**
 * What differs between two REST definitions, in words. A definition not known at preview is told
 * by the steps whose arguments are not known yet, typically a component registered again in the
 * same update.
 */
function definitionReasons(olds: unknown, news: unknown, jobs?: Record<string, Record<string, unknown>>): string[] {
  if (news === UNKNOWN || hasUnknown(news)) {
    const steps = isObject(jobs) ? Object.entries(jobs).filter(([, step]) => hasUnknown(step)) : [];
    if (steps.length === 0) return ["the pipeline's definition (not known until apply)"];
    return steps.map(([name, step]) => (isObject(step) && step.component === UNKNOWN ? `step "${name}": its component (a new version, registered in this update)` : `step "${name}" (not known until apply)`));
  }
  if (sameJson(olds, news)) return [];
  const o = (isObject(olds) ? olds : {}) as Record<string, unknown>;
  const n = (isObject(news) ? news : {}) as Record<string, unknown>;
  const reasons: string[] = [];
  const oJobs = (isObject(o.jobs) ? o.jobs : {}) as Record<string, Record<string, unknown>>;
  const nJobs = (isObject(n.jobs) ? n.jobs : {}) as Record<string, Record<string, unknown>>;
  for (const step of [...new Set([...Object.keys(oJobs), ...Object.keys(nJobs)])]) {
    const [a, b] = [oJobs[step], nJobs[step]];
    if (!a) reasons.push(`step "${step}" added`);
    else if (!b) reasons.push(`step "${step}" removed`);
    else if (a.componentId !== b.componentId) reasons.push(`step "${step}": component ${shortComponent(String(a.componentId))} -> ${shortComponent(String(b.componentId))}`);
    else if (!sameJson(a, b)) reasons.push(`step "${step}"`);
  }
  const oInputs = (isObject(o.inputs) ? o.inputs : {}) as Record<string, unknown>;
  const nInputs = (isObject(n.inputs) ? n.inputs : {}) as Record<string, unknown>;
  for (const input of [...new Set([...Object.keys(oInputs), ...Object.keys(nInputs)])]) {
    if (!sameJson(oInputs[input], nInputs[input])) reasons.push(`input "${input}"`);
  }
  for (const key of ["outputs", "settings", "experimentName"]) if (!sameJson(o[key], n[key])) reasons.push(key);
  return reasons.length > 0 ? reasons : ["the pipeline's definition"];
}
