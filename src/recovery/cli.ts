#!/usr/bin/env node
/**
 * Finishes a `pulumi up` that was interrupted (killed, cancelled twice, the machine lost), run in
 * the project directory with the environment of that `up`:
 *
 *     azureml-databricks-recover [--stack NAME] [--config-file FILE] [--destroy | --up]
 *
 * 1. in a file backend, removes the stack's lock when the process that took it is gone from this
 *    machine (`pulumi cancel`; `./staleLock`), and a metadata sidecar the killed engine left cut
 *    short (`./truncatedSidecars`); a lock of a live process stops the command;
 * 2. reads the stack's pending operations (`pulumi stack export --show-secrets`; no value is printed);
 * 3. runs `pulumi up` again with the keys of the pending creates (`core/pendingCreates`): a create
 *    that was interrupted adopts the object it had made (a secret scope, a Key Vault secret, a
 *    mount...); one that had made nothing creates it; runs, clusters and Azure ML jobs find their
 *    own by idempotency token or job name, so nothing is made twice;
 * 4. once every pending create is a resource of the stack again, clears the pending creates
 *    (`pulumi refresh --clear-pending-creates`), which also reads every resource back.
 * A pending create whose resource the program no longer declares is not cleared: it is printed,
 * to be checked in the service, and the command exits with 1. With `--destroy` (the interrupted
 * command was `pulumi destroy`), steps 3 and 4 are `pulumi destroy` instead ({@link finishDestroy}).
 * When every pending operation is a delete, which is what a killed destroy leaves, the command
 * does not guess: it stops and asks for `--destroy` or `--up` (a killed `up` that was deleting).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { RECOVER_PENDING_ENV } from "../core/pendingCreates";
import { StackLock, stackLocks } from "./staleLock";
import { removeTruncatedSidecars } from "./truncatedSidecars";
import { parseExport, pendingCreateKeys, PendingOperation } from "./stackPending";

const USAGE = "usage: azureml-databricks-recover [--stack NAME] [--config-file FILE] [--destroy | --up]";

/** The options of a recovery: which stack, and where its configuration is when not beside Pulumi.yaml. */
export interface RecoverOptions {
  /** The stack; default: the selected one. */
  stack?: string;
  /** The stack's configuration file; default: `Pulumi.<stack>.yaml` beside Pulumi.yaml. */
  configFile?: string;
  /** The interrupted command was `pulumi destroy`: finish it instead of the `up`. */
  destroy?: boolean;
  /** The interrupted command was `pulumi up`, even if every pending operation is a delete. */
  up?: boolean;
  /** The project directory; default: the current one. */
  cwd?: string;
  /** Receives each line the command prints (default: standard output). */
  log?: (line: string) => void;
}

