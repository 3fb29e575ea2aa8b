/**
 * One request through the emulator: owning service (the control plane or a service) → browser
 * guard → authentication (before the body is read) → injected fault, if any (not for the control
 * plane, the identity service nor the pages; see `./faults`) → validation
 * (api-version, content type) → route → handler → every service's changes durable → encoded
 * response → request log → socket. A path no service owns is answered by the root service's
 * not-found right after the browser guard, before any token is asked for: nothing answers there.
 *
 * Every step, writing the response included, runs inside the error handling: whatever a handler
 * throws or returns (a body that cannot be serialised, a header that is not valid), the client
 * gets the service's own 500 and the process goes on. The returned handler never rejects.
 *
 * A fault answers 429 or 503 in the service's format; `reset` closes the connection instead of
 * going on; `slow` waits (real time, whatever the emulator's clock) before going on; `lost` goes
 * all the way (changes durable, request logged) and then closes the connection instead of
 * writing the answer.
 */
import type * as http from "node:http";
import type { Clock } from "./clock";
import { foreignRequest } from "./browserGuard";
import type { FaultQueue } from "./faults";
import type { FaultKind } from "./faultsPlan";
import { baseUrlOf, encodeResponse, IncomingRequest, MAX_REQUEST_BODY_BYTES, parseTarget, writeResponse, type EncodedResponse } from "./http";
import type { RequestLog } from "./requestLog";
import { PathDecodeError, RouteTable } from "./routing";
import { RequestBodyError, type EmulatorResponse, type EmulatorService } from "./service";

/** What the dispatcher routes to and records in. */
export interface DispatcherOptions {
  /** The control plane: checked first, never faulted. */
  readonly control: EmulatorService;
  /** Services in order of precedence; the last one (the vault at the root) also answers, not found, the paths no service owns. */
  readonly services: readonly EmulatorService[];
  readonly faults: FaultQueue;
  readonly requestLog: RequestLog;
  readonly clock: Clock;
  /** Diagnostics: one line per request and per internal error. */
  readonly log: (line: string) => void;
  /** `host:port` the server is bound to, for requests without a usable Host header. */
  readonly boundAddress: () => string;
  /** The scheme the server serves: `https`, or `http` when TLS is off. */
  readonly scheme: "http" | "https";
}

/** A `node:http`/`node:https` request listener over the control plane and the services. */
export function createDispatcher(options: DispatcherOptions): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const { control, services, faults, requestLog, clock } = options;
  const log = (line: string): void => {
    try {
      options.log(line);
    } catch {
      // A failing log must not fail the request.
    }
  };
  const all = [control, ...services];
  const rootService = services[services.length - 1];
  const tables = new Map<EmulatorService, RouteTable>(all.map((s) => [s, new RouteTable(s.routes)]));

  /** The service's answer, and the kind of the fault injected into the request, if any. */
  async function answer(service: EmulatorService, request: IncomingRequest, owned: boolean): Promise<{ response: EmulatorResponse; fault?: FaultKind }> {
    const foreign = foreignRequest(request.headers, options.scheme);
    if (foreign) return { response: service.errors.forbidden(foreign) };
    if (!owned) return { response: service.errors.notFound(request) };
    const denied = service.authenticate(request);
    if (denied) return { response: denied };
    const decision = service !== control && service.takesFaults !== false ? faults.decide({ service: service.name, method: request.method, path: request.pathname }) : undefined;
    switch (decision?.kind) {
      case undefined:
        return { response: await serve(service, request) };
      case "throttle":
      case "unavailable":
        return { response: service.errors.fault(decision.fault), fault: decision.kind };
      case "reset":
        return { response: { status: 0 }, fault: "reset" };
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs).unref());
        return { response: await serve(service, request), fault: "slow" };
      case "lost":
        return { response: await serve(service, request), fault: "lost" };
    }
  }

  /** Validation, routing and the handler. */
  async function serve(service: EmulatorService, request: IncomingRequest): Promise<EmulatorResponse> {
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
        if (match.route.maxBodyBytes !== undefined) request.maxBodyBytes = Math.min(request.maxBodyBytes, match.route.maxBodyBytes);
        return await match.route.handle(request);
    }
  }

  /** The service's response encoded; its 500 when the response cannot be encoded. */
  function encode(service: EmulatorService, response: EmulatorResponse, what: string): EncodedResponse {
    try {
      return encodeResponse(response, service.responseHeaders());
    } catch (err) {
      log(`emulator could not encode its answer to ${what}: ${describe(err)}`);
      return encodeResponse(service.errors.internal(), service.responseHeaders());
    }
  }

  async function dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const target = parseTarget(req.url ?? "/");
    const owner = target ? all.find((s) => s.owns(target.pathname)) : undefined;
    const service = owner ?? rootService;
    const pathname = target?.pathname ?? "/";
    const what = `${method} ${pathname}`;
    let response: EmulatorResponse;
    let fault: FaultKind | undefined;
    try {
      const request = new IncomingRequest(
        req,
        method,
        pathname,
        target?.query ?? new URLSearchParams(),
        baseUrlOf(req.headers.host, options.boundAddress(), options.scheme),
        service.maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES,
      );
      if (target) ({ response, fault } = await answer(service, request, owner !== undefined));
      else response = service.errors.badRequest("The request URI is not valid.");
    } catch (err) {
      if (err instanceof RequestBodyError || err instanceof PathDecodeError) {
        response = service.errors.badRequest(err.message);
      } else {
        log(`emulator error on ${what}: ${describe(err)}`);
        response = service.errors.internal();
      }
    }
    // Acknowledged means durable: no answer leaves before the changes it may show are on disk.
    try {
      await Promise.all(services.map((s) => s.durable?.()));
    } catch (err) {
      log(`emulator could not persist its state on ${what}: ${describe(err)}`);
      response = service.errors.internal();
    }
    if (fault === "reset") {
      record(method, pathname, 0, fault);
      log(`${what} connection reset (injected)`);
      res.destroy();
      return;
    }
    const encoded = encode(service, response, what);
    record(method, pathname, encoded.status, fault);
    if (fault === "lost") {
      log(`${what} ${encoded.status} not sent: response lost (injected)`);
      res.destroy();
      return;
    }
    log(`${what} ${encoded.status}${fault ? ` (injected: ${fault})` : ""}`);
    writeResponse(res, encoded);
  }

  /** Recorded before answering, so a client that reads the log right after its response sees it. */
  function record(method: string, path: string, status: number, fault: FaultKind | undefined): void {
    try {
      requestLog.add({ at: new Date(clock.now()).toISOString(), method, path, status, ...(fault && { fault }) });
    } catch (err) {
      log(`emulator could not write its request log: ${describe(err)}`);
    }
  }

  return async (req, res) => {
    try {
      await dispatch(req, res);
    } catch (err) {
      // Only writing to the socket can fail here (the client went away): drop the connection.
      log(`emulator could not answer ${req.method ?? "?"} ${(req.url ?? "").split("?")[0]}: ${describe(err)}`);
      res.destroy();
    }
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
