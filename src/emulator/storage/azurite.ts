/**
 * One Azurite blob service process (npm `azurite`, its `azurite-blob` entry), on loopback, on a
 * port it picks. Started with a lifeline: when the emulator's end of its stdin closes (the
 * emulator stopped, or was killed), Azurite shuts down as on Ctrl-C, saving its metadata, so it
 * never outlives the emulator nor holds its data folder for the next one.
 *
 * Its environment is only `AZURITE_ACCOUNTS`: nothing of the emulator's (`AZURITE_DB` would
 * switch it to SQL). Telemetry is off; API versions are not checked (the service accepts any
 * version an SDK sends, and so does the emulator).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { AZURITE_ACCOUNTS_ENV, azuriteAccountsValue, type StorageAccounts } from "./accounts";

/** How to start Azurite. */
export interface AzuriteOptions {
  /** Data folder; absent: in memory (all data goes with the process). */
  readonly location?: string;
  readonly accounts: StorageAccounts;
  /** Give up starting after this long. Default 60 000 ms. */
  readonly startTimeoutMs?: number;
}

/** The lifeline: a closed stdin stops Azurite as SIGTERM does (it saves, then exits). */
const LIFELINE = 'process.stdin.on("end",()=>process.kill(process.pid,"SIGTERM")).resume();require(process.argv[1]);';
const READY = /successfully listens on (http:\/\/\S+)/;
/** How long a stopping Azurite may take to save and exit before it is killed. */
const STOP_GRACE_MS = 10_000;

/** The file Azurite's `azurite-blob` command runs. */
export function azuriteBlobMain(): string {
  const manifest = require.resolve("azurite/package.json");
  const bin = (require(manifest) as { bin: Record<string, string> }).bin["azurite-blob"];
  return path.join(path.dirname(manifest), bin);
}

/** A started Azurite blob service. */
export class AzuriteProcess {
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    /** Its base URL, `http://127.0.0.1:<port>`. */
    readonly url: string,
    exited: Promise<void>,
  ) {
    this.exited = exited;
  }

  /** Starts Azurite and resolves once it listens; rejects with its last output when it cannot start. */
  static start(options: AzuriteOptions): Promise<AzuriteProcess> {
    const storage = options.location ? ["--location", options.location] : ["--inMemoryPersistence"];
    const args = ["-e", LIFELINE, azuriteBlobMain(), "--blobHost", "127.0.0.1", "--blobPort", "0", ...storage];
    args.push("--silent", "--skipApiVersionCheck", "--disableTelemetry", "--disableProductStyleUrl");
    const child = spawn(process.execPath, args, {
      cwd: options.location ?? os.tmpdir(),
      env: { [AZURITE_ACCOUNTS_ENV]: azuriteAccountsValue(options.accounts) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    let output = "";
    const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-2000));
    child.stderr!.on("data", keep);
    child.stdin!.on("error", () => undefined);
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`Azurite did not start: ${why}${output.trim() ? `\n${output.trim()}` : ""}`));
      };
      const timeoutMs = options.startTimeoutMs ?? 60_000;
      const timer = setTimeout(() => fail(`it did not listen within ${timeoutMs} ms.`), timeoutMs);
      child.once("error", (err) => fail(err.message));
      child.once("exit", (code, signal) => fail(`it exited (${signal ?? `code ${code}`}) before listening.`));
      child.stdout!.on("data", (chunk: Buffer) => {
        keep(chunk);
        const ready = READY.exec(output);
        if (!ready) return;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.stdout!.removeAllListeners("data");
        child.stdout!.resume();
        resolve(new AzuriteProcess(child, ready[1], exited));
      });
    });
  }

  /** Stops Azurite as Ctrl-C does (it saves its metadata), killing it if it takes too long. */
  async stop(): Promise<void> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills Azurite at once (nothing saved); resolves once it is gone. */
  kill(): Promise<void> {
    this.child.kill("SIGKILL");
    return this.exited;
  }
}
