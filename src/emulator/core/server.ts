/**
 * The emulator's HTTP server: one `node:http` server hosting the emulated services, each a route
 * table with its own checks and error format, plus the control plane under `/_emulator/`.
 *
 * A request goes: control plane or owning service → authenticate (before the body is read) →
 * injected fault, if any → validate (api-version) → route → handler. Every answered request is
 * recorded as method, path and status only.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { DEFAULT_EMULATOR_HOST, LOCAL_EMULATOR_TENANT_ID, LOCAL_EMULATOR_TOKEN, REQUEST_LOG_FILE } from "./constants";
import { createControlPlane } from "./controlPlane";
import type { DatabricksEmulatorOptions } from "../databricks/config";
import { createDatabricksService } from "../databricks/service";
import { FaultQueue, parseFaults } from "./faults";
import { createKeyVaultService } from "../keyvault/service";
import { FileSecretStore, InMemorySecretStore, type SecretStore } from "../keyvault/store";
import { RequestLog, type RequestLogEntry } from "./requestLog";
import { PathDecodeError, RouteTable } from "./routing";
import { RequestBodyError, type EmulatorRequest, type EmulatorResponse, type EmulatorService, type Fault } from "./service";

/** Largest request body the emulator reads, in bytes. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** How to start the emulator. Every field is optional. */
export interface EmulatorOptions {
  /** Address to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Port to listen on; 0 picks a free port, reported in {@link RunningEmulator.url}. Default 0. */
  port?: number;
  /**
   * Folder for persistent state: when set, state is kept as JSON files there (loaded at start,
   * rewritten atomically on every change) and every request is appended to `requests.log`.
   * Default: state in memory only, nothing written to disk.
   */
  stateDir?: string;
  /** The one bearer token the services accept. Default {@link LOCAL_EMULATOR_TOKEN}. */
  token?: string;
  /** Tenant named in Key Vault's authentication challenge. Default {@link LOCAL_EMULATOR_TENANT_ID}. */
  tenantId?: string;
  /** When true, `api-version` may be missing or unknown. Default false (strict, like the real services). */
  loose?: boolean;
  /** Receives one human-readable line per request (`PUT /secrets/x 200`) and per internal error. Default: silent. */
  log?: (line: string) => void;
  /**
   * Faults to inject from the start: the next `count` authenticated requests answer `status` with
   * `Retry-After`, fault after fault, then behaviour is normal. Default none.
   */
  faults?: Fault[];
  /**
   * The Databricks workspace (`/api/...`): run lifecycle timing (`immediate` for tests, `realistic`
   * by default) and the Python that runs notebooks. Its state goes to `<stateDir>/databricks/`.
   */
  databricks?: DatabricksEmulatorOptions;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The Key Vault URL: the same as {@link url}, as one emulator is one vault. */
  readonly keyVaultUrl: string;
  /** The bearer token the emulator accepts. */
  readonly token: string;
  /** The requests answered since start or the last reset: method, path (no query), status, time. */
  requests(): RequestLogEntry[];
  /** Clears all state: every service's data, pending faults and the in-memory request list. */
  reset(): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? DEFAULT_EMULATOR_HOST;
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer from 0 to 65535, not ${port}.`);
  const token = options.token ?? LOCAL_EMULATOR_TOKEN;
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error("token must be non-empty printable ASCII without spaces.");
  const tenantId = options.tenantId ?? LOCAL_EMULATOR_TENANT_ID;
  if (!/^[0-9A-Za-z.-]+$/.test(tenantId)) throw new Error(`tenantId must be a tenant id or domain, not "${tenantId}".`);
  const log = options.log ?? (() => undefined);

  let secretStore: SecretStore;
  let requestLog: RequestLog;
  if (options.stateDir) {
    const stateDir = path.resolve(options.stateDir);
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    secretStore = new FileSecretStore(path.join(stateDir, "keyvault", "secrets.json"));
    requestLog = new RequestLog(path.join(stateDir, REQUEST_LOG_FILE));
  } else {
    secretStore = new InMemorySecretStore();
    requestLog = new RequestLog();
  }
  const faults = new FaultQueue(parseFaults(options.faults ?? []));

  const databricks = createDatabricksService({ token, stateDir: options.stateDir, databricks: options.databricks, log });
  // Services in order of precedence; the last one (the vault at the root) also answers unowned paths.
  const services: EmulatorService[] = [databricks, createKeyVaultService({ store: secretStore, token, tenantId, loose: options.loose })];
  const rootService = services[services.length - 1];
  const reset = (): void => {
    for (const s of services) s.reset();
    faults.replace([]);
    requestLog.clear();
  };
  const control = createControlPlane({
    reset,
    setFaults: (f) => faults.replace(f),
    faults: () => faults.list(),
    requests: () => requestLog.list(),
    extraRoutes: databricks.controlRoutes,
  });
  const tables = new Map<EmulatorService, RouteTable>([control, ...services].map((s) => [s, new RouteTable(s.routes)]));

  let boundAddress = "";
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const target = parseTarget(req.url ?? "/");
    const service = target ? ([control, ...services].find((s) => s.owns(target.pathname)) ?? rootService) : rootService;
    const pathname = target?.pathname ?? "/";
    let response: EmulatorResponse;
    try {
      const maxBody = (service as { maxRequestBodyBytes?: number }).maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES;
      const request = new IncomingRequest(req, method, pathname, target?.query ?? new URLSearchParams(), baseUrlOf(req.headers.host, boundAddress), maxBody);
      response = target ? await answer(service, request) : service.errors.badRequest("The request URI is not valid.");
    } catch (err) {
      if (err instanceof RequestBodyError || err instanceof PathDecodeError) {
        response = service.errors.badRequest(err.message);
      } else {
        log(`emulator error on ${method} ${pathname}: ${(err as Error)?.message ?? String(err)}`);
        response = service.errors.internal();
      }
    }
    // Record before answering, so a client that reads the log right after its response sees it.
    try {
      requestLog.add({ at: new Date().toISOString(), method, path: pathname, status: response.status });
    } catch (err) {
      log(`emulator could not write its request log: ${(err as Error).message}`);
    }
    log(`${method} ${pathname} ${response.status}`);
    send(res, response, service.responseHeaders());
  }

  async function answer(service: EmulatorService, request: IncomingRequest): Promise<EmulatorResponse> {
    const denied = service.authenticate(request);
    if (denied) return denied;
    if (service !== control) {
      const fault = faults.take();
      if (fault) return service.errors.fault(fault);
    }
    const invalid = service.validate(request);
    if (invalid) return invalid;
    const match = tables.get(service)!.match(request.method, request.pathname);
    switch (match.kind) {
      case "no-route":
        return service.errors.notFound(request);
      case "wrong-method":
        return service.errors.methodNotAllowed(request, match.allowed);
      case "matched":
        request.params = match.params;
        return await match.route.handle(request);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (err: Error) => {
    await databricks.close();
    throw err;
  });
  server.on("error", (err) => log(`emulator server error: ${err.message}`));
  const address = server.address() as AddressInfo;
  boundAddress = `${urlHost(address.address)}:${address.port}`;
  const url = `http://${boundAddress}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    keyVaultUrl: url,
    token,
    requests: () => requestLog.list(),
    reset,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }).finally(() => databricks.close());
      return closing;
    },
  };
}

