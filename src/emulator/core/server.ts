/**
 * The emulator's server: one `node:https` server (or `node:http` with the `http` option) hosting
 * the emulated services, each a route table with its own checks and error format, the identity
 * service that issues their tokens, plus the control plane under `/_emulator/` (`./dispatcher`
 * takes each request through them). Every answered request is recorded as method, path and status
 * only. Its certificate comes from a local CA kept in the state folder (`./tls/`).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { isLoopbackUrl, LOCAL_HTTP_ENV } from "../../core/target";
import { createArmService } from "../arm/service";
import { resolveAzureMlConfig, type AzureMlConfig, type AzureMlEmulatorOptions } from "../azureml/config";
import { LocalJobExecutor } from "../azureml/execution/localExecutor";
import { createAzureMlProvider } from "../azureml/service";
import { readMounts } from "../databricks/dbfs/mounts";
import { createPagesService } from "../pages/service";
import type { DatabricksEmulatorOptions } from "../databricks/config";
import { createDatabricksService } from "../databricks/service";
import { LOCAL_MANAGED_IDENTITY_CLIENT_ID, MANAGED_IDENTITY_PATH, tokenPath } from "../identity/constants";
import { createIdentityService } from "../identity/service";
import { loadSigningKey, type SigningKey } from "../identity/signingKey";
import { TokenIssuer } from "../identity/tokens";
import { createKeyVaultService } from "../keyvault/service";
import { FileSecretStore, InMemorySecretStore, type SecretStore } from "../keyvault/store";
import { emulatorVault } from "../databricks/secrets/vault";
import { storageAccounts } from "../storage/accounts";
import { BlobStorage } from "../storage/blobStorage";
import { storageControlRoutes } from "../storage/controlRoutes";
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
import { trustInChildProcesses } from "./tls/childTrust";
import { loadTlsMaterial, serverNames, type TlsMaterial } from "./tls/tlsMaterial";

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
  /**
   * The emulator's tenant: the issuer of its tokens and the tenant Key Vault's authentication
   * challenge names. Default {@link LOCAL_EMULATOR_TENANT_ID}.
   */
  tenantId?: string;
  /**
   * Serve plain http instead of https. Default false: https with a certificate from the
   * emulator's local CA. Clients of the local target then need `AMLDB_LOCAL_HTTP=1`; the official
   * Azure SDKs refuse to send tokens over http.
   */
  http?: boolean;
  /**
   * Folder of the CA and the server certificate, made on first start and reused. Default
   * `<stateDir>/tls`; without a state folder, one CA in memory per process.
   */
  tlsDir?: string;
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
   * The Azure ML workspace the emulator's Resource Manager serves (subscription, resource group,
   * workspace name, region; how long operations take). Its state goes to `<stateDir>/azureml/`.
   */
  azureml?: AzureMlEmulatorOptions;
  /**
   * The blob storage behind blob mounts: Azurite, started on first use, reached at
   * {@link RunningEmulator.blobUrl}. Its data goes to `<stateDir>/azurite/`, or stays in memory.
   */
  blobStorage?: {
    /** Port of the blob endpoint; 0 picks a free port. Default 0. */
    port?: number;
    /**
     * Storage accounts besides Azurite's well-known `devstoreaccount1`: name → base64 key (the
     * CLI reads them from `AZURITE_ACCOUNTS`). Default none.
     */
    accounts?: Record<string, string>;
  };
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
  /** Base URL, `https://<bound address>:<port>` (`https://127.0.0.1:<port>` by default; `http://` with the `http` option). */
  readonly url: string;
  /** The Key Vault URL: the same as {@link url}, as one emulator is one vault. */
  readonly keyVaultUrl: string;
  /**
   * The emulator's own token: the bearer the control plane requires, which the services also
   * accept (as a personal access token), and the client secret of the owner application at the
   * token endpoint.
   */
  readonly token: string;
  /** The CA certificate clients trust (`ca.pem`); `undefined` when the emulator serves plain http. */
  readonly caPath: string | undefined;
  /**
   * The environment that lets a child process talk to the emulator: `NODE_EXTRA_CA_CERTS`,
   * `REQUESTS_CA_BUNDLE` and `SSL_CERT_FILE` naming bundles with the CA (see `tls/childTrust.ts`);
   * with plain http, `AMLDB_LOCAL_HTTP=1`, which lets the local target use http URLs.
   */
  readonly clientEnv: Readonly<Record<string, string>>;
  /** The emulator's tenant, whose token endpoint issues the tokens the services accept. */
  readonly tenantId: string;
  /** The token endpoint, `<url>/<tenantId>/oauth2/v2.0/token` (client credentials). */
  readonly tokenUrl: string;
  /**
   * The environment of a process that authenticates as the emulator's managed identity, the way
   * Azure sets it: `app-service` (default) gives `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`,
   * `azure-ml` gives `MSI_ENDPOINT`, `MSI_SECRET` and `DEFAULT_IDENTITY_CLIENT_ID` (what Azure
   * Machine Learning compute sets). The header is a secret made at each start.
   */
  managedIdentityEnv(protocol?: "app-service" | "azure-ml"): Record<string, string>;
  /** The Azure ML workspace served under `<url>/subscriptions/...` (its ids and region). */
  readonly azureml: AzureMlConfig;
  /** The blob storage's endpoint, `https://127.0.0.1:<port>` (`http` with the `http` option); an account's blob service is `<blobUrl>/<account>`. */
  readonly blobUrl: string;
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
  const azuremlConfig = resolveAzureMlConfig(options.azureml);
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? systemClock;
  const storeOptions = { now: () => clock.now() };

  const stateDir = options.stateDir ? path.resolve(options.stateDir) : undefined;
  // The keys are made on the thread pool, side by side, before anything else is opened.
  const [tls, signingKey]: [TlsMaterial | undefined, SigningKey] = await Promise.all([
    options.http ? undefined : loadTlsMaterial(options.tlsDir ?? (stateDir ? path.join(stateDir, "tls") : undefined), serverNames(host), log),
    loadSigningKey(stateDir),
  ]);
  let secretStore: SecretStore;
  let requestLog: RequestLog;
  if (stateDir) {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    secretStore = new FileSecretStore(path.join(stateDir, "keyvault", "secrets.json"), storeOptions);
    requestLog = new RequestLog(path.join(stateDir, REQUEST_LOG_FILE));
  } else {
    secretStore = new InMemorySecretStore(storeOptions);
    requestLog = new RequestLog();
  }
  const faults = new FaultQueue(parseFaults(options.faults ?? []));
  const clientEnv: Record<string, string> = tls ? trustInChildProcesses(tls.caPem) : { [LOCAL_HTTP_ENV]: "1" };
  const issuer = new TokenIssuer(signingKey, tenantId, clock);
  const managedIdentitySecret = randomBytes(24).toString("base64url");

  // Processes and task folders an earlier emulator left when it was killed go before anything runs.
  const leftovers = cleanupExecutionLeftovers();
  if (leftovers.removed.length > 0) log(`emulator removed ${leftovers.removed.length} task folders (and ended ${leftovers.killed.length} processes) an earlier emulator left`);
  const storage = new BlobStorage({ stateDir: options.stateDir, accounts: storageAccounts(options.blobStorage?.accounts), port: options.blobStorage?.port, log, tls });
  let boundAddress = "";
  // Asked only once the server listens (and `url` is set).
  const vault = emulatorVault(secretStore, () => url);
  const databricks = createDatabricksService({ token, tokens: issuer, stateDir: options.stateDir, databricks: options.databricks, clock, log, storage, vault });
  const jobExecutor = new LocalJobExecutor(log);
  const azureml = createAzureMlProvider({ config: azuremlConfig, tenantId, clock, log, dataPlane: { token, tokens: issuer }, stateDir: options.stateDir, storage, executor: options.azureml?.runJobs === false ? undefined : jobExecutor });
  // Asked when a step starts (once the server listens and `url` is set).
  jobExecutor.attach({ resources: azureml.resources, storage, config: azureml.config, env: () => ({ ...clientEnv, ...managedIdentityEnv("azure-ml") }) });
  // Services in order of precedence; the last one (the vault at the root) also answers unowned paths.
  const pages = createPagesService({
    token,
    store: databricks.store,
    tree: databricks.tree,
    vault,
    azureml: { resources: azureml.resources, storage, liveLog: (job) => jobExecutor.liveLog(job) },
    mounts: () => readMounts(databricks.paths),
  });
  const services: EmulatorService[] = [
    databricks,
    createIdentityService({ issuer, ownerToken: token, managedIdentitySecret, clock }),
    createArmService({ token, tokens: issuer, loose: options.loose, providers: [azureml] }),
    azureml.inference,
    pages,
    createKeyVaultService({ store: secretStore, token, tokens: issuer, tenantId, loose: options.loose }),
  ];
  // Every part is reset even when one fails; the failure is thrown (and answered) afterwards.
  const reset = (): void =>
    runEveryStep([
      ["azure ml jobs", () => void jobExecutor.close()],
      ...services.map((s) => [s.name, () => s.reset()] as const),
      ["blob storage", () => storage.reset()],
      ["faults", () => faults.clear()],
      ["request log", () => requestLog.clear()],
    ]);
  const control = createControlPlane({
    token,
    reset,
    faults,
    faultServices: services.filter((s) => s.takesFaults !== false).map((s) => s.name),
    requests: () => requestLog.list(),
    problems: () => [...services.flatMap((s) => (s.problems?.() ?? []).map((p) => `${s.name}: ${p}`)), ...storage.problems().map((p) => `blob storage: ${p}`)],
    clock,
    extraRoutes: [...databricks.controlRoutes, ...storageControlRoutes(storage)],
  });

  const scheme = tls ? "https" : "http";
  const dispatch = createDispatcher({ control, services, faults, requestLog, clock, log, boundAddress: () => boundAddress, scheme });
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void dispatch(req, res);
  };
  const server = tls ? https.createServer({ key: tls.keyPem, cert: tls.certPem }, listener) : http.createServer(listener);

  const listening = new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const failed = (await Promise.allSettled([listening, storage.listen()])).find((r) => r.status === "rejected");
  if (failed) {
    await jobExecutor.close();
    await databricks.close();
    await storage.close();
    azureml.close();
    server.close();
    throw failed.reason;
  }
  server.on("error", (err) => log(`emulator server error: ${err.message}`));
  server.on("tlsClientError", (err: Error) => log(`emulator TLS handshake failed: ${err.message} (does the client trust ${tls?.caPath}?)`));
  const address = server.address() as AddressInfo;
  boundAddress = `${urlHost(address.address)}:${address.port}`;
  const url = `${scheme}://${boundAddress}`;
  // Jobs an earlier emulator on this state had not ended go on, now that steps can reach `url`.
  if (options.azureml?.runJobs !== false) jobExecutor.resume();

  let closing: Promise<void> | undefined;
  function managedIdentityEnv(protocol: "app-service" | "azure-ml" = "app-service"): Record<string, string> {
    const endpoint = `${url}${MANAGED_IDENTITY_PATH}`;
    return protocol === "app-service"
      ? { IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: managedIdentitySecret }
      : { MSI_ENDPOINT: endpoint, MSI_SECRET: managedIdentitySecret, DEFAULT_IDENTITY_CLIENT_ID: LOCAL_MANAGED_IDENTITY_CLIENT_ID };
  }
  return {
    url,
    keyVaultUrl: url,
    token,
    caPath: tls?.caPath,
    clientEnv,
    tenantId,
    tokenUrl: `${url}${tokenPath(tenantId)}`,
    managedIdentityEnv,
    azureml: azureml.config,
    blobUrl: storage.url,
    requests: () => requestLog.list(),
    reset,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }).finally(async () => {
        await jobExecutor.close();
        await databricks.close();
        await storage.close();
        azureml.close();
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
