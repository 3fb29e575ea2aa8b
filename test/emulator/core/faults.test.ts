import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emulatorToken } from "../../support/identity";
import { expectError, rawRequest, useEmulator, withEmulator, type Reply, type TestEmulator } from "../../support/emulator";

const CREATE_SCOPE = "/api/2.0/secrets/scopes/create";
const LIST_SCOPES = "/api/2.0/secrets/scopes/list";

/** A POST through node:http, so a closed connection shows as the error Node gives (`socket hang up`). */
function post(t: TestEmulator, route: string, body: unknown): Promise<Reply> {
  return rawRequest(t.emulator.url, {
    method: "POST",
    path: route,
    headers: { authorization: `Bearer ${t.emulator.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function scopes(t: TestEmulator): Promise<string[]> {
  const res = await t.call("GET", LIST_SCOPES);
  assert.equal(res.status, 200);
  return ((res.body?.scopes ?? []) as { name: string }[]).map((s) => s.name);
}

const HANG_UP = { code: "ECONNRESET", message: "socket hang up" };

describe("emulator faults by plan: each kind through the server, counted, on the control plane", () => {
  const t = useEmulator();

  const plan = async (body: unknown): Promise<Reply> => {
    const res = await t.control("POST", "/_emulator/faults/plan", body);
    assert.equal(res.status, 200, res.text);
    return res;
  };
  const injected = async () => (await t.control("GET", "/_emulator/faults/injected")).body;
  const logged = () => t.emulator.requests().filter((r) => !r.path.startsWith("/_emulator/")).map(({ method, path: p, status, fault }) => ({ method, path: p, status, ...(fault && { fault }) }));

  it("throttle and unavailable answer 429 and 503 in the service's format with the rule's Retry-After, without processing", async () => {
    await plan({ rules: [{ kind: "throttle", count: 1, retryAfterSeconds: 7 }, { kind: "unavailable", count: 1, service: "keyvault", retryAfterSeconds: 0 }] });
    const throttled = await t.call("POST", CREATE_SCOPE, { scope: "a" });
    assert.deepEqual([throttled.status, throttled.headers.get("retry-after"), throttled.body], [
      429,
      "7",
      { error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests. Please wait a moment and try again. (Injected by the emulator.)" },
    ]);
    const unavailable = await t.call("PUT", "/secrets/s?api-version=7.5", { value: "v" });
    assert.deepEqual([unavailable.status, unavailable.headers.get("retry-after"), unavailable.body?.error?.code], [503, "0", "ServiceUnavailable"]);
    assert.deepEqual(await scopes(t), []);
    assert.equal((await t.call("GET", "/secrets/s?api-version=7.5")).status, 404);
    assert.deepEqual(await injected(), { injected: { throttle: 1, unavailable: 1, reset: 0, slow: 0, lost: 0 }, total: 2 });
    assert.deepEqual(logged(), [
      { method: "POST", path: CREATE_SCOPE, status: 429, fault: "throttle" },
      { method: "PUT", path: "/secrets/s", status: 503, fault: "unavailable" },
      { method: "GET", path: LIST_SCOPES, status: 200 },
      { method: "GET", path: "/secrets/s", status: 404 },
    ]);
  });

  it("reset closes the connection without an answer and without processing the request", async () => {
    await plan({ rules: [{ kind: "reset", count: 1, method: "POST" }] });
    await assert.rejects(post(t, CREATE_SCOPE, { scope: "reset-scope" }), HANG_UP);
    assert.deepEqual(await scopes(t), []);
    assert.deepEqual((await post(t, CREATE_SCOPE, { scope: "reset-scope" })).status, 200);
    assert.deepEqual(await scopes(t), ["reset-scope"]);
    assert.deepEqual(logged(), [
      { method: "POST", path: CREATE_SCOPE, status: 0, fault: "reset" },
      { method: "GET", path: LIST_SCOPES, status: 200 },
      { method: "POST", path: CREATE_SCOPE, status: 200 },
      { method: "GET", path: LIST_SCOPES, status: 200 },
    ]);
    assert.deepEqual((await injected()).injected, { throttle: 0, unavailable: 0, reset: 1, slow: 0, lost: 0 });
  });

  it("lost applies the request, then closes the connection: a blind retry meets its own change", async () => {
    await plan({ rules: [{ kind: "lost", count: 1, path: "/api/2.0/secrets/scopes/*" }] });
    await assert.rejects(post(t, CREATE_SCOPE, { scope: "lost-scope" }), HANG_UP);
    assert.deepEqual(await scopes(t), ["lost-scope"]);
    const retried = await post(t, CREATE_SCOPE, { scope: "lost-scope" });
    assert.deepEqual([retried.status, retried.body?.error_code], [400, "RESOURCE_ALREADY_EXISTS"]);
    assert.deepEqual(logged(), [
      { method: "POST", path: CREATE_SCOPE, status: 200, fault: "lost" },
      { method: "GET", path: LIST_SCOPES, status: 200 },
      { method: "POST", path: CREATE_SCOPE, status: 400 },
    ]);
    assert.deepEqual((await injected()).injected, { throttle: 0, unavailable: 0, reset: 0, slow: 0, lost: 1 });
  });

  it("slow answers normally, after the delay: a later request is answered first", async () => {
    await t.call("POST", CREATE_SCOPE, { scope: "s" });
    await plan({ rules: [{ kind: "slow", delayMs: 500, count: 1, method: "GET", path: LIST_SCOPES }] });
    const order: string[] = [];
    const slow = t.call("GET", LIST_SCOPES).then((r) => (order.push("slow"), r));
    const quick = t.call("GET", "/api/2.0/secrets/list?scope=s").then((r) => (order.push("quick"), r));
    const [slowReply, quickReply] = await Promise.all([slow, quick]);
    assert.deepEqual([slowReply.status, slowReply.body, quickReply.status], [200, { scopes: [{ name: "s", backend_type: "DATABRICKS" }] }, 200]);
    assert.deepEqual(order, ["quick", "slow"]);
    assert.deepEqual(logged().slice(1), [
      { method: "GET", path: "/api/2.0/secrets/list", status: 200 },
      { method: "GET", path: LIST_SCOPES, status: 200, fault: "slow" },
    ]);
  });

  it("never faults the control plane nor the token endpoint; counts the queue's faults too", async () => {
    await plan({ rules: [{ kind: "reset" }] });
    await t.control("POST", "/_emulator/faults", [{ status: 503, count: 1 }]);
    assert.equal((await t.control("GET", "/_emulator/health")).status, 200);
    assert.match(await emulatorToken(t.emulator, "https://vault.azure.net/.default"), /^ey/);
    assert.equal((await t.call("GET", LIST_SCOPES)).status, 503);
    await assert.rejects(rawRequest(t.emulator.url, { method: "GET", path: LIST_SCOPES, headers: { authorization: `Bearer ${t.emulator.token}` } }), HANG_UP);
    assert.deepEqual(await injected(), { injected: { throttle: 0, unavailable: 1, reset: 1, slow: 0, lost: 0 }, total: 2 });
  });

  it("shows the plan with each rule's faults; refuses an invalid plan naming the field and keeps the one in force; reset clears it", async () => {
    await plan({ seed: 5, rules: [{ kind: ["throttle", "lost"], rate: 1, count: 1, service: "databricks" }] });
    await t.call("GET", LIST_SCOPES).catch(() => undefined);
    const shown = { seed: 5, rules: [{ kind: ["throttle", "lost"], rate: 1, count: 1, service: "databricks", retryAfterSeconds: 1, injected: 1 }] };
    assert.deepEqual((await t.control("GET", "/_emulator/faults/plan")).body, { plan: shown });
    await expectError(t.control("POST", "/_emulator/faults/plan", { rules: [{ kind: "reset", service: "identity" }] }), 400, {
      error: { code: "BadRequest", message: 'The fault plan was refused: rules[0].service must be one of "databricks", "arm", "azureml-inference", "keyvault", not "identity".' },
    });
    assert.deepEqual((await t.control("GET", "/_emulator/faults/plan")).body, { plan: shown });
    assert.equal((await t.control("POST", "/_emulator/reset")).status, 204);
    assert.deepEqual((await t.control("GET", "/_emulator/faults/plan")).body, { plan: { seed: 0, rules: [] } });
    assert.deepEqual(await injected(), { injected: { throttle: 0, unavailable: 0, reset: 0, slow: 0, lost: 0 }, total: 0 });
  });
});

describe("emulator fault lost: the change is on disk before the connection closes", () => {
  it("a scope created by a request whose response was lost is there after a restart on the same state", async function () {
    this.timeout(60_000);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-faults-"));
    try {
      await withEmulator({ stateDir }, async (t) => {
        await t.control("POST", "/_emulator/faults/plan", { rules: [{ kind: "lost", count: 1 }] });
        await assert.rejects(post(t, CREATE_SCOPE, { scope: "kept" }), HANG_UP);
      });
      await withEmulator({ stateDir }, async (t) => assert.deepEqual(await scopes(t), ["kept"]));
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
