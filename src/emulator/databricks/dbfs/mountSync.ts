/**
 * Blob mounts backed by the emulator's blob storage (Azurite). Code sees a mounted container as a
 * local folder (its working copy, `<dbfsRoot>/.blob/<account>/<container>/<prefix>`, see
 * `./mounts.ts`), and the emulator keeps that folder and the container consistent around every
 * task, command and DBFS API call, without FUSE:
 *
 * - before: {@link MountSync.pullAll} brings every mounted prefix up to date with its container
 *   (new and changed blobs downloaded, deleted ones removed);
 * - after: {@link MountSync.pushAll} writes back what the code changed (new and changed files
 *   uploaded, deleted ones deleted);
 * - `dbutils.fs.mount` asks {@link MountSync.mount} (through `./mountAgent.ts`) to check the key
 *   with the storage, as the service does, and to fetch the prefix at once.
 *
 * Changes are found against a manifest of what each side held at the last exchange (a blob's ETag;
 * a file's size and modification time), so a task that runs while another writes loses neither's
 * changes. The first exchange of a prefix in an emulator's life replaces its working copy with the
 * container's content: the container is the truth, the folder a cache. Exchanges run one at a time.
 * Account keys come from the accounts the storage serves; the key a mount gives is only checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RestError, type ContainerClient } from "@azure/storage-blob";
import { resolvesInside } from "../../core/containment";
import { isTemporaryName, temporaryPath } from "../../core/durableFile";
import { removeTree } from "../../core/removal";
import type { BlobStorage } from "../../storage/blobStorage";
import type { DatabricksDataPaths } from "../paths";
import { parseBlobSource, readMounts, sourceLocalDir, type BlobSource } from "./mounts";

/** What one side held at the last exchange. */
interface Known {
  etag: string;
  size: number;
  mtimeMs: number;
}

/** Prefix of the Hadoop Azure connector's messages as a Databricks mount reports them. */
const WASB = "shaded.databricks.org.apache.hadoop.fs.azure.AzureException";

/** Why a mount was refused, worded as the JVM reports it (`dbutils_local.py` puts it in an ExecutionError). */
export class MountRefused extends Error {
  constructor(readonly javaMessage: string) {
    super(javaMessage);
    this.name = "MountRefused";
  }
}

/** Keeps mounted containers and their working copies consistent. */
export class MountSync {
  /** By `account/container`: blob name → what both sides held at the last exchange. */
  private readonly manifests = new Map<string, Map<string, Known>>();
  /** By `account/container`: prefixes exchanged in this emulator's life. */
  private readonly covered = new Map<string, Set<string>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: BlobStorage,
    private readonly paths: DatabricksDataPaths,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Brings the working copy of every mounted prefix up to date; throws naming the mount that failed. */
  pullAll(): Promise<void> {
    return this.exclusive(async () => {
      for (const [point, source] of this.mountedSources()) await this.named(point, () => this.pull(source));
    });
  }

  /** Writes back what changed in the working copy of every mounted prefix; throws naming the mount that failed. */
  pushAll(): Promise<void> {
    return this.exclusive(async () => {
      for (const [point, source] of this.mountedSources()) await this.named(point, () => this.push(source));
    });
  }

  /** Writes back what changed under one source (before it is unmounted). */
  pushSource(source: string): Promise<void> {
    const parsed = parseBlobSource(source);
    return parsed && this.served(parsed) ? this.exclusive(() => this.push(parsed)) : Promise.resolve();
  }

