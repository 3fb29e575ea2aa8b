import * as pulumi from "@pulumi/pulumi";
import { codeFileHashes } from "../../core/codeFiles";
import { forwardingProvider, MODULE } from "../../../providers";
import { resourceIdentity } from "../../core/resourceOptions";
import type { AmlWorkspaceArgs } from "../shared/workspace";
import { pipelineFile } from "./yaml";

/** One provider instance for every AmlPipelineRun (the serializer caches by object). */
const PROVIDER = forwardingProvider("AmlPipelineRun");

/** A data input: a file or folder of a datastore (`azureml://datastores/<ds>/paths/<p>`) or a URL. */
export interface AmlJobDataInputArgs {
  /** `uri_folder`, `uri_file`, `mltable`, `custom_model`, `mlflow_model` or `triton_model`. */
  readonly type: pulumi.Input<string>;
  /** Where the data is, e.g. `azureml://datastores/workspaceblobstore/paths/raw/`. */
  readonly path: pulumi.Input<string>;
  /** `ro_mount`, `rw_mount`, `download`, `direct`, `eval_mount` or `eval_download`. Default: the service's (`ro_mount`). */
  readonly mode?: pulumi.Input<string>;
}

/** An output: where a step (or the pipeline) writes. */
export interface AmlJobOutputArgs {
  /** `uri_folder` (default), `uri_file`, `mltable`, ... */
  readonly type?: pulumi.Input<string>;
  /** `rw_mount`, `upload` or `direct`. Default: the service's (`rw_mount`). */
  readonly mode?: pulumi.Input<string>;
  /** Where it goes, e.g. `azureml://datastores/workspaceblobstore/paths/results/`. Default: `azureml/<child job>/<output>/` of the default datastore. */
  readonly path?: pulumi.Input<string>;
}

/**
 * A step input: a literal (string, number, boolean), a binding (`${{parent.inputs.<x>}}` or
 * `${{parent.jobs.<step>.outputs.<o>}}`), or a data input.
 */
export type AmlStepInputArgs = string | number | boolean | AmlJobDataInputArgs;

/** One step of the pipeline: a command component and how its inputs and outputs are wired. */
export interface AmlPipelineStepArgs {
  /**
   * The registered component: `azureml:<name>:<version>`, `azureml:<name>@latest` (resolved to the
   * newest version at preview, so a new version shows as the reason to run again), or its ARM id
   * (an AmlComponent's `componentId`; its `reference` works too).
   */
  readonly component: pulumi.Input<string>;
  /** The step's inputs by the component's input names. Default: the component's defaults. */
  readonly inputs?: pulumi.Input<Record<string, pulumi.Input<AmlStepInputArgs>>>;
  /**
   * The step's outputs by the component's output names: `${{parent.outputs.<o>}}` (a pipeline
   * output) or where it goes. Default: `azureml/<child job>/<output>/` of the default datastore.
   */
  readonly outputs?: pulumi.Input<Record<string, pulumi.Input<string | AmlJobOutputArgs>>>;
  /** The compute, `azureml:<name>` or an ARM id. Default: `settings.defaultCompute`. */
  readonly compute?: pulumi.Input<string>;
  /** The step's name in the studio. Default: the step's key. */
  readonly displayName?: pulumi.Input<string>;
}

/** Pipeline settings. */
export interface AmlPipelineSettingsArgs {
  /** The compute of steps that name none, `azureml:<name>` or an ARM id. Default: the file's. */
  readonly defaultCompute?: pulumi.Input<string>;
  /** The datastore outputs go to, `azureml:<name>` or an ARM id. Default: the workspace's default. */
  readonly defaultDatastore?: pulumi.Input<string>;
  /** Let independent steps go on when one fails. Default: `false`. */
  readonly continueOnStepFailure?: pulumi.Input<boolean>;
}

/**
 * Arguments of an {@link AmlPipelineRun}: an AML CLI v2 pipeline job YAML file, typed arguments, or
 * both (arguments win: steps, inputs, outputs and settings by key, the rest whole).
 */
