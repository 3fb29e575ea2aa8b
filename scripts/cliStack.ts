/**
 * A stack of a project directory driven through the `pulumi` CLI, the way users run it: the CLI
 * starts the Node.js language host, which runs the project's `main` (no inline program).
 * Used by `npm start` and by the e2e tests that run projects.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Options of {@link CliStack.select}. */
export interface CliStackOptions {
  /** The directory holding Pulumi.yaml. */
  projectDir: string;
  stackName: string;
  /** The engine's environment, from `offlineEnv` (added to this process's environment). */
  env: Record<string, string>;
  /**
   * Where the stack's configuration lives instead of `Pulumi.<stack>.yaml` beside Pulumi.yaml
   * (keeps test stacks out of the project directory).
   */
  configFile?: string;
}

/** Options of {@link CliStack.run}. */
export interface RunOptions {
  /** Written to the CLI's standard input (how secret config values avoid the command line). */
  input?: string;
  /** Share this process's terminal (live progress, colours) instead of capturing the output. */
  inherit?: boolean;
  /** Receives the CLI's standard error (with `--diff`, the diagnostics go there). */
  onStderr?: (chunk: string) => void;
  /** Start the CLI in a process group of its own (the engine, language host and providers), which a test can kill as one. */
  detached?: boolean;
  /** Receives the CLI's process once started. */
  onSpawn?: (child: ChildProcess) => void;
}

/** One update in `pulumi stack history --json` (newest first). */
export interface HistoryEntry {
  kind: string;
  result: string;
  resourceChanges?: Record<string, number>;
}

/** Subcommands that take `--config-file`. */
const CONFIG_FILE_COMMANDS = new Set(["config", "up", "preview", "refresh", "destroy"]);
/** How much of a failed command's output its error keeps. */
const ERROR_TAIL_LINES = 40;

export class CliStack {
  private constructor(private readonly opts: CliStackOptions) {}

  /** Selects the stack, creating it in the backend first when it does not exist. */
  static async select(opts: CliStackOptions): Promise<CliStack> {
    const stack = new CliStack(opts);
    // Creating a stack writes its secrets salt to Pulumi.<stack>.yaml (`stack` takes no
    // --config-file): move a file made here to where the configuration lives.
    const projectFile = path.join(opts.projectDir, `Pulumi.${opts.stackName}.yaml`);
    const hadProjectFile = fs.existsSync(projectFile);
    await stack.run(["stack", "select", "--create"]);
    if (opts.configFile && !hadProjectFile && fs.existsSync(projectFile)) {
      if (!fs.existsSync(opts.configFile)) fs.copyFileSync(projectFile, opts.configFile);
      fs.rmSync(projectFile);
    }
    return stack;
  }

  /** The environment the CLI runs with (this process's, plus the stack's). */
  get env(): Record<string, string | undefined> {
    return { ...process.env, ...this.opts.env };
  }

  /** The stack's configuration (`pulumi config --json`; secrets stay masked). */
  async config(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.run(["config", "--json"]));
  }

  /** Sets a configuration value; a secret goes through standard input, never the command line. */
  async setConfig(key: string, value: string, opts: { secret?: boolean } = {}): Promise<void> {
    if (opts.secret) await this.run(["config", "set", "--secret", key], { input: value });
    else await this.run(["config", "set", key, value]);
  }

  /** The stack's outputs, secrets in plain text (`pulumi stack output --json --show-secrets`). */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.run(["stack", "output", "--json", "--show-secrets"]));
  }

  /** The stack's updates, newest first. */
  async history(): Promise<HistoryEntry[]> {
    return JSON.parse(await this.run(["stack", "history", "--json"]));
  }

  /** Runs `pulumi <args>` on this stack in the project directory; resolves to its standard output. */
  run(args: string[], opts: RunOptions = {}): Promise<string> {
    const full = [
      ...args,
      "--stack",
      this.opts.stackName,
      ...(opts.inherit ? [] : ["--non-interactive"]),
      ...(this.opts.configFile && CONFIG_FILE_COMMANDS.has(args[0]) ? ["--config-file", this.opts.configFile] : []),
    ];
    const child = spawn("pulumi", full, {
      cwd: this.opts.projectDir,
      env: { ...process.env, ...this.opts.env },
      stdio: [opts.input !== undefined ? "pipe" : "ignore", opts.inherit ? "inherit" : "pipe", opts.inherit ? "inherit" : "pipe"],
      detached: opts.detached,
    });
    opts.onSpawn?.(child);
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = "";
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => ((stdout += chunk), (output += chunk)));
    child.stderr?.on("data", (chunk: Buffer) => ((output += chunk), opts.onStderr?.(chunk.toString())));
    return new Promise((resolve, reject) => {
      child.once("error", (err) => reject(new Error(`pulumi ${args[0]} could not start (is the engine on PATH?): ${err.message}`)));
      child.once("close", (code) => {
        if (code === 0) return resolve(stdout);
        const tail = output.trimEnd().split("\n").slice(-ERROR_TAIL_LINES).join("\n");
        reject(new Error(`pulumi ${args.join(" ")} (stack ${this.opts.stackName} in ${this.opts.projectDir}) exited with code ${code}${tail ? `:\n${tail}` : ""}`));
      });
    });
  }
}

/** The stack's state file in a file backend (`PULUMI_BACKEND_URL=file://<backendDir>`). */
export function stateFilePath(backendDir: string, projectDir: string, stackName: string): string {
  return path.join(backendDir, ".pulumi", "stacks", projectName(projectDir), `${stackName}.json`);
}

/** The `name` in a project's Pulumi.yaml. */
export function projectName(projectDir: string): string {
  const text = fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8");
  const match = /^name:\s*(\S+)/m.exec(text);
  if (!match) throw new Error(`${projectDir}/Pulumi.yaml has no name`);
  return match[1];
}
