/**
 * How a step's data reaches its command, by the `mode` of the input or output (the REST spelling,
 * `ReadOnlyMount`, or the YAML one, `ro_mount`):
 * - inputs: `ro_mount` (default) and `rw_mount` are a local folder holding the data, as a mount
 *   shows it; a read-only one the command changed fails the step (permissions would not stop a
 *   process running as root), a read-write one is written back when the step succeeds. `download`
 *   is the same folder, not checked. `direct`: the command gets the URI itself.
 * - outputs: `rw_mount` (default) is a local folder uploaded when the process ends, whatever its
 *   exit code (what it wrote through a mount would be there); `upload` only when it succeeds;
 *   `direct`: the command gets the `azureml://datastores/<ds>/paths/<p>` URI and writes there
 *   itself, nothing is uploaded.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BlobStorage } from "../../storage/blobStorage";
import type { Resources } from "../resources";
import { downloadFolder, uploadFolder } from "./datastorePaths";
import { locate } from "./stepData";

/** Modes of an input. */
export const INPUT_MODES = ["ro_mount", "rw_mount", "download", "direct"] as const;
/** How an input reaches the command. */
export type InputMode = (typeof INPUT_MODES)[number];
/** Modes of an output. */
export const OUTPUT_MODES = ["rw_mount", "upload", "direct"] as const;
/** How an output leaves the step. */
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** Both spellings of each mode (lower case), as the one used here; evaluation modes read as their plain ones. */
const SPELLINGS: Record<string, string> = {
  readonlymount: "ro_mount",
  ro_mount: "ro_mount",
  readwritemount: "rw_mount",
  rw_mount: "rw_mount",
  download: "download",
  direct: "direct",
  upload: "upload",
  evalmount: "ro_mount",
  eval_mount: "ro_mount",
  evaldownload: "download",
  eval_download: "download",
};

/** The first mode `given` holds (`undefined`s skipped), else the first of `allowed`; throws on one not allowed. */
export function modeOf<T extends string>(allowed: readonly T[], what: string, ...given: unknown[]): T {
  const first = given.find((g) => g !== undefined && g !== null);
  if (first === undefined) return allowed[0];
  const mode = SPELLINGS[String(first).toLowerCase()];
  if (!allowed.includes(mode as T)) throw new Error(`${what} has mode '${String(first)}'; it may be ${allowed.join(", ")}`);
  return mode as T;
}

/** Where data is read and written. */
export interface DataHost {
  readonly resources: Resources;
  readonly storage: BlobStorage;
}

/** A step's input or output once ready: what the command gets, and what is done once the process has ended. */
export interface PreparedData {
  readonly value: string;
  /** Checks and uploads once the process has ended (`succeeded`: exit code 0). */
  finish(succeeded: boolean): Promise<void>;
}

const nothingToDo = async (): Promise<void> => undefined;

/** Makes input `name` (at `uri`, a `uri_file` or a folder) ready in `dir` by its mode. */
export async function prepareInput(host: DataHost, name: string, input: { uri: string; type: string; mode: InputMode }, dir: string): Promise<PreparedData> {
  if (input.mode === "direct") return { value: input.uri, finish: nothingToDo };
  const from = locate(host.resources, host.storage, input.uri);
  let value = dir;
  if (input.type === "uri_file") {
    value = path.join(dir, path.posix.basename(from.path));
    fs.mkdirSync(dir, { recursive: true });
    await from.container.getBlockBlobClient(from.path).downloadToFile(value);
  } else {
    await downloadFolder(from.container, from.path, dir);
  }
  if (input.mode === "download") return { value, finish: nothingToDo };
  if (input.mode === "rw_mount") {
    return { value, finish: async (succeeded) => void (succeeded && input.type !== "uri_file" ? await uploadFolder(from.container, dir, from.path) : undefined) };
  }
  const before = snapshot(dir);
  return {
    value,
    finish: async () => {
      const changed = difference(before, snapshot(dir));
      if (changed.length > 0) throw new Error(`the command changed its read-only input ${name} (mode ro_mount): ${changed.join(", ")}`);
    },
  };
}

/** Makes output `name` ready in `dir` by its mode. */
export function prepareOutput(host: DataHost, output: { uri: string; mode: OutputMode }, dir: string): PreparedData {
  if (output.mode === "direct") return { value: output.uri, finish: nothingToDo };
  fs.mkdirSync(dir, { recursive: true });
  return {
    value: dir,
    finish: async (succeeded) => {
      if (!succeeded && output.mode === "upload") return;
      const to = locate(host.resources, host.storage, output.uri);
      await uploadFolder(to.container, dir, to.path);
    },
  };
}

/** Each file below `dir` with its size and modification time. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(file);
    files.set(path.relative(dir, file), entry.isFile() ? `${stat.size}:${stat.mtimeMs}` : "folder");
  }
  return files;
}

/** The paths added, removed or changed between two snapshots, sorted. */
function difference(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}
