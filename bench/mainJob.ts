/**
 * The main job (the root program, `npm start`'s path: the CLI runs Pulumi.yaml's `main` against
 * the background emulator): a first `up`, an unchanged `up`, and an `up` after an edit of the
 * notebook (a copy of examples/local/notebooks/to_parquet.py, set as the stack's `notebook`, with
 * a comment appended), in a fresh local folder and on a port of its own. Each `up`'s wall time is
 * split, from the CLI's lines (each step's "created (12s)" line, stamped as it arrives: 1-s
 * resolution) and the emulator's run records:
 * - notebook: Databricks runs executing (start + setup_duration, for execution_duration);
 * - emulator: the rest of those runs (simulated cluster setup and clean-up);
 * - providers: steps in flight outside the runs (checks, diffs, REST calls, waits);
 * - engine: the rest (CLI, language host and program start, plugin loading, state writes).
 * The shares are of intervals' unions, so concurrent steps count once. Run: `npm run bench -- main`.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { CliStack } from "../scripts/cliStack";
import { emulatorToken, ensureEmulator, localTargetEnv, persistentSecret, stopEmulator } from "../scripts/emulatorDaemon";
import { ensureEngine, offlineEnv, REPO_ROOT } from "../scripts/localEngine";

const NOTEBOOK = path.join(REPO_ROOT, "examples", "local", "notebooks", "to_parquet.py");
type Interval = [number, number];

export async function mainJob(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-bench-main-"));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const original = fs.readFileSync(NOTEBOOK, "utf8");
  const notebook = path.join(dir, "to_parquet.py");
  fs.writeFileSync(notebook, original);
  try {
    const engineBin = ensureEngine();
    const { info: emulator } = await ensureEmulator(dir, port);
    const token = emulatorToken(dir);
    const env = offlineEnv({
      engineBin,
      backendDir: path.join(dir, "state"),
      passphrase: persistentSecret(dir, "passphrase", 32),
      extra: localTargetEnv(emulator, token),
    });
    const stack = await CliStack.select({ projectDir: REPO_ROOT, stackName: "local", env, configFile: path.join(dir, "Pulumi.local.yaml") });
    await stack.setConfig("keyVaultUrl", emulator.keyVaultUrl);
    await stack.setConfig("databricksUrl", emulator.url);
    await stack.setConfig("databricksToken", token, { secret: true });
    await stack.setConfig("notebook", notebook);
    const ca = emulator.caPath ? fs.readFileSync(emulator.caPath) : undefined;
    const runs = async (): Promise<Run[]> => {
      const all: Run[] = [];
      for (let page: string | undefined = ""; page !== undefined; ) {
        const body = JSON.parse(await get(`${emulator.url}/api/2.1/jobs/runs/list?limit=25&expand_tasks=true${page ? `&page_token=${encodeURIComponent(page)}` : ""}`, token, ca)) as { runs?: Run[]; has_more?: boolean; next_page_token?: string };
        all.push(...(body.runs ?? []));
        page = body.has_more && body.next_page_token ? body.next_page_token : undefined;
      }
      return all;
    };
    const up = async (label: string) => {
      const started = Date.now();
      const lines = await stampedLines(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "local", "--config-file", path.join(dir, "Pulumi.local.yaml")], { ...process.env, ...env });
      const ended = Date.now();
      fs.writeFileSync(path.join(os.tmpdir(), `amldb-bench-main-${label.replace(/\W+/g, "-")}.log`), lines.map((l) => `${new Date(l.at).toISOString()} ${l.text}`).join("\n"));
      console.log(`${label}: ${((ended - started) / 1000).toFixed(1)} s; ${shares([started, ended], steps(lines), await runs())}`);
    };
    await up("first up");
    await up("unchanged up");
    fs.writeFileSync(notebook, `${original}\n# bench: an edit\n`);
    await up("notebook edit up");
  } finally {
    await stopEmulator(dir).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Run {
  start_time?: number;
  end_time?: number;
  setup_duration?: number;
  execution_duration?: number;
  tasks?: Run[];
}

/** Runs the CLI in the project's folder; each line of its output with when it arrived. */
function stampedLines(args: string[], env: NodeJS.ProcessEnv): Promise<Array<{ at: number; text: string }>> {
  const child = spawn("pulumi", args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Array<{ at: number; text: string }> = [];
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split("\n");
    partial = parts.pop() ?? "";
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(lines) : reject(new Error(`pulumi ${args[0]} exited with ${code}: ${[...lines.map((l) => l.text), errors].join("\n").slice(-3000)}`))));
  });
}

/** Each step's span: a resource's "created (12s)" line (not the stack's) ends it, that long after it started. */
function steps(lines: Array<{ at: number; text: string }>): Interval[] {
  const spans: Interval[] = [];
  for (const { at, text } of lines) {
    const m = /\s(created|created replacement|updated|replaced|deleted|deleted original|read|creating failed|updating failed)\s+\((\d+)s\)/.exec(text);
    if (m && !text.includes("pulumi:pulumi:Stack")) spans.push([at - Number(m[2]) * 1000 - 999, at]);
  }
  return spans;
}

function shares(window: Interval, providerSpans: Interval[], runs: Run[]): string {
  const clip = (list: Interval[]) => list.map(([a, b]): Interval => [Math.max(a, window[0]), Math.min(b, window[1])]).filter(([a, b]) => b > a);
  const leaves = runs.flatMap((r) => (r.tasks?.length ? r.tasks : [r]));
  const runSpans = clip(leaves.filter((r) => r.start_time && r.end_time).map((r): Interval => [r.start_time!, r.end_time!]));
  const notebook = clip(leaves.filter((r) => r.start_time && r.execution_duration).map((r): Interval => [r.start_time! + (r.setup_duration ?? 0), r.start_time! + (r.setup_duration ?? 0) + r.execution_duration!]));
  const total = window[1] - window[0];
  const nb = length(notebook);
  const emulatorMs = length(runSpans) - nb;
  const providersMs = Math.max(0, length([...clip(providerSpans), ...runSpans]) - length(runSpans));
  const engineMs = Math.max(0, total - length([...clip(providerSpans), ...runSpans]));
  const pct = (v: number) => `${((100 * v) / total).toFixed(0)} %`;
  return `${providerSpans.length} steps; engine ${pct(engineMs)}, providers ${pct(providersMs)}, emulator (run setup/clean-up) ${pct(emulatorMs)}, notebook ${pct(nb)} (${runSpans.length} Databricks runs in the window)`;
}

/** The length of a union of intervals. */
function length(list: Interval[]): number {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of sorted) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

function get(url: string, token: string, ca: Buffer | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { headers: { Authorization: `Bearer ${token}` }, ...(ca && { ca }) }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url} answered ${res.statusCode}: ${body}`))));
    });
    req.on("error", reject);
  });
}
