import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { b64, SMALL_CLUSTER } from "../../support/databricksWire";
import { httpCaller, until, withEmulator, type Call } from "../../support/emulator";
import { startEmulatorProcess } from "../../support/emulatorProcess";

const MB = 1024 * 1024;
const KV = "api-version=7.5";
const TOKEN = "crash-test-token-91c2";

const startChild = (stateDir: string) => startEmulatorProcess(stateDir, TOKEN);

/**
 * A stream of writes, one at a time: `write(i)` sends write number i; the stream records each one
 * acknowledged (200) until it is stopped or a write fails (the emulator is gone).
 */
function stream(write: (i: number) => Promise<number>): { acked: () => number; stop: () => Promise<void> } {
  let acked = -1;
  let stopped = false;
  const done = (async () => {
    for (let i = 0; !stopped; i++) {
      try {
        if ((await write(i)) !== 200) return;
      } catch {
        return;
      }
      acked = i;
    }
  })();
  return {
    acked: () => acked,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

const status = async (reply: ReturnType<Call>): Promise<number> => (await reply).status;

describe("emulator crash safety", function () {
  this.timeout(120_000);
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-crash-"));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it("keeps every acknowledged write when the process is killed in the middle of a stream of them", async () => {
    const child = await startChild(stateDir);
    const call = httpCaller(child.url, TOKEN);
    assert.equal((await call("POST", "/api/2.0/secrets/scopes/create", { scope: "crash" })).status, 200);
    const task = { task_key: "t", notebook_task: { notebook_path: "/Shared/missing" }, new_cluster: SMALL_CLUSTER };
    const runIds: number[] = [];
    const streams = {
      vault: stream((i) => status(call("PUT", `/secrets/s${i}?${KV}`, { value: `v${i}` }))),
      scope: stream((i) => status(call("POST", "/api/2.0/secrets/put", { scope: "crash", key: `k${i}`, string_value: `v${i}` }))),
      jobs: stream((i) => status(call("POST", "/api/2.1/jobs/create", { name: `j${i}` }))),
      runs: stream(async (i) => {
        const r = await call("POST", "/api/2.1/jobs/runs/submit", { run_name: `r${i}`, tasks: [task] });
        if (r.status === 200) runIds.push(r.body.run_id);
        return r.status;
      }),
      dbfs: stream((i) => status(call("POST", "/api/2.0/dbfs/put", { path: "/big.bin", contents: b64(Buffer.alloc(MB, i % 250)), overwrite: true }))),
      notebook: stream((i) =>
        status(call("POST", "/api/2.0/workspace/import", { path: "/Shared/nb", format: "SOURCE", language: "PYTHON", content: b64(`x = ${i}\n`), overwrite: true })),
      ),
    };
    await until(
      () => `every stream has acknowledged a few writes (${Object.entries(streams).map(([k, s]) => `${k}: ${s.acked() + 1}`)})`,
      () => Object.values(streams).every((s) => s.acked() >= 3) && streams.vault.acked() >= 30,
      60_000,
    );
    await child.kill();
    for (const s of Object.values(streams)) await s.stop();
    const acked = Object.fromEntries(Object.entries(streams).map(([k, s]) => [k, s.acked()])) as Record<keyof typeof streams, number>;

    await withEmulator({ stateDir }, async ({ call: after }) => {
      for (let i = 0; i <= acked.vault; i++) assert.equal((await after("GET", `/secrets/s${i}?${KV}`)).body?.value, `v${i}`, `vault write ${i}`);
      for (let i = 0; i <= acked.scope; i++) assert.deepEqual((await after("GET", `/api/2.0/secrets/get?scope=crash&key=k${i}`)).body, { key: `k${i}`, value: b64(`v${i}`) });
      const jobs = new Set<string>();
      for (let page: string | undefined = ""; page !== undefined; ) {
        const r = await after("GET", `/api/2.1/jobs/list?limit=100${page ? `&page_token=${page}` : ""}`);
        for (const j of r.body.jobs ?? []) jobs.add(j.settings.name);
        page = r.body.next_page_token;
      }
      for (let i = 0; i <= acked.jobs; i++) assert.ok(jobs.has(`j${i}`), `job j${i} of ${acked.jobs + 1}`);
      for (const runId of runIds) assert.equal((await after("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`)).status, 200, `run ${runId}`);
      // The file is one whole version: the last acknowledged, or the one in flight at the kill.
      const big = fs.readFileSync(path.join(stateDir, "databricks", "dbfs", "big.bin"));
      assert.equal(big.length, MB);
      assert.ok([acked.dbfs % 250, (acked.dbfs + 1) % 250].includes(big[0]) && big.every((b) => b === big[0]), `DBFS file of write ${big[0]}, last acknowledged ${acked.dbfs}`);
      const exported = Buffer.from((await after("GET", "/api/2.0/workspace/export?path=/Shared/nb&format=SOURCE")).body.content, "base64").toString("utf8");
      assert.ok([`x = ${acked.notebook}`, `x = ${acked.notebook + 1}`].some((x) => exported.endsWith(`${x}\n`)), `${exported} after ${acked.notebook}`);
    });
  });
});
