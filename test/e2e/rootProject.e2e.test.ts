import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stateFilePath } from "../../scripts/cliStack";
import { REPO_ROOT } from "../../scripts/localEngine";
import { FROZEN_PROVIDER_ENTRY, providerRequires, resourceList, stateResources } from "./support/projectFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";
const COMPONENT = "azureml-databricks:index:DatabricksPipeline";
/** What the downstream step writes for the program's default 10 rows of (id, id²). */
const SUMMARY = '{"rows": 10, "columns": ["id", "square"], "first_rows": [{"id": 0, "square": 0}, {"id": 1, "square": 1}, {"id": 2, "square": 4}], "sum_of_squares": 285}';

/**
 * The repository's own project as a user runs it: `npm start` (`node dist/scripts/demo.js up`),
 * which starts the emulator in the background, runs `pulumi up` in the repository root (the CLI
 * starting the Node.js language host on Pulumi.yaml's `main`, the DatabricksPipeline flow) and
 * prints what happened. Its local folder is a temporary one (`AMLDB_LOCAL_DIR`) and the emulator
 * takes any free port, so the test leaves the repository's `.local/` alone.
 */
describe("the root project through npm start (the pulumi CLI and the language host)", function () {
  this.timeout(15 * 60 * 1000);
  let localDir: string;
  const outputs: string[] = [];
  const hadRootConfig = fs.existsSync(path.join(REPO_ROOT, "Pulumi.local.yaml"));

  /** Runs a script of dist/scripts as npm does; resolves to its output (stdout and stderr), failing on a non-zero exit. */
  function script(file: string, args: string[]): Promise<string> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", file), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, AMLDB_LOCAL_DIR: localDir, AMLDB_EMULATOR_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    return new Promise((resolve, reject) =>
      child.once("close", (code) => {
        outputs.push(output);
        if (code === 0) resolve(output);
        else reject(new Error(`${file} ${args.join(" ")} exited with code ${code}:\n${output}`));
      }),
    );
  }

  const timed = async (label: string, run: () => Promise<string>) => {
    const started = Date.now();
    const out = await run();
    console.log(`      ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return out;
  };
  const resources = () => stateResources(stateFilePath(path.join(localDir, "state"), REPO_ROOT, "local"));

  before(() => {
    localDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-root-"));
  });

  after(async () => {
    if (!localDir) return;
    await script("emulatorCtl.js", ["stop"]).catch(() => undefined);
    fs.rmSync(localDir, { recursive: true, force: true });
  });

  it("previews the flow's twelve creates", async () => {
    const out = await script("demo.js", ["preview"]);
    assert.match(out, /^Emulator started at https:\/\/127\.0\.0\.1:\d+ \(pid \d+;/m);
    assert.match(out, /\+ 12 to create/);
  });

  it("up provisions the DatabricksPipeline, runs the notebook on Spark and the downstream step, and prints what happened", async () => {
    const out = await timed("first npm start", () => script("demo.js", ["up"]));
    assert.match(out, /^Emulator already running at https:\/\/127\.0\.0\.1:\d+/m);
    const report = out.slice(out.indexOf("\nWhat happened\n"));
    const lines = report.split("\n");
    assert.equal(lines[2], "  pulumi up: 12 created.");
    assert.match(lines[3], /^ {2}Azure ML pipeline job parquet-run_[0-9a-f]{20}: Completed \(step "databricks" Completed; step "summarize" Completed\)\.$/);
    assert.match(lines[4], /^ {2}The notebook \/Shared\/parquet\/to_parquet ran on Spark \d+\.\d+\.\d+: Databricks run \d+ TERMINATED SUCCESS, 10 rows written\.$/);
    assert.match(lines[6], /^ {4}azureml:\/\/datastores\/workspaceblobstore\/paths\/azureml\/[0-9a-f-]{36}\/output_path\/$/);
    assert.match(lines[7], /^ {4}https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/azureml-blobstore-[0-9a-f-]{36}\/azureml\/[0-9a-f-]{36}\/output_path\/$/);
    const files = lines.slice(8, lines.findIndex((l) => l.startsWith('  The downstream step "summarize"')));
    assert.equal(files[0], "      _SUCCESS (0 bytes)");
    assert.ok(files.length > 1 && files.slice(1).every((f) => /^ {6}part-\d{5}-[0-9a-f-]+-c000\.snappy\.parquet \(\d+ bytes\)$/.test(f)), files.join("\n"));
    const summaryAt = lines.findIndex((l) => l.startsWith('  The downstream step "summarize"'));
    assert.match(lines[summaryAt], /^ {2}The downstream step "summarize" read it and wrote azureml:\/\/datastores\/workspaceblobstore\/paths\/azureml\/[0-9a-f-]{36}\/result\/summary\.json:$/);
    assert.equal(lines[summaryAt + 1], `    ${SUMMARY}`);
    assert.equal(lines[summaryAt + 2], `  Pages to open (sign in with the token in ${path.join(localDir, "emulator-token")}):`);
    assert.match(lines[summaryAt + 3], /^ {4}Azure ML job: {3}https:\/\/127\.0\.0\.1:\d+\/runs\/parquet-run_[0-9a-f]{20}\?wsid=\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/rg-local\/workspaces\/local-aml$/);
    assert.match(lines[summaryAt + 4], /^ {4}Databricks run: https:\/\/127\.0\.0\.1:\d+\/\?o=\d+#job\/\d+\/run\/\d+$/);
    assert.match(lines[summaryAt + 5], /^ {4}Everything: {5}https:\/\/127\.0\.0\.1:\d+\/index$/);
  });

  it("puts every child under the DatabricksPipeline and stores no module path in state but the frozen provider entry", () => {
    const all = resources();
    assert.deepEqual(resourceList(all), [
      `${COMPONENT}::parquet`,
      `${DYNAMIC}:AmlComponent::parquet-databricks-component`,
      `${DYNAMIC}:AmlComponent::parquet-summarize`,
      `${DYNAMIC}:AmlEnvironment::parquet-summarize-env`,
      `${DYNAMIC}:AmlPipelineRun::parquet-run`,
      `${DYNAMIC}:DatabricksBlobMount::parquet-mount`,
      `${DYNAMIC}:DatabricksComputeAttachment::parquet-compute`,
      `${DYNAMIC}:DatabricksSecret::parquet-storage-key`,
      `${DYNAMIC}:DatabricksSecretScope::parquet-scope`,
      `${DYNAMIC}:DatabricksWorkspaceItem::parquet-notebook`,
      `${DYNAMIC}:KeyVaultSecret::parquet-token`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::azureml-databricks-local",
    ]);
    const dynamic = all.filter((r) => r.type.startsWith(`${DYNAMIC}:`));
    assert.equal(dynamic.length, 10);
    for (const r of dynamic) assert.ok(r.urn.includes(`::${COMPONENT}$${r.type}::`), r.urn);
    const { providers, modulePaths } = providerRequires(all);
    assert.equal(providers, 2 * dynamic.length);
    assert.deepEqual(modulePaths, [FROZEN_PROVIDER_ENTRY]);
  });

  it("a second npm start with nothing changed re-runs nothing, and says so", async () => {
    const jobs = resources().find((r) => r.type === `${DYNAMIC}:AmlPipelineRun`)?.outputs?.jobName;
    const out = await timed("unchanged npm start", () => script("demo.js", ["up"]));
    assert.match(out, /^ {4}12 unchanged$/m);
    assert.ok(out.includes("\n  Nothing changed, nothing ran again: all 12 resources are `same`; what follows is the run the stack already recorded.\n"), out);
    assert.ok(out.includes(`\n    ${SUMMARY}\n`), out);
    assert.equal(resources().find((r) => r.type === `${DYNAMIC}:AmlPipelineRun`)?.outputs?.jobName, jobs);
  });

  it("npm run recover clears what a killed npm start leaves (a stale lock, an empty state sidecar) and changes nothing else", async () => {
    // What SIGKILL of `pulumi up` can leave in the file backend: its lock, and the checkpoint's metadata sidecar cut short.
    const stateFile = stateFilePath(path.join(localDir, "state"), REPO_ROOT, "local");
    fs.writeFileSync(`${stateFile}.attrs`, "");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const lockDir = path.join(localDir, "state", ".pulumi", "locks", "organization", "azureml-databricks", "local");
    fs.mkdirSync(lockDir, { recursive: true });
    fs.writeFileSync(path.join(lockDir, "killed.json"), JSON.stringify({ pid: Number(dead.stdout), username: "u", hostname: os.hostname(), timestamp: "2026-12-02T00:00:00Z" }));
    // Each resource's URN and outputs, secrets as "[secret]" (the engine encrypts them anew at each write).
    const SECRET_SIG = "4dabf18193072939515e22adb298388d";
    const byUrn = () =>
      resources()
        .sort((a, b) => a.urn.localeCompare(b.urn))
        .map((r) => JSON.stringify([r.urn, r.outputs], (_k, v: unknown) => (v && typeof v === "object" && SECRET_SIG in v ? "[secret]" : v)));
    const before = byUrn();

    const out = await timed("npm run recover", () => script("demo.js", ["recover"]));
    assert.deepEqual(
      out.split("\n").filter((l) => l.startsWith("recover: ")),
      [
        `recover: removed ${stateFile}.attrs (0 bytes): metadata the killed engine cut short while saving the stack, which fails every pulumi command with "failed to load checkpoint: EOF" (or "unexpected EOF"); the state file beside it holds the engine's previous save`,
        `recover: pulumi cancel (the lock left by pid ${dead.stdout}: that process is gone from this machine)`,
        "recover: the stack has no pending operations",
        "recover: pulumi up (0 pending create(s) adopt the object they made, if any)",
        "recover: done; the stack has no pending operations.",
      ],
    );
    assert.match(out, /^ {4}12 unchanged$/m);
    assert.deepEqual(fs.readdirSync(lockDir), []);
    assert.deepEqual(byUrn(), before);
  });

  it("keeps the stack's configuration and the emulator's token out of the repository, the state and the output", () => {
    assert.ok(fs.existsSync(path.join(localDir, "Pulumi.local.yaml")));
    assert.equal(fs.existsSync(path.join(REPO_ROOT, "Pulumi.local.yaml")), hadRootConfig);
    const token = fs.readFileSync(path.join(localDir, "emulator-token"), "utf8").trim();
    const state = fs.readFileSync(stateFilePath(path.join(localDir, "state"), REPO_ROOT, "local"), "utf8");
    assert.ok(token.length >= 32 && state.includes("KeyVaultSecret") && outputs.join("").includes("What happened"), "the scanned token, state and output are not empty");
    assert.ok(!state.includes(token), "state leaks the token");
    assert.ok(!outputs.join("").includes(token), "the output leaks the token");
  });

  it("destroys everything, and the emulator stops on request", async () => {
    const out = await script("demo.js", ["destroy"]);
    assert.match(out, /^ {4}- 12 deleted$/m);
    assert.deepEqual(resources(), []);
    assert.match(await script("emulatorCtl.js", ["status"]), /^Running at https:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    assert.match(await script("emulatorCtl.js", ["stop"]), /^Stopped the emulator \(pid \d+\)\.$/m);
    assert.equal(await script("emulatorCtl.js", ["status"]), "Not running (`npm run emulator -- start` or `npm start` starts it).\n");
  });
});
