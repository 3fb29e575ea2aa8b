import * as assert from "node:assert/strict";
import { DEFAULT_RETRY_OPTIONS, parseRetryAfterMs, retryDelayMs } from "../../../src/core/http/retryStrategy";

const half = () => 0.5;
const NOW = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");

describe("retry strategy", () => {
  it("has the documented defaults", () => {
    assert.deepEqual({ ...DEFAULT_RETRY_OPTIONS }, { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30000 });
  });

  it("waits Retry-After seconds on 429, even for a non-idempotent request", () => {
    assert.equal(retryDelayMs(0, { status: 429, retryAfterHeader: "3" }, {}, half, NOW), 3000);
    assert.equal(retryDelayMs(4, { status: 429, retryAfterHeader: " 1 " }, {}, half, NOW), 1000);
  });

  it("waits until a Retry-After HTTP date, and not at all for a date in the past", () => {
    assert.equal(retryDelayMs(0, { status: 429, retryAfterHeader: "Wed, 21 Oct 2015 07:28:05 GMT" }, {}, half, NOW), 5000);
    assert.equal(retryDelayMs(0, { status: 503, retryAfterHeader: "Wed, 21 Oct 2015 07:27:00 GMT" }, {}, half, NOW), 0);
    assert.equal(parseRetryAfterMs("Wed, 21 Oct 2015 07:28:02 GMT", NOW), 2000);
  });

  it("falls back to jittered exponential backoff on 503 without (or with a malformed) Retry-After", () => {
    assert.equal(retryDelayMs(0, { status: 503 }, {}, half, NOW), 250);
    assert.equal(retryDelayMs(1, { status: 503 }, {}, half, NOW), 500);
    assert.equal(retryDelayMs(3, { status: 503 }, {}, half, NOW), 2000);
    assert.equal(retryDelayMs(3, { status: 503 }, {}, () => 0.25, NOW), 1000);
    assert.equal(retryDelayMs(2, { status: 503, retryAfterHeader: "soon" }, {}, half, NOW), 1000);
    assert.equal(parseRetryAfterMs("soon", NOW), undefined);
    assert.equal(parseRetryAfterMs("", NOW), undefined);
  });

  it("retries 500, 502 and 504 only when the request is idempotent", () => {
    for (const status of [500, 502, 504]) {
      assert.equal(retryDelayMs(0, { status }, {}, half, NOW), undefined, `${status} non-idempotent`);
      assert.equal(retryDelayMs(0, { status, idempotent: false }, {}, half, NOW), undefined, `${status} idempotent: false`);
      assert.equal(retryDelayMs(0, { status, idempotent: true }, {}, half, NOW), 250, `${status} idempotent`);
    }
  });

  it("never retries other statuses", () => {
    for (const status of [400, 401, 403, 404, 409, 501]) {
      assert.equal(retryDelayMs(0, { status, idempotent: true, retryAfterHeader: "1" }, {}, half, NOW), undefined, String(status));
    }
  });

  it("retries network errors only when the request is idempotent", () => {
    for (const errorCode of ["ECONNRESET", "ETIMEDOUT", "ECONNREFUSED", "EPIPE", "EAI_AGAIN"]) {
      assert.equal(retryDelayMs(1, { errorCode, idempotent: true }, {}, () => 0.25, NOW), 250, errorCode);
      assert.equal(retryDelayMs(1, { errorCode }, {}, () => 0.25, NOW), undefined, `${errorCode} non-idempotent`);
    }
    assert.equal(retryDelayMs(0, { errorMessage: "socket hang up", idempotent: true }, {}, half, NOW), 250);
    assert.equal(retryDelayMs(0, { errorCode: "ENOTFOUND", idempotent: true }, {}, half, NOW), undefined);
    assert.equal(retryDelayMs(0, { errorCode: "ERR_BAD_REQUEST", idempotent: true }, {}, half, NOW), undefined);
  });

  it("caps every delay, Retry-After included, at maxDelayMs", () => {
    assert.equal(retryDelayMs(5, { status: 503 }, {}, () => 0.999, NOW), 15984);
    assert.equal(retryDelayMs(5, { status: 503 }, { maxDelayMs: 10000 }, () => 0.999, NOW), 9990);
    assert.equal(retryDelayMs(5, { status: 503 }, { maxRetries: 20 }, () => 0.999, NOW), 15984);
    assert.equal(retryDelayMs(12, { status: 503 }, { maxRetries: 20 }, half, NOW), 15000);
    assert.equal(retryDelayMs(0, { status: 429, retryAfterHeader: "120" }, {}, half, NOW), 30000);
    assert.equal(retryDelayMs(0, { status: 429, retryAfterHeader: "120" }, { maxDelayMs: 5000 }, half, NOW), 5000);
  });

  it("stops after maxRetries retries", () => {
    assert.equal(retryDelayMs(5, { status: 429, retryAfterHeader: "1" }, {}, half, NOW), 1000);
    assert.equal(retryDelayMs(6, { status: 429, retryAfterHeader: "1" }, {}, half, NOW), undefined);
    assert.equal(retryDelayMs(1, { status: 503 }, { maxRetries: 2 }, half, NOW), 500);
    assert.equal(retryDelayMs(2, { status: 503 }, { maxRetries: 2 }, half, NOW), undefined);
    assert.equal(retryDelayMs(0, { status: 503 }, { maxRetries: 0 }, half, NOW), undefined);
    assert.equal(retryDelayMs(-1, { status: 503 }, {}, half, NOW), undefined);
  });

  it("ignores undefined option fields instead of overriding the defaults with them", () => {
    assert.equal(retryDelayMs(0, { status: 503 }, { baseDelayMs: undefined, maxRetries: undefined }, half, NOW), 250);
  });
});
