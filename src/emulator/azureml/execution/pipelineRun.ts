/**
 * One pipeline job run locally: a child job per step, steps started in dependency order (up to
 * {@link MAX_PARALLEL_STEPS} at once), statuses moved on the parent and each child, the pipeline's
 * outputs given their paths (`azureml/<pipeline job>/<output>/` unless set) before any step writes
 * to them. A failing step fails its child and the pipeline with its exit code and log tail, and no
 * further step starts; cancellation kills the running steps.
 *
 * A pipeline the emulator was stopped in the middle of resumes: steps whose child job completed
 * are kept (their outputs read by the steps after them), a child not started yet is started, and a
 * child that was running ends `Failed` (its compute node was lost) while the step runs again as a
 * new child job.
 */
import { randomUUID } from "node:crypto";
import { TERMINAL_JOB_STATUSES } from "../operations";
import { childPathOf } from "../scope";
import type { JsonObject } from "../state";
import { dependencyGraph } from "./bindings";
import type { RunningStep, StepHost } from "./commandStep";
import { childJobsOf, createChildJob, jobProperties, setJobOutputs } from "./jobRecords";
import { guardedMove, type JobRun } from "./jobRun";
import { defaultOutputUri } from "./stepData";
import { defaultDatastoreOf, resolveInputs, resolveOutputs, type ResolvedOutput } from "./stepInputs";
import { runStepJob, type MoveJob } from "./stepJob";

/** How many steps of one pipeline run at once. */
export const MAX_PARALLEL_STEPS = 4;

/** A step to run: its child job and component. */
interface StepPlan {
  readonly child: string;
  readonly definition: JsonObject;
  readonly component: JsonObject;
  /** Where its outputs go. */
  readonly outputs: Record<string, ResolvedOutput>;
}

/** Runs the pipeline job `name`. */
export class PipelineRun implements JobRun {
  private readonly running = new Map<string, RunningStep>();
  private canceled = false;
  private stopped = false;
  /** Once the emulator stops, nothing more is written. */
  private readonly move: MoveJob;

  constructor(
    private readonly host: StepHost,
    private readonly name: string,
  ) {
    this.move = guardedMove(host.resources, () => !this.stopped);
  }

  async run(): Promise<void> {
    try {
      await this.runSteps();
      if (!this.canceled) {
        this.move(this.name, "Finalizing");
        this.move(this.name, "Completed");
      }
    } catch (err) {
      // A cancelled run's steps fail as they are killed; the pipeline is Canceled, not Failed.
      if (!this.canceled) this.move(this.name, "Failed", err instanceof Error ? err.message : String(err));
    }
  }

  cancel(): void {
    this.canceled = true;
    this.cancelRunningSteps();
  }

  logFile(job: string): string | undefined {
    return this.running.get(job)?.logFile;
  }

  /** Kills the running steps; their jobs end `Canceled`. */
  private cancelRunningSteps(): void {
    for (const [child, step] of this.running) {
      this.move(child, "Canceled");
      step.cancel();
    }
  }

  stop(): void {
    this.stopped = this.canceled = true;
    for (const step of this.running.values()) step.cancel();
  }

  private async runSteps(): Promise<void> {
    const found = jobProperties(this.host.resources, this.name);
    if (!found || this.canceled) return;
    this.move(this.name, "Preparing");
    const jobs = (found.jobs ?? {}) as Record<string, JsonObject>;
    const graph = dependencyGraph(jobs);
    const parent = this.withOutputPaths(found);
    const finished = new Map<string, Record<string, ResolvedOutput>>();
    const plans = new Map<string, StepPlan>();
    for (const [step, definition] of Object.entries(jobs)) {
      let plan;
      try {
        plan = this.plan(parent, step, definition);
      } catch (err) {
        throw new Error(`step ${step} could not run: ${err instanceof Error ? err.message : String(err)}`);
      }
      if ("child" in plan) plans.set(step, plan);
      else finished.set(step, plan.kept);
    }
    this.move(this.name, "Running");
    const active = new Map<string, Promise<string>>();
    for (;;) {
      if (this.canceled) return;
      for (const [step, deps] of graph) {
        if (finished.has(step) || active.has(step) || active.size >= MAX_PARALLEL_STEPS || !deps.every((d) => finished.has(d))) continue;
        active.set(step, this.runStep(parent, step, plans.get(step) as StepPlan, finished).then(() => step));
      }
      if (active.size === 0) return;
      let done: string;
      try {
        done = await Promise.race(active.values());
      } catch (err) {
        // The other running steps end with the pipeline.
        this.cancelRunningSteps();
        await Promise.allSettled(active.values());
        throw err;
      }
      active.delete(done);
      finished.set(done, (plans.get(done) as StepPlan).outputs);
    }
  }

