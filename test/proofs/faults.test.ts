/**
 * The fault suite: examples/aml-databricks-component (the whole graph: Key Vault secret, secret
 * scope and secret, blob mount, workspace notebook, environments, components and the pipeline run
 * of a Databricks step and a train step) through the pulumi CLI on the emulator: `up`, an unchanged
 * `up`, a notebook edit and `up`, `destroy`. First without faults, then for each seed with a
 * quarter of the service requests faulted (429, 503, reset, slow, lost: drawn from the seeded
 * PRNG). Every cycle must submit exactly the Databricks runs and Azure ML jobs the fault-free one
 * did, leave nothing after destroy, and end each step in the fault-free state. It prints what it
 * saw. The engine ↔ provider traffic is local gRPC: only the service calls are faulted. Each cycle
 * has an emulator, a stack and a copy of the sources of its own (a job name, made from the run's
 * inputs, is the same in every cycle; the emulator's addresses and the example's folder in the
 * outputs are compared as placeholders); the example is installed once, and the cycles run at once
 * (a cycle mostly waits: on its notebook runs, its Azure ML steps, Retry-After).
 *
 * Seeds: `AMLDB_FAULT_SEEDS` (comma-separated), default 1,2,3; cycles at once: `AMLDB_FAULT_PARALLEL`,
 * default all of them.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AzureMlApi } from "../../src/azureml/client";
import type { RequestLogEntry } from "../../src/emulator/core/requestLog";
import type { FaultCounts } from "../../src/emulator/core/faults";
import { FAULT_KINDS, type FaultPlan } from "../../src/emulator/core/faultsPlan";
import { configure, configureAmlWorkspace, ExampleFixture, installExample, InstalledExample, startInstalledExample } from "../e2e/support/exampleFixture";
import type { StateResource } from "../e2e/support/projectFixture";
import { faultsInjected, setFaultPlan } from "../support/emulatorFaults";

const SEEDS = (process.env.AMLDB_FAULT_SEEDS ?? "1,2,3").split(",").map((s) => Number(s.trim()));
/** How many cycles run at once (`AMLDB_FAULT_PARALLEL`, default every one): a cycle mostly waits (on notebooks, steps, Retry-After). */
const PARALLEL = Math.max(1, Number(process.env.AMLDB_FAULT_PARALLEL ?? SEEDS.length + 1) || 1);
/** A quarter of the requests, every kind alike; Retry-After 1 s as the services send; slow by 300 ms. */
const planOf = (seed: number): FaultPlan => ({ seed, rules: [{ kind: [...FAULT_KINDS], rate: 0.25, retryAfterSeconds: 1, delayMs: 300 }] });
const STEPS = ["up", "unchanged up", "edit up", "destroy"] as const;
type Step = (typeof STEPS)[number];
const NOTEBOOK = "notebooks/to_parquet.py";
const EDIT = "\n# COMMAND ----------\nprint('edited by the fault suite')\n";
/** Secret values in state: ciphertext, new at each write. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** What one step did and left. */
interface StepRecord {
  changes: Record<string, number> | undefined;
  /** `<type>::<name>` → the resource's outputs, secrets and the provider left out. */
  state: Record<string, Record<string, unknown>>;
  /** Databricks runs submitted during the step, by run name with numbers and ids masked. */
  runs: string[];
  /** Azure ML jobs submitted (PUT answered 2xx, a lost answer included) during the step, by name. */
  jobs: string[];
  /** Service requests the emulator answered (or dropped) during the step. */
  requests: number;
  faults: FaultCounts;
  seconds: number;
  /** After destroy: the workspace folders left, and how many step jobs the cycle left. */
  byproducts?: Record<string, string | number>;
}

type Cycle = Record<Step, StepRecord>;