  /**
   * Checks a mount as the service does: the account must exist and `configs` must hold its key
   * (`fs.azure.account.key.<host>`), which the storage itself verifies; a container that does not
   * exist yet is created, as the connector does with a key. Then fetches the prefix.
   * @throws MountRefused with the JVM's message
   */
  mount(source: string, configs: Readonly<Record<string, unknown>>): Promise<void> {
    return this.exclusive(async () => {
      const parsed = parseBlobSource(source);
      if (!parsed) throw new MountRefused(`java.lang.IllegalArgumentException: Unsupported mount source ${source}`);
      if (!this.served(parsed)) {
        const served = [...this.storage.accounts.keys()].join(", ");
        throw new MountRefused(
          `${WASB}: java.net.UnknownHostException: ${parsed.host} (the local emulator's blob storage serves the accounts ${served}; add others with AZURITE_ACCOUNTS)`,
        );
      }
      const key = configs[`fs.azure.account.key.${parsed.host}`];
      if (typeof key !== "string" || key === "") {
        throw new MountRefused(
          `${WASB}: ${WASB}: Unable to access container ${parsed.container} in account ${parsed.host} using anonymous credentials, and no credentials found for them  in the configuration.`,
        );
      }
      try {
        await this.storage.client(parsed.account, key).getContainerClient(parsed.container).createIfNotExists();
      } catch (err) {
        if (err instanceof RestError && err.statusCode === 403) {
          throw new MountRefused(
            `${WASB}: hadoop_azure_shaded.com.microsoft.azure.storage.StorageException: Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.`,
          );
        }
        throw err;
      }
      await this.pull(parsed);
    });
  }

  /** Forgets what was exchanged (the working copies are wiped with DBFS). */
  reset(): void {
    this.manifests.clear();
    this.covered.clear();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async named(point: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      throw new Error(`mount ${point}: ${describe(err)}`);
    }
  }

  /** Mount point → source of every mount the storage serves (one entry per distinct source). */
  private mountedSources(): [string, BlobSource][] {
    const seen = new Set<string>();
    const out: [string, BlobSource][] = [];
    for (const [point, source] of Object.entries(readMounts(this.paths)).sort(([a], [b]) => a.localeCompare(b))) {
      const parsed = parseBlobSource(source);
      if (!parsed) continue;
      if (!this.served(parsed)) {
        this.log(`mount ${point}: storage account ${parsed.account} is not served by this emulator; its folder is not synchronised`);
        continue;
      }
      const id = `${parsed.account}/${parsed.container}/${parsed.prefix}`;
      if (!seen.has(id)) out.push([point, parsed]);
      seen.add(id);
    }
    return out;
  }

  private served(source: BlobSource): boolean {
    return this.storage.accounts.has(source.account);
  }

  private container(source: BlobSource): ContainerClient {
    return this.storage.client(source.account).getContainerClient(source.container);
  }

  private manifest(source: BlobSource): Map<string, Known> {
    const id = `${source.account}/${source.container}`;
    let manifest = this.manifests.get(id);
    if (!manifest) this.manifests.set(id, (manifest = new Map()));
    return manifest;
  }

  /** True when `source`'s prefix (or a folder above it) was exchanged in this life; marks it when `mark`. */
  private isCovered(source: BlobSource, mark = false): boolean {
    const id = `${source.account}/${source.container}`;
    const prefixes = this.covered.get(id) ?? new Set<string>();
    const covered = [...prefixes].some((p) => p === "" || p === source.prefix || source.prefix.startsWith(`${p}/`));
    if (mark) this.covered.set(id, prefixes.add(source.prefix));
    return covered;
  }

  private async pull(source: BlobSource): Promise<void> {
    const dir = sourceLocalDir(this.paths, source);
    const manifest = this.manifest(source);
    const under = blobsUnder(source.prefix);
    if (!this.isCovered(source, true)) {
      removeTree(dir);
      for (const name of [...manifest.keys()]) if (under(name)) manifest.delete(name);
    }
    fs.mkdirSync(dir, { recursive: true });
    const seen = new Set<string>();
    const container = this.container(source);
    try {
      for await (const blob of container.listBlobsFlat({ prefix: source.prefix ? `${source.prefix}/` : undefined, includeMetadata: true })) {
        const local = this.localFile(dir, source, blob.name);
        if (!local) continue;
        if (blob.name.endsWith("/") || blob.metadata?.hdi_isfolder === "true") {
          fs.mkdirSync(local, { recursive: true });
          continue;
        }
        seen.add(blob.name);
        const etag = blob.properties.etag ?? "";
        // The same blob as at the last exchange: the working copy is current or holds a change still to write back.
        if (manifest.get(blob.name)?.etag === etag) continue;
        if (!(await this.download(container, blob.name, local))) continue;
        const st = fs.statSync(local);
        manifest.set(blob.name, { etag, size: st.size, mtimeMs: st.mtimeMs });
      }
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
      // The container is gone: it holds nothing.
    }
    for (const [name, known] of [...manifest]) {
      if (!under(name) || seen.has(name)) continue;
      // Deleted in the storage: gone from the working copy too, unless the code changed it since.
      const local = this.localFile(dir, source, name);
      if (local && unchanged(local, known)) fs.rmSync(local, { force: true });
      manifest.delete(name);
    }
  }

