/**
 * One pipeline job run locally: a child job per step, steps started in dependency order (up to
 * {@link MAX_PARALLEL_STEPS} at once), statuses moved on the parent and each child. A failing step
 * fails its child and the pipeline with its exit code and log tail, and no further step starts;
 * cancellation kills the running steps.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { childPathOf } from "../scope";
import type { JsonObject } from "../state";
import { dependencyGraph } from "./bindings";
import { runCommandStep, StepFailure, type RunningStep, type StepHost } from "./commandStep";
import { createChildJob, jobProperties, moveJob } from "./jobRecords";
import { resolveInputs, resolveOutputs } from "./stepInputs";

/** How many steps of one pipeline run at once. */
export const MAX_PARALLEL_STEPS = 4;

/** A step ready to run: its child job and component. */
interface StepPlan {
  readonly child: string;
  readonly definition: JsonObject;
  readonly component: JsonObject;
  /** Where its outputs go. */
  readonly outputs: Record<string, string>;
}

/** Runs the pipeline job `name` in `workDir` (removed at the end). */
export class PipelineRun {
  private readonly running = new Map<string, RunningStep>();
  private canceled = false;

  constructor(
    private readonly host: StepHost,
    private readonly name: string,
    private readonly workDir: string,
  ) {}

  /** Runs it to its end; never rejects (a failure is the job's status). */
  async run(): Promise<void> {
    const { resources } = this.host;
    try {
      await this.runSteps();
      if (!this.canceled) {
        moveJob(resources, this.name, "Finalizing");
        moveJob(resources, this.name, "Completed");
      }
    } catch (err) {
      // A cancelled run's steps fail as they are killed; the pipeline is Canceled, not Failed.
      if (!this.canceled) moveJob(resources, this.name, "Failed", err instanceof Error ? err.message : String(err));
    } finally {
      fs.rmSync(this.workDir, { recursive: true, force: true });
    }
  }

  /**
   * Kills the running steps, whose children end `Canceled`; the pipeline ends `Canceled` when its
   * cancel operation completes, or now with `now` (the emulator stops).
   */
  cancel(now = false): void {
    this.canceled = true;
    for (const [child, step] of this.running) {
      step.cancel();
      moveJob(this.host.resources, child, "Canceled");
    }
    if (now) moveJob(this.host.resources, this.name, "Canceled");
  }

  private async runSteps(): Promise<void> {
    const { resources } = this.host;
    const parent = jobProperties(resources, this.name);
    if (!parent || this.canceled) return;
    moveJob(resources, this.name, "Preparing");
    const jobs = (parent.jobs ?? {}) as Record<string, JsonObject>;
    const graph = dependencyGraph(jobs);
    const plans = new Map(Object.entries(jobs).map(([step, definition]) => [step, this.plan(parent, step, definition)]));
    moveJob(resources, this.name, "Running");
    const outputs = new Map<string, Record<string, string>>();
    const started = new Set<string>();
    const active = new Map<string, Promise<string>>();
    for (;;) {
      if (this.canceled) return;
      for (const [step, deps] of graph) {
        if (started.has(step) || active.size >= MAX_PARALLEL_STEPS || !deps.every((d) => outputs.has(d))) continue;
        started.add(step);
        const plan = plans.get(step) as StepPlan;
        active.set(step, this.runStep(parent, step, plan, outputs).then(() => step));
      }
      if (active.size === 0) return;
      let finished: string;
      try {
        finished = await Promise.race(active.values());
      } catch (err) {
        // The other running steps end with the pipeline.
        for (const step of this.running.values()) step.cancel();
        await Promise.allSettled(active.values());
        throw err;
      }
      active.delete(finished);
      outputs.set(finished, (plans.get(finished) as StepPlan).outputs);
    }
  }

  /** The child job of a step (written now, `NotStarted`) and its component's spec. */
  private plan(parent: JsonObject, step: string, definition: JsonObject): StepPlan {
    const { resources, config } = this.host;
    const componentPath = typeof definition.componentId === "string" ? childPathOf(definition.componentId, config) : undefined;
    const component = componentPath ? resources.find(componentPath) : undefined;
    if (!component) throw new Error(`step ${step} names no component of the workspace (componentId ${String(definition.componentId)})`);
    const spec = (component.body.properties as JsonObject).componentSpec as JsonObject;
    const child = randomUUID();
    const outputs = resolveOutputs(definition, spec, parent, child);
    const settings = (parent.settings ?? {}) as JsonObject;
    createChildJob(resources, child, this.name, step, {
      componentId: definition.componentId,
      computeId: definition.compute ?? settings.default_compute ?? null,
      command: spec.command,
      outputs: Object.fromEntries(Object.entries(outputs).map(([o, uri]) => [o, { jobOutputType: "uri_folder", uri }])),
    });
    return { child, definition, component: spec, outputs };
  }

  /** Runs one step; throws the failure that fails the pipeline. */
  private async runStep(parent: JsonObject, step: string, plan: StepPlan, outputs: ReadonlyMap<string, Record<string, string>>): Promise<void> {
    const { resources } = this.host;
    moveJob(resources, plan.child, "Queued");
    moveJob(resources, plan.child, "Preparing");
    const running = runCommandStep(this.host, {
      childJob: plan.child,
      step,
      component: plan.component,
      inputs: resolveInputs(plan.definition, plan.component, parent, outputs),
      outputs: plan.outputs,
      workDir: path.join(this.workDir, step),
      onPhase: (phase) => moveJob(resources, plan.child, phase),
    });
    this.running.set(plan.child, running);
    try {
      await running.done;
      moveJob(resources, plan.child, "Completed");
    } catch (err) {
      const message = err instanceof StepFailure ? err.message : `step ${step} could not run: ${err instanceof Error ? err.message : String(err)}`;
      moveJob(resources, plan.child, "Failed", message);
      throw new Error(message);
    } finally {
      this.running.delete(plan.child);
    }
  }
}
