import * as assert from "node:assert/strict";
import { systemClock } from "../../../src/emulator";
import { expectError, rawRequest, useEmulator, withEmulator } from "../../support/emulator";

const UNAUTHORIZED = { error: { code: "Unauthorized", message: "The control plane needs the emulator's token: send Authorization: Bearer <token>." } };

describe("emulator control plane (/_emulator/, the emulator's token, JSON only)", () => {
  const t = useEmulator();

  it("answers health, and reset clears every service's data, pending faults and the request list", async () => {
    assert.deepEqual((await t.control("GET", "/_emulator/health")).body, { status: "ok" });
    const put = await t.call("PUT", "/secrets/gone?api-version=7.5", { value: "v" });
    assert.equal(put.status, 200);
    assert.equal((await t.call("POST", "/api/2.0/secrets/scopes/create", { scope: "gone" })).status, 200);
    await t.control("POST", "/_emulator/faults", [{ status: 503, count: 5 }]);

    assert.equal((await t.control("POST", "/_emulator/reset")).status, 204);
    assert.deepEqual((await t.control("GET", "/_emulator/faults")).body, { faults: [] });
    const at = new Date(t.clock.now()).toISOString();
    assert.deepEqual((await t.control("GET", "/_emulator/requests")).body, {
      requests: [
        { at, method: "POST", path: "/_emulator/reset", status: 204 },
        { at, method: "GET", path: "/_emulator/faults", status: 200 },
      ],
    });
    assert.equal((await t.call("GET", "/secrets/gone?api-version=7.5")).status, 404);
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/scopes/list")).body, {});
  });

  it("replaces pending faults and refuses an invalid list, naming the entry and field", async () => {
    assert.deepEqual((await t.control("POST", "/_emulator/faults", [{ status: 503, count: 2 }])).body, { faults: [{ status: 503, count: 2, retryAfterSeconds: 1 }] });
    await expectError(t.control("POST", "/_emulator/faults", [{ status: 500, count: 1 }]), 400, { error: { code: "BadRequest", message: "faults[0].status must be 429 or 503, not 500." } });
    await expectError(t.control("POST", "/_emulator/faults", { status: 503 }), 400, { error: { code: "BadRequest", message: "faults must be a JSON array of {status, count, retryAfterSeconds?}." } });
    assert.deepEqual((await t.control("POST", "/_emulator/faults", [])).body, { faults: [] });
  });

  it("reads and advances a manual clock, once every wake-up due on the way has fired", async () => {
    const start = t.clock.now();
    assert.deepEqual((await t.control("GET", "/_emulator/clock")).body, { now: start, manual: true, pendingWakeUps: 0 });
    let fired = 0;
    t.clock.schedule(1_000, () => fired++);
    assert.deepEqual((await t.control("POST", "/_emulator/clock", { advanceMs: 999 })).body, { now: start + 999, manual: true, pendingWakeUps: 1 });
    assert.deepEqual((await t.control("POST", "/_emulator/clock", { advanceMs: 1 })).body, { now: start + 1_000, manual: true, pendingWakeUps: 0 });
    assert.equal(fired, 1);
    await expectError(t.control("POST", "/_emulator/clock", { advanceMs: -1 }), 400, {
      error: { code: "BadRequest", message: "advanceMs must be a non-negative integer of milliseconds, not -1." },
    });
    await expectError(t.control("POST", "/_emulator/clock", {}), 400, {
      error: { code: "BadRequest", message: "advanceMs must be a non-negative integer of milliseconds, not undefined." },
    });
  });

  it("refuses to advance the real clock", async () => {
    await withEmulator({ clock: systemClock }, async ({ control }) => {
      const read = (await control("GET", "/_emulator/clock")).body;
      assert.deepEqual({ ...read, now: typeof read.now }, { now: "number", manual: false, pendingWakeUps: 0 });
      await expectError(control("POST", "/_emulator/clock", { advanceMs: 1 }), 409, {
        error: { code: "Conflict", message: "The emulator runs on real time; start it with a manual clock (the clock option, or --manual-clock) to advance time." },
      });
    });
  });

  it("answers an unknown control path in its own format", async () => {
    await expectError(t.control("GET", "/_emulator/nope"), 404, { error: { code: "NotFound", message: "No control endpoint GET /_emulator/nope." } });
  });

  it("refuses every control request without the emulator's token, changing nothing", async () => {
    assert.equal((await t.call("PUT", "/secrets/kept?api-version=7.5", { value: "v" })).status, 200);
    for (const token of [null, "not-the-token"]) {
      for (const [method, route, body] of [
        ["GET", "/_emulator/health"],
        ["POST", "/_emulator/reset"],
        ["POST", "/_emulator/faults", [{ status: 503, count: 5, retryAfterSeconds: 3600 }]],
        ["GET", "/_emulator/requests"],
        ["POST", "/_emulator/clock", { advanceMs: 1 }],
        ["GET", "/_emulator/databricks/runs"],
      ] as const) {
        const reply = await t.call(method, route, body, { token });
        assert.deepEqual([reply.status, reply.body, reply.headers.get("www-authenticate")], [401, UNAUTHORIZED, "Bearer"], `${method} ${route} with ${token}`);
      }
    }
    assert.deepEqual((await t.control("GET", "/_emulator/faults")).body, { faults: [] });
    assert.equal((await t.call("GET", "/secrets/kept?api-version=7.5")).status, 200, "nothing was reset");
  });

  it("takes only JSON bodies: a form or text/plain post, as a web page can send one, is refused", async () => {
    assert.equal((await t.call("PUT", "/secrets/kept?api-version=7.5", { value: "v" })).status, 200);
    const post = (route: string, contentType: string | undefined, body: string) =>
      rawRequest(t.emulator.url, {
        method: "POST",
        path: route,
        headers: { authorization: `Bearer ${t.emulator.token}`, ...(contentType ? { "content-type": contentType } : {}) },
        body,
      });
    const faults = JSON.stringify([{ status: 503, count: 1000, retryAfterSeconds: 3600 }]);
    for (const [route, type, body] of [
      ["/_emulator/faults", "text/plain", faults],
      ["/_emulator/faults", "application/x-www-form-urlencoded", faults],
      ["/_emulator/faults", undefined, faults],
      ["/_emulator/reset", "text/plain", "x"],
    ] as const) {
      const reply = await post(route, type, body);
      assert.deepEqual([reply.status, reply.body], [
        415,
        { error: { code: "UnsupportedMediaType", message: `The control plane takes JSON bodies only (Content-Type: application/json), not ${type ?? "a body without a Content-Type"}.` } },
      ]);
    }
    assert.deepEqual((await t.control("GET", "/_emulator/faults")).body, { faults: [] });
    assert.equal((await t.call("GET", "/secrets/kept?api-version=7.5")).status, 200, "nothing was reset");
    assert.equal((await post("/_emulator/faults", "application/json; charset=utf-8", "[]")).status, 200);
    assert.equal((await post("/_emulator/reset", undefined, "")).status, 204, "a post without a body needs no Content-Type");
  });
});
