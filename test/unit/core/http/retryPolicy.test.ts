import * as assert from "node:assert/strict";
import { ServiceError } from "../../../../src/core/errors";
import { abortableSleep, bearerToken, HttpMethod, JsonHttpClient, JsonHttpClientOptions, RequestFailure, ServiceErrorParser } from "../../../../src/core/http";
import { FakeAnswer, fakeTransport, recordingSleep, rejectionOf, sleepAbortedBy } from "../../../support/http";

/** Errors of a made-up service: the code is `E<status>`, the message the body. */
const errors: ServiceErrorParser = {
  fromResponse: (operation, r) => new ServiceError({ operation, status: r.status, code: `E${r.status}`, message: r.body, retryAfter: r.headers["retry-after"] }),
  create: (args) => new ServiceError(args),
  requestIdOf: () => undefined,
};

const NOW = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

function client(answers: FakeAnswer[], options: Partial<JsonHttpClientOptions<ServiceError>> = {}) {
  const transport = fakeTransport(...answers);
  const { sleep, waits } = recordingSleep();
  const http = new JsonHttpClient({ baseUrl: "https://svc.example", auth: bearerToken("t"), errors, transport: transport.send, sleep, random: () => 0.5, now: () => NOW, ...options });
  return { http, sent: transport.sent, waits };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ServiceError);

const call = (http: JsonHttpClient, method: HttpMethod, idempotent?: boolean) => http.request({ method, path: "/things", operation: `${method} things`, idempotent });

describe("retry policy in the pipeline", () => {
  it("retries 429 and 503 on a non-idempotent POST", async () => {
    const { http, sent, waits } = client([{ status: 429, body: "slow" }, { status: 503, body: "busy" }, { status: 200, body: { ok: true } }]);
    assert.deepEqual(await call(http, "POST"), { ok: true });
    assert.deepEqual(sent.map((r) => r.attempt), [1, 2, 3]);
    assert.deepEqual(waits, [250, 500]);
  });

  it("does not retry a 500, 502 or 504, or a connection reset, on a non-idempotent POST", async () => {
    for (const answer of [{ status: 500, body: "boom" }, { status: 502, body: "gateway" }, { status: 504, body: "timeout" }, { fail: reset }]) {
      const { http, sent, waits } = client([answer, { status: 200, body: {} }]);
      const err = await failure(call(http, "POST"));
      assert.equal(sent.length, 1, err.message);
      assert.deepEqual(waits, []);
    }
  });

  it("retries 500, 502, 504 and connection resets on GET, PUT and DELETE, and on a POST marked idempotent", async () => {
    for (const [method, idempotent] of [["GET"], ["PUT"], ["DELETE"], ["POST", true]] as [HttpMethod, boolean?][]) {
      const { http, sent, waits } = client([{ status: 500 }, { status: 502 }, { status: 504 }, { fail: reset }, { status: 200, body: { n: 1 } }]);
      assert.deepEqual(await call(http, method, idempotent), { n: 1 }, method);
      assert.equal(sent.length, 5, method);
      assert.deepEqual(waits, [250, 500, 1000, 2000], method);
    }
  });

  it("never retries 4xx other than 429", async () => {
    for (const status of [400, 401, 403, 404, 409]) {
      const { http, sent } = client([{ status, body: "no", headers: { "retry-after": "1" } }, { status: 200 }]);
      assert.equal((await failure(call(http, "GET"))).code, `E${status}`);
      assert.equal(sent.length, 1);
    }
  });

  it("waits Retry-After in seconds, and until a Retry-After HTTP date", async () => {
    const { http, waits } = client([
      { status: 429, headers: { "retry-after": "3" } },
      { status: 503, headers: { "retry-after": "Wed, 21 Oct 2015 07:28:05 GMT" } },
      { status: 503, headers: { "retry-after": "Wed, 21 Oct 2015 07:27:00 GMT" } },
      { status: 200, body: {} },
    ]);
    await call(http, "POST");
    assert.deepEqual(waits, [3000, 5000, 0]);
  });

  it("caps Retry-After and the backoff at maxDelayMs", async () => {
    const { http, waits } = client([{ status: 429, headers: { "retry-after": "120" } }, { status: 503 }, { status: 503 }, { status: 200 }], {
      retry: { maxDelayMs: 4000, baseDelayMs: 3000 },
      random: () => 0.999,
    });
    await call(http, "GET");
    assert.deepEqual(waits, [4000, 3996, 3996]);
  });

  it("gives up after maxRetries and throws the last error", async () => {
    const { http, sent } = client([{ status: 503, body: "first" }, { status: 503, body: "second" }, { status: 503, body: "third" }], { retry: { maxRetries: 2 } });
    const err = await failure(call(http, "GET"));
    assert.equal(err.message, "GET things failed: 503 E503: third");
    assert.equal(sent.length, 3);
  });

  it("stops at once when the signal aborts during the backoff", async () => {
    const controller = new AbortController();
    const { sleep, waits } = sleepAbortedBy(controller);
    const { http, sent } = client([{ status: 429, headers: { "retry-after": "600" } }, { status: 200 }], { sleep, retry: { maxDelayMs: 600_000 } });
    const err = await failure(http.request({ method: "GET", path: "/things", operation: "list things", signal: controller.signal }));
    assert.equal(err.message, "list things failed: ABORTED: the request was aborted");
    assert.deepEqual(waits, [600_000]);
    assert.equal(sent.length, 1);
  });

  it("sends nothing when the signal has already aborted", async () => {
    const { http, sent } = client([{ status: 200 }]);
    const err = await failure(http.request({ method: "GET", path: "/things", operation: "list things", signal: AbortSignal.abort() }));
    assert.equal(err.code, "ABORTED");
    assert.equal(sent.length, 0);
  });

  it("does not retry a failure of its own, such as a refused credential", async () => {
    const { http, sent } = client([{ fail: new RequestFailure("UNTRUSTED_HOST", "refusing") }]);
    assert.equal((await failure(call(http, "GET"))).message, "GET things failed: UNTRUSTED_HOST: refusing");
    assert.equal(sent.length, 1);
  });
});

describe("abortableSleep", () => {
  it("resolves after the delay when nothing aborts", async () => {
    assert.equal(await abortableSleep(1, new AbortController().signal), undefined);
  });

  it("rejects with an AbortError as soon as the signal aborts, long before the delay", async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(3_600_000, controller.signal);
    controller.abort();
    await assert.rejects(sleeping, { name: "AbortError", message: "the operation was aborted" });
  });

  it("rejects at once when the signal has already aborted", async () => {
    await assert.rejects(abortableSleep(3_600_000, AbortSignal.abort()), { name: "AbortError" });
  });
});
