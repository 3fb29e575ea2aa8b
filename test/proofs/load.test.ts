/**
 * The load proof: the emulator as users start it (the built CLI in a process of its own, https on
 * loopback, a state folder, real time, immediate Databricks lifecycle) under bounded concurrent
 * load, then killed with SIGKILL in the middle of a stream of writes and started again on the same
 * state folder.
 *
 * 1. Load: Databricks runs/submit (without an idempotency token, and with tokens each sent several
 *    times at once), Databricks secrets/put and Key Vault set secret, all mixed and
 *    {@link IN_FLIGHT} at once. Every request is acknowledged; every run reaches a terminal state
 *    (SUCCESS: each runs a notebook in a Python process); one run per token and per tokenless
 *    submit; every secret written reads back with a value written, once; the emulator's memory and
 *    its processes stay bounded (the Python processes by its `maxRunningTasks`, default 8);
 *    `/_emulator/health` and a normal request answer after.
 * 2. Crash: a stream of the same writes ({@link WRITERS} at once) is cut by SIGKILL once
 *    {@link KILL_AFTER} are acknowledged; the next emulator on the folder starts, holds every
 *    acknowledged write (and everything of part 1), answers a resubmitted token with its run, ends
 *    every run the kill interrupted, and the killed emulator's task processes are gone.
 *
 * It prints `[proof]` lines: requests, concurrency, acknowledged, lost, duplicated, peak RSS,
 * peak child processes, start and restart times, throughput.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_MAX_RUNNING_TASKS } from "../../src/emulator/databricks/config";
import { until } from "../support/emulator";
import { CONNECTIONS, startEmulatorCli, type EmulatorCli } from "./support/emulatorCli";
import { aliveRunning, descendants, ProcessSampler } from "./support/processSampler";

/** Runs submitted without a token. */
const PLAIN_RUNS = 100;
/** Tokens, each submitted {@link TOKEN_COPIES} times at once. */
const TOKENS = 60;
const TOKEN_COPIES = 3;
/** Databricks secrets put (the first {@link OVERWRITTEN} keys twice, with different values). */
const DB_SECRETS = 200;
/** Key Vault secrets set (the first {@link OVERWRITTEN} names twice: two versions). */
const KV_SECRETS = 200;
const OVERWRITTEN = 40;
/** Requests in flight at once during the load. */
const IN_FLIGHT = 200;
/** Writers of the stream the kill cuts, and how many acknowledged writes come before the kill. */
const WRITERS = 24;
const KILL_AFTER = 150;
/** The emulator's resident memory stays under this (it holds the state in memory; Python runs elsewhere). */
const RSS_LIMIT_MB = 768;

const KV_API = "api-version=7.5";
const CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };
const NOTEBOOK = "/Shared/load/ok";
const task = { task_key: "main", notebook_task: { notebook_path: NOTEBOOK }, new_cluster: CLUSTER };
const SUCCESS = { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false };
const INTERRUPTED = { life_cycle_state: "INTERNAL_ERROR", result_state: "FAILED", state_message: "The run was interrupted because the local emulator stopped.", user_cancelled_or_timedout: false };

const proof = (line: string): void => console.log(`  [proof] ${line}`);
const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/** One write the load sends. */
type Write =
  | { kind: "submit"; name: string; token?: string }
  | { kind: "db secret"; scope: string; key: string; value: string }
  | { kind: "kv secret"; name: string; value: string };

/** Sends one write; resolves with its answer (a run id for a submit), throws when not acknowledged. */
async function send(emulator: EmulatorCli, w: Write): Promise<number | undefined> {
  const r =
    w.kind === "submit"
      ? await emulator.call("POST", "/api/2.1/jobs/runs/submit", { run_name: w.name, tasks: [task], ...(w.token ? { idempotency_token: w.token } : {}) })
      : w.kind === "db secret"
        ? await emulator.call("POST", "/api/2.0/secrets/put", { scope: w.scope, key: w.key, string_value: w.value })
        : await emulator.call("PUT", `/secrets/${w.name}?${KV_API}`, { value: w.value });
  if (r.status !== 200) throw new Error(`${w.kind} answered ${r.status}: ${r.text}`);
  return w.kind === "submit" ? (r.body.run_id as number) : undefined;
}

