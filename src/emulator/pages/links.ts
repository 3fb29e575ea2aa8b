/**
 * The paths the pages live at, in the current Databricks UI's form with the workspace id in `?o=`:
 * a run at `/jobs/<job id>/runs/<run id>`, a job at `/jobs/<job id>`, a notebook at
 * `/editor/notebooks/<object id>`. The API's `run_page_url` keeps the service's own form,
 * `/?o=<workspace id>#job/<job id>/run/<run id>`: the landing page at `/` turns its fragment into
 * these paths.
 */
import { EMULATOR_WORKSPACE_ID } from "../databricks/config";

/** The page of a job's runs. */
export function jobPath(jobId: number): string {
  return `/jobs/${jobId}?o=${EMULATOR_WORKSPACE_ID}`;
}

/** The page of a run (or, with a task attempt's run id, of its run with that attempt marked). */
export function runPath(jobId: number, runId: number): string {
  return `/jobs/${jobId}/runs/${runId}?o=${EMULATOR_WORKSPACE_ID}`;
}

/** The page of a notebook. */
export function notebookPath(objectId: number): string {
  return `/editor/notebooks/${objectId}?o=${EMULATOR_WORKSPACE_ID}`;
}

/** A time of the emulator's clock as shown: ISO 8601 in UTC. */
export function timeText(ms: number): string {
  return new Date(ms).toISOString();
}

/** The page listing what is at a datastore URI (`azureml://datastores/<ds>/paths/<p>`). */
export function dataPath(uri: string): string {
  return `/data?uri=${encodeURIComponent(uri)}`;
}

/** The page of an Azure ML job (where its Studio link leads). */
export function amlJobPath(name: string): string {
  return `/runs/${encodeURIComponent(name)}`;
}

/** The index of everything the emulator holds. */
export const INDEX_PATH = "/index";
