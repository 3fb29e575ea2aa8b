/**
 * The HTTP pipeline every service client of this package sends through: a short fixed list of
 * named policies, outermost first, ending in a transport. A policy sees the request on its way out
 * and the response (or the failure) on its way back.
 */

/** HTTP methods the clients use. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Methods that RFC 9110 defines as idempotent: a repeat leaves the server as one request would. */
export const IDEMPOTENT_METHODS: readonly HttpMethod[] = Object.freeze(["GET", "HEAD", "PUT", "DELETE"]);

/** A request as it passes the pipeline. */
export interface PipelineRequest {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Absolute URL, query included, as sent. */
  readonly url: string;
  /** Path without the query, as logged. */
  readonly path: string;
  /** Serialised body. */
  readonly body?: string;
  /** Request headers; policies add to them. */
  readonly headers: Readonly<Record<string, string>>;
  /** What is being done, for error messages: e.g. `get run 123`. */
  readonly operation: string;
  /** Whether the request may be repeated safely (allows retrying 5xx and network errors). */
  readonly idempotent: boolean;
  /**
   * For a request that is not idempotent but whose effect can be looked up: asked before a retry
   * that follows a failure after which the request may have been applied (no response, or 500,
   * 502, 504). Resolves to the response to end with when the request was applied, `undefined` to
   * send it again. With it, those failures are retried as for an idempotent request.
   */
  readonly ifApplied?: () => Promise<PipelineResponse | undefined>;
  /** Aborts the request and any retry wait. */
  readonly signal?: AbortSignal;
  /** 1-based attempt number, set by the retry policy. */
  readonly attempt: number;
}

/** A response as it passes back through the pipeline. */
export interface PipelineResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Response body as text. */
  readonly body: string;
}

/** Sends a request to the next policy (or the transport). */
export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

/** One named step of the pipeline. */
export interface PipelinePolicy {
  /** Name, for diagnostics and tests. */
  readonly name: string;
  /** Handles the request, calling `next` zero or more times. */
  send(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}

/** The policies composed over a transport. */
export interface Pipeline {
  /** Names of the policies, outermost first. */
  readonly policyNames: readonly string[];
  /** Sends a request through every policy, then the transport. */
  readonly send: SendRequest;
}

/** Composes `policies` (outermost first) over `transport`. */
export function createPipeline(policies: readonly PipelinePolicy[], transport: SendRequest): Pipeline {
  return {
    policyNames: Object.freeze(policies.map((p) => p.name)),
    send: policies.reduceRight<SendRequest>((next, policy) => (request) => policy.send(request, next), transport),
  };
}
