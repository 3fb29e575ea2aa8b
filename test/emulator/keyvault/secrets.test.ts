import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import type { RestError } from "@azure/core-rest-pipeline";
import { SecretClient, type SecretClientOptions } from "@azure/keyvault-secrets";
import { KEY_VAULT_SERVICE_VERSION, LOCAL_EMULATOR_TOKEN } from "../../../src/emulator";
import { TEST_CLOCK_START, useEmulator, withEmulator } from "../../support/emulator";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CHALLENGE = `Bearer authorization="https://login.windows.net/${TENANT}", resource="https://vault.azure.net"`;
const credential: TokenCredential = {
  getToken: async () => ({ token: LOCAL_EMULATOR_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const noRetries: SecretClientOptions = {
  allowInsecureConnection: true,
  disableChallengeResourceVerification: true,
  retryOptions: { maxRetries: 0 },
};
const notFoundMessage = (nameOrId: string): string =>
  `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`;

/** Asserts that a call failed with the given RestError status, code, message and inner code. */
async function expectRestError(
  call: Promise<unknown>,
  expected: { statusCode: number; code: string; message: string; innerCode?: string },
): Promise<void> {
  await assert.rejects(call, (err: RestError & { details?: { error?: { innerError?: { code?: string } } } }) => {
    assert.equal(err.name, "RestError");
    assert.equal(err.statusCode, expected.statusCode);
    assert.equal(err.code, expected.code);
    assert.equal(err.message, expected.message);
    assert.equal(err.details?.error?.innerError?.code, expected.innerCode);
    return true;
  });
}

/** Whole unix seconds of a time in ms, as Key Vault reports its dates. */
const wholeSeconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

describe("Key Vault emulator driven by @azure/keyvault-secrets", () => {
  const t = useEmulator({ tenantId: TENANT });
  let emulator: { url: string; keyVaultUrl: string };
  let client: SecretClient;

  before(() => {
    emulator = t.emulator;
    client = new SecretClient(emulator.keyVaultUrl, credential, noRetries);
  });

  it("listens on loopback at a bound port and reports one URL for the vault", () => {
    assert.match(t.emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(t.emulator.url, "http://127.0.0.1:0");
    assert.equal(t.emulator.keyVaultUrl, t.emulator.url);
    assert.equal(t.emulator.token, LOCAL_EMULATOR_TOKEN);
  });

  it("creates a new version on every set and reads the latest or a given version", async () => {
    await t.clock.advance(1_500); // a time between two whole seconds
    const first = await client.setSecret("db-token", "v1", { contentType: "text/plain", tags: { team: "ml" } });
    const second = await client.setSecret("db-token", "v2");
    assert.match(first.properties.version!, /^[0-9a-f]{32}$/);
    assert.match(second.properties.version!, /^[0-9a-f]{32}$/);
    assert.notEqual(first.properties.version, second.properties.version);
    assert.equal(first.properties.id, `${emulator.keyVaultUrl}/secrets/db-token/${first.properties.version}`);
    assert.equal(first.properties.vaultUrl, emulator.keyVaultUrl);
    assert.equal(first.properties.contentType, "text/plain");
    assert.deepEqual(first.properties.tags, { team: "ml" });
    assert.equal(first.properties.enabled, true);
    assert.equal(first.properties.recoveryLevel, "Recoverable+Purgeable");
    assert.equal(first.properties.recoverableDays, 90);
    assert.deepEqual([first.properties.createdOn, first.properties.updatedOn], [wholeSeconds(t.clock.now()), wholeSeconds(t.clock.now())]);

    const latest = await client.getSecret("db-token");
    assert.equal(latest.value, "v2");
    assert.equal(latest.properties.version, second.properties.version);
    assert.equal(latest.properties.tags, undefined, "properties belong to a version, not the secret");
    const older = await client.getSecret("db-token", { version: first.properties.version });
    assert.equal(older.value, "v1");
    assert.deepEqual(older.properties.tags, { team: "ml" });

    await expectRestError(client.getSecret("missing"), { statusCode: 404, code: "SecretNotFound", message: notFoundMessage("missing") });
    await expectRestError(client.getSecret("db-token", { version: "0".repeat(32) }), {
      statusCode: 404,
      code: "SecretNotFound",
      message: notFoundMessage(`db-token/${"0".repeat(32)}`),
    });
  });

  it("lists the latest of each secret and every version, without values", async () => {
    const a1 = await client.setSecret("alpha", "a1");
    const a2 = await client.setSecret("alpha", "a2", { tags: { v: "2" } });
    await client.setSecret("beta", "b1");

    const secrets = [];
    for await (const p of client.listPropertiesOfSecrets()) secrets.push(p);
    assert.deepEqual(
      secrets.map((p) => [p.name, p.id, p.version, p.tags, (p as { value?: string }).value]),
      [
        ["alpha", `${emulator.keyVaultUrl}/secrets/alpha`, undefined, { v: "2" }, undefined],
        ["beta", `${emulator.keyVaultUrl}/secrets/beta`, undefined, undefined, undefined],
      ],
    );

    const versions = [];
    for await (const p of client.listPropertiesOfSecretVersions("alpha")) versions.push(p);
    assert.deepEqual(
      versions.map((p) => [p.id, p.version]),
      [
        [`${emulator.keyVaultUrl}/secrets/alpha/${a1.properties.version}`, a1.properties.version],
        [`${emulator.keyVaultUrl}/secrets/alpha/${a2.properties.version}`, a2.properties.version],
      ],
    );
  });

  it("pages lists with maxresults and nextLink", async () => {
    for (const name of ["s1", "s2", "s3", "s4", "s5"]) await client.setSecret(name, "x");
    const pages: string[][] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 })) pages.push(page.map((p) => p.name));
    assert.deepEqual(pages, [["s1", "s2"], ["s3", "s4"], ["s5"]]);
  });

  it("updates tags and enabled without touching the value; a disabled secret cannot be read", async () => {
    const created = await client.setSecret("flag", "keep-me", { tags: { a: "1" } });
    const updated = await client.updateSecretProperties("flag", "", { tags: { b: "2" }, enabled: false });
    assert.equal(updated.version, created.properties.version);
    assert.deepEqual(updated.tags, { b: "2" });
    assert.equal(updated.enabled, false);
    await expectRestError(client.getSecret("flag"), {
      statusCode: 403,
      code: "Forbidden",
      message: "Operation get is not allowed on a disabled secret.",
      innerCode: "SecretDisabled",
    });
    await client.updateSecretProperties("flag", created.properties.version!, { enabled: true });
    const read = await client.getSecret("flag");
    assert.equal(read.value, "keep-me");
    assert.deepEqual(read.properties.tags, { b: "2" });
  });

  it("soft-deletes, refuses the name, recovers, and purges", async () => {
    const set = await client.setSecret("rotating", "secret-1", { tags: { k: "v" } });
    const deletePoller = await client.beginDeleteSecret("rotating", { intervalInMs: 10 });
    const deletedNow = await deletePoller.pollUntilDone();
    assert.equal(deletedNow.recoveryId, `${emulator.keyVaultUrl}/deletedsecrets/rotating`);

    const deleted = await client.getDeletedSecret("rotating");
    assert.equal(deleted.name, "rotating");
    assert.equal(deleted.value, undefined, "deleted bundles carry no value");
    assert.equal(deleted.properties.id, set.properties.id);
    assert.deepEqual(deleted.properties.tags, { k: "v" });
    assert.deepEqual(deleted.properties.deletedOn, wholeSeconds(t.clock.now()));
    assert.deepEqual(deleted.properties.scheduledPurgeDate, wholeSeconds(t.clock.now() + 90 * 24 * 3600 * 1000));

    const listed = [];
    for await (const d of client.listDeletedSecrets()) listed.push([d.name, d.recoveryId, d.properties.id]);
    assert.deepEqual(listed, [["rotating", `${emulator.keyVaultUrl}/deletedsecrets/rotating`, `${emulator.keyVaultUrl}/secrets/rotating`]]);

    await expectRestError(client.getSecret("rotating"), { statusCode: 404, code: "SecretNotFound", message: notFoundMessage("rotating") });
    await assert.rejects(client.setSecret("rotating", "secret-2"), (err: RestError & { details?: { error?: { innerError?: { code?: string } } } }) => {
      assert.equal(err.statusCode, 409);
      assert.equal(err.code, "Conflict");
      assert.equal(
        err.message,
        "Secret rotating is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.",
      );
      assert.equal(err.details?.error?.innerError?.code, "ObjectIsDeletedButRecoverable");
      return true;
    });

    const recoverPoller = await client.beginRecoverDeletedSecret("rotating", { intervalInMs: 10 });
    const recovered = await recoverPoller.pollUntilDone();
    assert.equal(recovered.id, set.properties.id);
    assert.equal((await client.getSecret("rotating")).value, "secret-1");
    await expectRestError(client.getDeletedSecret("rotating"), { statusCode: 404, code: "SecretNotFound", message: "Deleted Secret not found" });

    await (await client.beginDeleteSecret("rotating", { intervalInMs: 10 })).pollUntilDone();
    await client.purgeDeletedSecret("rotating");
    await expectRestError(client.getDeletedSecret("rotating"), { statusCode: 404, code: "SecretNotFound", message: "Deleted Secret not found" });
    await expectRestError(client.purgeDeletedSecret("rotating"), { statusCode: 404, code: "SecretNotFound", message: "Deleted Secret not found" });
    const reused = await client.setSecret("rotating", "secret-3");
    assert.equal(reused.value, "secret-3");
  });

  it("treats names case-insensitively and keeps the first spelling", async () => {
    await client.setSecret("MixedCase", "one");
    const again = await client.setSecret("mixedcase", "two");
    assert.equal(again.name, "MixedCase");
    assert.equal((await client.getSecret("MIXEDCASE")).value, "two");
  });

  it("lets the SDK retry a throttled request, and records every attempt", async () => {
    const retrying = new SecretClient(emulator.keyVaultUrl, credential, {
      ...noRetries,
      retryOptions: { maxRetries: 2, retryDelayInMs: 10 },
    });
    const setFaults = await t.control("POST", "/_emulator/faults", [{ status: 429, count: 1, retryAfterSeconds: 0 }]);
    assert.deepEqual([setFaults.status, setFaults.body], [200, { faults: [{ status: 429, count: 1, retryAfterSeconds: 0 }] }]);

    const set = await retrying.setSecret("throttled", "value-after-retry");
    assert.equal(set.value, "value-after-retry");
    assert.deepEqual(
      t.emulator.requests().map(({ method, path, status }) => ({ method, path, status })),
      [
        { method: "POST", path: "/_emulator/faults", status: 200 },
        { method: "PUT", path: "/secrets/throttled", status: 401 },
        { method: "PUT", path: "/secrets/throttled", status: 429 },
        { method: "PUT", path: "/secrets/throttled", status: 200 },
      ],
    );
  });

  it("answers injected faults with Key Vault's error body and Retry-After", async () => {
    await withEmulator({ faults: [{ status: 503, count: 2, retryAfterSeconds: 7 }, { status: 429, count: 1 }] }, async ({ emulator: faulty }) => {
      const call = () => fetch(`${faulty.url}/secrets?api-version=7.5`, { headers: { authorization: `Bearer ${LOCAL_EMULATOR_TOKEN}` } });
      const unauthenticated = await fetch(`${faulty.url}/secrets?api-version=7.5`);
      assert.equal(unauthenticated.status, 401, "faults apply to authenticated requests only");
      for (let i = 0; i < 2; i++) {
        const r = await call();
        assert.equal(r.status, 503);
        assert.equal(r.headers.get("retry-after"), "7");
        assert.equal(((await r.json()) as { error: { code: string } }).error.code, "ServiceUnavailable");
      }
      const throttled = await call();
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get("retry-after"), "1");
      assert.deepEqual(await throttled.json(), {
        error: { code: "Throttled", message: "Request was not processed because too many requests were received. Reason: injected by the emulator." },
      });
      const normal = await call();
      assert.equal(normal.status, 200);
      assert.deepEqual(await normal.json(), { value: [], nextLink: null });
    });
  });
});