/** Runs `pulumi <args>`; resolves to its standard output, its standard error passed through. */
function pulumi(args: string[], opts: RecoverOptions, env: NodeJS.ProcessEnv = process.env, inherit = false): Promise<string> {
  const full = [...args, ...(opts.stack ? ["--stack", opts.stack] : []), "--non-interactive"];
  if (opts.configFile && ["up", "refresh", "destroy"].includes(args[0])) full.push("--config-file", opts.configFile);
  const child = spawn("pulumi", full, { cwd: opts.cwd, env, stdio: ["ignore", inherit ? "inherit" : "pipe", "inherit"] });
  let stdout = "";
  child.stdout?.on("data", (c: Buffer) => (stdout += c));
  return new Promise((resolve, reject) => {
    child.once("error", (err) => reject(new Error(`pulumi ${args[0]} could not start (is the pulumi CLI on PATH?): ${err.message}`)));
    child.once("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`pulumi ${args.join(" ")} exited with code ${code}`))));
  });
}

/** The stack `pulumi` has selected in the project; a truncated sidecar (see ./truncatedSidecars) makes this fail, so the error says to name the stack. */
async function selectedStack(opts: RecoverOptions): Promise<string> {
  try {
    return (await pulumi(["stack", "--show-name"], opts)).trim();
  } catch (err) {
    throw new Error(`${(err as Error).message} while reading the selected stack: pass it with --stack NAME`);
  }
}

/** The backend `pulumi login` chose, when PULUMI_BACKEND_URL does not say. */
async function loggedInBackend(opts: RecoverOptions): Promise<string | undefined> {
  const out = await pulumi(["whoami", "--json"], { ...opts, stack: undefined });
  try {
    return (JSON.parse(out) as { url?: string }).url;
  } catch {
    throw new Error(`could not read the backend's URL from pulumi whoami --json (it printed ${JSON.stringify(out.slice(0, 200))}): set PULUMI_BACKEND_URL`);
  }
}

/**
 * Step 1's repair without the CLI: reads the stack's locks and, unless one may be live, removes
 * the sidecars a kill cut short (which fail every `pulumi` command, `pulumi cancel` included);
 * resolves to the locks.
 */
export function clearKillLeftovers(backendUrl: string | undefined, project: string, stack: string, log: (line: string) => void, cwd?: string): StackLock[] {
  const locks = stackLocks(backendUrl, project, stack, cwd);
  if (locks.every((l) => l.stale)) removeTruncatedSidecars(backendUrl, project, stack, log, cwd);
  return locks;
}

const describe = (op: PendingOperation) => `interrupted while ${op.operation} ${op.urn}`;

/** Recovers the stack as the module comment says; resolves to the exit code (0 done, 1 something to check by hand). */
export async function recover(opts: RecoverOptions = {}): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const projectFile = path.join(opts.cwd ?? process.cwd(), "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) throw new Error(`no Pulumi.yaml in ${path.dirname(projectFile)}: run recover in the project directory of the interrupted pulumi up`);
  const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(projectFile, "utf8"))?.[1] ?? "";
  if (opts.destroy && opts.up) throw new Error("--destroy and --up name different interrupted commands: give the one that was interrupted");
  const stack = opts.stack ?? (await selectedStack(opts));
  const backendUrl = process.env.PULUMI_BACKEND_URL ?? (await loggedInBackend(opts));
  const locks = clearKillLeftovers(backendUrl, project, stack, log, opts.cwd);
  const live = locks.filter((l) => !l.stale);
  if (live.length > 0) {
    for (const l of live) {
      log(
        l.unreadable
          ? `recover: stack ${stack} has a lock file pulumi did not write as expected (${l.file}): once no pulumi command runs on the stack, run pulumi cancel, then run recover again`
          : `recover: stack ${stack} is locked by pid ${l.pid} on ${l.hostname}, which may still be running: wait for it to end (or, if it is gone, run pulumi cancel), then run recover again`,
      );
    }
    return 1;
  }
  if (locks.length > 0) {
    log(`recover: pulumi cancel (the lock left by pid ${locks.map((l) => l.pid).join(", ")}: that process is gone from this machine)`);
    await pulumi(["cancel", "--yes"], opts);
  }
  const before = parseExport(await pulumi(["stack", "export", "--show-secrets"], opts));
  if (before.pending.length === 0) log("recover: the stack has no pending operations");
  for (const op of before.pending) log(`recover: ${describe(op)}`);
  if (opts.destroy) return finishDestroy(before.pending, opts, log);
  if (!opts.up && before.pending.length > 0 && before.pending.every((op) => op.operation === "deleting")) {
    log(
      "recover: every pending operation is a delete, as a killed pulumi destroy leaves (an up would create again what the destroy removed): " +
        "run recover --destroy if the interrupted command was pulumi destroy, or recover --up if it was pulumi up",
    );
    return 1;
  }
  const keys = pendingCreateKeys(before.pending);
  log(`recover: pulumi up (${keys.length} pending create(s) adopt the object they made, if any)`);
  await pulumi(["up", "--yes", "--skip-preview"], opts, { ...process.env, [RECOVER_PENDING_ENV]: keys.join(",") }, true);

  const after = parseExport(await pulumi(["stack", "export", "--show-secrets"], opts));
  const creates = after.pending.filter((op) => op.operation === "creating");
  const unrecorded = creates.filter((op) => !after.recorded.has(op.urn));
  if (unrecorded.length > 0) {
    for (const op of unrecorded) log(`recover: ${describe(op)}: the program no longer declares it; check the service for the object and delete it if it is there, then run pulumi refresh --clear-pending-creates`);
    return 1;
  }
  if (creates.length > 0) {
    log(`recover: pulumi refresh --clear-pending-creates (${creates.length} pending create(s), each a resource of the stack again)`);
    await pulumi(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"], opts, process.env, true);
  }
  log("recover: done; the stack has no pending operations.");
  return 0;
}

/**
 * The end of a recovery after an interrupted `pulumi destroy`: `pulumi destroy` again. A delete
 * the kill interrupted is repeated, and each provider's delete takes an object already gone as
 * deleted. A pending create cannot come from a destroy: it is an interrupted `up`'s, whose
 * object the stack does not record and a destroy would leave behind, so the command stops.
 */
async function finishDestroy(pending: PendingOperation[], opts: RecoverOptions, log: (line: string) => void): Promise<number> {
  const creates = pending.filter((op) => op.operation === "creating");
  if (creates.length > 0) {
    log(`recover: ${creates.length} pending create(s) are an interrupted pulumi up's, not a destroy's: run recover without --destroy first (it records what they made), then pulumi destroy`);
    return 1;
  }
  log("recover: pulumi destroy (finishing the interrupted destroy)");
  await pulumi(["destroy", "--yes", "--skip-preview"], opts, process.env, true);
  log("recover: done; the stack has no pending operations.");
  return 0;
}

if (require.main === module) {
  let values: { stack?: string; "config-file"?: string; destroy?: boolean; up?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { stack: { type: "string", short: "s" }, "config-file": { type: "string" }, destroy: { type: "boolean" }, up: { type: "boolean" }, help: { type: "boolean", short: "h" } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  recover({ stack: values.stack, configFile: values["config-file"], destroy: values.destroy, up: values.up }).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`recover: ${err.message}`);
      process.exit(1);
    },
  );
}
