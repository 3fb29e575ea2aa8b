/**
 * The emulator's HTTP server: one `node:http` server hosting the emulated services, each a route
 * table with its own checks and error format, plus the control plane under `/_emulator/`
 * (`./dispatcher` takes each request through them). Every answered request is recorded as method,
 * path and status only.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { isLoopbackUrl } from "../../core/target";
import { createArmService } from "../arm/service";
import { createPagesService } from "../pages/service";
import type { DatabricksEmulatorOptions } from "../databricks/config";
import { createDatabricksService } from "../databricks/service";
import { createKeyVaultService } from "../keyvault/service";
import { FileSecretStore, InMemorySecretStore, type SecretStore } from "../keyvault/store";
import { systemClock, type Clock } from "./clock";
import { DEFAULT_EMULATOR_HOST, LOCAL_EMULATOR_TENANT_ID, LOCAL_EMULATOR_TOKEN, REQUEST_LOG_FILE } from "./constants";
import { createControlPlane } from "./controlPlane";
import { cleanupExecutionLeftovers } from "../execution/contract";
import { createDispatcher } from "./dispatcher";
import { runEveryStep } from "./everyStep";
import { FaultQueue, parseFaults } from "./faults";
import { urlHost } from "./http";
import { RequestLog, type RequestLogEntry } from "./requestLog";
import type { EmulatorService, Fault } from "./service";

export { MAX_REQUEST_BODY_BYTES } from "./http";

/** How to start the emulator. Every field is optional. */
export interface EmulatorOptions {
  /**
   * Address to listen on. Default `127.0.0.1` (loopback only). Any other address (`0.0.0.0`, a
   * LAN address) needs a `token` other than the public {@link LOCAL_EMULATOR_TOKEN}.
   */
  host?: string;
  /** Port to listen on; 0 picks a free port, reported in {@link RunningEmulator.url}. Default 0. */
  port?: number;
  /**
   * Folder for persistent state: when set, each service keeps a snapshot and a journal of its
   * changes there (every change on disk before its answer leaves; the journal folded into the
   * snapshot as it grows), DBFS and workspace files beside them, and every request is appended to
   * `requests.log` (rotated at 4 MiB). Default: state in memory only, nothing written to disk.
   */
  stateDir?: string;
  /**
   * The one bearer token the services and the control plane accept. Default
   * {@link LOCAL_EMULATOR_TOKEN}, which is public: fine on loopback only.
   */
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
  /**
   * The emulator's time: every timestamp it reports and every timed phase (a run's PENDING and
   * TERMINATING, a cluster's start, retry intervals, timeouts). A `ManualClock` stands still
   * until advanced (by its owner or `POST /_emulator/clock`), so tests end each phase when they
   * choose. Default: real time.
   */
  clock?: Clock;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL, `http://<bound address>:<port>` (`http://127.0.0.1:<port>` by default; `http://0.0.0.0:<port>` on all interfaces). */
  readonly url: string;
  /** The Key Vault URL: the same as {@link url}, as one emulator is one vault. */
  readonly keyVaultUrl: string;
  /** The bearer token the emulator (services and control plane) accepts. */
  readonly token: string;
  /** The requests answered since start or the last reset: method, path (no query), status, time. */
  requests(): RequestLogEntry[];
  /**
   * Clears all state: every service's data, pending faults and the in-memory request list. Every
   * part is cleared even when one fails; then it throws, naming what failed.
   */
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
  if (token === LOCAL_EMULATOR_TOKEN && !isLoopbackAddress(host)) {
    throw new Error(
      `The emulator listens on ${host}, beyond this machine, only with a token of your own: the default token is public. Set AMLDB_LOCAL_TOKEN (or the token option) to a secret value, or listen on 127.0.0.1.`,
    );
  }
  const tenantId = options.tenantId ?? LOCAL_EMULATOR_TENANT_ID;
  if (!/^[0-9A-Za-z.-]+$/.test(tenantId)) throw new Error(`tenantId must be a tenant id or domain, not "${tenantId}".`);
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? systemClock;
  const storeOptions = { now: () => clock.now() };

  let secretStore: SecretStore;
  let requestLog: RequestLog;
  if (options.stateDir) {
    const stateDir = path.resolve(options.stateDir);
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    secretStore = new FileSecretStore(path.join(stateDir, "keyvault", "secrets.json"), storeOptions);
    requestLog = new RequestLog(path.join(stateDir, REQUEST_LOG_FILE));
  } else {
    secretStore = new InMemorySecretStore(storeOptions);
    requestLog = new RequestLog();
  }
  const faults = new FaultQueue(parseFaults(options.faults ?? []));

  // Processes and task folders an earlier emulator left when it was killed go before anything runs.
  const leftovers = cleanupExecutionLeftovers();
  if (leftovers.removed.length > 0) log(`emulator removed ${leftovers.removed.length} task folders (and ended ${leftovers.killed.length} processes) an earlier emulator left`);
  const databricks = createDatabricksService({ token, stateDir: options.stateDir, databricks: options.databricks, clock, log });
  // Services in order of precedence; the last one (the vault at the root) also answers unowned paths.
  const pages = createPagesService({ token, store: databricks.store, tree: databricks.tree });
  const services: EmulatorService[] = [databricks, createArmService({ token, loose: options.loose }), pages, createKeyVaultService({ store: secretStore, token, tenantId, loose: options.loose })];
  // Every part is reset even when one fails; the failure is thrown (and answered) afterwards.
  const reset = (): void =>
    runEveryStep([...services.map((s) => [s.name, () => s.reset()] as const), ["faults", () => faults.replace([])], ["request log", () => requestLog.clear()]]);
  const control = createControlPlane({
    token,
    reset,
    setFaults: (f) => faults.replace(f),
    faults: () => faults.list(),
    requests: () => requestLog.list(),
    problems: () => services.flatMap((s) => (s.problems?.() ?? []).map((p) => `${s.name}: ${p}`)),
    clock,
    extraRoutes: databricks.controlRoutes,
  });

  let boundAddress = "";
  const dispatch = createDispatcher({ control, services, faults, requestLog, clock, log, boundAddress: () => boundAddress });
  const server = http.createServer((req, res) => {
    void dispatch(req, res);
  });

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
      }).finally(async () => {
        await databricks.close();
        if (secretStore instanceof FileSecretStore) secretStore.close();
      });
      return closing;
    },
  };
}

/** True for a loopback address or name (`127.0.0.1`, `::1`, `localhost`). */
function isLoopbackAddress(host: string): boolean {
  try {
    return isLoopbackUrl(new URL(`http://${urlHost(host)}`));
  } catch {
    return false;
  }
}
