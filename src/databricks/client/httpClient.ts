/**
 * The HTTP client of the Databricks APIs: this package's one pipeline (`auth -> userAgent ->
 * retry -> log -> errorMapping`, then axios) with Databricks' error parser. Everything it throws
 * is a {@link DatabricksApiError}.
 */
import { JsonHttpClient, JsonHttpClientOptions, JsonRequest } from "../../core/http";
import type { TokenSource } from "./auth";
import { databricksErrors, DatabricksApiError } from "./errors";

export { abortableSleep, DEFAULT_TIMEOUT_MS, defaultUserAgent } from "../../core/http";
export type { HttpMethod, PipelinePolicy, PipelineRequest, PipelineResponse, QueryParams, SendRequest } from "../../core/http";

/** One call of {@link DatabricksHttpClient.request}. Databricks uses GET (retried on 5xx by default) and POST (not, unless marked idempotent). */
export type DatabricksRequest = JsonRequest;

/** Options every API call accepts. */
export interface CallOptions {
  /** Aborts the call (and its retry waits). */
  signal?: AbortSignal;
  /** Extra request headers of the call. */
  headers?: Readonly<Record<string, string>>;
}

/** Options of {@link DatabricksHttpClient}. */
export interface DatabricksHttpClientOptions extends Omit<JsonHttpClientOptions<DatabricksApiError>, "baseUrl" | "auth" | "errors" | "notJsonHint" | "mayReceiveToken"> {
  /** Workspace URL, normalised (see `normalizeHost`): `https://adb-....azuredatabricks.net`. */
  host: string;
  /** Supplies the authentication headers. */
  auth: TokenSource;
}

/** A Databricks REST client; returns parsed JSON and throws only {@link DatabricksApiError}. */
export class DatabricksHttpClient extends JsonHttpClient<DatabricksApiError> {
  constructor(options: DatabricksHttpClientOptions) {
    if (!options.host) throw new Error("DatabricksHttpClient needs a host.");
    const { host, ...rest } = options;
    const origin = new URL(host).origin;
    // The token is for this workspace: a request that would leave its origin is refused unsent.
    super({ ...rest, baseUrl: host, errors: databricksErrors, mayReceiveToken: (url) => url.origin === origin, notJsonHint: "is the host a Databricks workspace URL?" });
  }

  /** Normalised workspace URL. */
  get host(): string {
    return this.baseUrl;
  }
}
