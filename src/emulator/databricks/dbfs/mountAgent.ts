/**
 * The door through which a notebook's `dbutils.fs` reaches the emulator's {@link MountSync} while
 * it runs (`dbutils_local.py`): a `mount` checks the key with the storage and fetches the prefix,
 * an `unmount` first writes the working copy back, `refreshMounts` fetches every mount. A loopback
 * HTTP listener, opened on first use; each request needs its own random token, which goes to the
 * Python processes in their spec (on stdin, as secrets do). JSON in, JSON out:
 *
 * - `POST /mount {"source", "configs"}` → 200 `{}`, or 400 `{"message": <the JVM's message>}`
 * - `POST /push {"source"}` → 200 `{}`; `POST /pull` → 200 `{}`
 * - any failure of the storage → 500 `{"message"}`
 */
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { bearerTokenOf, tokenMatches } from "../../core/bearer";
import { MountRefused, type MountSync } from "./mountSync";

/** What the Python processes need to reach the agent. */
export interface MountAgentLink {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The bearer token it accepts. */
  readonly token: string;
}

/** Largest request body read (extra configs are small). */
const MAX_BODY_BYTES = 64 * 1024;

/** The mount agent of one emulator. */
export class MountAgent {
  private readonly token = randomBytes(32).toString("hex");
  private readonly server = http.createServer((req, res) => void this.answer(req, res));
  private opened?: Promise<MountAgentLink>;

  constructor(private readonly sync: MountSync) {}

  /** Opens the listener (once) and returns how to reach it. */
  link(): Promise<MountAgentLink> {
    this.opened ??= new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => {
        this.server.off("error", reject);
        this.server.unref();
        resolve({ url: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`, token: this.token });
      });
    });
    return this.opened;
  }

  /** Closes the listener. */
  close(): Promise<void> {
    if (!this.opened) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const token = bearerTokenOf(req.headers);
    if (token === undefined || !tokenMatches(token, this.token)) return reply(401, { message: "The mount agent needs its token." });
    if (req.method !== "POST") return reply(405, { message: `${req.method} is not supported; use POST.` });
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch (err) {
      return reply(400, { message: (err as Error).message });
    }
    try {
      switch (req.url) {
        case "/mount":
          await this.sync.mount(String(body.source ?? ""), isObject(body.configs) ? body.configs : {});
          return reply(200, {});
        case "/push":
          await this.sync.pushSource(String(body.source ?? ""));
          return reply(200, {});
        case "/pull":
          await this.sync.pullAll();
          return reply(200, {});
        default:
          return reply(404, { message: `No mount agent endpoint ${req.url}.` });
      }
    } catch (err) {
      if (err instanceof MountRefused) return reply(400, { message: err.javaMessage });
      return reply(500, { message: `The emulator's blob storage failed: ${(err as Error)?.message ?? String(err)}` });
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const value: unknown = text ? JSON.parse(text) : {};
  if (!isObject(value)) throw new Error("The request body must be a JSON object.");
  return value;
}
