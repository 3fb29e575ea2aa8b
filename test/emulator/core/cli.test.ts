import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCliArgs, TOKEN_FLAG_WARNING } from "../../../src/emulator/cli";
import { ManualClock } from "../../../src/emulator";
import { startEmulatorProcess } from "../../../scripts/localEmulator";
import { trustInThisProcess } from "../../support/trust";
import { until } from "../../support/emulator";

describe("emulator CLI", () => {
  describe("arguments", () => {
    it("reads every flag into emulator options, the token from the environment unless given", () => {
      const argv = ["--host", "0.0.0.0", "--port", "8123", "--state-dir", "state", "--loose", "--databricks-lifecycle", "immediate", "--python", "/usr/bin/python3", "--max-running-tasks", "3"];
      assert.deepEqual(parseCliArgs(argv, { AMLDB_LOCAL_TOKEN: "from-env" }), {
        host: "0.0.0.0",
        port: 8123,
        stateDir: path.resolve("state"),
        token: "from-env",
        loose: true,
        databricks: { lifecycle: "immediate", python: "/usr/bin/python3", maxRunningTasks: 3 },
      });
      assert.deepEqual(parseCliArgs(["--databricks-lifecycle", "immediate"], {}).databricks, { lifecycle: "immediate" });
      assert.equal(parseCliArgs(["--token", "given"], { AMLDB_LOCAL_TOKEN: "from-env" }).token, "given");
      assert.deepEqual(parseCliArgs([], {}), { host: undefined, port: undefined, stateDir: undefined, token: undefined, loose: false });
    });

    it("takes --token only with a warning that it is visible on the command line", () => {
      const warnings: string[] = [];
      assert.equal(parseCliArgs(["--token", "given"], {}, (w) => warnings.push(w)).token, "given");
      assert.deepEqual(warnings, [TOKEN_FLAG_WARNING]);
      assert.equal(
        TOKEN_FLAG_WARNING,
        "warning: --token puts the token on the command line, where every user of this machine can read it; set AMLDB_LOCAL_TOKEN instead.",
      );
      parseCliArgs(["--port", "0"], { AMLDB_LOCAL_TOKEN: "from-env" }, (w) => warnings.push(w));
      assert.equal(warnings.length, 1, "no warning without --token");
    });

    it("reads the blob port from --blob-port and further storage accounts from AZURITE_ACCOUNTS (Azurite's format)", () => {
      assert.deepEqual(parseCliArgs(["--blob-port", "10000"], { AZURITE_ACCOUNTS: "acct1:a2V5MQ==:a2V5Mg==; acct2:a2V5Mw==" }).blobStorage, {
        port: 10000,
        accounts: { acct1: "a2V5MQ==", acct2: "a2V5Mw==" },
      });
      assert.deepEqual(parseCliArgs([], { AZURITE_ACCOUNTS: "acct1:a2V5MQ==" }).blobStorage, { port: undefined, accounts: { acct1: "a2V5MQ==" } });
      assert.throws(() => parseCliArgs(["--blob-port", "blob"], {}), { message: '--blob-port must be an integer from 0 to 65535, not "blob".' });
      assert.throws(() => parseCliArgs([], { AZURITE_ACCOUNTS: "acct1" }), {
        message: 'AZURITE_ACCOUNTS entries look like name:key or name:key1:key2, separated by ";" (an entry is malformed).',
      });
    });

    it("gives a manual clock with --manual-clock", () => {
      assert.ok(parseCliArgs(["--manual-clock"], {}).clock instanceof ManualClock);
    });

    it("refuses a bad port, lifecycle or task limit, and unknown flags, naming them", () => {
      assert.throws(() => parseCliArgs(["--port", "70000"], {}), { message: '--port must be an integer from 0 to 65535, not "70000".' });
      assert.throws(() => parseCliArgs(["--databricks-lifecycle", "slow"], {}), { message: '--databricks-lifecycle must be "immediate" or "realistic", not "slow".' });
      for (const bad of ["0", "1001", "2.5", "many"]) {
        assert.throws(() => parseCliArgs(["--max-running-tasks", bad], {}), { message: `--max-running-tasks must be an integer from 1 to 1000, not "${bad}".` });
      }
      assert.throws(() => parseCliArgs(["--nope"], {}), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
    });
  });

  it("runs as a process: one JSON line when ready, one line per request, a manual clock, stops on SIGTERM", async function () {
    this.timeout(30_000);
    const token = "cli-test-token-5d1e";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-cli-"));
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../../../src/emulator/cli.ts"), "--port", "0", "--state-dir", dir, "--manual-clock"], {
      env: { ...process.env, AMLDB_LOCAL_TOKEN: token },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await until(
        () => `the CLI says it listens (stderr: ${stderr})`,
        () => {
          if (child.exitCode !== null) assert.fail(`the CLI exited early with ${child.exitCode}: ${stderr}`);
          return stdout.includes("\n");
        },
        20_000,
      );
      const ready = JSON.parse(stdout.trim()) as { event: string; url: string; keyVaultUrl: string; blobUrl: string; tokenUrl: string; stateDir: string | null; caPath: string; clientEnv: Record<string, string> };
      assert.match(ready.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(ready, {
        event: "listening",
        url: ready.url,
        keyVaultUrl: ready.url,
        blobUrl: ready.blobUrl,
        tokenUrl: `${ready.url}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token`,
        stateDir: dir,
        caPath: path.join(dir, "tls", "ca.pem"),
        clientEnv: { NODE_EXTRA_CA_CERTS: ready.clientEnv.NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE: ready.clientEnv.REQUESTS_CA_BUNDLE, SSL_CERT_FILE: ready.clientEnv.REQUESTS_CA_BUNDLE },
      });
      for (const bundle of [ready.clientEnv.NODE_EXTRA_CA_CERTS, ready.clientEnv.REQUESTS_CA_BUNDLE]) {
        assert.ok(fs.readFileSync(bundle, "utf8").includes(fs.readFileSync(ready.caPath, "utf8").trim()), `${bundle} holds the CA`);
      }
      assert.match(ready.blobUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
      trustInThisProcess(ready.caPath);
      const r = await fetch(`${ready.url}/secrets/cli?api-version=7.5`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ value: "v" }),
      });
      assert.equal(r.status, 200, "the token came from AMLDB_LOCAL_TOKEN");
      const advanced = await fetch(`${ready.url}/_emulator/clock`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ advanceMs: 1000 }),
      });
      assert.deepEqual([advanced.status, ((await advanced.json()) as { manual: boolean }).manual], [200, true]);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
    assert.equal(stdout.trim().split("\n").length, 1, "exactly one line on stdout");
    assert.ok(!stdout.includes(token) && !stderr.includes(token), "the token is never printed");
    assert.deepEqual(stderr.trim().split("\n"), [
      `emulator listening on ${JSON.parse(stdout).url}; its CA is ${path.join(dir, "tls", "ca.pem")} (trust it with NODE_EXTRA_CA_CERTS=${path.join(dir, "tls", "ca.pem")} for Node.js, REQUESTS_CA_BUNDLE for Python, or your system's store)`,
      "PUT /secrets/cli 200",
      "POST /_emulator/clock 200",
      "SIGTERM: stopping",
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is started by scripts/localEmulator.ts with its token in the environment, not on the command line", async function () {
    if (process.platform !== "linux") this.skip();
    this.timeout(30_000);
    const token = `cmdline-canary-${randomBytes(8).toString("hex")}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-cmdline-"));
    const emulator = await startEmulatorProcess({
      repoRoot: path.join(__dirname, "../../.."),
      port: 0,
      stateDir: dir,
      token,
      cli: ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../../../src/emulator/cli.ts")],
    });
    try {
      assert.equal(emulator.caPath, path.join(dir, "tls", "ca.pem"));
      trustInThisProcess(emulator.caPath!);
      const cmdline = fs.readFileSync(`/proc/${emulator.pid}/cmdline`, "utf8").split("\0").slice(0, -1);
      assert.ok(cmdline.includes("--state-dir") && cmdline.includes(dir), `the command line was read: ${cmdline.join(" ")}`);
      assert.deepEqual(cmdline.filter((arg) => arg.includes(token)), []);
      const health = await fetch(`${emulator.url}/_emulator/health`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(health.status, 200, "the emulator took the token from its environment");
    } finally {
      await emulator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
