/**
 * The crash suite: examples/aml-databricks-component (Key Vault secret, secret scope and secret,
 * blob mount, workspace notebook, environments, components and the Azure ML pipeline job of a
 * Databricks step and a train step) with a Databricks cluster and a Databricks run of the notebook
 * on it added, through the pulumi CLI on the emulator. In each cycle `pulumi up` is killed with
 * SIGKILL — the engine, the language host and the provider processes, its whole process group —
 * at a seeded point: while the create of a seeded resource is pending (or at once once it is
 * recorded), after a seeded delay. Then the documented recovery, `azureml-databricks-recover`
 * (src/recovery/cli.ts: a stale lock removed, `pulumi up` with the pending creates adopting what
 * they made, `pulumi refresh --clear-pending-creates`), must complete the graph with one run of
 * each Databricks run, one Azure ML pipeline job, and nothing in the services the stack does not
 * record; `pulumi destroy` then leaves what was there before the cycle.
 *
 * Which command a seed's kill interrupts: seeds 1–5 the first `up` (killed once a seeded
 * resource's create is pending or done), 6–7 an `up` after an edit of the notebook (the notebook
 * updated, the pipeline job replaced), 8–9 `pulumi destroy` (recovered with `--destroy`); each kill
 * lands a seeded delay after its condition.
 *
 * Seeds: `AMLDB_CRASH_SEEDS` (comma-separated), default 1–9.
 */
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { AzureMlApi } from "../../src/azureml/client";
import type { RequestLogEntry } from "../../src/emulator/core/requestLog";
import { stateFilePath } from "../../scripts/cliStack";
import { configure, configureAmlWorkspace, ExampleFixture, startExample } from "../e2e/support/exampleFixture";
import { resourceList, StateResource } from "../e2e/support/projectFixture";

const SEEDS = (process.env.AMLDB_CRASH_SEEDS ?? "1,2,3,4,5,6,7,8,9").split(",").map((s) => Number(s.trim()));
type Phase = "first up" | "update" | "destroy";
const PHASES: Phase[] = ["first up", "first up", "first up", "first up", "first up", "update", "update", "destroy", "destroy"];
const phaseOf = (seed: number): Phase => PHASES[(seed - 1) % PHASES.length];
const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";
const STACK = "crash";
/** The resources whose pending create a kill may wait for, as the state names them (`<type>::<name>`). */
const TARGETS = [
  "KeyVaultSecret::adbpat",
  "DatabricksSecretScope::aml",
  "DatabricksSecret::storage-key",
  "DatabricksBlobMount::blobstore",
  "DatabricksWorkspaceItem::notebook",
  "AmlEnvironment::databricks-env",
  "AmlComponent::seed-component",
  "AmlEnvironment::train-env",
  "AmlComponent::train",
  "AmlPipelineRun::pipeline",
  "DatabricksCluster::crash-cluster",
  "DatabricksRun::crash-run",
];
/** Seeds 6 and 7 (update): the kill waits for an operation on one of these, in turn: the pipeline job's replacement, the notebook's update. */
const UPDATE_TARGETS = ["AmlPipelineRun::pipeline", "DatabricksWorkspaceItem::notebook"];
/** Seeds 8 and 9 (destroy): the kill waits for the delete of one of these, in turn (the unmount run, the pipeline job's delete), then at most 300 ms (a destroy takes a few seconds). */
const DESTROY_TARGETS = ["DatabricksBlobMount::blobstore", "AmlPipelineRun::pipeline"];
/** Added to the example's program: a cluster, and a run of the example's notebook on it. */
const ADDED = `
// The crash suite's additions: an all-purpose cluster and a run of the notebook on it.
import { DatabricksCluster as CrashCluster, DatabricksRun as CrashRun } from "pulumi-azureml-databricks";
const crashCluster = new CrashCluster("crash-cluster", { clusterName: "crash-cluster", sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1, autoterminationMinutes: 30 });
const crashRun = new CrashRun("crash-run", { runName: "crash-run", existingClusterId: crashCluster.clusterId, notebookTask: { notebookPath: notebook.workspacePath, baseParameters: { output_folder: "crash", rows: "3" } } }, { dependsOn: [mount] });
export const crashRunId = crashRun.runId;
`;

/** mulberry32: the seeded draws of a cycle. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the state file holds now: recorded resources and pending operations (`<op> <type>::<name>`); undefined while it is being written. */
interface StateView {
  recorded: string[];
  pending: string[];
}

function short(urn: string, type: string): string {
  return `${type.slice(type.lastIndexOf(":") + 1)}::${urn.slice(urn.lastIndexOf("::") + 2)}`;
}

