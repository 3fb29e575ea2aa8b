/**
 * The environment variables a step's process sees, as on Azure ML compute (design note §3.3): the
 * run context (`AZUREML_RUN_ID`, `AZUREML_ARM_*`, `AZUREML_ROOT_RUN_ID`, the workspace's id and
 * scopes, `AZUREML_CR_*`), MLflow's (`MLFLOW_TRACKING_URI` the workspace's tracking URI,
 * `MLFLOW_RUN_ID` the job's name, as Azure ML makes them the same, `MLFLOW_EXPERIMENT_NAME`), the
 * data paths (`AZURE_ML_INPUT_*`, `AZURE_ML_OUTPUT_*`), the emulator's (managed identity, trust of
 * its CA), then the step's own. Service endpoints and run tokens are not given: nothing here
 * serves run history.
 */
import * as path from "node:path";
import { EXECUTION_DIR_ENV } from "../../execution/workDirs";
import { trackingUri } from "../jobs";
import { workspaceArmId } from "../scope";
import type { CommandStepSpec, StepHost } from "./commandStep";

/** The variables kept from the emulator's own environment (nothing secret). */
const KEPT_ENV = ["HOME", "LANG", "LC_ALL", "TMPDIR", "TZ"];

/** The variables of the step's process; `data` holds its input and output paths. */
export function stepVariables(host: StepHost, spec: CommandStepSpec, python: string, data: Record<string, string>): NodeJS.ProcessEnv {
  const { config } = host;
  const kept = Object.fromEntries(KEPT_ENV.filter((k) => process.env[k] !== undefined).map((k) => [k, String(process.env[k])]));
  const own = (spec.component.environment_variables ?? {}) as Record<string, unknown>;
  const workspaceId = host.resources.store.read((s) => s.workspaceId);
  const workspaceScope = workspaceArmId(config);
  const workingDir = path.join(spec.workDir, "wd");
  const context = {
    subscription_id: config.subscriptionId,
    resource_group: config.resourceGroup,
    workspace_name: config.workspace,
    workspace_id: workspaceId,
    experiment_name: spec.experiment,
    root_run_id: spec.rootJob,
    run_id: spec.childJob,
  };
  return {
    ...kept,
    // The environment's `python` and `pip` first, as in the step's image.
    PATH: `${path.dirname(python)}${path.delimiter}${process.env.PATH ?? ""}`,
    PYTHONUNBUFFERED: "1",
    [EXECUTION_DIR_ENV]: spec.workDir,
    ...host.env(),
    AZUREML_RUN_ID: spec.childJob,
    AZUREML_ROOT_RUN_ID: spec.rootJob,
    AZUREML_ARM_SUBSCRIPTION: config.subscriptionId,
    AZUREML_ARM_RESOURCEGROUP: config.resourceGroup,
    AZUREML_ARM_WORKSPACE_NAME: config.workspace,
    AZUREML_ARM_PROJECT_NAME: spec.experiment,
    AZUREML_WORKSPACE_ID: workspaceId,
    AZUREML_WORKSPACE_SCOPE: workspaceScope,
    AZUREML_EXPERIMENT_SCOPE: `${workspaceScope}/experiments/${spec.experiment}`,
    AZUREML_CR_EXECUTION_WORKING_DIR_PATH: workingDir,
    AZUREML_CR_AZUREML_CONTEXT: JSON.stringify(context),
    MLFLOW_TRACKING_URI: trackingUri(config),
    MLFLOW_RUN_ID: spec.childJob,
    MLFLOW_EXPERIMENT_NAME: spec.experiment,
    ...data,
    ...Object.fromEntries(Object.entries(own).map(([k, v]) => [k, String(v)])),
  };
}
