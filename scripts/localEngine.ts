/**
 * Runs the real Pulumi engine offline: the CLI and the Node.js language host from PATH or the
 * build cache (see ensure-engine.sh), a file backend, a passphrase secrets provider, no update
 * checks and no plugin downloads. Project directories run through the CLI (`cliStack.ts`); inline
 * programs through the Automation API ({@link inlineStack}).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { projectName } from "./cliStack";

/** The repository root (holds Pulumi.yaml and node_modules), from scripts/ or dist/scripts/. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(dir: string): string {
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, "Pulumi.yaml")) && fs.existsSync(path.join(d, "package.json"))) return d;
  }
  throw new Error(`no Pulumi.yaml above ${dir}`);
}

/** Makes sure `pulumi` and `pulumi-language-nodejs` exist (building them on first use) and returns their directory. */
export function ensureEngine(): string {
  const script = path.join(REPO_ROOT, "scripts", "ensure-engine.sh");
  const out = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const line = out.trim().split("\n").find((l) => l.startsWith("ENGINE_BIN="));
  if (!line) throw new Error(`${script} did not report ENGINE_BIN`);
  return line.slice("ENGINE_BIN=".length);
}

/** Options of {@link offlineEnv}. */
export interface OfflineEnvOptions {
  /** Directory of the `pulumi` binary, from {@link ensureEngine}. */
  engineBin: string;
  /** Directory of the file backend (state). */
  backendDir: string;
  /** Passphrase of the stack's secrets provider. */
  passphrase: string;
  /** Further variables for the engine and its providers (e.g. AMLDB_TARGET). */
  extra?: Record<string, string>;
}

/** Environment for the CLI and, through it, the dynamic providers it starts. */
export function offlineEnv(opts: OfflineEnvOptions): Record<string, string> {
  fs.mkdirSync(opts.backendDir, { recursive: true });
  // The dynamic-provider shim ships inside @pulumi/pulumi; it is needed on PATH only when the
  // CLI's own directory lacks it (ensure-engine.sh puts it next to the CLIs it builds).
  const shimDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const needShim = !fs.existsSync(path.join(opts.engineBin, "pulumi-resource-pulumi-nodejs"));
  const dirs = [opts.engineBin, ...(needShim ? [shimDir] : []), path.dirname(process.execPath), process.env.PATH ?? ""];
  return {
    PATH: dirs.join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${opts.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: opts.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...opts.extra,
  };
}

/** Options of {@link inlineStack}. */
export interface InlineStackOptions {
  stackName: string;
  /** Directory holding a Pulumi.yaml; dynamic providers resolve their modules from here. */
  workDir: string;
  program: PulumiFn;
  env: Record<string, string>;
  engineBin: string;
}

/** Creates or selects a stack that runs `program` in this process under the real engine. */
export async function inlineStack(opts: InlineStackOptions): Promise<Stack> {
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(opts.engineBin) });
  return LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, projectName: projectName(opts.workDir), program: opts.program },
    { workDir: opts.workDir, envVars: opts.env, pulumiCommand },
  );
}