describe("Key Vault emulator over raw HTTP", () => {
  const t = useEmulator({ tenantId: TENANT });
  let emulator: { url: string };
  const auth = { authorization: `Bearer ${LOCAL_EMULATOR_TOKEN}` };

  before(() => {
    emulator = t.emulator;
  });

  it("requires api-version (sent by the SDK as api%2Dversion)", async () => {
    const missing = await fetch(`${emulator.url}/secrets`, { headers: auth });
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await missing.json(), {
      error: { code: "BadParameter", message: "The request URI contains an invalid or missing api-version query parameter." },
    });
    const unknown = await fetch(`${emulator.url}/secrets?api-version=1999-01-01`, { headers: auth });
    assert.equal(unknown.status, 400);
    assert.deepEqual(await unknown.json(), {
      error: { code: "BadParameter", message: "The specified version (1999-01-01) is not recognized. Consider using the latest supported version (2025-07-01)." },
    });
    const encoded = await fetch(`${emulator.url}/secrets?api%2Dversion=7.5`, { headers: auth });
    assert.equal(encoded.status, 200);
  });

  it("accepts a missing api-version in loose mode", async () => {
    await withEmulator({ loose: true }, async ({ emulator: loose }) => {
      const r = await fetch(`${loose.url}/secrets`, { headers: auth });
      assert.deepEqual([r.status, await r.json()], [200, { value: [], nextLink: null }]);
    });
  });

  it("challenges a request without a token before reading its body", async () => {
    // A body that never ends: a server that waited for it would never answer.
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("{not json"));
      },
    });
    const r = await fetch(`${emulator.url}/secrets/x?api-version=7.5`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: endless,
      duplex: "half",
      signal: AbortSignal.timeout(3000),
    } as RequestInit);
    assert.equal(r.status, 401);
    assert.equal(r.headers.get("www-authenticate"), CHALLENGE);
    assert.deepEqual(await r.json(), { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } });

    const invalidJsonNoAuth = await fetch(`${emulator.url}/secrets/x?api-version=7.5`, { method: "PUT", body: "{not json" });
    assert.equal(invalidJsonNoAuth.status, 401);
    assert.equal(invalidJsonNoAuth.headers.get("www-authenticate"), CHALLENGE);
  });

  it("rejects a wrong token with the challenge", async () => {
    const r = await fetch(`${emulator.url}/secrets?api-version=7.5`, { headers: { authorization: "Bearer not-the-token" } });
    assert.equal(r.status, 401);
    assert.equal(r.headers.get("www-authenticate"), CHALLENGE);
    assert.deepEqual(await r.json(), {
      error: { code: "Unauthorized", message: "AKV10032: Invalid token: the bearer token is not the one this vault accepts." },
    });
  });

  it("rejects bad names, missing values and invalid JSON with BadParameter", async () => {
    const put = (name: string, body: string) =>
      fetch(`${emulator.url}/secrets/${name}?api-version=7.5`, { method: "PUT", headers: { ...auth, "content-type": "application/json" }, body });
    const badName = await put("bad_name", JSON.stringify({ value: "x" }));
    assert.equal(badName.status, 400);
    assert.deepEqual(await badName.json(), {
      error: {
        code: "BadParameter",
        message: "The request URI contains an invalid name: bad_name. Secret names are 1 to 127 characters: letters, digits and dashes.",
      },
    });
    const tooLong = await put("a".repeat(128), JSON.stringify({ value: "x" }));
    assert.equal(tooLong.status, 400);
    assert.equal((await put("a".repeat(127), JSON.stringify({ value: "x" }))).status, 200);
    const noValue = await put("ok-name", JSON.stringify({ contentType: "x" }));
    assert.equal(noValue.status, 400);
    assert.deepEqual(await noValue.json(), { error: { code: "BadParameter", message: "The parameter value is required and must be a string." } });
    const notJson = await put("ok-name", "{not json");
    assert.equal(notJson.status, 400);
    assert.deepEqual(await notJson.json(), { error: { code: "BadParameter", message: "The request body is not valid JSON." } });
  });

  it("answers like the real service: headers, ids from the Host header, update without value", async () => {
    const put = await fetch(`${emulator.url}/secrets/hdr?api-version=7.5`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ value: "v", attributes: { enabled: true, exp: 1924992000 } }),
    });
    assert.equal(put.status, 200);
    assert.equal(put.headers.get("content-type"), "application/json; charset=utf-8");
    assert.match(put.headers.get("x-ms-request-id") ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(put.headers.get("x-ms-keyvault-service-version"), KEY_VAULT_SERVICE_VERSION);
    const bundle = (await put.json()) as { id: string; attributes: Record<string, unknown> };
    assert.match(bundle.id, new RegExp(`^${emulator.url}/secrets/hdr/[0-9a-f]{32}$`));
    const now = Math.floor(t.clock.now() / 1000);
    assert.deepEqual(bundle.attributes, { enabled: true, exp: 1924992000, created: now, updated: now, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 });

    const patched = await fetch(`${emulator.url}/secrets/hdr/?api-version=7.5`, {
      method: "PATCH",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ value: "ignored", contentType: "text/plain" }),
    });
    assert.equal(patched.status, 200);
    const patchedBody = (await patched.json()) as Record<string, unknown>;
    assert.equal(patchedBody.value, undefined);
    assert.equal(patchedBody.contentType, "text/plain");
    const read = await fetch(`${emulator.url}/secrets/hdr/?api-version=7.5`, { headers: auth });
    assert.equal(((await read.json()) as { value: string }).value, "v");
  });

  it("answers unknown routes with Key Vault's HTML 404 (paths outside its APIs before any token) and wrong methods with 405", async () => {
    for (const [route, headers] of [
      ["/keys?api-version=7.5", {}],
      ["/no/such/path", {}],
      ["/secrets/a/b/c?api-version=7.5", auth],
    ] as const) {
      const unknown = await fetch(`${emulator.url}${route}`, { headers });
      assert.equal(unknown.status, 404, route);
      assert.equal(unknown.headers.get("content-type"), "text/html", route);
      assert.match(await unknown.text(), /<title>404 - File or directory not found\.<\/title>/, route);
    }
    const challenged = await fetch(`${emulator.url}/secrets/a/b/c?api-version=7.5`);
    assert.equal(challenged.status, 401, "a path under the secrets API still asks for a token first");
    const wrongMethod = await fetch(`${emulator.url}/deletedsecrets/x?api-version=7.5`, { method: "PUT", headers: auth, body: "{}" });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET, DELETE");
    assert.deepEqual(await wrongMethod.json(), { error: { code: "MethodNotAllowed", message: "The requested resource does not support http method 'PUT'." } });
  });
});