  /** The pipeline's properties with a path for each of its outputs (written on the job). */
  private withOutputPaths(parent: JsonObject): JsonObject {
    const datastore = defaultDatastoreOf(parent.settings);
    const given = (parent.outputs ?? {}) as Record<string, JsonObject>;
    const outputs = Object.fromEntries(Object.entries(given).map(([name, o]) => [name, { ...o, uri: typeof o?.uri === "string" && o.uri !== "" ? o.uri : defaultOutputUri(this.name, name, datastore) }]));
    if (Object.keys(outputs).length > 0) setJobOutputs(this.host.resources, this.name, outputs);
    return { ...parent, outputs };
  }

  /**
   * The step's plan: a new child job (`NotStarted`), or the one an earlier emulator made and did not
   * start; or, when an earlier emulator completed the step, its outputs.
   */
  private plan(parent: JsonObject, step: string, definition: JsonObject): StepPlan | { kept: Record<string, ResolvedOutput> } {
    const { resources, config } = this.host;
    const attempts = childJobsOf(resources, this.name, step);
    const last = attempts[attempts.length - 1];
    const lastStatus = String(last?.properties.status);
    if (last && lastStatus === "Completed") {
      const recorded = (last.properties.outputs ?? {}) as Record<string, JsonObject>;
      return { kept: Object.fromEntries(Object.entries(recorded).map(([o, r]) => [o, { uri: String(r.uri), mode: "rw_mount" as const }])) };
    }
    const componentPath = typeof definition.componentId === "string" ? childPathOf(definition.componentId, config) : undefined;
    const component = componentPath ? resources.find(componentPath) : undefined;
    if (!component) throw new Error(`its component ${String(definition.componentId)} is not in the workspace`);
    const spec = (component.body.properties as JsonObject).componentSpec as JsonObject;
    const child = last && lastStatus === "NotStarted" ? last.name : randomUUID();
    const outputs = resolveOutputs(definition, spec, { name: this.name, properties: parent }, child);
    if (last && !TERMINAL_JOB_STATUSES.includes(lastStatus) && child !== last.name) {
      this.move(last.name, "Failed", `the compute node running step ${step} was lost (the emulator stopped); the step runs again as job ${child}`);
    }
    if (child !== last?.name) {
      const settings = (parent.settings ?? {}) as JsonObject;
      createChildJob(resources, child, this.name, step, {
        componentId: definition.componentId,
        computeId: definition.compute ?? settings.default_compute ?? null,
        command: spec.command,
        outputs: Object.fromEntries(Object.entries(outputs).map(([o, out]) => [o, { jobOutputType: "uri_folder", uri: out.uri }])),
      });
    }
    return { child, definition, component: spec, outputs };
  }

  /** Runs one step; throws the failure that fails the pipeline. */
  private async runStep(parent: JsonObject, step: string, plan: StepPlan, finished: ReadonlyMap<string, Record<string, ResolvedOutput>>): Promise<void> {
    const running = runStepJob(
      this.host,
      plan.child,
      step,
      () => ({
        childJob: plan.child,
        step,
        rootJob: this.name,
        experiment: String(parent.experimentName ?? "Default"),
        component: plan.component,
        inputs: resolveInputs(plan.definition, plan.component, parent, finished),
        outputs: plan.outputs,
      }),
      this.move,
    );
    this.running.set(plan.child, running);
    try {
      await running.done;
    } finally {
      this.running.delete(plan.child);
    }
  }
}