describe("fault suite: the aml-databricks-component graph with a quarter of the service requests faulted", function () {
  this.timeout(4 * 60 * 60 * 1000);
  /** The example installed once; each cycle runs its own copy of the sources (the edit is per cycle), on its own emulator and stack. */
  let installed: InstalledExample;
  let original: string;
  let baseline: Cycle | undefined;
  /** Each cycle's record, by label (`fault-free`, `seed 1`, ...): every cycle runs in `before`, up to {@link PARALLEL} at once. */
  const cycles = new Map<string, Promise<Cycle>>();

  before(async () => {
    installed = installExample("aml-databricks-component");
    original = fs.readFileSync(path.join(installed.projectDir, NOTEBOOK), "utf8");
    const plans: [string, FaultPlan | undefined][] = [["fault-free", undefined], ...SEEDS.map((seed) => [`seed ${seed}`, planOf(seed)] as [string, FaultPlan])];
    const started = Date.now();
    let next = 0;
    const lanes = Array.from({ length: Math.min(PARALLEL, plans.length) }, async () => {
      while (next < plans.length) {
        const [label, plan] = plans[next++];
        const record = runCycle(label, plan);
        cycles.set(label, record);
        await record.catch(() => undefined);
      }
    });
    await Promise.all(lanes);
    console.log(`  [proof] fault suite: ${plans.length} cycles (fault-free and seeds ${SEEDS.join(", ")}), ${Math.min(PARALLEL, plans.length)} at a time, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  after(() => installed?.remove());

  /** One cycle: the four steps on a fresh copy of the sources, emulator and stack, then what is left. */
  async function runCycle(label: string, plan: FaultPlan | undefined): Promise<Cycle> {
    const setup = Date.now();
    const copy = sourcesOf(installed);
    let example: ExampleFixture | undefined;
    try {
      example = await startInstalledExample(copy, "faults");
      return await new CycleRun(example, original).run(label, plan, setup);
    } finally {
      await example?.close();
      copy.remove();
    }
  }

  it("fault-free: up creates the 12 resources with one notebook run and one pipeline job; the edit runs both again; destroy leaves nothing", async () => {
    baseline = await cycles.get("fault-free")!;
    assert.deepEqual(baseline.up.changes, { create: 12 });
    assert.deepEqual(baseline["unchanged up"].changes, { same: 12 });
    assert.deepEqual(baseline.destroy.changes, { delete: 12 });
    assert.deepEqual([baseline.up.jobs.length, baseline["unchanged up"].jobs.length, baseline["edit up"].jobs.length, baseline.destroy.jobs.length], [1, 0, 1, 0]);
    assert.deepEqual(baseline["unchanged up"].runs, []);
    assert.deepEqual(Object.values(baseline.up.faults), [0, 0, 0, 0, 0]);
    assert.deepEqual(baseline.destroy.state, {});
    console.log(`  [proof] fault-free: ${summary(baseline)}`);
  });

  for (const seed of SEEDS) {
    it(`seed ${seed}: a quarter of the requests faulted, the same runs, jobs and state as without faults, nothing left`, async function () {
      const faulted = await cycles.get(`seed ${seed}`)!;
      const base = baseline;
      if (!base) return this.skip();
      const problems: string[] = [];
      const same = (what: string, got: unknown, want: unknown) => {
        if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${what}: ${JSON.stringify(got)} where the fault-free cycle had ${JSON.stringify(want)}`);
      };
      for (const name of STEPS) {
        const [got, want] = [faulted[name], base[name]];
        same(`${name}: changes`, got.changes, want.changes);
        same(`${name}: Databricks runs`, got.runs, want.runs);
        same(`${name}: Azure ML jobs`, got.jobs, want.jobs);
        same(`${name}: resources`, Object.keys(got.state), Object.keys(want.state));
        problems.push(...differences(got.state, want.state).map((d) => `${name}: ${d}`));
      }
      same("byproducts left after destroy", faulted.destroy.byproducts, base.destroy.byproducts);
      for (const p of problems) console.log(`      seed ${seed} PROBLEM ${p}`);
      assert.deepEqual(problems, []);
      const total = STEPS.reduce((sum, name) => sum + Object.values(faulted[name].faults).reduce((a, b) => a + b, 0), 0);
      const requests = STEPS.reduce((sum, name) => sum + faulted[name].requests, 0);
      // The plan drew a quarter of the requests: far from none, whatever the seed.
      assert.ok(total > requests / 8, `${total} faults in ${requests} requests`);
      for (const kind of FAULT_KINDS) assert.ok(STEPS.some((name) => faulted[name].faults[kind] > 0), `no ${kind} fault was injected`);
      const byKind = FAULT_KINDS.map((k) => `${k} ${STEPS.reduce((sum, name) => sum + faulted[name].faults[k], 0)}`).join(", ");
      console.log(`  [proof] seed ${seed}: ${total} faults injected (${byKind}) in ${summary(faulted)}; survived: the fault-free changes, runs, jobs and state at every step, nothing left after destroy`);
    });
  }
});

