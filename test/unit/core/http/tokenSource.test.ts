import * as assert from "node:assert/strict";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { authPolicy, bearerToken, cachedToken, credentialToken, PipelineRequest, RequestFailure, TOKEN_REFRESH_MARGIN_MS } from "../../../../src/core/http";

const HOUR = 3_600_000;

/** A credential handing out `token-1`, `token-2`, ... valid for `lifetimeMs`, recording the scopes asked for. */
function countingCredential(now: () => number, lifetimeMs = HOUR): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      scopes.push(String(scope));
      return { token: `token-${scopes.length}`, expiresOnTimestamp: now() + lifetimeMs };
    },
  };
}

describe("token sources", () => {
  it("a fixed bearer token", async () => {
    assert.deepEqual(await bearerToken("abc", "pat").headers(), { Authorization: "Bearer abc" });
    assert.throws(() => bearerToken(""), { message: "A bearer token source needs a non-empty token." });
  });

  it("asks the credential once per scope until the token nears its expiry, then again", async () => {
    let clock = 1_000_000;
    const credential = countingCredential(() => clock);
    const source = credentialToken(credential, "https://vault.azure.net/.default", "azure-ad", () => clock);
    assert.deepEqual(await source.headers(), { Authorization: "Bearer token-1" });
    clock += HOUR - TOKEN_REFRESH_MARGIN_MS - 1;
    assert.deepEqual(await source.headers(), { Authorization: "Bearer token-1" });
    clock += 1;
    assert.deepEqual(await source.headers(), { Authorization: "Bearer token-2" });
    assert.deepEqual(credential.scopes, ["https://vault.azure.net/.default", "https://vault.azure.net/.default"]);
  });

  it("honours the credential's refreshAfterTimestamp", async () => {
    let clock = 0;
    let calls = 0;
    const credential: TokenCredential = { getToken: async () => ({ token: `t${++calls}`, expiresOnTimestamp: clock + HOUR, refreshAfterTimestamp: clock + 1000 }) };
    const token = cachedToken(credential, "s", () => clock);
    assert.equal(await token(), "t1");
    clock = 999;
    assert.equal(await token(), "t1");
    clock = 1000;
    assert.equal(await token(), "t2");
  });

  it("shares one credential request between concurrent callers, and does not cache a failure", async () => {
    let calls = 0;
    let fail = true;
    const credential: TokenCredential = {
      getToken: async () => {
        calls++;
        if (fail) throw new Error("AzureCliCredential: Please run 'az login'.");
        return { token: "ok", expiresOnTimestamp: Date.now() + HOUR };
      },
    };
    const token = cachedToken(credential, "s");
    const results = await Promise.allSettled([token(), token(), token()]);
    assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected", "rejected"]);
    assert.equal(calls, 1);
    fail = false;
    assert.deepEqual(await Promise.all([token(), token()]), ["ok", "ok"]);
    assert.equal(calls, 2);
  });

  it("rejects a credential that returns no token", async () => {
    const credential = { getToken: async () => null } as unknown as TokenCredential;
    await assert.rejects(cachedToken(credential, "api://x/.default")(), { message: "the Azure credential returned no token for scope api://x/.default" });
  });
});

describe("auth policy", () => {
  const request = (url: string): PipelineRequest => ({ method: "GET", url, path: "/", headers: { Accept: "application/json" }, operation: "get", idempotent: true, attempt: 1 });

  it("adds the headers, and sends nothing to a URL that may not receive the token", async () => {
    const sent: PipelineRequest[] = [];
    const policy = authPolicy(bearerToken("abc", "azure-ad"), { mayReceiveToken: (url) => url.hostname.endsWith(".vault.azure.net") });
    const next = async (r: PipelineRequest) => {
      sent.push(r);
      return { status: 200, headers: {}, body: "" };
    };
    await policy.send(request("https://v.vault.azure.net/secrets/x"), next);
    assert.deepEqual(sent[0].headers, { Accept: "application/json", Authorization: "Bearer abc" });
    await assert.rejects(policy.send(request("https://v.vault.azure.net.evil.example/secrets/x"), next), (err: unknown) => {
      assert.ok(err instanceof RequestFailure);
      assert.deepEqual([err.code, err.message], ["UNTRUSTED_HOST", "refusing to send azure-ad credentials to https://v.vault.azure.net.evil.example"]);
      return true;
    });
    assert.equal(sent.length, 1);
  });

  it("turns a credential failure into AUTHENTICATION_FAILED with its first line", async () => {
    const failing = { kind: "azure-ad", headers: () => Promise.reject(new Error("DefaultAzureCredential failed\nEnvironmentCredential: ...")) };
    await assert.rejects(authPolicy(failing).send(request("https://x.example/"), () => assert.fail("sent")), {
      name: "RequestFailure",
      code: "AUTHENTICATION_FAILED",
      message: "could not get azure-ad credentials: DefaultAzureCredential failed",
    });
  });
});
