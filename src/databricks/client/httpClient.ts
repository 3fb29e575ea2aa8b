/**
 * The HTTP pipeline of the Databricks client. A request passes a short fixed list of named
 * policies, outermost first: `auth` (adds the credential's headers), `userAgent`, `retry`
 * (honours Retry-After, capped exponential backoff with jitter, AbortSignal-aware sleeps) and
 * `errorMapping` (turns every non-2xx response and every network failure into a
 * {@link DatabricksApiError}); then the axios transport.
 *
 * No axios error ever leaves this module: they carry the request configuration, Authorization
 * header included. Everything thrown is a {@link DatabricksApiError} built from the status, the
 * service's code and message, and the network error code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { AxiosInstance } from "axios";
import type { TokenSource } from "./auth";
import { isLoopbackUrl } from "../../core/target";
import { DatabricksApiError, errorFromNetworkFailure, errorFromResponse } from "./errors";
import { RetryOptions, retryDelayMs } from "../../core/http/retryPolicy";

/** HTTP methods used by the Databricks REST API. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Query parameters; `undefined` and `null` values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined | null>;

/** One call of {@link DatabricksHttpClient.request}. */
export interface DatabricksRequest {
  /** HTTP method. */
  method: HttpMethod;
  /** Path from the workspace root, e.g. `/api/2.1/jobs/runs/get`. */
  path: string;
  /** Query parameters. */
  query?: QueryParams;
  /** JSON body (serialised with `JSON.stringify`). */
  body?: unknown;
  /** What is being done, for error messages: e.g. `get run 123`. */
  operation: string;
  /**
   * Whether the request may be repeated safely, which allows retrying 500/502/504 and network
   * errors. Default: true for GET, false otherwise. 429 and 503 are always retried.
   */
  idempotent?: boolean;
  /** Aborts the request and any retry wait. */
  signal?: AbortSignal;
}

/** Options of {@link DatabricksHttpClient}. */
export interface DatabricksHttpClientOptions {
  /** Workspace URL, normalised (see `normalizeHost`): `https://adb-....azuredatabricks.net`. */
  host: string;
  /** Supplies the authentication headers. */
  auth: TokenSource;
  /** Retry tunables. Default: 6 retries, 500 ms base, 30 s cap. */
  retry?: Partial<RetryOptions>;
  /** Timeout of one attempt, in milliseconds. Default 120000. */
  timeoutMs?: number;
  /** Receives one line per attempt: `METHOD path -> status (attempt n)`; never headers or bodies. */
  log?: (line: string) => void;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** A request as it passes the pipeline. */
export interface PipelineRequest {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Path without query, as logged. */
  readonly path: string;
  /** Path with query string, as sent. */
  readonly url: string;
  /** Serialised JSON body. */
  readonly body?: string;
  /** Request headers; policies add to them. */
  readonly headers: Record<string, string>;
  /** What is being done, for error messages. */
  readonly operation: string;
  /** Whether the request may be repeated safely. */
  readonly idempotent: boolean;
  /** Abort signal of the call. */
  readonly signal?: AbortSignal;
  /** 1-based attempt number, set by the retry policy. */
  readonly attempt: number;
}

/** A response as it passes back through the pipeline. */
export interface PipelineResponse {
  /** HTTP status. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** Response body as text. */
  body: string;
}

/** Sends a request to the next policy (or the transport). */
export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

/** One named step of the pipeline. */
export interface PipelinePolicy {
  /** Name, for diagnostics. */
  readonly name: string;
  /** Handles the request, calling `next` zero or more times. */
  send(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}

/** Default timeout of one attempt. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** Adds the credential's headers. A credential failure becomes an AUTHENTICATION_FAILED error. */
export function authPolicy(auth: TokenSource): PipelinePolicy {
  return {
    name: "auth",
    async send(request, next) {
      let headers: Record<string, string>;
      try {
        headers = await auth.headers();
      } catch (err) {
        const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
        throw new DatabricksApiError({ operation: request.operation, status: 0, errorCode: "AUTHENTICATION_FAILED", message: `could not get ${auth.kind} credentials: ${message}` });
      }
      return next({ ...request, headers: { ...request.headers, ...headers } });
    },
  };
}

/** Sets `User-Agent: pulumi-azureml-databricks/<version>`. */
export function userAgentPolicy(userAgent: string = defaultUserAgent()): PipelinePolicy {
  return {
    name: "userAgent",
    send(request, next) {
      return next({ ...request, headers: { ...request.headers, "User-Agent": userAgent } });
    },
  };
}

/** Retries per {@link retryDelayMs}, sleeping between attempts; the sleep honours the abort signal. */
export function retryPolicy(options: Partial<RetryOptions> = {}, random: () => number = Math.random): PipelinePolicy {
  return {
    name: "retry",
    async send(request, next) {
      for (let retries = 0; ; retries++) {
        try {
          return await next({ ...request, attempt: retries + 1 });
        } catch (err) {
          if (!(err instanceof DatabricksApiError) || err.errorCode === "ABORTED") throw err;
          const delay = retryDelayMs(
            retries,
            {
              status: err.status || undefined,
              retryAfterHeader: err.retryAfter,
              errorCode: err.status ? undefined : err.errorCode,
              errorMessage: err.status ? undefined : err.serviceMessage,
              idempotent: request.idempotent,
            },
            options,
            random,
          );
          if (delay === undefined) throw err;
          try {
            await abortableSleep(delay, request.signal);
          } catch (abort) {
            throw errorFromNetworkFailure(request.operation, abort);
          }
        }
      }
    },
  };
}

/** Turns non-2xx responses and network failures into {@link DatabricksApiError}s. */
export function errorMappingPolicy(): PipelinePolicy {
  return {
    name: "errorMapping",
    async send(request, next) {
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (err) {
        throw errorFromNetworkFailure(request.operation, err);
      }
      if (response.status < 200 || response.status > 299) throw errorFromResponse(request.operation, response);
      return response;
    },
  };
}

/**
 * A Databricks REST client on axios. Returns parsed JSON; throws only {@link DatabricksApiError}.
 * The axios instance is created here, never at module level, so that dynamic providers that
 * `require` this module at call time stay serialisable.
 */
export class DatabricksHttpClient {
  /** Normalised workspace URL. */
  readonly host: string;
  /** Names of the policies, outermost first. */
  readonly policyNames: readonly string[];
  private readonly send: SendRequest;

