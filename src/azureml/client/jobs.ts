/**
 * Jobs (`{WS}/jobs`): submit (a synchronous PUT), get, the child jobs of a pipeline job, cancel
 * (202 + `Location`, followed by the one poller) and delete.
 */
import type { Job } from "./types";
import { CallOptions, enc, LroCallOptions, WorkspaceCalls } from "./workspace";

/** The `properties` key naming a child job's pipeline job. */
export const PARENT_RUN_ID = "azureml.parentrunid";
/** The `properties` key naming a child job's step in its pipeline. */
export const NODE_ID = "azureml.nodeid";
/** Job statuses that end a job (azure-ai-ml's terminal group). */
export const TERMINAL_JOB_STATUSES: readonly string[] = ["Completed", "Failed", "Canceled", "NotResponding", "Paused"];

/** True when the job's status ends it. */
export function isJobTerminal(status: string | undefined): boolean {
  return status !== undefined && TERMINAL_JOB_STATUSES.includes(status);
}

/** Jobs of one workspace. */
export class JobsApi {
  constructor(private readonly calls: WorkspaceCalls) {}

  /** Submits a job under `name` (`PUT /jobs/{name}`); the service answers at once, `NotStarted`. */
  submit(name: string, job: Job, opts: LroCallOptions = {}): Promise<Job> {
    return this.calls.put<Job>(`/jobs/${enc(name)}`, `submit job "${name}"`, job, `Azure ML job "${name}"`, opts);
  }

  /** Gets a job. */
  get(name: string, opts: CallOptions = {}): Promise<Job> {
    return this.calls.get<Job>(`/jobs/${enc(name)}`, `get job "${name}"`, opts);
  }

  /** The child jobs of a pipeline job, by step name (`properties["azureml.nodeid"]`). */
  async children(parent: string, opts: CallOptions = {}): Promise<Record<string, Job>> {
    const jobs = await this.calls.list<Job>("/jobs", `list the child jobs of job "${parent}"`, { properties: `${PARENT_RUN_ID}=${parent}` }, opts);
    const mine = jobs.filter((j) => j.properties?.properties?.[PARENT_RUN_ID] === parent && j.name);
    return Object.fromEntries(mine.map((j) => [j.properties?.properties?.[NODE_ID] ?? String(j.name), j]));
  }

  /**
   * Asks for cancellation and waits for the operation (`POST /jobs/{name}/cancel`). After a reset
   * connection or a 5xx the job is read first: `CancelRequested` or ended, the cancel is done and
   * not sent again (its operation is not waited for: the job's own status says when it stops).
   */
  cancel(name: string, opts: LroCallOptions = {}): Promise<void> {
    const ifApplied = async () => {
      const status = (await this.get(name, opts)).properties?.status ?? undefined;
      return status === "CancelRequested" || isJobTerminal(status) ? {} : undefined;
    };
    return this.calls.action(`/jobs/${enc(name)}/cancel`, `cancel job "${name}"`, `Azure ML job "${name}"`, opts, ifApplied);
  }

  /** Deletes a job and waits; false when it was not there. */
  delete(name: string, opts: LroCallOptions = {}): Promise<boolean> {
    return this.calls.delete(`/jobs/${enc(name)}`, `delete job "${name}"`, `Azure ML job "${name}"`, opts);
  }
}
