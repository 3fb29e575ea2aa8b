/**
 * One command step (a pipeline's child job, or a standalone command job), run as Azure ML compute
 * runs it: a working copy of its code version (downloaded from the datastore), its inputs and
 * outputs made ready by their modes (`./dataModes`; literals as values), `${{inputs.x}}` /
 * `${{outputs.y}}` substituted in its `command`, the process run in its environment's Python with
 * the variables a step sees (`./stepVariables`), and its log (`user_logs/std_log.txt`) uploaded to
 * the datastore below the job's default output path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BlobStorage } from "../../storage/blobStorage";
import type { AzureMlConfig } from "../config";
import type { Resources } from "../resources";
import { DATA_NAME_RULE, isDataName } from "../dataNames";
import { childPathOf } from "../scope";
import type { JsonObject } from "../state";
import { prepareInput, prepareOutput, type PreparedData } from "./dataModes";
import { downloadFolder, uploadFolder } from "./datastorePaths";
import { defaultOutputUri, locate } from "./stepData";
import { stepPython } from "./stepEnvironment";
import type { ResolvedInput, ResolvedOutput } from "./stepInputs";
import { logTail, startStepProcess, type StepProcess } from "./stepProcess";
import { stepVariables } from "./stepVariables";

/** What a step needs to run. */
export interface CommandStepSpec {
  /** The job the step runs as (its outputs' default folder, `AZUREML_RUN_ID`). */
  readonly childJob: string;
  /** The step's name in the pipeline (the job's name when it is a standalone job). */
  readonly step: string;
  /** The pipeline job it belongs to, or the job itself. */
  readonly rootJob: string;
  /** The job's experiment. */
  readonly experiment: string;
  /** The command, code, environment and variables, with the CLI v2 YAML keys of a component (`command`, `code`, `environment`, `environment_variables`). */
  readonly component: JsonObject;
  /** Its inputs, resolved. */
  readonly inputs: Readonly<Record<string, ResolvedInput>>;
  /** Its outputs, resolved. */
  readonly outputs: Readonly<Record<string, ResolvedOutput>>;
  /** Told when the process starts (`Running`) and when it has ended (`Finalizing`). */
  readonly onPhase: (phase: "Running" | "Finalizing") => void;
  /** The folder the step works in (it exists; the step's processes are marked with it). */
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

/** `${{inputs.x}}` and `${{outputs.y}}`. */
const PLACEHOLDER = /\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_-]+)\s*\}\}/g;

/** `name` when it may name a step's input or output folder; throws otherwise. */
function dataName(kind: "input" | "output", name: string): string {
  if (!isDataName(name)) throw new Error(`${kind} name ${JSON.stringify(name)} is not valid: ${DATA_NAME_RULE}`);
  return name;
}

/** Where a step working in `workDir` writes its log while it runs. */
export function stepLogFile(workDir: string): string {
  return path.join(workDir, "user_logs", "std_log.txt");
}

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
  /** Its log so far (uploaded when the process ends). */
  readonly logFile: string;
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
    const logFile = stepLogFile(workDir);
    const logDir = path.dirname(logFile);
    fs.mkdirSync(codeDir, { recursive: true });
    fs.mkdirSync(logDir, { recursive: true });
    if (typeof component.code === "string") await downloadCode(host, component.code, codeDir);
    const python = await stepPython(host.resources, host.config, component.environment);
    const values: Record<string, string> = {};
    const data: Record<string, string> = {};
    const prepared: PreparedData[] = [];
    for (const [name, input] of Object.entries(spec.inputs)) {
      if (input.kind === "literal") {
        values[`inputs.${name}`] = input.value;
        continue;
      }
      const ready = await prepareInput(host, name, input, path.join(workDir, "inputs", dataName("input", name)));
      prepared.push(ready);
      values[`inputs.${name}`] = data[`AZURE_ML_INPUT_${name}`] = ready.value;
    }
    for (const [name, output] of Object.entries(spec.outputs)) {
      const ready = prepareOutput(host, output, path.join(workDir, "outputs", dataName("output", name)));
      prepared.push(ready);
      values[`outputs.${name}`] = data[`AZURE_ML_OUTPUT_${name}`] = ready.value;
    }
    const command = substituteCommand(String(component.command ?? ""), values);
    if (canceled) throw new Error(`step ${spec.step} was canceled`);
    proc = startStepProcess(command, codeDir, stepVariables(host, spec, python, data), logFile);
    spec.onPhase("Running");
    const code = await proc.exited;
    spec.onPhase("Finalizing");
    const logs = locate(host.resources, host.storage, defaultOutputUri(spec.childJob, "user_logs"));
    await uploadFolder(logs.container, logDir, logs.path);
    if (canceled) throw new Error(`step ${spec.step} was canceled`);
    const finished = await Promise.allSettled(prepared.map((p) => p.finish(code === 0)));
    if (code !== 0) throw new StepFailure(spec.step, code, logTail(logFile));
    const failed = finished.find((f): f is PromiseRejectedResult => f.status === "rejected");
    if (failed) throw failed.reason;
  })();
  return {
    logFile: stepLogFile(spec.workDir),
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
