/**
 * The contract between the emulator's HTTP server and the services it hosts (Key Vault today;
 * Databricks and Azure Resource Manager later). The server owns sockets, the control plane, the
 * request log and fault injection; a service owns its paths, its checks, its route table and its
 * wire format for errors.
 */
import type { IncomingHttpHeaders } from "node:http";

/** HTTP methods a route can answer. */
export type HttpMethod = "GET" | "PUT" | "POST" | "PATCH" | "DELETE";

/** A request as the services see it. */
export interface EmulatorRequest {
  /** Upper-case HTTP method as received. */
  readonly method: string;
  /** The path as received, still percent-encoded, without the query string. */
  readonly pathname: string;
  /** The query string, parsed (so `api%2Dversion=7.5` reads as `api-version`). */
  readonly query: URLSearchParams;
  /** Request headers, names in lower case. */
  readonly headers: IncomingHttpHeaders;
  /**
   * The base URL the client addressed, `https://<Host header>` (`http://` when the emulator serves
   * plain http) without a trailing slash; the
   * emulator's own bound address when the Host header is absent or malformed. Services build the
   * ids they return from it, as the real services use their own host name.
   */
  readonly baseUrl: string;
  /** Path parameters of the matched route, percent-decoded. Empty before routing. */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Reads the whole body and parses it as JSON. Resolves to `undefined` for an empty body; rejects
   * with {@link RequestBodyError} for a body that is not JSON or is too large. Only handlers call
   * it, so checks made earlier (authentication) never read the body.
   */
  readJson(): Promise<unknown>;
  /** Reads the whole body as UTF-8 text (a form post); rejects with {@link RequestBodyError} when it is too large. */
  readText(): Promise<string>;
  /**
   * The body as a stream, for the routes that take uploads larger than a JSON body may be (a DBFS
   * multipart put), which enforce their own limits. A request's body is read once: by this or by
   * {@link readJson}, not both.
   */
  bodyStream(): NodeJS.ReadableStream;
}

/** A response produced by a service; the server serialises it. */
export interface EmulatorResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Extra response headers (the service's common headers are added by the server). */
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body; absent for an empty body (such as a 204). */
  readonly body?: unknown;
}

/** A request handler of one route. */
export type RouteHandler = (req: EmulatorRequest) => Promise<EmulatorResponse> | EmulatorResponse;

/**
 * Thrown by a handler to answer with one of its service's error responses; {@link guardRequestErrors}
 * turns it into that response. Each service's own error class extends it.
 */
export class ServiceRequestError extends Error {
  constructor(
    readonly response: EmulatorResponse,
    message: string,
  ) {
    super(message);
  }
}

/** Wraps a handler so that a thrown {@link ServiceRequestError} becomes its response. */
export function guardRequestErrors(handler: RouteHandler): (req: EmulatorRequest) => Promise<EmulatorResponse> {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof ServiceRequestError) return err.response;
      throw err;
    }
  };
}

/** One entry of a service's route table. */
export interface Route {
  /** The method this route answers. */
  readonly method: HttpMethod;
  /**
   * Path template: literal segments and `{param}` placeholders, e.g. `/secrets/{name}/{version}`.
   * A `{param?}` placeholder also matches an empty segment (`/secrets/x/` gives `version: ""`).
   */
  readonly path: string;
  /** What the route does, for diagnostics (`set secret`). */
  readonly operation: string;
  /** The handler. */
  readonly handle: RouteHandler;
  /** Largest body this route reads, in bytes; default: the service's limit. */
  readonly maxBodyBytes?: number;
  /** Match the template's literal segments in any case (Resource Manager paths are case-insensitive). Default false. */
  readonly ignoreCase?: boolean;
}

/** An injected failure: the next `count` authenticated requests answer `status`. */
export interface Fault {
  /** 429 (throttled) or 503 (service unavailable). */
  readonly status: 429 | 503;
  /** How many authenticated requests this fault answers (a positive integer). */
  readonly count: number;
  /** Value of the `Retry-After` header in seconds; default 1. */
  readonly retryAfterSeconds?: number;
}

/**
 * A service's error factory: every error the server answers on the service's behalf takes the
 * service's own wire format.
 */
export interface ServiceErrorFactory {
  /** 404 for a path the service owns but no route matches. */
  notFound(req: EmulatorRequest): EmulatorResponse;
  /** 405 for a path some route matches with another method. */
  methodNotAllowed(req: EmulatorRequest, allowed: readonly HttpMethod[]): EmulatorResponse;
  /** 400 for a request the server could not read (body not JSON, too large or too deep, bad path escape). */
  badRequest(message: string): EmulatorResponse;
  /** 403 for a request refused before authentication (a foreign `Host`, a cross-site browser request). */
  forbidden(message: string): EmulatorResponse;
  /** The response of an injected fault (429 or 503 with `Retry-After`). */
  fault(fault: Fault): EmulatorResponse;
  /** 500 for a defect in the emulator itself; never carries the error's details to the client. */
  internal(): EmulatorResponse;
}

/** One emulated service plugged into the server. */
export interface EmulatorService {
  /** Short name, e.g. `keyvault`. */
  readonly name: string;
  /** True when this service answers the path (checked in registration order). */
  owns(pathname: string): boolean;
  /**
   * Checks made first, before the body is read (authentication); only the server's refusal of
   * browser requests (`./browserGuard`) comes earlier. A returned response ends the request;
   * `undefined` lets it through. Faults apply only to requests that pass this step.
   */
  authenticate(req: EmulatorRequest): EmulatorResponse | undefined;
  /**
   * Whether injected faults apply to the service's requests. Default true; the identity service
   * says false, so that a fault meant for a service call is not spent on the token before it, and so
   * do the pages people open in a browser.
   */
  readonly takesFaults?: boolean;
  /** Checks made after authentication and faults, before routing (api-version). */
  validate(req: EmulatorRequest): EmulatorResponse | undefined;
  /** The route table, matched in order. */
  readonly routes: readonly Route[];
  /** Largest request body the service reads, in bytes; default 1 MB (`MAX_REQUEST_BODY_BYTES`). */
  readonly maxRequestBodyBytes?: number;
  /** The service's error factory. */
  readonly errors: ServiceErrorFactory;
  /** Headers added to every response of the service (request id, service version). */
  responseHeaders(): Record<string, string>;
  /**
   * Forgets all state of the service. Does every part even when one fails, then throws naming
   * what failed.
   */
  reset(): void;
  /**
   * What keeps the service from keeping its state (a state folder that cannot be written, a
   * journal that broke), for the health check; empty or absent when all is well.
   */
  problems?(): string[];
  /**
   * Resolves once every change the service made is on disk; the server awaits it before it
   * answers any request, so what it acknowledges (or shows) survives a crash. Absent: nothing to wait for.
   */
  durable?(): Promise<void>;
}

/** Thrown by {@link EmulatorRequest.readJson} when the body cannot be used. */
export class RequestBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestBodyError";
  }
}