/** A request as handed to services: parsed target, lazy JSON body. */
class IncomingRequest implements EmulatorRequest {
  params: Readonly<Record<string, string>> = {};
  readonly headers: http.IncomingHttpHeaders;
  private body?: Promise<unknown>;

  constructor(
    private readonly raw: http.IncomingMessage,
    readonly method: string,
    readonly pathname: string,
    readonly query: URLSearchParams,
    readonly baseUrl: string,
    private readonly maxBodyBytes: number = MAX_REQUEST_BODY_BYTES,
  ) {
    this.headers = raw.headers;
  }

  readJson(): Promise<unknown> {
    this.body ??= readBody(this.raw, this.maxBodyBytes).then((text) => {
      if (text.trim() === "") return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new RequestBodyError("The request body is not valid JSON.");
      }
    });
    return this.body;
  }
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () =>
      tooLarge ? reject(new RequestBodyError(`The request body is larger than ${maxBytes} bytes.`)) : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, response: EmulatorResponse, serviceHeaders: Record<string, string>): void {
  const headers: Record<string, string | number> = { ...serviceHeaders, ...(response.headers ?? {}) };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) {
    // Raw bytes (a direct download); the service sets their Content-Type.
    payload = response.body;
    headers["Content-Type"] ??= "application/octet-stream";
  } else if (response.body !== undefined && response.status !== 204) {
    payload = Buffer.from(JSON.stringify(response.body), "utf8");
    headers["Content-Type"] = "application/json; charset=utf-8";
  }
  headers["Content-Length"] = payload?.length ?? 0;
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Splits a request target into path and query; `undefined` when it is not a URL. */
function parseTarget(target: string): { pathname: string; query: URLSearchParams } | undefined {
  try {
    // Origin-form targets ("/secrets?x") resolve against a dummy base; absolute-form keep their path.
    const url = new URL(target, "http://emulator.invalid");
    return { pathname: url.pathname, query: url.searchParams };
  } catch {
    return undefined;
  }
}

/** `http://<Host header>` when the header is a plain host[:port]; the bound address otherwise. */
function baseUrlOf(hostHeader: string | undefined, boundAddress: string): string {
  const valid = hostHeader && /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(hostHeader);
  return `http://${valid ? hostHeader : boundAddress}`;
}

/** The host part of a URL for a bound address (wildcards become loopback; IPv6 bracketed). */
function urlHost(address: string): string {
  if (address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "[::1]";
  return address.includes(":") ? `[${address}]` : address;
}