describe("Key Vault emulator state on disk", () => {
  let stateDir: string;
  before(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "kv-emulator-"));
  });
  after(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it("keeps secrets across a restart and logs requests without values", async () => {
    const value = "persisted-secret-value-7f3a";
    const written = await withEmulator({ stateDir }, ({ emulator }) => new SecretClient(emulator.keyVaultUrl, credential, noRetries).setSecret("kept", value));
    await withEmulator({ stateDir }, async ({ emulator }) => {
      const read = await new SecretClient(emulator.keyVaultUrl, credential, noRetries).getSecret("kept");
      assert.equal(read.value, value);
      assert.equal(read.properties.version, written.properties.version);
      assert.equal(read.properties.id, `${emulator.keyVaultUrl}/secrets/kept/${written.properties.version}`);
    });

    const log = fs.readFileSync(path.join(stateDir, "requests.log"), "utf8");
    const lines = log.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map(({ method, path: p, status }) => [method, p, status]),
      [
        ["PUT", "/secrets/kept", 401],
        ["PUT", "/secrets/kept", 200],
        ["GET", "/secrets/kept/", 401],
        ["GET", "/secrets/kept/", 200],
      ],
    );
    for (const line of lines) assert.deepEqual(Object.keys(line).sort(), ["at", "method", "path", "status"]);
    assert.deepEqual(new Set(lines.map((l) => l.at)), new Set([new Date(TEST_CLOCK_START).toISOString()]), "the request log reads the emulator's clock");
    assert.ok(!log.includes(value), "the request log never holds a secret value");
    assert.ok(!log.includes(LOCAL_EMULATOR_TOKEN), "the request log never holds the token");
    assert.ok(!log.includes("api-version"), "the request log holds no query strings");
  });
});
