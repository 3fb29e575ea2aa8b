/**
 * The emulator's own control plane under `/_emulator/`, so tests and scripts can drive it over
 * HTTP without private imports (like moto's `/moto-api/`). Never faulted.
 *
 * Only the emulator's owner can drive it: every request needs the emulator's own bearer token
 * (`Authorization: Bearer <token>`, the token the services accept; 401 otherwise), a body must be
 * `application/json` (415 otherwise), and, as for every service, a browser cannot reach it (a
 * foreign `Host`, `Origin` or `Sec-Fetch-Site` is 403). So no web page can reset the state, jam
 * the services with faults or read the request log.
 *
 * - `GET /_emulator/health` → 200 `{"status":"ok"}`, or 503 `{"status":"unhealthy","problems":[...]}`
 *   when a service cannot keep its state (a state folder that cannot be written, a broken journal)
 * - `POST /_emulator/reset` → 204, all state cleared; 500 `ResetFailed` naming what could not be
 *   cleared (everything else was)
 * - `GET /_emulator/faults` → 200 `{"faults":[...]}` (pending faults)
 * - `POST /_emulator/faults` with `[{status, count, retryAfterSeconds?}]` → 200 `{"faults":[...]}`,
 *   replacing the pending faults (`[]` clears them)
 * - `GET /_emulator/faults/plan` → 200 `{"plan":{"seed":n,"rules":[...]}}`, each rule with the
 *   faults it injected
 * - `POST /_emulator/faults/plan` with `{"seed"?, "rules": [...]}` (see `./faultsPlan`) → 200 as
 *   above, replacing the plan (`"rules": []` clears it); 400 naming the field of an invalid plan
 * - `GET /_emulator/faults/injected` → 200 `{"injected":{"throttle":n,"unavailable":n,"reset":n,"slow":n,"lost":n},"total":n}`
 * - `GET /_emulator/requests` → 200 `{"requests":[...]}` (method, path, status, at)
 * - `GET /_emulator/clock` → 200 `{"now":<ms>,"manual":<bool>,"pendingWakeUps":<n>}`
 * - `POST /_emulator/clock` with `{"advanceMs": n}` → 200 with the clock as above, once every
 *   wake-up due on the way has fired; 409 when the emulator runs on real time
 * - routes contributed by services, e.g. `GET /_emulator/databricks/runs` → 200 `{"runs":[...]}`
 */
import { bearerTokenOf, tokenMatches } from "./bearer";
import { ManualClock, type Clock } from "./clock";
import { CONTROL_PLANE_PREFIX } from "./constants";
import { parseFaults, type FaultQueue } from "./faults";
import { parseFaultPlan } from "./faultsPlan";
import type { RequestLogEntry } from "./requestLog";
import type { EmulatorRequest, EmulatorResponse, EmulatorService, Fault, HttpMethod, Route, ServiceErrorFactory } from "./service";

/** What the control plane acts on. */
export interface ControlPlaneTarget {
  /** The bearer token every control request must carry: the emulator's. */
  token: string;
  /** Resets every service; throws naming what failed (after resetting all the rest). */
  reset(): void;
  /** What keeps the services from keeping their state; empty when healthy. */
  problems(): string[];
  /** The emulator's faults: the queue and the plan. */
  faults: FaultQueue;
  /** The services a fault rule may name (those that take faults). */
  faultServices: readonly string[];
  requests(): RequestLogEntry[];
  /** The emulator's clock; only a {@link ManualClock} can be advanced. */
  clock: Clock;
  /** More control routes under `/_emulator/`, contributed by services (nothing secret). */
  extraRoutes?: readonly Route[];
}

function controlError(status: number, code: string, message: string, headers?: Record<string, string>): EmulatorResponse {
  return { status, body: { error: { code, message } }, headers };
}

const controlErrors: ServiceErrorFactory = {
  notFound: (req) => controlError(404, "NotFound", `No control endpoint ${req.method} ${req.pathname}.`),
  methodNotAllowed: (req, allowed: readonly HttpMethod[]) =>
    controlError(405, "MethodNotAllowed", `${req.pathname} does not support ${req.method}; use ${allowed.join(" or ")}.`, { Allow: allowed.join(", ") }),
  badRequest: (message) => controlError(400, "BadRequest", message),
  forbidden: (message) => controlError(403, "Forbidden", message),
  fault: () => controlError(500, "InternalError", "Faults do not apply to the control plane."),
  internal: () => controlError(500, "InternalError", "The emulator failed to process the request; see its log."),
};

