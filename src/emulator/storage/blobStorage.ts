/**
 * The emulator's blob storage: Azurite behind a front door of our own. The front listens from the
 * emulator's start (so its URL is known and reported at once, and stays the same while Azurite
 * restarts) and starts Azurite on first use: an emulator that never touches blob storage pays
 * nothing for it (Azurite takes a second or two to start). The front refuses what a web page could
 * make a browser send (as the emulator's own server does) and forwards everything else unchanged.
 *
 * Data: `<stateDir>/azurite/` when the emulator has a state folder (kept across restarts), else in
 * Azurite's memory. A reset stops Azurite and empties its folder; the next use starts a fresh one.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { foreignRequest } from "../core/browserGuard";
import { urlHost } from "../core/http";
import { removeTree } from "../core/removal";
import type { StorageAccounts } from "./accounts";
import { AzuriteProcess } from "./azurite";

/** How to run the blob storage. */
export interface BlobStorageOptions {
  /** The emulator's state folder; Azurite's data goes to `<stateDir>/azurite/`. Default: in memory. */
  readonly stateDir?: string;
  readonly accounts: StorageAccounts;
  /** Port of the blob endpoint; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Diagnostics (never a key). */
  readonly log?: (line: string) => void;
}

/** The folder under the state folder holding Azurite's data. */
export const AZURITE_FOLDER = "azurite";

/** Blob storage served by Azurite through the emulator's front door. */
export class BlobStorage {
  private readonly server: http.Server;
  private readonly location?: string;
  private azurite?: Promise<AzuriteProcess>;
  /** Settles once the Azurite a reset stopped is gone (the next one waits for it). */
  private stopped: Promise<void> = Promise.resolve();
  private lastFailure?: string;
  private address = "";
  private closing?: Promise<void>;
  private closed = false;

  /** Prepares the storage (checks nothing yet): {@link listen} opens its door, Azurite starts on first use. */
  constructor(private readonly options: BlobStorageOptions) {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`The blob storage port must be an integer from 0 to 65535, not ${port}.`);
    this.location = options.stateDir ? path.join(path.resolve(options.stateDir), AZURITE_FOLDER) : undefined;
    this.server = http.createServer((req, res) => void this.forward(req, res));
  }

  /** Opens the front door on loopback. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port ?? 0, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const bound = this.server.address() as AddressInfo;
    this.address = `${urlHost(bound.address)}:${bound.port}`;
  }

  /** The blob endpoint, `http://127.0.0.1:<port>` (once listening); an account's service is `<url>/<account>`. */
  get url(): string {
    return `http://${this.address}`;
  }

  /** True while Azurite runs or starts (it starts on first use). */
  get running(): boolean {
    return this.azurite !== undefined;
  }

  /** The accounts served (name → key). */
  get accounts(): StorageAccounts {
    return this.options.accounts;
  }

  /** A client of an account's blob service, signed with `key` (default: the account's own key). */
  client(account: string, key = this.options.accounts.get(account) ?? ""): BlobServiceClient {
    return new BlobServiceClient(`${this.url}/${account}`, new StorageSharedKeyCredential(account, key), { retryOptions: { maxTries: 2, retryDelayInMs: 200 } });
  }

  /** Why Azurite could not start the last time it was asked to, for the health check. */
  problems(): string[] {
    return this.lastFailure ? [this.lastFailure] : [];
  }

  /**
   * Stops Azurite and forgets its data; the next use starts a fresh one. A running Azurite's
   * folder is emptied once it is gone (the next one waits for that); an idle one's at once.
   */
  reset(): void {
    const running = this.azurite;
    this.azurite = undefined;
    this.lastFailure = undefined;
    const location = this.location;
    if (!running) {
      if (location) removeTree(location);
      return;
    }
    this.stopped = running
      .then((a) => a.kill())
      .catch(() => undefined)
      .then(() => {
        try {
          if (location) removeTree(location);
        } catch (err) {
          this.lastFailure = `The reset could not empty ${location}: ${(err as Error).message}`;
        }
      });
  }

  /** Stops Azurite (it saves its data) and closes the front door. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      // Quiet when it never listened.
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
      const running = this.azurite;
      this.azurite = undefined;
      if (running) await running.then((a) => a.stop()).catch(() => undefined);
    })();
    return this.closing;
  }

  /** Azurite, started on first call. */
  private started(): Promise<AzuriteProcess> {
    if (this.closed) return Promise.reject(new Error("the emulator is stopping."));
    if (this.azurite) return this.azurite;
    const starting = (async () => {
      await this.stopped;
      if (this.location) fs.mkdirSync(this.location, { recursive: true, mode: 0o700 });
      const at = Date.now();
      const azurite = await AzuriteProcess.start({ location: this.location, accounts: this.options.accounts });
      this.options.log?.(`blob storage: Azurite started in ${Date.now() - at} ms`);
      this.lastFailure = undefined;
      return azurite;
    })();
    this.azurite = starting;
    starting.catch((err: Error) => {
      this.lastFailure = err.message;
      if (this.azurite === starting) this.azurite = undefined;
    });
    return starting;
  }

  /** Resolves once Azurite runs (for callers that use it through {@link client}). */
  async ready(): Promise<void> {
    await this.started();
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const foreign = foreignRequest(req.headers, "http");
    if (foreign) return storageError(res, 403, "AuthorizationFailure", foreign);
    let target: URL;
    try {
      target = new URL((await this.started()).url);
    } catch (err) {
      return storageError(res, 503, "ServerBusy", `The emulator's blob storage is not available: ${(err as Error).message.split("\n")[0]}`);
    }
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on("error", (err) => (res.headersSent ? res.destroy() : storageError(res, 503, "ServerBusy", `The emulator's blob storage is not available: ${err.message}`)));
    req.pipe(upstream);
  }
}

/** An error in Azure Storage's XML shape. */
function storageError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const escaped = message.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!);
  res.writeHead(status, { "Content-Type": "application/xml", "x-ms-error-code": code });
  res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escaped}</Message></Error>`);
}