/** The steps of one cycle on its example, and what it reads of the emulator between them. */
class CycleRun {
  private api!: AzureMlApi;
  /** Every request log entry seen so far: where the next step's requests start. */
  private lastSeen: RequestLogEntry | undefined;
  private runsSeen = 0;

  constructor(
    private readonly example: ExampleFixture,
    private readonly original: string,
  ) {}

  async run(label: string, plan: FaultPlan | undefined, setup: number): Promise<Cycle> {
    const { example } = this;
    ({ api: this.api } = await configureAmlWorkspace(example));
    await configure(example, { rows: "4" });
    const initial = await this.leftovers();
    this.lastSeen = example.emulator.requests().at(-1);

    console.log(`      ${label}: the example on a fresh emulator and stack in ${((Date.now() - setup) / 1000).toFixed(1)} s`);
    const record = {} as Cycle;
    for (const name of STEPS) {
      record[name] = await this.step(name, plan);
      const r = record[name];
      const injected = FAULT_KINDS.map((k) => `${k} ${r.faults[k]}`).join(", ");
      console.log(
        `      ${label} ${name}: ${r.seconds.toFixed(1)} s, ${r.requests} requests, faults ${Object.values(r.faults).reduce((a, b) => a + b, 0)} (${injected}); ` +
          `Databricks runs ${r.runs.length}, Azure ML jobs ${r.jobs.length}; changes ${JSON.stringify(r.changes)}`,
      );
    }
    const left = await this.leftovers();
    assert.deepEqual(left.owned, initial.owned, `${label}: what is left after destroy`);
    // Folders stay from one cycle to the next (compared as they are); step jobs are new at each cycle (counted).
    const newStepJobs = left.byproducts["Azure ML step jobs"].filter((n) => !initial.byproducts["Azure ML step jobs"].includes(n));
    record.destroy.byproducts = { "workspace folders": left.byproducts["workspace folders"].join(" "), "new Azure ML step jobs": newStepJobs.length };
    console.log(`      ${label} left after destroy, made by the services on the way: ${JSON.stringify(record.destroy.byproducts)}`);
    return record;
    }

  /** The requests answered since the previous call (the in-memory log keeps the newest 10,000). */
  private newRequests(): RequestLogEntry[] {
    const all = this.example.emulator.requests();
    const from = this.lastSeen === undefined ? 0 : all.indexOf(this.lastSeen) + 1;
    if (this.lastSeen !== undefined && from === 0) throw new Error("more than 10,000 requests in one step: the request log no longer holds the previous step's last one");
    this.lastSeen = all.at(-1);
    return all.slice(from).filter((r) => !r.path.startsWith("/_emulator/"));
  }

  private async newRuns(): Promise<string[]> {
    const res = await fetch(`${this.example.emulator.url}/_emulator/databricks/runs`, { headers: { Authorization: `Bearer ${this.example.token}` } });
    const runs = ((await res.json()) as { runs: { run_id: number; run_name?: string }[] }).runs;
    const fresh = runs.slice(this.runsSeen);
    this.runsSeen = runs.length;
    return fresh.map((r) => String(r.run_name ?? "").replace(/[0-9a-f]{8,}(-[0-9a-f]{4,})*|\d+/g, "#")).sort();
  }

