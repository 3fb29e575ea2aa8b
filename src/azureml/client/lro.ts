/**
 * The one long-running-operation poller of the Resource Manager client. After a PUT or DELETE it
 * follows what the service answered, as the Azure SDKs do:
 * - `Azure-AsyncOperation`: GET that URL until its `status` is `Succeeded`, `Failed` or `Canceled`;
 * - else `Location` (202): GET it until it no longer answers 202;
 * - else a body whose `provisioningState` is not final: GET the resource until it is.
 * Every wait honours the service's `Retry-After` (else the package's adaptive delay), and a line is
 * printed each time the operation's state changes. Poll URLs must be on the client's origin.
 */
import { JsonHttpClient, JsonResponse, Sleep } from "../../core/http";
import { pollDelayMs, pollUntil, PollTimeout } from "../../core/poll";
import { progress } from "../../core/progress";
import { ArmError, armErrorParts } from "./errors";

/** Options of {@link completeOperation}. */
export interface LroOptions {
  /** Prefix of the progress lines, e.g. `Azure ML compute "adb"`. */
  label: string;
  /** What is being done, for errors, e.g. `attach compute "adb"`. */
  operation: string;
  /** Path (from the client's base URL) of the resource, read when a body's provisioningState is not final. */
  resourcePath: string;
  /** Give up after this long. Default 30 minutes. */
  timeoutMs?: number;
  /** Where progress lines go. Default: the provider's stdout. */
  log?: (line: string) => void;
  /** How to wait between polls (tests record the delays). */
  sleep?: Sleep;
  /** Aborts the wait. */
  signal?: AbortSignal;
}

/** States of an operation that end it (Azure-AsyncOperation `status`, `provisioningState`). */
const TERMINAL = ["succeeded", "failed", "canceled", "cancelled"];

interface PollState {
  status: string;
  retryAfterMs?: number;
  error?: unknown;
}

/**
 * Waits until the operation that `first` started is over. Resolves when it succeeded; throws an
 * {@link ArmError} naming the operation and the service's code and message when it failed or was
 * canceled, and one with code `OPERATION_TIMEOUT` past the timeout.
 */
export async function completeOperation(client: JsonHttpClient<ArmError>, first: JsonResponse<unknown>, o: LroOptions): Promise<void> {
  const asyncUrl = first.headers["azure-asyncoperation"];
  const location = first.headers["location"];
  let read: () => Promise<PollState>;
  if (asyncUrl) {
    const path = pathOn(client, asyncUrl, o.operation);
    read = async () => {
      const r = await client.exchange<{ status?: string; error?: unknown }>({ method: "GET", path, operation: `${o.operation}: read the operation's status`, signal: o.signal });
      return { status: r.body.status ?? "InProgress", retryAfterMs: retryAfterMs(r.headers), error: r.body.error };
    };
  } else if (location && first.status === 202) {
    const path = pathOn(client, location, o.operation);
    read = async () => {
      const r = await client.exchange<unknown>({ method: "GET", path, operation: `${o.operation}: read the operation's result`, signal: o.signal });
      return { status: r.status === 202 ? "InProgress" : "Succeeded", retryAfterMs: retryAfterMs(r.headers) };
    };
  } else {
    const state = provisioningStateOf(first.body);
    if (state === undefined || TERMINAL.includes(state.toLowerCase())) return finish({ status: state ?? "Succeeded" }, o);
    read = async () => {
      const r = await client.exchange<unknown>({ method: "GET", path: o.resourcePath, operation: `${o.operation}: read the resource's provisioning state`, signal: o.signal });
      return { status: provisioningStateOf(r.body) ?? "Succeeded", retryAfterMs: retryAfterMs(r.headers) };
    };
  }
  let wait = retryAfterMs(first.headers);
  const timeoutMs = o.timeoutMs ?? 30 * 60_000;
  try {
    const last = await pollUntil<PollState>({
      label: o.label,
      read: async () => {
        const state = await read();
        wait = state.retryAfterMs;
        return state;
      },
      done: (s) => TERMINAL.includes(s.status.toLowerCase()),
      describe: (s) => s.status,
      timeoutMs,
      log: o.log ?? progress,
      signal: o.signal,
      sleep: o.sleep,
      delayMs: (attempt, elapsed) => wait ?? pollDelayMs(attempt, elapsed),
    });
    finish(last, o);
  } catch (err) {
    if (!(err instanceof PollTimeout)) throw err;
    throw new ArmError({ operation: o.operation, status: 0, code: "OPERATION_TIMEOUT", message: `the operation is ${err.message}; it may still finish in Azure` });
  }
}

function finish(state: PollState, o: LroOptions): void {
  const status = state.status.toLowerCase();
  if (status === "succeeded") return;
  const { code, message } = armErrorParts(state.error);
  throw new ArmError({ operation: o.operation, status: 0, code: code ?? `Operation${state.status}`, message: message ?? `the operation ended ${state.status}` });
}

function provisioningStateOf(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as { provisioningState?: unknown; properties?: { provisioningState?: unknown } };
  const state = b.properties?.provisioningState ?? b.provisioningState;
  return typeof state === "string" ? state : undefined;
}

/** `Retry-After` in milliseconds: seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number = Date.now()): number | undefined {
  const raw = headers["retry-after"]?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The path of an absolute poll URL on the client's origin (its query kept). A URL anywhere else is refused: the token goes to the client's origin only.
 */
function pathOn(client: JsonHttpClient<ArmError>, absolute: string, operation: string): string {
  let url: URL;
  try {
    url = new URL(absolute, client.baseUrl);
  } catch {
    throw new ArmError({ operation, status: 0, code: "INVALID_RESPONSE", message: `the service answered an unreadable operation URL "${absolute}"` });
  }
  if (url.origin !== new URL(client.baseUrl).origin) {
    throw new ArmError({ operation, status: 0, code: "UNTRUSTED_HOST", message: `the service asked to poll ${url.origin}, not ${new URL(client.baseUrl).origin}; refusing to send the token there` });
  }
  return url.pathname + url.search;
}
