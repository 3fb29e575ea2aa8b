/**
 * One command step of a pipeline, run as Azure ML compute runs it: a working copy of the
 * component's code version (downloaded from the datastore), its inputs materialised as local
 * folders or files (literals as values), `${{inputs.x}}` / `${{outputs.y}}` substituted in the
 * component's `command`, the process run in its environment's Python with the variables a step
 * sees, and its outputs (and its log, `user_logs/std_log.txt`) uploaded to the datastore at their
 * bound or default paths.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BlobStorage } from "../../storage/blobStorage";
import type { AzureMlConfig } from "../config";
import type { Resources } from "../resources";
import { childPathOf } from "../scope";
import type { JsonObject } from "../state";
import { downloadFolder, uploadFolder } from "./datastorePaths";
import { defaultOutputUri, locate } from "./stepData";
import { stepPython } from "./stepEnvironment";
import { logTail, startStepProcess, type StepProcess } from "./stepProcess";

/** A step input once its binding is resolved: a literal value or a datastore URI. */
export type ResolvedInput = { readonly kind: "literal"; readonly value: string } | { readonly kind: "uri"; readonly uri: string; readonly type: string };

/** What a step needs to run. */
export interface CommandStepSpec {
  /** The child job's name (its outputs' default folder). */
  readonly childJob: string;
  /** The step's name in the pipeline. */
  readonly step: string;
  /** The component's spec (CLI v2 YAML keys). */
  readonly component: JsonObject;
  /** Its inputs, resolved. */
  readonly inputs: Readonly<Record<string, ResolvedInput>>;
  /** The URIs its outputs go to (`resolveOutputs`). */
  readonly outputs: Readonly<Record<string, string>>;
  /** Told when the process starts (`Running`) and when it has ended (`Finalizing`). */
  readonly onPhase: (phase: "Running" | "Finalizing") => void;
  /** The folder the step works in (made here). */
  readonly workDir: string;
}

/** What the step's run needs from the emulator. */
export interface StepHost {
  readonly resources: Resources;
  readonly storage: BlobStorage;
  readonly config: AzureMlConfig;
  /** Variables every step gets (managed identity, trust of the emulator's CA). */
  readonly env: () => Record<string, string>;
}

/** A step that ended with a non-zero exit code. */
export class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly exitCode: number,
    readonly tail: string,
  ) {
    super(`step ${step} failed with exit code ${exitCode}; the end of its log:\n${tail}`);
    this.name = "StepFailure";
  }
}

/** The variables kept from the emulator's own environment (nothing secret). */
const KEPT_ENV = ["HOME", "LANG", "LC_ALL", "TMPDIR", "TZ"];

/** `${{inputs.x}}` and `${{outputs.y}}`. */
const PLACEHOLDER = /\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_-]+)\s*\}\}/g;

/** `$[[ ... ]]`: a part of the command kept only when every input it names has a value (optional inputs). */
const OPTIONAL_PART = /\$\[\[([\s\S]*?)\]\]/g;

/** The command with its optional parts resolved and its placeholders substituted. */
export function substituteCommand(command: string, values: Readonly<Record<string, string>>): string {
  const given = (part: string) => [...part.matchAll(PLACEHOLDER)].every(([, kind, name]) => values[`${kind}.${name}`] !== undefined);
  return command
    .replace(OPTIONAL_PART, (_whole, part: string) => (given(part) ? part : ""))
    .replace(PLACEHOLDER, (whole, kind: string, name: string) => values[`${kind}.${name}`] ?? whole);
}

/** A running step. */
export interface RunningStep {
  /** Resolves once its outputs are uploaded; rejects ({@link StepFailure} when the command failed). */
  readonly done: Promise<void>;
  /** Kills the process if it runs. */
  cancel(): void;
}