  constructor(options: DatabricksHttpClientOptions) {
    if (!options.host) throw new Error("DatabricksHttpClient needs a host.");
    this.host = options.host.replace(/\/+$/, "");
    const axios = (require("axios") as typeof import("axios")).default;
    const loopback = isLoopbackUrl(new URL(this.host));
    const instance: AxiosInstance = axios.create({
      baseURL: this.host,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      responseType: "text",
      responseEncoding: "utf8",
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
      // The local emulator is on loopback: never route it through an HTTP(S)_PROXY from the environment.
      ...(loopback ? { proxy: false as const } : {}),
    });
    const log = options.log;
    const transport: SendRequest = async (request) => {
      try {
        const res = await instance.request<string>({
          method: request.method,
          url: request.url,
          data: request.body,
          headers: request.headers,
          signal: request.signal,
        });
        log?.(`${request.method} ${request.path} -> ${res.status} (attempt ${request.attempt})`);
        return { status: res.status, headers: plainHeaders(res.headers), body: typeof res.data === "string" ? res.data : String(res.data ?? "") };
      } catch (err) {
        const failure = errorFromNetworkFailure(request.operation, err);
        log?.(`${request.method} ${request.path} -> ${failure.errorCode} (attempt ${request.attempt})`);
        // Rethrow only the mapped error: the axios error carries the request configuration.
        throw failure;
      }
    };
    const policies: PipelinePolicy[] = [authPolicy(options.auth), userAgentPolicy(), retryPolicy(options.retry, options.random), errorMappingPolicy()];
    this.policyNames = Object.freeze(policies.map((p) => p.name));
    this.send = policies.reduceRight<SendRequest>((next, policy) => (request) => policy.send(request, next), transport);
  }

  /**
   * Sends one REST call through the pipeline and returns the parsed JSON body (`{}` for an empty
   * body).
   *
   * @throws DatabricksApiError for every failure: service errors, network errors after retries,
   *   aborts (`ABORTED`), credential failures (`AUTHENTICATION_FAILED`) and non-JSON success
   *   bodies (`INVALID_RESPONSE`).
   */
  async request<T>(req: DatabricksRequest): Promise<T> {
    const url = req.path + queryString(req.query);
    const headers: Record<string, string> = { Accept: "application/json" };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["Content-Type"] = "application/json";
    }
    let response: PipelineResponse;
    try {
      if (req.signal?.aborted) throw errorFromNetworkFailure(req.operation, { name: "AbortError" });
      response = await this.send({
        method: req.method,
        path: req.path,
        url,
        body,
        headers,
        operation: req.operation,
        idempotent: req.idempotent ?? req.method === "GET",
        signal: req.signal,
        attempt: 1,
      });
    } catch (err) {
      throw err instanceof DatabricksApiError ? err : errorFromNetworkFailure(req.operation, err);
    }
    const text = response.body.trim();
    if (text === "") return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      const type = response.headers["content-type"] ?? "no content type";
      throw new DatabricksApiError({
        operation: req.operation,
        status: response.status,
        errorCode: "INVALID_RESPONSE",
        message: `expected a JSON body, got ${type} (is the host a Databricks workspace URL?)`,
        requestId: response.headers["x-request-id"],
      });
    }
  }
}

/**
 * Resolves after `ms` milliseconds; rejects with an `AbortError` as soon as `signal` aborts
 * (immediately when it already has).
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abortError = () => Object.assign(new Error("the operation was aborted"), { name: "AbortError" });
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `pulumi-azureml-databricks/<version of this package>`. */
export function defaultUserAgent(): string {
  return `pulumi-azureml-databricks/${packageVersion()}`;
}

let cachedVersion: string | undefined;

/** The version in this package's package.json, found by walking up from this module; `0.0.0` if none. */
function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = "0.0.0";
  let dir = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "pulumi-azureml-databricks" && typeof pkg.version === "string") {
        cachedVersion = pkg.version;
        break;
      }
    } catch {
      // no package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cachedVersion;
}

function queryString(query: QueryParams | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function plainHeaders(headers: unknown): Record<string, string> {
  const source = (headers && typeof (headers as { toJSON?: unknown }).toJSON === "function" ? (headers as { toJSON(): unknown }).toJSON() : headers) as
    | Record<string, unknown>
    | undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source ?? {})) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}
