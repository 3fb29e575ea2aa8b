/**
 * A standalone command job (`jobType: Command`) run locally, the way a pipeline's step runs
 * (`./stepJob`): its `command`, `codeId`, `environmentId` and `environmentVariables` in place of a
 * component's, its REST `inputs` and `outputs` (outputs without a URI at
 * `azureml/<job>/<output>/`).
 */
import type { JsonObject } from "../state";
import type { RunningStep, StepHost } from "./commandStep";
import { jobProperties, setJobOutputs } from "./jobRecords";
import { guardedMove, type JobRun } from "./jobRun";
import { commandJobInputs, commandJobOutputs } from "./stepInputs";
import { runStepJob, type MoveJob } from "./stepJob";

/** Runs the command job `name`. */
export class CommandJobRun implements JobRun {
  private running: RunningStep | undefined;
  private canceled = false;
  /** Once cancelled, the cancel operation ends the job. */
  private readonly move: MoveJob;

  constructor(
    private readonly host: StepHost,
    private readonly name: string,
  ) {
    this.move = guardedMove(host.resources, () => !this.canceled);
  }

  async run(): Promise<void> {
    const job = jobProperties(this.host.resources, this.name);
    if (!job || this.canceled) return;
    const outputs = commandJobOutputs(job, this.name);
    const given = (job.outputs ?? {}) as Record<string, JsonObject>;
    if (Object.keys(outputs).length > 0) setJobOutputs(this.host.resources, this.name, Object.fromEntries(Object.entries(outputs).map(([o, out]) => [o, { ...given[o], uri: out.uri }])));
    this.running = runStepJob(
      this.host,
      this.name,
      this.name,
      () => ({
        childJob: this.name,
        step: this.name,
        rootJob: this.name,
        experiment: String(job.experimentName ?? "Default"),
        component: { command: job.command, code: job.codeId, environment: job.environmentId, environment_variables: job.environmentVariables },
        inputs: commandJobInputs(job),
        outputs,
      }),
      this.move,
    );
    // Its failure is the job's status.
    await this.running.done.catch(() => undefined);
  }

  cancel(): void {
    this.canceled = true;
    this.running?.cancel();
  }

  stop(): void {
    this.cancel();
  }

  logFile(job: string): string | undefined {
    return job === this.name ? this.running?.logFile : undefined;
  }
}