/** Runs `jobs` with at most `limit` at once, in order of start; resolves with their results. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < jobs.length; i = next++) results[i] = await jobs[i]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Every run the workspace lists (runs/list, page by page). */
async function allRuns(emulator: EmulatorCli): Promise<any[]> {
  const runs: any[] = [];
  for (let offset = 0; ; offset += 25) {
    const r = await emulator.call("GET", `/api/2.1/jobs/runs/list?limit=25&offset=${offset}`);
    assert.equal(r.status, 200, r.text);
    runs.push(...(r.body.runs ?? []));
    if (!r.body.has_more) return runs;
  }
}

/** Waits until no run is active. */
async function runsSettled(emulator: EmulatorCli): Promise<void> {
  await until(
    "every run is terminal",
    async () => {
      const r = await emulator.call("GET", "/api/2.1/jobs/runs/list?active_only=true&limit=1");
      return r.status === 200 && (r.body.runs ?? []).length === 0;
    },
    240_000,
  );
}

/** Names that occur more than once. */
function repeated(names: string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(names.filter((n) => (seen.has(n) ? true : (seen.add(n), false))))];
}

/** A deterministic shuffle (so a failure replays), mixing the kinds of writes. */
function mix<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 12;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("load proof: the emulator under concurrent load, then killed mid-write and restarted on its state", function () {
  this.timeout(10 * 60 * 1000);
  const token = randomBytes(16).toString("hex");
  let stateDir: string;
  let emulator: EmulatorCli | undefined;
  /** What part 1 left, checked again after the restart. */
  const loaded = { runs: new Map<string, number>(), dbSecrets: new Map<string, string[]>(), kvSecrets: new Map<string, string[]>() };

  before(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-load-"));
  });
  after(async () => {
    await emulator?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it("acknowledges every concurrent run submission and secret write, loses and duplicates none, and stays bounded and healthy", async () => {
    emulator = await startEmulatorCli(stateDir, token, ["--databricks-lifecycle", "immediate"]);
    const e = emulator;
    proof(`emulator started in ${e.startMs} ms (pid ${e.pid}, ${e.url})`);
    assert.equal((await e.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/load" })).status, 200);
    const content = b64('# Databricks notebook source\ndbutils.notebook.exit("ok")\n');
    assert.equal((await e.call("POST", "/api/2.0/workspace/import", { path: NOTEBOOK, format: "SOURCE", language: "PYTHON", content })).status, 200);
    for (const scope of ["load-a", "load-b"]) assert.equal((await e.call("POST", "/api/2.0/secrets/scopes/create", { scope })).status, 200);
    const baselineChildren = descendants(e.pid).length;

    const writes: Write[] = [];
    for (let i = 0; i < PLAIN_RUNS; i++) writes.push({ kind: "submit", name: `plain-${i}` });
    for (let i = 0; i < TOKENS; i++) for (let c = 0; c < TOKEN_COPIES; c++) writes.push({ kind: "submit", name: `tokened-${i}`, token: `load-token-${i}` });
    for (let i = 0; i < DB_SECRETS; i++) {
      const key = { scope: i % 2 === 0 ? "load-a" : "load-b", key: `key-${i}` };
      writes.push({ kind: "db secret", ...key, value: `db-${i}-first` });
      if (i < OVERWRITTEN) writes.push({ kind: "db secret", ...key, value: `db-${i}-second` });
    }
    for (let i = 0; i < KV_SECRETS; i++) {
      writes.push({ kind: "kv secret", name: `load-${i}`, value: `kv-${i}-first` });
      if (i < OVERWRITTEN) writes.push({ kind: "kv secret", name: `load-${i}`, value: `kv-${i}-second` });
    }

    const sampler = new ProcessSampler(e.pid);
    const started = Date.now();
    const answers = await pool(
      mix(writes).map((w) => async () => ({ w, runId: await send(e, w) })),
      IN_FLIGHT,
    );
    const ackSeconds = (Date.now() - started) / 1000;
    await runsSettled(e);
    const allSeconds = (Date.now() - started) / 1000;
    const peaks = sampler.stop();

    // Runs: one per tokenless submit, one per token whatever the copies, each SUCCESS.
    const plainIds = answers.filter((a) => a.w.kind === "submit" && !a.w.token).map((a) => a.runId!);
    const byToken = new Map<string, Set<number>>();
    for (const a of answers) if (a.w.kind === "submit" && a.w.token) byToken.set(a.w.token, (byToken.get(a.w.token) ?? new Set()).add(a.runId!));
    assert.deepEqual([...byToken.values()].filter((ids) => ids.size !== 1), [], "every copy of a token got the same run");
    const tokenIds = [...byToken.values()].map((ids) => [...ids][0]);
    assert.equal(new Set([...plainIds, ...tokenIds]).size, PLAIN_RUNS + TOKENS);
    const runs = await allRuns(e);
    const names = runs.map((r) => r.run_name as string);
    assert.deepEqual(repeated(names), [], "no run twice");
    assert.equal(runs.length, PLAIN_RUNS + TOKENS);
    assert.deepEqual(runs.filter((r) => JSON.stringify(r.state) !== JSON.stringify(SUCCESS)).map((r) => [r.run_name, r.state]), []);
    for (const r of runs) loaded.runs.set(r.run_name, r.run_id);

    // Secrets: every key once, with a value written to it.
    const written = new Map<string, string[]>();
    for (const w of writes) if (w.kind !== "submit") written.set(w.kind === "db secret" ? `${w.scope}/${w.key}` : w.name, [...(written.get(w.kind === "db secret" ? `${w.scope}/${w.key}` : w.name) ?? []), w.value]);
    for (const scope of ["load-a", "load-b"]) {
      const listed = (await e.call("GET", `/api/2.0/secrets/list?scope=${scope}`)).body.secrets.map((s: { key: string }) => s.key) as string[];
      assert.deepEqual(repeated(listed), []);
      assert.equal(listed.length, DB_SECRETS / 2);
      for (const key of listed) loaded.dbSecrets.set(`${scope}/${key}`, written.get(`${scope}/${key}`)!);
    }
    for (let i = 0; i < KV_SECRETS; i++) loaded.kvSecrets.set(`load-${i}`, written.get(`load-${i}`)!);
    const secretsLost = await checkSecrets(e, loaded.dbSecrets, loaded.kvSecrets);
    assert.deepEqual(secretsLost, []);

    // Bounded, and healthy after.
    const health = await e.call("GET", "/_emulator/health");
    assert.deepEqual([health.status, health.body], [200, { status: "ok" }]);
    assert.equal((await e.call("GET", "/api/2.0/secrets/scopes/list")).status, 200);
    assert.ok(peaks.samples > 10, `the sampler sampled (${peaks.samples} samples)`);
    assert.ok(peaks.children > baselineChildren, `the sampler saw the task processes (peak ${peaks.children})`);
    assert.ok(peaks.children <= baselineChildren + DEFAULT_MAX_RUNNING_TASKS, `at most ${DEFAULT_MAX_RUNNING_TASKS} task processes at once, saw ${peaks.children - baselineChildren}`);
    assert.ok(peaks.rssMb < RSS_LIMIT_MB, `resident memory ${peaks.rssMb.toFixed(0)} MB stays under ${RSS_LIMIT_MB} MB`);

    proof(
      `load: ${writes.length} requests (${PLAIN_RUNS} runs/submit without token, ${TOKENS}x${TOKEN_COPIES} with ${TOKENS} tokens, ${DB_SECRETS + OVERWRITTEN} secrets/put, ${KV_SECRETS + OVERWRITTEN} Key Vault set secret), ${IN_FLIGHT} in flight over ${CONNECTIONS} connections`,
    );
    proof(`acknowledged ${answers.length}/${writes.length}; runs ${runs.length} (expected ${PLAIN_RUNS + TOKENS}), all TERMINATED SUCCESS; lost 0, duplicated 0`);
    proof(`throughput: ${(writes.length / ackSeconds).toFixed(0)} requests/s acknowledged (${ackSeconds.toFixed(1)} s); ${(runs.length / allSeconds).toFixed(1)} runs/s to terminal (${allSeconds.toFixed(1)} s)`);
    proof(`peak RSS ${peaks.rssMb.toFixed(0)} MB (limit ${RSS_LIMIT_MB}); peak child processes ${peaks.children} (baseline ${baselineChildren}, bound ${DEFAULT_MAX_RUNNING_TASKS} running tasks); ${peaks.samples} samples`);
  });

  it("keeps every write acknowledged before a SIGKILL in the middle of a stream of writes, and the next emulator on the state loses and duplicates nothing", async () => {
    assert.ok(emulator, "the load test left its emulator running");
    const e = emulator;
    assert.equal((await e.call("POST", "/api/2.0/secrets/scopes/create", { scope: "crash" })).status, 200);
    const acked: Array<{ w: Write; runId?: number }> = [];
    const attempted: Write[] = [];
    let inFlight = 0;
    let inFlightAtKill = -1;
    let killing: Promise<void> | undefined;
    let next = 0;
    const sampler = new ProcessSampler(e.pid, 50);
    const writer = async (): Promise<void> => {
      while (!killing) {
        const i = next++;
        const w: Write =
          i % 3 === 0
            ? { kind: "submit", name: `crash-run-${i}`, token: `crash-token-${i}` }
            : i % 3 === 1
              ? { kind: "db secret", scope: "crash", key: `k-${i}`, value: `crash-db-${i}` }
              : { kind: "kv secret", name: `crash-${i}`, value: `crash-kv-${i}` };
        attempted.push(w);
        inFlight++;
        let runId: number | undefined;
        try {
          runId = await send(e, w);
        } catch {
          inFlight--;
          return; // cut by the kill: not acknowledged
        }
        inFlight--;
        if (killing) return; // answered after the kill began: counted as not acknowledged
        acked.push({ w, runId });
        if (acked.length >= KILL_AFTER) {
          sampler.sample();
          inFlightAtKill = inFlight;
          killing = e.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    await killing;
    const killedPeaks = sampler.stop();
    emulator = undefined;
    assert.ok(inFlightAtKill > 0, `writes were in flight when the kill came (${inFlightAtKill})`);

    emulator = await startEmulatorCli(stateDir, token, ["--databricks-lifecycle", "immediate"]);
    const r = emulator;
    const health = await r.call("GET", "/_emulator/health");
    assert.deepEqual([health.status, health.body], [200, { status: "ok" }]);
    // The killed emulator's task processes do not outlive it.
    await until("the killed emulator's task processes are gone", () => [...killedPeaks.pidsSeen].every((pid) => !aliveRunning(pid, "runner.py")), 30_000);

    // Every acknowledged write is there.
    const ackedDb = new Map<string, string[]>();
    const ackedKv = new Map<string, string[]>();
    for (const { w } of acked) {
      if (w.kind === "db secret") ackedDb.set(`${w.scope}/${w.key}`, [w.value]);
      if (w.kind === "kv secret") ackedKv.set(w.name, [w.value]);
    }
    assert.ok(ackedDb.size > 0 && ackedKv.size > 0 && killedPeaks.pidsSeen.size > 0, "the stream wrote secrets of both kinds and ran tasks before the kill");
    const lost = await checkSecrets(r, ackedDb, ackedKv);
    // What part 1 wrote is there too.
    lost.push(...(await checkSecrets(r, loaded.dbSecrets, loaded.kvSecrets)));

    // A resubmitted token answers with its run: acknowledged ones with the very run, none twice.
    const submits = attempted.filter((w): w is Extract<Write, { kind: "submit" }> => w.kind === "submit");
    const again = await pool(
      submits.map((w) => async () => ({ w, runId: await send(r, w) })),
      WRITERS,
    );
    const againByName = new Map(again.map((a) => [a.w.name, a.runId!]));
    for (const { w, runId } of acked) if (w.kind === "submit" && againByName.get(w.name) !== runId) lost.push(`run ${w.name} (${runId}) answered as ${againByName.get(w.name)}`);
    await runsSettled(r);
    const runs = await allRuns(r);
    const names = runs.map((x) => x.run_name as string);
    const duplicated = repeated(names);
    for (const [name, runId] of loaded.runs) {
      const run = runs.find((x) => x.run_name === name);
      if (run?.run_id !== runId || JSON.stringify(run.state) !== JSON.stringify(SUCCESS)) lost.push(`run ${name} of the load`);
    }
    const crashRuns = runs.filter((x) => String(x.run_name).startsWith("crash-run-"));
    const interrupted = crashRuns.filter((x) => JSON.stringify(x.state) === JSON.stringify(INTERRUPTED)).length;
    const unexpected = crashRuns.filter((x) => ![SUCCESS, INTERRUPTED].some((s) => JSON.stringify(s) === JSON.stringify(x.state)));

    assert.deepEqual(lost, [], "nothing acknowledged is lost");
    assert.deepEqual(duplicated, [], "no run twice");
    assert.equal(crashRuns.length, submits.length, "one run per submitted token");
    assert.equal(runs.length, loaded.runs.size + submits.length);
    assert.deepEqual(unexpected.map((x) => [x.run_name, x.state]), [], "each run ended, or was ended as interrupted");
    const r2 = await r.call("GET", "/api/2.0/secrets/scopes/list");
    assert.equal(r2.status, 200);

    proof(
      `kill -9 after ${acked.length} acknowledged writes (${acked.filter((a) => a.w.kind === "submit").length} runs/submit, ${ackedDb.size} secrets/put, ${ackedKv.size} Key Vault set secret), ${inFlightAtKill} in flight, ${WRITERS} writers, ${attempted.length} attempted`,
    );
    proof(`restart on the same state: started in ${r.startMs} ms, healthy; acknowledged ${acked.length}, lost ${lost.length}, duplicated ${duplicated.length}`);
    proof(`runs after restart: ${runs.length} (${loaded.runs.size} of the load, ${crashRuns.length} of the stream: ${interrupted} ended as interrupted by the kill), each token resubmitted answered with its run`);
    proof(`killed emulator: RSS ${killedPeaks.rssMb.toFixed(0)} MB, peak child processes ${killedPeaks.children}; all ${killedPeaks.pidsSeen.size} task processes it started are gone`);
  });
});

/**
 * Reads back every Databricks secret (`scope/key` → values it may hold) and Key Vault secret
 * (name → the values set, one version each); returns what is missing or wrong.
 */
async function checkSecrets(e: EmulatorCli, db: Map<string, string[]>, kv: Map<string, string[]>): Promise<string[]> {
  const problems: string[] = [];
  await pool(
    [...db].map(([id, values]) => async () => {
      const [scope, key] = id.split("/");
      const got = await e.call("GET", `/api/2.0/secrets/get?scope=${scope}&key=${key}`);
      const value = got.status === 200 ? Buffer.from(got.body.value, "base64").toString("utf8") : undefined;
      if (value === undefined || !values.includes(value)) problems.push(`Databricks secret ${id}: ${got.status} ${value ?? got.text}`);
    }),
    32,
  );
  await pool(
    [...kv].map(([name, values]) => async () => {
      const got = await e.call("GET", `/secrets/${name}?${KV_API}`);
      const versions = await e.call("GET", `/secrets/${name}/versions?${KV_API}`);
      const count = versions.status === 200 ? versions.body.value.length : -1;
      if (got.status !== 200 || !values.includes(got.body.value) || count !== values.length) problems.push(`Key Vault secret ${name}: ${got.status}, ${count} versions for ${values.length} sets`);
    }),
    32,
  );
  return problems;
}