describe("crash suite: pulumi up killed (engine and providers) at seeded points, then recovered", function () {
  this.timeout(60 * 60 * 1000);
  let example: ExampleFixture;
  let api: AzureMlApi;
  let stateFile: string;
  let recoverCli: string;
  let initial: Record<string, string[]>;
  let lastSeen: RequestLogEntry | undefined;
  let runsSeen = 0;

  before(async () => {
    const started = Date.now();
    example = await startExample("aml-databricks-component", STACK);
    ({ api } = await configureAmlWorkspace(example));
    await configure(example, { rows: "4" });
    fs.appendFileSync(path.join(example.projectDir, "index.ts"), ADDED);
    stateFile = stateFilePath(example.backendDir, example.projectDir, STACK);
    // The command as the installed package ships it.
    recoverCli = path.join(example.projectDir, "node_modules", "pulumi-azureml-databricks", "dist", "src", "recovery", "cli.js");
    assert.ok(fs.existsSync(recoverCli), recoverCli);
    initial = await owned();
    newRequests();
    await newRuns();
    console.log(`      example installed on a fresh emulator in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  after(async () => example?.close());

  function view(): StateView | undefined {
    if (!fs.existsSync(stateFile)) return { recorded: [], pending: [] };
    let state: { checkpoint: { latest?: { resources?: { urn: string; type: string }[]; pending_operations?: { resource: { urn: string; type: string }; type: string }[] } } };
    try {
      state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    } catch {
      return undefined;
    }
    const latest = state.checkpoint.latest ?? {};
    return {
      recorded: (latest.resources ?? []).filter((r) => r.type.startsWith(DYNAMIC)).map((r) => short(r.urn, r.type)),
      pending: (latest.pending_operations ?? []).map((op) => `${op.type} ${short(op.resource.urn, op.resource.type)}`),
    };
  }

  function newRequests(): RequestLogEntry[] {
    const all = example.emulator.requests();
    const from = lastSeen === undefined ? 0 : all.indexOf(lastSeen) + 1;
    if (lastSeen !== undefined && from === 0) throw new Error("more than 10,000 requests in one cycle");
    lastSeen = all.at(-1);
    return all.slice(from).filter((r) => !r.path.startsWith("/_emulator/"));
  }

  async function dbx(route: string): Promise<Record<string, any>> {
    const res = await fetch(`${example.emulator.url}${route}`, { headers: { Authorization: `Bearer ${example.token}` } });
    return res.status === 404 ? {} : ((await res.json()) as Record<string, any>);
  }

  /** The Databricks runs submitted since the previous call, by run name. */
  async function newRuns(): Promise<string[]> {
    const runs = ((await dbx("/_emulator/databricks/runs")).runs ?? []) as { run_name?: string }[];
    const fresh = runs.slice(runsSeen);
    runsSeen = runs.length;
    return fresh.map((r) => String(r.run_name ?? "")).sort();
  }

  /** What the stack's resources make, listed in the services. */
  async function owned(): Promise<Record<string, string[]>> {
    const list = <T>(route: string) => api.calls.list<T & { name: string }>(route, `list ${route}`);
    const versions = async (collection: string) =>
      (await Promise.all((await list(`/${collection}`)).map(async (c) => (await list(`/${collection}/${c.name}/versions`)).map((v) => `${c.name}:${v.name}`)))).flat().sort();
    const scopes = (((await dbx("/api/2.0/secrets/scopes/list")).scopes ?? []) as { name: string }[]).map((s) => s.name).sort();
    const secrets = (await Promise.all(scopes.map(async (s) => (((await dbx(`/api/2.0/secrets/list?scope=${encodeURIComponent(s)}`)).secrets ?? []) as { key: string }[]).map((k) => `${s}/${k.key}`)))).flat().sort();
    const mountsFile = path.join(example.workDir, "emulator", "databricks", "mounts.json");
    const jobs = await list<{ properties: { jobType?: string } }>("/jobs");
    return {
      "secret scopes": scopes,
      "Databricks secrets": secrets,
      mounts: fs.existsSync(mountsFile) ? Object.keys(JSON.parse(fs.readFileSync(mountsFile, "utf8"))).sort() : [],
      "clusters not terminated": (((await dbx("/api/2.0/clusters/list")).clusters ?? []) as { cluster_id: string; state: string }[]).filter((c) => c.state !== "TERMINATED").map((c) => c.cluster_id).sort(),
      "Key Vault secrets": (((await dbx("/secrets?api-version=7.5")).value ?? []) as { id: string }[]).map((s) => s.id.slice(s.id.lastIndexOf("/") + 1)).sort(),
      "Azure ML component versions": await versions("components"),
      "Azure ML environment versions": await versions("environments"),
      "Azure ML pipeline jobs": jobs.filter((j) => j.properties.jobType === "Pipeline").map((j) => j.name).sort(),
    };
  }

  /** A process's state letter and start time (field 22 of /proc/<pid>/stat), undefined once it is gone. */
  function procStat(pid: number): { state: string; start: string; ppid: number } | undefined {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return { state: fields[0], ppid: Number(fields[1]), start: fields[19] };
    } catch {
      return undefined;
    }
  }

  /** Every process whose parent chain leads to `pid` (read from /proc), `pid` included, with its start time. */
  function tree(pid: number): { pid: number; start: string }[] {
    const children = new Map<number, { pid: number; start: string }[]>();
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const st = procStat(Number(entry));
      if (st) children.set(st.ppid, [...(children.get(st.ppid) ?? []), { pid: Number(entry), start: st.start }]);
    }
    const all: { pid: number; start: string }[] = [{ pid, start: procStat(pid)?.start ?? "" }];
    const walk = (p: number) => {
      for (const c of children.get(p) ?? []) {
        all.push(c);
        walk(c.pid);
      }
    };
    walk(pid);
    return all;
  }

  /** A process's program, for the report. */
  const name = (pid: number) => {
    try {
      return path.basename(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]);
    } catch {
      return "?";
    }
  };

  /** The processes of `procs` still alive (same pid and start time, neither zombie nor dead), once they had up to 10 s to die. */
  async function survivors(procs: { pid: number; start: string }[]): Promise<number[]> {
    const alive = () => procs.filter((p) => {
      const st = procStat(p.pid);
      return st !== undefined && st.start === p.start && st.state !== "Z" && st.state !== "X";
    }).map((p) => p.pid);
    const deadline = Date.now() + 10_000;
    while (alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return alive();
  }

  /**
   * Starts `pulumi <command>` in a process group of its own and SIGKILLs the group and every
   * descendant once the state file shows `ready` plus `delayMs`; resolves to what was killed and
   * the state the engine left.
   */
  async function killed(command: "up" | "destroy", ready: (v: StateView) => boolean, delayMs: number): Promise<{ killed: string[]; atMs: number; left: StateView; completed: boolean }> {
    let child: ChildProcess | undefined;
    const started = Date.now();
    let exited = false;
    const run = example.stack.run([command, "--yes", "--skip-preview"], { detached: true, onSpawn: (c) => (child = c) }).then(
      () => true,
      () => false,
    );
    void run.then(() => (exited = true));
    // The condition, polled on the state file the engine writes at each step.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const v = view();
        if (exited || (v && ready(v))) {
          clearInterval(poll);
          resolve();
        }
      }, 25);
    });
    // The seeded point: a delay after that.
    if (!exited) await new Promise((resolve) => setTimeout(resolve, delayMs));
    let killed: string[] = [];
    let procs: { pid: number; start: string }[] = [];
    const atMs = Date.now() - started;
    if (!exited) {
      procs = tree(child!.pid!);
      const pids = procs.map((p) => p.pid);
      killed = pids.map((p) => `${name(p)}(${p})`);
      try {
        process.kill(-child!.pid!, "SIGKILL");
      } catch {
        // the group ended meanwhile
      }
      for (const p of pids) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // already gone with the group
        }
      }
    }
    const completed = await run;
    assert.deepEqual(await survivors(procs), [], "killed processes still running");
    return { killed, atMs, left: view()!, completed };
  }

  /** Runs the recovery command as a user does, in the project directory with the stack's environment; resolves to its lines. */
  function recoverCommand(extra: string[]): Promise<string> {
    const args = [recoverCli, "--stack", STACK, "--config-file", path.join(example.workDir, `Pulumi.${STACK}.yaml`), ...extra];
    const child = spawn(process.execPath, args, { cwd: example.projectDir, env: example.stack.env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (out += c));
    return new Promise((resolve, reject) =>
      child.once("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`recover exited with ${code}:\n${out.split("\n").slice(-40).join("\n")}`)))),
    );
  }

  /** What the services hold that the stack does not record, and what they should hold: the state's objects added to what was there before the cycles. */
  async function servicesVsState(resources: StateResource[]): Promise<{ now: Record<string, string[]>; expected: Record<string, string[]>; orphans: string[] }> {
    const of = (type: string) => resources.filter((r) => r.type === `${DYNAMIC}:${type}`);
    const versionsOf = (type: string) => of(type).map((r) => `${r.outputs!.name}:${r.outputs!.version}`);
    const plus = (kind: string, ...names: string[]) => [...initial[kind], ...names].sort();
    const now = await owned();
    const expected: Record<string, string[]> = {
      "secret scopes": plus("secret scopes", ...of("DatabricksSecretScope").map((r) => String(r.outputs!.name))),
      "Databricks secrets": plus("Databricks secrets", ...of("DatabricksSecret").map((r) => `${r.outputs!.scope}/${r.outputs!.key}`)),
      mounts: plus("mounts", ...of("DatabricksBlobMount").map((r) => String(r.outputs!.mountPoint))),
      "clusters not terminated": plus("clusters not terminated", ...of("DatabricksCluster").map((r) => String(r.outputs!.clusterId))),
      "Key Vault secrets": plus("Key Vault secrets", ...of("KeyVaultSecret").map((r) => String(r.outputs!.name))),
      "Azure ML component versions": plus("Azure ML component versions", ...versionsOf("AmlComponent")),
      "Azure ML environment versions": plus("Azure ML environment versions", ...versionsOf("AmlEnvironment")),
      "Azure ML pipeline jobs": plus("Azure ML pipeline jobs", ...of("AmlPipelineRun").map((r) => String(r.outputs!.jobName))),
    };
    const orphans = Object.entries(now).flatMap(([kind, names]) => names.filter((n) => !expected[kind].includes(n)).map((n) => `${kind}: ${n}`));
    return { now, expected, orphans };
  }

  const count = (xs: string[]) => Object.entries(xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {}));
  const JOB_PUT = /\/workspaces\/[^/]+\/jobs\/([^/]+)$/i;
  /** What the services were asked to do since the previous call: Databricks runs by name (mount runs apart) and Azure ML job PUTs. */
  async function submitted(): Promise<{ userRuns: [string, number][]; mountRuns: number; jobPuts: string[] }> {
    const byName = count(await newRuns());
    const jobPuts = newRequests().filter((r) => r.method === "PUT" && r.status >= 200 && r.status < 300 && JOB_PUT.test(r.path)).map((r) => JOB_PUT.exec(r.path)![1]);
    return { userRuns: byName.filter(([n]) => !/mount/i.test(n)), mountRuns: byName.filter(([n]) => /mount/i.test(n)).reduce((a, [, n]) => a + n, 0), jobPuts };
  }

  const ALL_RESOURCES = [
    "AmlComponent::seed-component",
    "AmlComponent::train",
    "AmlEnvironment::databricks-env",
    "AmlEnvironment::train-env",
    "AmlPipelineRun::pipeline",
    "DatabricksBlobMount::blobstore",
    "DatabricksCluster::crash-cluster",
    "DatabricksRun::crash-run",
    "DatabricksSecret::storage-key",
    "DatabricksSecretScope::aml",
    "DatabricksWorkspaceItem::notebook",
    "KeyVaultSecret::adbpat",
  ];
  const dynamicResources = (resources: StateResource[]) => resourceList(resources).filter((r) => r.startsWith(DYNAMIC)).map((r) => r.slice(DYNAMIC.length + 1));

  for (const seed of SEEDS) {
    const phase = phaseOf(seed);
    it(`seed ${seed}: ${phase} killed at a seeded point, recover completes it once, nothing left behind`, async () => {
      const draw = prng(seed);
      const pick = draw();
      const delayDraw = draw();
      const target = phase === "first up" ? TARGETS[Math.floor(pick * TARGETS.length)] : phase === "update" ? UPDATE_TARGETS[seed % 2] : DESTROY_TARGETS[seed % 2];
      const delayMs = Math.floor(delayDraw * (phase === "destroy" ? 300 : 1500));
      const cycleStart = Date.now();
      const notebookFile = path.join(example.projectDir, "notebooks", "to_parquet.py");
      const notebook = fs.readFileSync(notebookFile, "utf8");
      let jobBefore: string | undefined;
      let ready: (v: StateView) => boolean;
      let condition: string;
      if (phase === "first up") {
        ready = (v) => v.recorded.includes(target) || v.pending.some((p) => p.endsWith(` ${target}`));
        condition = `the create of ${target} was pending or done`;
      } else {
        await example.update("up");
        jobBefore = String(example.resources().find((r) => r.type === `${DYNAMIC}:AmlPipelineRun`)!.outputs!.jobName);
        await submitted();
        if (phase === "update") fs.writeFileSync(notebookFile, `${notebook}\n# crash suite: an edit\n`);
        // Pending, or done: an update recorded the operation, a destroy no longer records the resource.
        const before = JSON.stringify(example.resources().filter((r) => r.urn.endsWith(`:${target}`)));
        ready = (v) => v.pending.some((p) => p.endsWith(` ${target}`)) || (phase === "destroy" ? !v.recorded.includes(target) : JSON.stringify(example.resources().filter((r) => r.urn.endsWith(`:${target}`))) !== before);
        condition = `the ${phase === "destroy" ? "delete" : "update or replacement"} of ${target} was pending or done`;
      }
      try {
        const kill = await killed(phase === "destroy" ? "destroy" : "up", ready, delayMs);
        console.log(
          `  [proof] seed ${seed} (${phase}): kill point: ${delayMs} ms after ${condition}, ${(kill.atMs / 1000).toFixed(1)} s into pulumi ${phase === "destroy" ? "destroy" : "up"}; ` +
            (kill.completed ? "it had already completed (nothing killed)" : `SIGKILL to ${kill.killed.length} processes: ${kill.killed.join(" ")}`),
        );
        console.log(`  [proof] seed ${seed} (${phase}): left: ${kill.left.recorded.length} resources recorded; pending: ${kill.left.pending.join(", ") || "none"}`);

        // What the user knows: which command was killed (an update's kill can leave only deletes, which recover will not guess about).
        assert.equal(kill.completed, false, `pulumi ended before the kill: seed ${seed} tested no recovery`);
        const out = await recoverCommand(phase === "destroy" ? ["--destroy"] : phase === "update" ? ["--up"] : []);
        const steps = out.split("\n").filter((l) => l.startsWith("recover: "));
        for (const l of steps) console.log(`  [proof] seed ${seed} (${phase}): ${l}`);
        assert.equal(steps.at(-1), "recover: done; the stack has no pending operations.");
      } finally {
        fs.writeFileSync(notebookFile, notebook);
      }

      const exported = JSON.parse(await example.stack.run(["stack", "export"])) as { deployment: { pending_operations?: unknown[] } };
      assert.deepEqual(exported.deployment.pending_operations ?? [], []);
      const resources = example.resources();
      const { userRuns, mountRuns, jobPuts } = await submitted();
      const { now, expected, orphans } = await servicesVsState(resources);
      const duplicates = [...userRuns, ...count(jobPuts)].filter(([, n]) => n > 1);
      console.log(
        `  [proof] seed ${seed} (${phase}): found: Databricks runs ${JSON.stringify(Object.fromEntries(userRuns))}, mount runs ${mountRuns}, ` +
          `Azure ML job PUTs ${JSON.stringify(Object.fromEntries(count(jobPuts)))}; duplicates ${duplicates.length}, orphans ${orphans.length}; ` +
          `cycle ${((Date.now() - cycleStart) / 1000).toFixed(1)} s`,
      );
      assert.deepEqual(duplicates, []);
      assert.deepEqual(orphans, []);
      assert.deepEqual(now, expected);

      if (phase === "destroy") {
        // The destroy is complete: nothing recorded, nothing submitted, the services as before the cycle.
        assert.deepEqual(dynamicResources(resources), []);
        assert.deepEqual(jobPuts, []);
        assert.deepEqual(userRuns, []);
        assert.deepEqual(now, initial);
        console.log(`  [proof] seed ${seed} (${phase}): left after the recovered destroy: nothing (the services hold what they held before the cycle)`);
        return;
      }
      // The graph is complete: one pipeline job for this up (a new one after the notebook edit), the crash run done.
      const extra = dynamicResources(resources).filter((r) => r.startsWith("AmlComponent::") && !/::(seed-component|train)$/.test(r));
      assert.equal(extra.length, 1, "DatabricksNotebookComponent's own component");
      assert.deepEqual(dynamicResources(resources), [...ALL_RESOURCES, ...extra].sort());
      const pipeline = resources.find((r) => r.type === `${DYNAMIC}:AmlPipelineRun`)!;
      assert.deepEqual(jobPuts, [String(pipeline.outputs!.jobName)]);
      if (phase === "update") assert.notEqual(pipeline.outputs!.jobName, jobBefore, "the edit submitted a new pipeline job");
      else assert.ok(userRuns.some(([n]) => n === "crash-run"), `the crash run ran: ${JSON.stringify(userRuns)}`);
      assert.equal(String(resources.find((r) => r.type === `${DYNAMIC}:DatabricksRun`)!.outputs!.resultState), "SUCCESS");

      const destroyed = await example.update("destroy");
      assert.deepEqual(await owned(), initial);
      await submitted();
      console.log(`  [proof] seed ${seed} (${phase}): destroy ${JSON.stringify(destroyed)}; left after destroy: nothing (the services hold what they held before the cycle)`);
    });
  }
});
