/** Jobs 2.1: one-time runs (`runs/*`) and jobs. Each method is one REST call. */
import type { CallOptions, DatabricksHttpClient } from "./httpClient";
import type { Job, JobCreateRequest, JobResetRequest, JobsListParams, JobsListResponse, JobUpdateRequest, Run, RunIdResponse, RunNowRequest, RunOutput, RunsListParams, RunsListResponse, RunSubmitRequest } from "./types";

const JOBS = "/api/2.1/jobs";

/** Jobs 2.1: one-time runs and jobs. */
export class JobsApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /**
   * Submits a one-time run (`POST /api/2.1/jobs/runs/submit`). Retried on 500/502/504 and network
   * errors only when `idempotency_token` is set (the service then returns the same run).
   */
  runsSubmit(req: RunSubmitRequest, opts: CallOptions = {}): Promise<RunIdResponse> {
    const name = req.run_name ? ` "${req.run_name}"` : "";
    return this.client.request({ method: "POST", path: `${JOBS}/runs/submit`, body: req, operation: `submit run${name}`, idempotent: !!req.idempotency_token, ...opts });
  }

  /** Gets a run with its state and task runs (`GET runs/get`). A missing run is 400 "Run N does not exist". */
  runsGet(runId: number, params: { include_history?: boolean } = {}, opts: CallOptions = {}): Promise<Run> {
    return this.client.request({ method: "GET", path: `${JOBS}/runs/get`, query: { run_id: runId, ...params }, operation: `get run ${runId}`, ...opts });
  }

  /** Gets the output of one task run (`GET runs/get-output`); pass a task's `run_id`, not a multi-task parent's. */
  runsGetOutput(runId: number, opts: CallOptions = {}): Promise<RunOutput> {
    return this.client.request({ method: "GET", path: `${JOBS}/runs/get-output`, query: { run_id: runId }, operation: `get output of run ${runId}`, ...opts });
  }

  /** Requests cancellation of a run (`POST runs/cancel`); asynchronous: poll `runsGet` until terminal. */
  async runsCancel(runId: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/runs/cancel`, body: { run_id: runId }, operation: `cancel run ${runId}`, idempotent: true, ...opts });
  }

  /** Deletes a non-active run (`POST runs/delete`). */
  async runsDelete(runId: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/runs/delete`, body: { run_id: runId }, operation: `delete run ${runId}`, idempotent: true, ...opts });
  }

  /** Lists runs, most recent first (`GET runs/list`). */
  runsList(params: RunsListParams = {}, opts: CallOptions = {}): Promise<RunsListResponse> {
    return this.client.request({ method: "GET", path: `${JOBS}/runs/list`, query: { ...params }, operation: "list runs", ...opts });
  }

  /**
   * Creates a job (`POST jobs/create`). The service takes no idempotency token here and names need
   * not be unique, so the jobs of the name are listed first: after a reset connection or a 5xx,
   * one job of the name that was not there before means the create was applied, and it is the
   * result (a repeat would make a second job); none means it is sent again. Several new ones (a
   * create of the same name from elsewhere) leave it unknown: the call fails with its own error.
   */
  async jobsCreate(req: JobCreateRequest, opts: CallOptions = {}): Promise<{ job_id: number }> {
    const name = req.name ? ` "${req.name}"` : "";
    const before = new Set((await this.jobsNamed(req.name, opts)).map((j) => j.job_id));
    const ifApplied = async () => {
      const made = (await this.jobsNamed(req.name, opts)).filter((j) => !before.has(j.job_id));
      if (made.length > 1) throw new Error(`${made.length} new jobs named${name}`);
      return made.length === 1 ? { job_id: made[0].job_id } : undefined;
    };
    return this.client.request({ method: "POST", path: `${JOBS}/create`, body: req, operation: `create job${name}`, ifApplied, ...opts });
  }

  /** Every job named `name` (any case, as `jobs/list` matches it), or every job when `name` is not given; all pages. */
  private async jobsNamed(name: string | undefined, opts: CallOptions): Promise<Job[]> {
    const jobs: Job[] = [];
    for (let pageToken: string | undefined; ; ) {
      const page = await this.jobsList({ limit: 100, ...(name && { name }), ...(pageToken && { page_token: pageToken }) }, opts);
      jobs.push(...(page.jobs ?? []));
      if (!page.has_more || !page.next_page_token) return jobs;
      pageToken = page.next_page_token;
    }
  }

  /** Gets a job (`GET jobs/get`). */
  jobsGet(jobId: number, opts: CallOptions = {}): Promise<Job> {
    return this.client.request({ method: "GET", path: `${JOBS}/get`, query: { job_id: jobId }, operation: `get job ${jobId}`, ...opts });
  }

  /** Lists jobs (`GET jobs/list`). */
  jobsList(params: JobsListParams = {}, opts: CallOptions = {}): Promise<JobsListResponse> {
    return this.client.request({ method: "GET", path: `${JOBS}/list`, query: { ...params }, operation: "list jobs", ...opts });
  }

  /** Replaces all settings of a job (`POST jobs/reset`). */
  async jobsReset(req: JobResetRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/reset`, body: req, operation: `reset job ${req.job_id}`, idempotent: true, ...opts });
  }

  /** Replaces top-level settings of a job and removes `fields_to_remove` (`POST jobs/update`). */
  async jobsUpdate(req: JobUpdateRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/update`, body: req, operation: `update job ${req.job_id}`, idempotent: true, ...opts });
  }

  /** Deletes a job (`POST jobs/delete`). */
  async jobsDelete(jobId: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/delete`, body: { job_id: jobId }, operation: `delete job ${jobId}`, idempotent: true, ...opts });
  }

  /** Triggers a run of a job (`POST jobs/run-now`); retried like `runsSubmit` when `idempotency_token` is set. */
  runNow(req: RunNowRequest, opts: CallOptions = {}): Promise<RunIdResponse> {
    return this.client.request({ method: "POST", path: `${JOBS}/run-now`, body: req, operation: `run job ${req.job_id}`, idempotent: !!req.idempotency_token, ...opts });
  }
}