  /**
   * What the stack can leave behind, by collection: `owned` holds what its resources make (compared
   * before the first up and after each destroy: it must be the same), `byproducts` what the
   * services make on the way and keep (the parent folders of imported objects, the step jobs of a
   * deleted pipeline job): a faulted cycle must leave as many as the fault-free one.
   */
  private async leftovers(): Promise<{ owned: Record<string, string[]>; byproducts: Record<string, string[]> }> {
    const dbx = async (route: string) => {
      const res = await fetch(`${this.example.emulator.url}${route}`, { headers: { Authorization: `Bearer ${this.example.token}` } });
      return res.status === 404 ? {} : ((await res.json()) as Record<string, any>);
    };
    const tree = async (dir: string): Promise<{ path: string; object_type: string }[]> => {
      const objects = ((await dbx(`/api/2.0/workspace/list?path=${encodeURIComponent(dir)}`)).objects ?? []) as { path: string; object_type: string }[];
      const nested = await Promise.all(objects.map(async (o) => (o.object_type === "DIRECTORY" ? [o, ...(await tree(o.path))] : [o])));
      return nested.flat();
    };
    const list = <T>(route: string) => this.api.calls.list<T & { name: string }>(route, `list ${route}`);
    const versions = async (collection: string) =>
      (await Promise.all((await list(`/${collection}`)).map(async (c) => (await list(`/${collection}/${c.name}/versions`)).map((v) => `${c.name}:${v.name}`)))).flat().sort();
    const jobs = await list<{ properties: { jobType?: string } }>("/jobs");
    const objects = await tree("/");
    const mountsFile = path.join(this.example.workDir, "emulator", "databricks", "mounts.json");
    return {
      owned: {
        "secret scopes": (((await dbx("/api/2.0/secrets/scopes/list")).scopes ?? []) as { name: string }[]).map((s) => s.name).sort(),
        "workspace notebooks and files": objects.filter((o) => o.object_type !== "DIRECTORY").map((o) => o.path).sort(),
        mounts: fs.existsSync(mountsFile) ? Object.keys(JSON.parse(fs.readFileSync(mountsFile, "utf8"))).sort() : [],
        "running clusters": (((await dbx("/api/2.0/clusters/list")).clusters ?? []) as { cluster_id: string; state: string }[]).filter((c) => c.state !== "TERMINATED").map((c) => c.cluster_id),
        "Key Vault secrets": (((await dbx("/secrets?api-version=7.5")).value ?? []) as { id: string }[]).map((s) => s.id).sort(),
        "Key Vault deleted secrets": (((await dbx("/deletedsecrets?api-version=7.5")).value ?? []) as { recoveryId: string }[]).map((s) => s.recoveryId).sort(),
        "Azure ML component versions": await versions("components"),
        "Azure ML environment versions": await versions("environments"),
        "Azure ML pipeline jobs": jobs.filter((j) => j.properties.jobType === "Pipeline").map((j) => j.name).sort(),
      },
      byproducts: {
        "workspace folders": objects.filter((o) => o.object_type === "DIRECTORY").map((o) => o.path).sort(),
        "Azure ML step jobs": jobs.filter((j) => j.properties.jobType !== "Pipeline").map((j) => j.name).sort(),
      },
    };
  }

  private stateOf(resources: StateResource[]): Record<string, Record<string, unknown>> {
    // The emulator's addresses differ from cycle to cycle, and so do the names made from them (a
    // pipeline job's name hashes its inputs, the Resource Manager endpoint included) or drawn at random (step jobs).
    const addresses = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value)
          .split(this.example.projectDir)
          .join("<project>")
          .split(this.example.emulator.url)
          .join("<emulator>")
          .split(this.example.emulator.blobUrl)
          .join("<blob>")
          .replace(/_[0-9a-f]{20}\b/g, "_<hash>")
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>"),
      );
    return Object.fromEntries(
      resources
        .filter((r) => !r.type.startsWith("pulumi:"))
        .map((r) => [`${r.type.slice(r.type.lastIndexOf(":") + 1)}::${r.urn.slice(r.urn.lastIndexOf("::") + 2)}`, addresses(withoutSecrets(r.outputs ?? {})) as Record<string, unknown>] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  }

  private async step(name: Step, plan: FaultPlan | undefined): Promise<StepRecord> {
    const faultsBefore = await faultsInjected(this.example.emulator);
    if (name === "edit up") fs.writeFileSync(path.join(this.example.projectDir, NOTEBOOK), this.original + EDIT);
    if (plan) await setFaultPlan(this.example.emulator, plan);
    const started = Date.now();
    let changes: Record<string, number> | undefined;
    try {
      changes = await this.example.update(name === "destroy" ? "destroy" : "up");
    } finally {
      // The suite's own reads are not faulted.
      await setFaultPlan(this.example.emulator, { rules: [] });
    }
    const seconds = (Date.now() - started) / 1000;
    const requests = this.newRequests();
    const jobPut = /\/workspaces\/[^/]+\/jobs\/([^/]+)$/i;
    const submitted = new Set(requests.filter((r) => r.method === "PUT" && r.status >= 200 && r.status < 300 && jobPut.test(r.path)).map((r) => jobPut.exec(r.path)![1]));
    const jobs = [...submitted].map((n) => n.replace(/_[0-9a-f]{20}$/, "_<hash>")).sort();
    const faultsAfter = await faultsInjected(this.example.emulator);
    const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, faultsAfter[k] - faultsBefore[k]])) as FaultCounts;
    return { changes, state: this.stateOf(this.example.resources()), runs: await this.newRuns(), jobs, requests: requests.length, faults, seconds };
  }

}

