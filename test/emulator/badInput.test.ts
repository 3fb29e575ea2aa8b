/**
 * The emulator's bad-input table (`badInputCases.ts`) against an emulator persisting to a state
 * directory: each request gets the service's own error (status and body form), the emulator stays
 * healthy, its state is unchanged, and nothing appears outside the state directory.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { rawRequest, startTestEmulator, type TestEmulator } from "../support/emulator";
import { type EmulatorContext, EMULATOR_CASES, KINDS, SERVICES } from "./badInputCases";

/** Every entry below `dir` but `skip`, with its size: what a write, a move or a delete would change. */
function snapshot(dir: string, skip: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.join(e.parentPath, e.name))
    .filter((p) => p !== skip && !p.startsWith(skip + path.sep))
    .map((p) => `${path.relative(dir, p)} ${fs.lstatSync(p).isDirectory() ? "dir" : fs.lstatSync(p).size}`)
    .sort();
}

describe("Emulator: bad input gets the service's own error, no crash, nothing written outside its state directory", function () {
  this.timeout(120_000);
  let parent: string;
  let stateDir: string;
  let t: TestEmulator;
  let ctx: EmulatorContext;
  let initial: string[];
  const tried: Record<string, number> = {};

  const health = async () => (await t.control("GET", "/_emulator/health")).status;

  before(async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-bad-input-"));
    // A file beside the state directory: the snapshot below sees what is there.
    fs.writeFileSync(path.join(parent, "beside-the-state.txt"), "untouched\n");
    stateDir = path.join(parent, "state");
    t = await startTestEmulator({ stateDir });
    const e = t.emulator;
    ctx = { ws: `/subscriptions/${e.azureml.subscriptionId}/resourceGroups/${e.azureml.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${e.azureml.workspace}` };
    // A file for the move row to try to carry out of DBFS.
    assert.equal((await t.call("POST", "/api/2.0/dbfs/put", { path: "/FileStore/seed.txt", contents: Buffer.from("seed").toString("base64") })).status, 200);
    initial = snapshot(parent, stateDir);
    assert.deepEqual(initial, ["beside-the-state.txt 10"]);
  });
  after(async () => {
    await t?.close();
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    console.log(`      bad inputs tried: ${total} emulator cases (${Object.entries(tried).map(([s, n]) => `${s} ${n}`).join(", ")})`);
  });

  it(`the table covers ${SERVICES.join(", ")} and every kind of bad request, ${EMULATOR_CASES.length} rows`, () => {
    for (const service of SERVICES) {
      const kinds = new Set(EMULATOR_CASES.filter((c) => c.service === service).map((c) => c.kind));
      assert.ok(kinds.size >= 6, `${service}: ${[...kinds].join(", ")}`);
    }
    assert.deepEqual(KINDS.filter((k) => !EMULATOR_CASES.some((c) => c.kind === k)), []);
  });

  for (const row of EMULATOR_CASES) {
    it(`${row.service}: ${row.kind}: ${row.what} → ${row.expect.status}`, async () => {
      const body = row.body === undefined ? undefined : typeof row.body === "string" ? row.body : JSON.stringify(row.body);
      const headers = { Authorization: `Bearer ${t.emulator.token}`, "Content-Type": "application/json", Host: new URL(t.emulator.url).host };
      const r = await rawRequest(t.emulator.url, { method: row.method, path: row.path(ctx), headers, body });
      tried[row.service] = (tried[row.service] ?? 0) + 1;
      assert.equal(r.status, row.expect.status, r.text);
      if (row.expect.text !== undefined) assert.equal(r.text, row.expect.text);
      else assert.deepEqual(r.body, row.expect.body);
      assert.equal(await health(), 200);
    });
  }

  it("after the table: state as before (the seed file only), nothing new beside the state directory, the state directory in use", async () => {
    const root = await t.call("GET", "/api/2.0/dbfs/list?path=/FileStore");
    assert.deepEqual(root.body.files.map((f: { path: string }) => f.path), ["/FileStore/seed.txt"]);
    assert.deepEqual((await t.call("GET", "/api/2.0/workspace/list?path=/Shared")).body, {});
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/scopes/list")).body, {});
    assert.deepEqual((await t.call("GET", "/secrets?api-version=7.4")).body.value, []);
    for (const kind of ["components", "environments", "jobs", "schedules"]) {
      assert.deepEqual((await t.call("GET", `${ctx.ws}/${kind}?api-version=2025-12-01`)).body.value, [], kind);
    }
    assert.deepEqual(snapshot(parent, stateDir), initial);
    // The emulator did write: into its state directory (the seed file, the request log).
    const inState = snapshot(stateDir, path.join(stateDir, "tls"));
    assert.ok(inState.some((e) => e.startsWith("databricks")), inState.join("\n"));
    assert.ok(inState.some((e) => e.startsWith("requests.log ")), inState.join("\n"));
    assert.deepEqual(inState.filter((e) => /escape|moved/.test(e)), []);
    assert.equal(await health(), 200);
  });
});
