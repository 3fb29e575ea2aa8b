/**
 * The one emulator fixture of the tests: an emulator in memory on a free loopback port (https,
 * with the process's in-memory CA, which the test process trusts: `./trust.ts`), with the
 * immediate Databricks lifecycle and, unless told otherwise, a manual clock that moves only when a
 * test advances it. Plus plain calls to it and a bounded condition wait.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";
import { ManualClock, startEmulator, type Clock, type EmulatorOptions, type RunningEmulator } from "../../src/emulator";

/** Where a test emulator's manual clock starts: 2026-01-15T12:00:00.000Z. */
export const TEST_CLOCK_START = Date.UTC(2026, 0, 15, 12, 0, 0);

/** One HTTP exchange with the emulator. */
export interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON body; `undefined` when the body is empty or not JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** Sends one request; `token` overrides the emulator's token, `null` sends no Authorization header. */
export type Call = (method: string, route: string, body?: unknown, opts?: { token?: string | null }) => Promise<Reply>;

/** A started test emulator. */
export interface TestEmulator {
  readonly emulator: RunningEmulator;
  /** The emulator's clock: a {@link ManualClock} unless the options gave another. */
  readonly clock: ManualClock;
  /** Calls a service with the emulator's token (JSON body). */
  readonly call: Call;
  /** Calls the control plane (`/_emulator/...`) with the emulator's token. */
  control(method: string, route: string, body?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * Starts an emulator for a test: port 0, in memory, `immediate` Databricks lifecycle and a
 * {@link ManualClock} at {@link TEST_CLOCK_START}; `options` override any of these (`clock:
 * systemClock` for real time).
 */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const clock: Clock = options.clock ?? new ManualClock(TEST_CLOCK_START);
  const emulator = await startEmulator({ port: 0, ...options, databricks: { lifecycle: "immediate", ...options.databricks }, clock });
  const call = httpCaller(emulator.url, emulator.token);
  return {
    emulator,
    // Tests that pass another clock do not advance it.
    clock: clock as ManualClock,
    call,
    control: (method, route, body) => call(method, route, body),
    close: () => emulator.close(),
  };
}

/**
 * Registers hooks that start one emulator before a suite's tests, reset it before each test (with
 * a manual clock, until nothing waits on it any more) and close it afterwards. The returned object
 * is filled in by the `before` hook.
 */
export function useEmulator(options: EmulatorOptions = {}): TestEmulator {
  const fixture = {} as { -readonly [K in keyof TestEmulator]: TestEmulator[K] };
  before(async () => Object.assign(fixture, await startTestEmulator(options)));
  beforeEach(async () => {
    fixture.emulator.reset();
    // What the previous test left running stops now; none of it may fire into the next test.
    if (fixture.clock instanceof ManualClock) await until("the reset emulator waits on nothing", () => fixture.clock.pending === 0);
  });
  after(async () => fixture.emulator?.close());
  return fixture;
}

/** Runs `fn` with an emulator of its own, closed afterwards whatever happens. */
export async function withEmulator<T>(options: EmulatorOptions, fn: (t: TestEmulator) => Promise<T>): Promise<T> {
  const t = await startTestEmulator(options);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

/** A {@link Call} against `url` with `token` by default. */
export function httpCaller(url: string, token: string): Call {
  return async (method, route, body, opts = {}) => {
    const bearer = opts.token === undefined ? token : opts.token;
    const headers: Record<string, string> = {};
    if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`${url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
}

/**
 * Sends one request with exactly the given headers (fetch does not let a test set `Host`, and adds
 * its own); the body as given, a string or bytes. Over https the certificate is checked against
 * the URL's host, whatever `Host` header the test sends.
 */
export function rawRequest(url: string, opts: { method: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options: https.RequestOptions =
      target.protocol === "https:" ? { checkServerIdentity: (_host, cert) => tls.checkServerIdentity(target.hostname.replace(/^\[|\]$/g, ""), cert) } : {};
    const transport = target.protocol === "https:" ? https : http;
    const req = transport.request(`${url}${opts.path}`, { ...options, method: opts.method, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        resolve({ status: res.statusCode ?? 0, headers, body, text });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** How long {@link until} waits by default: real processes (Python) start and end within it. */
export const DEFAULT_WAIT_LIMIT_MS = 15_000;

/**
 * Waits until `probe` returns something other than `undefined` or `false`, and returns it. Probes
 * every few milliseconds; fails after `limitMs` with a message naming `what` (a function is asked
 * at that moment, to describe what it saw last). For waits on real processes; what the emulator's
 * clock governs is advanced, not waited for.
 */
export async function until<T>(what: string | (() => string), probe: () => Promise<T | undefined | false> | T | undefined | false, limitMs = DEFAULT_WAIT_LIMIT_MS): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) assert.fail(`gave up after ${limitMs} ms waiting until ${typeof what === "string" ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Asserts a reply's exact status and JSON body (an error, usually). */
export async function expectError(reply: Promise<Reply> | Reply, status: number, body: unknown): Promise<void> {
  const r = await reply;
  assert.equal(r.status, status, r.text);
  assert.deepEqual(r.body, body);
}
