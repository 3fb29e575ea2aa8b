/**
 * A JSON REST client on the pipeline: `auth -> userAgent -> retry -> log -> errorMapping`, then
 * the axios transport. Each service client (Databricks, Key Vault, Resource Manager) is one of
 * these with its base URL, token source and error parser. It returns parsed JSON and throws only
 * the service's {@link ServiceError} subtype.
 */
import type { ServiceError } from "../errors";
import { authPolicy } from "./authPolicy";
import { axiosTransport, AxiosTransportOptions } from "./axiosTransport";
import { errorMappingPolicy, ServiceErrorParser, toServiceError } from "./errorMappingPolicy";
import { abortError } from "../abortableSleep";
import { logPolicy } from "./logPolicy";
import { createPipeline, HttpMethod, IDEMPOTENT_METHODS, Pipeline, PipelineResponse, SendRequest } from "./pipeline";
import { retryPolicy, RetryPolicyOptions } from "./retryPolicy";
import type { TokenSource } from "./tokenSource";
import { userAgentPolicy } from "./userAgentPolicy";

/** Query parameters; `undefined` and `null` values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined | null>;

/** One call of {@link JsonHttpClient.request}. */
export interface JsonRequest {
  /** HTTP method. */
  method: HttpMethod;
  /** Path from the base URL, e.g. `/api/2.1/jobs/runs/get`; already URL-encoded. */
  path: string;
  /** Query parameters. */
  query?: QueryParams;
  /** JSON body (serialised with `JSON.stringify`). */
  body?: unknown;
  /** What is being done, for error messages: e.g. `get run 123`. */
  operation: string;
  /**
   * Whether the request may be repeated safely, which allows retrying 500/502/504 and network
   * errors. Default: true for GET, HEAD, PUT and DELETE, false for POST and PATCH. 429 and 503
   * are always retried.
   */
  idempotent?: boolean;
  /**
   * For a request that is not idempotent but whose effect can be looked up (a create that a
   * repeat would refuse as a duplicate, a write that a repeat would make twice): asked before a
   * retry after a reset connection, a timeout or a 500/502/504, when the request may have been
   * applied. Resolves to the call's result when it was (the call then returns it, as a 200 without
   * headers, without sending the request again), or `undefined` to send it again. With it, those
   * failures are retried. Default: none (such failures are retried only for idempotent requests).
   */
  ifApplied?: () => Promise<unknown>;
  /** Aborts the request and any retry wait. */
  signal?: AbortSignal;
  /** Extra request headers of this call (never credentials: the auth policy adds those). */
  headers?: Readonly<Record<string, string>>;
}

/** A parsed response of {@link JsonHttpClient.exchange}. */
export interface JsonResponse<T> {
  /** HTTP status. */
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body (`{}` for an empty body). */
  readonly body: T;
}

/** Options of {@link JsonHttpClient}. */
export interface JsonHttpClientOptions<E extends ServiceError> extends RetryPolicyOptions, AxiosTransportOptions {
  /** Base URL of the service, e.g. `https://adb-1.2.azuredatabricks.net`; a trailing slash is dropped. */
  baseUrl: string;
  /** Supplies the authentication headers. */
  auth: TokenSource;
  /** Builds the service's errors. */
  errors: ServiceErrorParser<E>;
  /** Whether a URL may receive the token (see the auth policy). Default: every URL. */
  mayReceiveToken?: (url: URL) => boolean;
  /** Added to the message of a success response that is not JSON, e.g. `is the host a Databricks workspace URL?`. */
  notJsonHint?: string;
  /** Receives one line per attempt: `METHOD path -> status (attempt n)`; never headers or bodies. */
  log?: (line: string) => void;
  /** `User-Agent` header. Default `pulumi-azureml-databricks/<version>`. */
  userAgent?: string;
  /** The transport. Default: {@link axiosTransport} with `timeoutMs`. */
  transport?: SendRequest;
}

/** A JSON REST client of one service; see the module comment. */
export class JsonHttpClient<E extends ServiceError = ServiceError> {
  /** Base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Names of the policies, outermost first. */
  readonly policyNames: readonly string[];
  private readonly pipeline: Pipeline;
  private readonly errors: ServiceErrorParser<E>;
  private readonly notJsonHint?: string;

  constructor(options: JsonHttpClientOptions<E>) {
    if (!options.baseUrl) throw new Error("An HTTP client needs a base URL.");
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.errors = options.errors;
    this.notJsonHint = options.notJsonHint;
    const log = options.log ?? (() => undefined);
    this.pipeline = createPipeline(
      [
        authPolicy(options.auth, { mayReceiveToken: options.mayReceiveToken }),
        userAgentPolicy(options.userAgent),
        retryPolicy(options),
        logPolicy(log),
        errorMappingPolicy(options.errors),
      ],
      options.transport ?? axiosTransport(options),
    );
    this.policyNames = this.pipeline.policyNames;
  }

  /**
   * Sends one call through the pipeline and returns the parsed JSON body (`{}` for an empty body).
   *
   * @throws the service's error type for every failure: service errors, network errors after
   *   retries, aborts (`ABORTED`), credential failures (`AUTHENTICATION_FAILED`), a host that may
   *   not receive the token (`UNTRUSTED_HOST`) and non-JSON success bodies (`INVALID_RESPONSE`).
   */
  async request<T>(req: JsonRequest): Promise<T> {
    return (await this.exchange<T>(req)).body;
  }

  /**
   * Like {@link request}, but also returns the status and the response headers (lower-case
   * names), for protocols that answer in headers, such as Resource Manager's long-running
   * operations (`Azure-AsyncOperation`, `Location`, `Retry-After`).
   */
  async exchange<T>(req: JsonRequest): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { ...req.headers, Accept: "application/json" };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["Content-Type"] = "application/json";
    }
    let response: PipelineResponse;
    try {
      if (req.signal?.aborted) throw abortError();
      response = await this.pipeline.send({
        method: req.method,
        url: this.baseUrl + req.path + queryString(req.query),
        path: req.path,
        body,
        headers,
        operation: req.operation,
        idempotent: req.idempotent ?? IDEMPOTENT_METHODS.includes(req.method),
        ...(req.ifApplied && { ifApplied: appliedResponse(req.ifApplied) }),
        signal: req.signal,
        attempt: 1,
      });
    } catch (err) {
      throw toServiceError(this.errors, req.operation, err);
    }
    return { status: response.status, headers: response.headers, body: this.parse<T>(req.operation, response) };
  }

  private parse<T>(operation: string, response: PipelineResponse): T {
    const text = response.body.trim();
    if (text === "") return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      const type = response.headers["content-type"] ?? "no content type";
      const hint = this.notJsonHint ? ` (${this.notJsonHint})` : "";
      throw this.errors.create({ operation, status: response.status, code: "INVALID_RESPONSE", message: `expected a JSON body, got ${type}${hint}`, requestId: this.errors.requestIdOf(response) });
    }
  }
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

/** A result looked up by {@link JsonRequest.ifApplied} as the response the call returns. */
function appliedResponse(ifApplied: () => Promise<unknown>): () => Promise<PipelineResponse | undefined> {
  return async () => {
    const result = await ifApplied();
    return result === undefined ? undefined : { status: 200, headers: {}, body: JSON.stringify(result) };
  };
}