/** A cycle's service requests, Databricks runs and Azure ML jobs submitted, and time. */
function summary(c: Cycle): string {
  const sum = (f: (r: StepRecord) => number) => STEPS.reduce((n, name) => n + f(c[name]), 0);
  return `${sum((r) => r.requests)} service requests, ${sum((r) => r.runs.length)} Databricks runs and ${sum((r) => r.jobs.length)} Azure ML jobs submitted, ${sum((r) => r.seconds).toFixed(0)} s of up/destroy`;
}

/**
 * Outputs that differ from one deployment to the next, whatever the faults: a Key Vault version
 * (and the id naming it) is a new random id at each set; a Databricks secret's last update is a time;
 * how long the pipeline's job and the mount's run took (kept for the next wait's polling) are times;
 * a workspace object's id is the service's counter, so it depends on the order in which the engine's
 * parallel creates reached the workspace (the mount's helper folder may come before the notebook).
 */
const VOLATILE: Record<string, readonly string[]> = {
  KeyVaultSecret: ["version", "id", "secretId"],
  DatabricksSecret: ["lastUpdatedTimestamp"],
  AmlPipelineRun: ["durationMs"],
  DatabricksBlobMount: ["mountRunMs"],
  DatabricksWorkspaceItem: ["objectId"],
};

/** `<resource>.<output>` of each output that differs, volatile ones aside. */
function differences(got: Record<string, Record<string, unknown>>, want: Record<string, Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [resource, outputs] of Object.entries(want)) {
    const volatile = VOLATILE[resource.slice(0, resource.indexOf("::"))] ?? [];
    for (const key of new Set([...Object.keys(outputs), ...Object.keys(got[resource] ?? {})])) {
      if (volatile.includes(key)) continue;
      if (JSON.stringify(got[resource]?.[key]) !== JSON.stringify(outputs[key])) out.push(`${resource}.${key}: ${JSON.stringify(got[resource]?.[key])} != ${JSON.stringify(outputs[key])}`);
    }
  }
  return out;
}

/** Outputs without the serialized provider and with each secret replaced by a mark (its ciphertext changes at each write). */
function withoutSecrets(outputs: Record<string, unknown>): Record<string, unknown> {
  const mask = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(mask);
    if (value && typeof value === "object") {
      if (SECRET_SIG in value) return "[secret]";
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
    }
    return value;
  };
  const { __provider: _provider, ...rest } = outputs;
  return mask(rest) as Record<string, unknown>;
}

/**
 * A copy of the installed example's sources for one cycle, its node_modules a link to the
 * installed ones: each cycle edits its own notebook, and none installs again.
 */
function sourcesOf(installed: InstalledExample): InstalledExample {
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-faults-cycle-"));
  fs.cpSync(installed.projectDir, projectDir, { recursive: true, filter: (f) => path.relative(installed.projectDir, f) !== "node_modules" });
  fs.symlinkSync(path.join(installed.projectDir, "node_modules"), path.join(projectDir, "node_modules"), "dir");
  return { projectDir, remove: () => fs.rmSync(projectDir, { recursive: true, force: true }) };
}