export interface AmlPipelineRunArgs extends AmlWorkspaceArgs {
  /**
   * An Azure ML CLI v2 pipeline job YAML file (`az ml job create -f`), relative to the program's
   * directory; its steps name registered components (`azureml:<name>:<version>`). Read when the
   * program runs, so an edit shows at preview. Plain (not an Input).
   */
  readonly file?: string;
  /** The steps by name. Default: the file's `jobs`. */
  readonly jobs?: pulumi.Input<Record<string, pulumi.Input<AmlPipelineStepArgs>>>;
  /** The pipeline's inputs: literals or data inputs, read by steps as `${{parent.inputs.<x>}}`. Default: the file's. */
  readonly inputs?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean | AmlJobDataInputArgs>>>;
  /** The pipeline's outputs, written by steps bound to `${{parent.outputs.<o>}}`. Default: the file's. */
  readonly outputs?: pulumi.Input<Record<string, pulumi.Input<AmlJobOutputArgs>>>;
  /** Settings: default compute and datastore, continue on step failure. Default: the file's. */
  readonly settings?: pulumi.Input<AmlPipelineSettingsArgs>;
  /** The experiment the job is filed under. Default: the file's `experiment_name`, else the service's (`Default`). A change runs again. */
  readonly experimentName?: pulumi.Input<string>;
  /** The job's name in the studio. Default: the file's `display_name`, else the resource name. A change does not run again. */
  readonly displayName?: pulumi.Input<string>;
  /** The job's description. Default: the file's. A change does not run again. */
  readonly description?: pulumi.Input<string>;
  /** The job's tags. Default: the file's. A change does not run again. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Any change of these values runs the pipeline again. Default: none. */
  readonly triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Local files the steps run that are not part of a component's code, e.g. the notebook a
   * Databricks step runs: hashed when the program runs, so editing one runs the pipeline again and
   * a preview names the file (`codeFiles["notebooks/x.py"]`). Paths are relative to the program's
   * working directory. Plain (not Inputs): read before preview. Default: none.
   */
  readonly codeFiles?: string[];
  /** How long `pulumi up` waits for the job (the engine's customTimeouts do not apply). Default: 24 h. */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** On delete, keep the job in the workspace's history instead of deleting it. Default: `false`. */
  readonly keepHistory?: pulumi.Input<boolean>;
}

/** A step of the job as it ran. */
export interface AmlPipelineRunStep {
  /** The step's child job. */
  jobName: string;
  /** Its status: `Completed` once done. */
  status: string;
  /** Its outputs: where each is (`azureml://` URI) and its https blob URL. */
  outputs: Record<string, AmlPipelineRunOutput>;
}

/** Where an output is. */
export interface AmlPipelineRunOutput {
  /** `azureml://datastores/<ds>/paths/<path>`. */
  uri: string;
  /** The https URL of the blob folder or file, when the datastore is a blob container. */
  url?: string;
}

/**
 * An Azure ML pipeline job that `pulumi up` submits and waits for, printing each step's status
 * changes and the job's studio URL. It runs again only when its definition (steps, inputs,
 * outputs, settings), the component versions it uses or `triggers` change; an interrupted `up`
 * adopts its job; a job that did not complete fails the deployment with the failing step's error
 * and log tail and is recorded, so the next `up` runs it again; delete cancels a running job.
 * Refresh reads the job's status back, and a display name, description or tags changed on it,
 * which the next `up` sets back without a new run; a deleted job is reported and kept in state,
 * not run again.
 */
export class AmlPipelineRun extends pulumi.dynamic.Resource {
  /** The pipeline job's name (also the resource id). */
  declare readonly jobName: pulumi.Output<string>;
  /** `Completed` once done. */
  declare readonly status: pulumi.Output<string>;
  /** The job's page in the Azure ML studio. */
  declare readonly studioUrl: pulumi.Output<string>;
  /** Each step's child job, status and outputs, by step name. */
  declare readonly steps: pulumi.Output<Record<string, AmlPipelineRunStep>>;
  /** The pipeline's outputs by name. */
  declare readonly pipelineOutputs: pulumi.Output<Record<string, AmlPipelineRunOutput>>;
  /** How long the job took on the service's clock, from its creation to its end, in ms (absent while it runs); its next run polls by it. */
  declare readonly durationMs: pulumi.Output<number | undefined>;
  /** The component each step ran, as ARM ids by step name (`@latest` resolved). */
  declare readonly componentIds: pulumi.Output<Record<string, string>>;

  /**
   * Declares a pipeline run; `pulumi up` submits it and waits for it to end.
   * @param name The resource's name, unique in the stack (part of the job's name).
   * @param args The workspace, and the YAML file or the arguments.
   * @param opts Resource options.
   */
  constructor(name: string, args: AmlPipelineRunArgs, opts?: pulumi.CustomResourceOptions) {
    const { file, codeFiles, ...rest } = args;
    super(
      PROVIDER,
      name,
      {
        ...pipelineFile(file),
        ...rest,
        identity: resourceIdentity(name),
        codeFiles: codeFilesOf(name, codeFiles),
        jobName: undefined,
        status: undefined,
        studioUrl: undefined,
        steps: undefined,
        pipelineOutputs: undefined,
        durationMs: undefined,
        componentIds: undefined,
      },
      opts,
      MODULE,
      "AmlPipelineRun",
    );
  }
}


/** Each code file's content hash by its path relative to the program; a file that cannot be read fails at once, naming it. */
function codeFilesOf(name: string, files: string[] | undefined): Record<string, string> | undefined {
  if (files === undefined || files.length === 0) return undefined;
  const hashes = codeFileHashes(files);
  if (!hashes) throw new Error(`AmlPipelineRun "${name}": codeFiles must be at most 200 readable files, relative to the program's directory; check ${files.join(", ")}.`);
  return hashes;
}