  /**
   * Downloads a blob to its working-copy file (whole or not at all); false, with a log line, when
   * a file system cannot hold both it and another blob (`a` and `a/b` are both blobs).
   */
  private async download(container: ContainerClient, name: string, local: string): Promise<boolean> {
    const skip = (why: string) => {
      this.log(`blob ${container.containerName}/${name} is not in the working copy: ${why}`);
      return false;
    };
    try {
      fs.mkdirSync(path.dirname(local), { recursive: true });
    } catch (err) {
      return skip((err as Error).message);
    }
    if (fs.lstatSync(local, { throwIfNoEntry: false })?.isDirectory()) return skip("a folder has its name");
    const partial = temporaryPath(path.dirname(local), "download");
    try {
      await container.getBlobClient(name).downloadToFile(partial);
      fs.renameSync(partial, local);
    } finally {
      fs.rmSync(partial, { force: true });
    }
    return true;
  }

  private async push(source: BlobSource): Promise<void> {
    const dir = sourceLocalDir(this.paths, source);
    const manifest = this.manifest(source);
    const under = blobsUnder(source.prefix);
    // Deletions are only known for a prefix exchanged before; else only files are written back.
    const knowsDeletions = this.isCovered(source, true);
    const container = this.container(source);
    let ensured = false;
    const present = new Set<string>();
    for (const [relative, st] of filesUnder(dir)) {
      const name = source.prefix ? `${source.prefix}/${relative}` : relative;
      present.add(name);
      const known = manifest.get(name);
      if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) continue;
      if (!ensured) await container.createIfNotExists();
      ensured = true;
      const uploaded = await container.getBlockBlobClient(name).uploadFile(path.join(dir, relative));
      manifest.set(name, { etag: uploaded.etag ?? "", size: st.size, mtimeMs: st.mtimeMs });
    }
    if (!knowsDeletions) return;
    for (const name of [...manifest.keys()]) {
      if (!under(name) || present.has(name)) continue;
      await container.getBlobClient(name).deleteIfExists();
      manifest.delete(name);
    }
  }

  /** The working-copy file of a blob, or `undefined` when its name would lead out of the folder. */
  private localFile(dir: string, source: BlobSource, name: string): string | undefined {
    const relative = source.prefix ? name.slice(source.prefix.length + 1) : name;
    const segments = relative.split("/").filter(Boolean);
    if (segments.length === 0 || segments.some((s) => s === "." || s === ".." || s.includes("\0"))) return undefined;
    const local = path.join(dir, ...segments);
    return resolvesInside(dir, local) ? local : undefined;
  }
}

/** A test for blob names under a prefix ("" is the whole container). */
function blobsUnder(prefix: string): (name: string) => boolean {
  return (name) => prefix === "" || name.startsWith(`${prefix}/`);
}

/** True when the file is as it was at the last exchange. */
function unchanged(file: string, known: Known): boolean {
  try {
    const st = fs.lstatSync(file);
    return st.isFile() && st.size === known.size && st.mtimeMs === known.mtimeMs;
  } catch {
    return false;
  }
}

/** Regular files under a folder (relative paths with `/`), symbolic links and unfinished writes left out. */
function filesUnder(dir: string): [string, fs.Stats][] {
  const out: [string, fs.Stats][] = [];
  const pending = [""];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, relative), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(child);
      else if (entry.isFile() && !isTemporaryName(entry.name)) out.push([child, fs.statSync(path.join(dir, child))]);
    }
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/** A storage failure in one line: the service's code and message, never a key. */
function describe(err: unknown): string {
  if (err instanceof RestError) return `${err.statusCode ?? ""} ${err.code ?? ""}: ${(err.message || "").split("\n")[0]}`.trim();
  return (err as Error)?.message ?? String(err);
}