/** Runs the step. */
export function runCommandStep(host: StepHost, spec: CommandStepSpec): RunningStep {
  let proc: StepProcess | undefined;
  let canceled = false;
  const done = (async () => {
    const { component, workDir } = spec;
    const codeDir = path.join(workDir, "wd");
    const logDir = path.join(workDir, "user_logs");
    fs.mkdirSync(codeDir, { recursive: true });
    fs.mkdirSync(logDir, { recursive: true });
    if (typeof component.code === "string") await downloadCode(host, component.code, codeDir);
    const python = await stepPython(host.resources, host.config, component.environment);
    const values: Record<string, string> = {};
    const env: Record<string, string> = {};
    for (const [name, input] of Object.entries(spec.inputs)) {
      values[`inputs.${name}`] = input.kind === "literal" ? input.value : await materialise(host, input, path.join(workDir, "inputs", name));
      if (input.kind === "uri") env[`AZURE_ML_INPUT_${name}`] = values[`inputs.${name}`];
    }
    for (const name of Object.keys(spec.outputs)) {
      const dir = path.join(workDir, "outputs", name);
      fs.mkdirSync(dir, { recursive: true });
      values[`outputs.${name}`] = dir;
      env[`AZURE_ML_OUTPUT_${name}`] = dir;
    }
    const command = substituteCommand(String(component.command ?? ""), values);
    const logFile = path.join(logDir, "std_log.txt");
    if (canceled) throw new Error(`step ${spec.step} was canceled`);
    proc = startStepProcess(command, codeDir, stepEnv(host, spec, python, env), logFile);
    spec.onPhase("Running");
    const code = await proc.exited;
    spec.onPhase("Finalizing");
    const logs = locate(host.resources, host.storage, defaultOutputUri(spec.childJob, "user_logs"));
    await uploadFolder(logs.container, logDir, logs.path);
    if (canceled) throw new Error(`step ${spec.step} was canceled`);
    if (code !== 0) throw new StepFailure(spec.step, code, logTail(logFile));
    for (const [name, uri] of Object.entries(spec.outputs)) {
      const to = locate(host.resources, host.storage, uri);
      await uploadFolder(to.container, path.join(workDir, "outputs", name), to.path);
    }
  })();
  return {
    done,
    cancel: () => {
      canceled = true;
      proc?.kill();
    },
  };
}

/** Downloads the code version `reference` names into `dir`. */
async function downloadCode(host: StepHost, reference: string, dir: string): Promise<void> {
  const child = childPathOf(reference, host.config);
  const code = child ? host.resources.find(child) : undefined;
  if (!code) throw new Error(`the code ${reference} does not exist in the workspace`);
  const from = locate(host.resources, host.storage, String((code.body.properties as JsonObject).codeUri));
  await downloadFolder(from.container, from.path, dir);
}

/** Downloads a uri input into `dir`; the path the command gets (the file itself for a `uri_file`). */
async function materialise(host: StepHost, input: Extract<ResolvedInput, { kind: "uri" }>, dir: string): Promise<string> {
  const from = locate(host.resources, host.storage, input.uri);
  if (input.type !== "uri_file") {
    await downloadFolder(from.container, from.path, dir);
    return dir;
  }
  const file = path.join(dir, path.posix.basename(from.path));
  fs.mkdirSync(dir, { recursive: true });
  await from.container.getBlockBlobClient(from.path).downloadToFile(file);
  return file;
}

/** The variables the step's process sees, as on Azure ML compute. */
function stepEnv(host: StepHost, spec: CommandStepSpec, python: string, data: Record<string, string>): NodeJS.ProcessEnv {
  const { config } = host;
  const kept = Object.fromEntries(KEPT_ENV.filter((k) => process.env[k] !== undefined).map((k) => [k, String(process.env[k])]));
  const own = (spec.component.environment_variables ?? {}) as Record<string, string>;
  return {
    ...kept,
    // The environment's `python` and `pip` first, as in the step's image.
    PATH: `${path.dirname(python)}${path.delimiter}${process.env.PATH ?? ""}`,
    PYTHONUNBUFFERED: "1",
    ...host.env(),
    AZUREML_RUN_ID: spec.childJob,
    AZUREML_ARM_SUBSCRIPTION: config.subscriptionId,
    AZUREML_ARM_RESOURCEGROUP: config.resourceGroup,
    AZUREML_ARM_WORKSPACE_NAME: config.workspace,
    AZUREML_CR_EXECUTION_WORKING_DIR_PATH: path.join(spec.workDir, "wd"),
    ...data,
    ...Object.fromEntries(Object.entries(own).map(([k, v]) => [k, String(v)])),
  };
}
