/**
 * Through the real CLI: a stack whose checkpoint sidecar a killed engine left empty (what the
 * crash suite met once in CI) fails every command with `failed to load checkpoint: EOF`;
 * `azureml-databricks-recover` removes the sidecar (and the stale lock) and completes, finding
 * the backend through `pulumi login` when PULUMI_BACKEND_URL is not set. Then the pending
 * operations it will not guess about: only deletes (`--destroy` or `--up` decides), and pending
 * creates under `--destroy`.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CliStack } from "../../../scripts/cliStack";
import { ensureEngine, offlineEnv, REPO_ROOT } from "../../../scripts/localEngine";

describe("recover after a kill that left the checkpoint's metadata sidecar empty", function () {
  this.timeout(5 * 60 * 1000);
  let work: string;
  let projectDir: string;
  let backendDir: string;
  let env: Record<string, string>;
  let stack: CliStack;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-sidecar-"));
    projectDir = path.join(work, "project");
    backendDir = path.join(work, "backend");
    fs.mkdirSync(projectDir);
    fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: sidecar\nruntime: nodejs\n");
    fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "sidecar", main: "index.js" }));
    fs.writeFileSync(path.join(projectDir, "index.js"), 'exports.answer = 42;\n');
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(projectDir, "node_modules"), "dir");
    env = offlineEnv({ engineBin: ensureEngine(), backendDir, passphrase: "sidecar-pass" });
    stack = await CliStack.select({ projectDir, stackName: "dev", env });
    await stack.run(["up", "--yes", "--skip-preview"]);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  /** Runs the package's recover command in the project as a user does (`loggedIn`: the backend chosen by `pulumi login` in a PULUMI_HOME of its own, not by PULUMI_BACKEND_URL). */
  async function recoverCli(args: string[], loggedIn = false): Promise<{ code: number | null; out: string }> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (loggedIn) {
      const home = path.join(work, "pulumi-home");
      fs.mkdirSync(home, { recursive: true });
      delete childEnv.PULUMI_BACKEND_URL;
      childEnv.PULUMI_HOME = home;
      const login = spawnSync("pulumi", ["login", `file://${backendDir}`], { env: childEnv, encoding: "utf8" });
      assert.equal(login.status, 0, login.stderr);
    }
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "src", "recovery", "cli.js"), "--stack", "dev", ...args], {
      cwd: projectDir,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (out += c));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    return { code, out };
  }
  const recoverLines = (out: string) => out.split("\n").filter((l) => l.startsWith("recover: "));

  it("every command fails with the engine's EOF; recover removes the sidecar and the stale lock, then completes", async () => {
    const sidecar = path.join(backendDir, ".pulumi", "stacks", "sidecar", "dev.json.attrs");
    assert.ok(JSON.parse(fs.readFileSync(sidecar, "utf8")), "the backend writes a JSON sidecar");
    // What SIGKILL between fileblob's truncate and write leaves, and the lock of the killed engine.
    fs.writeFileSync(sidecar, "");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const lockDir = path.join(backendDir, ".pulumi", "locks", "organization", "sidecar", "dev");
    fs.mkdirSync(lockDir, { recursive: true });
    fs.writeFileSync(path.join(lockDir, "killed.json"), JSON.stringify({ pid: Number(dead.stdout), username: "u", hostname: os.hostname(), timestamp: "2026-12-02T00:00:00Z" }));

    await assert.rejects(stack.run(["stack", "export"]), (err: Error) => err.message.includes("error: failed to load checkpoint: EOF"));

    const { code, out } = await recoverCli([], true);
    assert.equal(code, 0, out);
    assert.deepEqual(
      recoverLines(out),
      [
        `recover: removed ${sidecar} (0 bytes): metadata the killed engine cut short while saving the stack, which fails every pulumi command with "failed to load checkpoint: EOF" (or "unexpected EOF"); the state file beside it holds the engine's previous save`,
        `recover: pulumi cancel (the lock left by pid ${dead.stdout}: that process is gone from this machine)`,
        "recover: the stack has no pending operations",
        "recover: pulumi up (0 pending create(s) adopt the object they made, if any)",
        "recover: done; the stack has no pending operations.",
      ],
    );
    assert.deepEqual(fs.readdirSync(lockDir), []);
    const exported = JSON.parse(await stack.run(["stack", "export"])) as { deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] } };
    assert.deepEqual(exported.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs, { answer: 42 });
  });

  it("only pending deletes: recover asks whether a destroy or an up was interrupted; --up finishes the up", async () => {
    const stateFile = path.join(backendDir, ".pulumi", "stacks", "sidecar", "dev.json");
    const clean = fs.readFileSync(stateFile, "utf8");
    const state = JSON.parse(clean) as { checkpoint: { latest: { resources: { urn: string; type: string }[] } & Record<string, unknown> } };
    const stackResource = state.checkpoint.latest.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
    state.checkpoint.latest.pending_operations = [{ resource: stackResource, type: "deleting" }];
    fs.writeFileSync(stateFile, JSON.stringify(state));

    const asked = await recoverCli([]);
    assert.equal(asked.code, 1, asked.out);
    assert.deepEqual(recoverLines(asked.out), [
      `recover: interrupted while deleting ${stackResource.urn}`,
      "recover: every pending operation is a delete, as a killed pulumi destroy leaves (an up would create again what the destroy removed): run recover --destroy if the interrupted command was pulumi destroy, or recover --up if it was pulumi up",
    ]);
    const both = await recoverCli(["--up", "--destroy"]);
    assert.equal(both.code, 1, both.out);
    assert.equal(both.out.trim(), "recover: --destroy and --up name different interrupted commands: give the one that was interrupted");

    const up = await recoverCli(["--up"]);
    assert.equal(up.code, 0, up.out);
    assert.deepEqual(recoverLines(up.out), [
      `recover: interrupted while deleting ${stackResource.urn}`,
      "recover: pulumi up (0 pending create(s) adopt the object they made, if any)",
      "recover: done; the stack has no pending operations.",
    ]);
    const exported = JSON.parse(await stack.run(["stack", "export"])) as { deployment: { pending_operations?: unknown[]; resources: { type: string; outputs?: Record<string, unknown> }[] } };
    assert.deepEqual(exported.deployment.pending_operations ?? [], []);
    assert.deepEqual(exported.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs, { answer: 42 });
  });

  it("--destroy refuses pending creates (an interrupted up's), then finishes the destroy once they are gone", async () => {
    // A pending create as a killed up leaves it in the state file (`stack import` drops pending operations).
    const stateFile = path.join(backendDir, ".pulumi", "stacks", "sidecar", "dev.json");
    const clean = fs.readFileSync(stateFile, "utf8");
    const state = JSON.parse(clean) as { checkpoint: { latest: Record<string, unknown> } };
    const urn = "urn:pulumi:dev::sidecar::pulumi-nodejs:dynamic:Resource::made-by-a-killed-up";
    state.checkpoint.latest.pending_operations = [{ resource: { urn, custom: true, type: "pulumi-nodejs:dynamic:Resource" }, type: "creating" }];
    fs.writeFileSync(stateFile, JSON.stringify(state));

    const refused = await recoverCli(["--destroy"]);
    assert.equal(refused.code, 1, refused.out);
    assert.deepEqual(recoverLines(refused.out), [
      `recover: interrupted while creating ${urn}`,
      "recover: 1 pending create(s) are an interrupted pulumi up's, not a destroy's: run recover without --destroy first (it records what they made), then pulumi destroy",
    ]);

    // The user has dealt with it (recover without --destroy, or checked the service): the pending create is gone.
    fs.writeFileSync(stateFile, clean);
    const done = await recoverCli(["--destroy"]);
    assert.equal(done.code, 0, done.out);
    assert.deepEqual(recoverLines(done.out), [
      "recover: the stack has no pending operations",
      "recover: pulumi destroy (finishing the interrupted destroy)",
      "recover: done; the stack has no pending operations.",
    ]);
    const after = JSON.parse(await stack.run(["stack", "export"])) as { deployment: { resources?: unknown[] } };
    assert.deepEqual(after.deployment.resources ?? [], []);
  });
});

