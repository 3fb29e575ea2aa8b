/** The pipeline's downstream steps: each a registered component, or one registered from its YAML file with its environment. */
import * as pulumi from "@pulumi/pulumi";
import { AmlComponent } from "../azureml/component/amlComponent";
import { AmlEnvironment } from "../azureml/environment/amlEnvironment";
import type { AmlJobOutputArgs, AmlPipelineStepArgs, AmlStepInputArgs } from "../azureml/pipelineRun/amlPipelineRun";
import type { AmlWorkspaceArgs } from "../azureml/shared/workspace";
import { readYamlFile } from "../azureml/shared/yamlFile";

/** The Databricks step's name in the pipeline job. */
export const DATABRICKS_STEP = "databricks";

/** A downstream step's input bound to the folder the notebook wrote (the Databricks step's `output_path`). */
export const DATABRICKS_OUTPUT = `\${{parent.jobs.${DATABRICKS_STEP}.outputs.output_path}}`;

/** An environment registered for a downstream step's component. */
export interface DatabricksPipelineEnvironmentArgs {
  /** An Azure ML CLI v2 environment YAML file (`az ml environment create -f`), relative to the program's directory. Plain. */
  readonly file: string;
  /** The version. Default: the file's `version`, else `1`. */
  readonly version?: pulumi.Input<string>;
}

/** A step that runs after the Databricks step: give `component`, or `file` (with `environment` as needed). */
export interface DatabricksPipelineStepArgs {
  /** A registered command component, `azureml:<name>:<version>` (e.g. an `AmlComponent`'s `reference`). Exclusive with `file`. */
  readonly component?: pulumi.Input<string>;
  /**
   * A command component YAML file (`az ml component create -f`), relative to the program's
   * directory, registered as a child `AmlComponent`. Exclusive with `component`. Plain.
   */
  readonly file?: string;
  /**
   * The version `file` registers. Default: the file's `version`, else one derived from the content
   * (so an edited component or its code registers a new version and the pipeline runs again).
   */
  readonly version?: pulumi.Input<string>;
  /** The environment `file`'s component runs in, registered as a child `AmlEnvironment`. Default: the file's `environment:`. */
  readonly environment?: DatabricksPipelineEnvironmentArgs;
  /**
   * The step's inputs by the component's input names: literals, data inputs or bindings; bind the
   * notebook's output folder with {@link DATABRICKS_OUTPUT}. Default: the component's defaults.
   */
  readonly inputs?: pulumi.Input<Record<string, pulumi.Input<AmlStepInputArgs>>>;
  /** The step's outputs by the component's output names. Default: `azureml/<child job>/<output>/` of the default datastore. */
  readonly outputs?: pulumi.Input<Record<string, pulumi.Input<string | AmlJobOutputArgs>>>;
  /** The step's compute, `azureml:<name>`. Default: the pipeline's `compute`. */
  readonly compute?: pulumi.Input<string>;
}

/** The child resources a file-based step registers. */
export interface DownstreamResources {
  environment?: AmlEnvironment;
  component?: AmlComponent;
}

/**
 * The pipeline step for `step`, registering its environment and component first when it names a
 * file; `resources` receives them.
 */
export function downstreamStep(pipeline: string, key: string, step: DatabricksPipelineStepArgs, ws: AmlWorkspaceArgs, opts: pulumi.CustomResourceOptions, resources: DownstreamResources): AmlPipelineStepArgs {
  if ((step.component === undefined) === (step.file === undefined)) {
    throw new Error(`DatabricksPipeline "${pipeline}": steps.${key} needs exactly one of component (a registered component, azureml:<name>:<version>) and file (a component YAML file).`);
  }
  let component = step.component;
  if (step.file !== undefined) {
    if (step.environment) {
      resources.environment = new AmlEnvironment(`${pipeline}-${key}-env`, { ...ws, file: step.environment.file, version: step.environment.version ?? fileVersion(step.environment.file) ?? "1" }, opts);
    }
    const version = step.version ?? fileVersion(step.file);
    resources.component = new AmlComponent(
      `${pipeline}-${key}`,
      { ...ws, file: step.file, version, versionFromContent: version === undefined, environment: resources.environment?.reference },
      opts,
    );
    component = resources.component.reference;
  }
  return { component: component!, inputs: step.inputs, outputs: step.outputs, compute: step.compute };
}

/** The `version` a YAML file declares, if any. */
function fileVersion(file: string): string | undefined {
  const version = readYamlFile(file, "the step's YAML file").doc.version;
  return version === undefined || version === null ? undefined : String(version);
}