/** Creates the control plane as a service: the emulator's token, JSON bodies, no api-version. */
export function createControlPlane(target: ControlPlaneTarget): EmulatorService {
  return {
    name: "control",
    errors: controlErrors,
    owns: (pathname) => pathname.startsWith(CONTROL_PLANE_PREFIX),
    authenticate(req: EmulatorRequest): EmulatorResponse | undefined {
      const token = bearerTokenOf(req.headers);
      if (token !== undefined && tokenMatches(token, target.token)) return undefined;
      return controlError(401, "Unauthorized", "The control plane needs the emulator's token: send Authorization: Bearer <token>.", { "WWW-Authenticate": "Bearer" });
    },
    validate: (req) => unsupportedBody(req),
    responseHeaders: () => ({ "Cache-Control": "no-cache" }),
    reset: () => undefined,
    routes: [
      {
        method: "GET",
        path: "/_emulator/health",
        operation: "health",
        handle: () => {
          const problems = target.problems();
          return problems.length === 0 ? { status: 200, body: { status: "ok" } } : { status: 503, body: { status: "unhealthy", problems } };
        },
      },
      {
        method: "POST",
        path: "/_emulator/reset",
        operation: "reset",
        handle: () => {
          try {
            target.reset();
          } catch (err) {
            return controlError(500, "ResetFailed", `The reset did not clear everything; every other part was cleared. ${(err as Error).message}`);
          }
          return { status: 204 };
        },
      },
      { method: "GET", path: "/_emulator/faults", operation: "list faults", handle: () => ({ status: 200, body: { faults: target.faults.list() } }) },
      {
        method: "POST",
        path: "/_emulator/faults",
        operation: "set faults",
        handle: async (req: EmulatorRequest) => {
          let faults: Fault[];
          try {
            faults = parseFaults(await req.readJson());
          } catch (err) {
            return controlErrors.badRequest((err as Error).message);
          }
          target.faults.replace(faults);
          return { status: 200, body: { faults: target.faults.list() } };
        },
      },
      { method: "GET", path: "/_emulator/faults/plan", operation: "read the fault plan", handle: () => ({ status: 200, body: { plan: target.faults.plan() } }) },
      {
        method: "POST",
        path: "/_emulator/faults/plan",
        operation: "set the fault plan",
        handle: async (req: EmulatorRequest) => {
          try {
            target.faults.setPlan(parseFaultPlan(await req.readJson(), target.faultServices));
          } catch (err) {
            return controlErrors.badRequest(`The fault plan was refused: ${(err as Error).message}`);
          }
          return { status: 200, body: { plan: target.faults.plan() } };
        },
      },
      {
        method: "GET",
        path: "/_emulator/faults/injected",
        operation: "count injected faults",
        handle: () => {
          const injected = target.faults.injected();
          return { status: 200, body: { injected, total: Object.values(injected).reduce((a, b) => a + b, 0) } };
        },
      },
      { method: "GET", path: "/_emulator/requests", operation: "list requests", handle: () => ({ status: 200, body: { requests: target.requests() } }) },
      { method: "GET", path: "/_emulator/clock", operation: "read clock", handle: () => ({ status: 200, body: clockView(target.clock) }) },
      {
        method: "POST",
        path: "/_emulator/clock",
        operation: "advance clock",
        handle: async (req: EmulatorRequest) => {
          const clock = target.clock;
          if (!(clock instanceof ManualClock)) {
            return controlError(409, "Conflict", "The emulator runs on real time; start it with a manual clock (the clock option, or --manual-clock) to advance time.");
          }
          const body = (await req.readJson()) as { advanceMs?: unknown } | undefined;
          const ms = body?.advanceMs;
          if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms < 0) {
            return controlErrors.badRequest(`advanceMs must be a non-negative integer of milliseconds, not ${JSON.stringify(ms)}.`);
          }
          await clock.advance(ms);
          return { status: 200, body: clockView(clock) };
        },
      },
      ...(target.extraRoutes ?? []),
    ],
  };
}

/** 415 for a body that is not declared `application/json` (a form or `text/plain` post). */
function unsupportedBody(req: EmulatorRequest): EmulatorResponse | undefined {
  const type = req.headers["content-type"];
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  const json = type !== undefined && type.split(";")[0].trim().toLowerCase() === "application/json";
  if (json || (type === undefined && !hasBody)) return undefined;
  return controlError(415, "UnsupportedMediaType", `The control plane takes JSON bodies only (Content-Type: application/json), not ${type ?? "a body without a Content-Type"}.`);
}

/** The clock as the control plane shows it. */
function clockView(clock: Clock): { now: number; manual: boolean; pendingWakeUps: number } {
  const manual = clock instanceof ManualClock;
  return { now: clock.now(), manual, pendingWakeUps: manual ? clock.pending : 0 };
}
