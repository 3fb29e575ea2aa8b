import * as assert from "node:assert/strict";
import { createKeyVaultApi, keyVaultScope, vaultUrlProblem, versionOf } from "../../../src/keyvault/client";
import { fakeTransport } from "../../support/http";

describe("Key Vault client: where a token may go", () => {
  it("accepts vaults of the public, China and US Government clouds in the azure target, with their scopes", () => {
    const cases: [string, string][] = [
      ["https://my-vault.vault.azure.net", "https://vault.azure.net/.default"],
      ["https://MY-VAULT.VAULT.AZURE.CN", "https://vault.azure.cn/.default"],
      ["https://gov1.vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net/.default"],
    ];
    for (const [url, scope] of cases) {
      assert.equal(vaultUrlProblem(new URL(url), "azure"), undefined, url);
      assert.equal(keyVaultScope(new URL(url)), scope, url);
    }
  });

  it("refuses any other host, plain http and look-alikes in the azure target", () => {
    const refusal = (where: string) =>
      `${where} is not a Key Vault URL (https://<vault>.vault.azure.net, https://<vault>.vault.azure.cn, https://<vault>.vault.usgovcloudapi.net); Azure tokens are sent only to Key Vault.`;
    const cases: [string, string][] = [
      ["https://example.com", "https://example.com"],
      ["http://my-vault.vault.azure.net", "http://my-vault.vault.azure.net"],
      ["https://my-vault.vault.azure.net.evil.example", "https://my-vault.vault.azure.net.evil.example"],
      ["https://vault.azure.net", "https://vault.azure.net"],
      ["https://a.b.vault.azure.net", "https://a.b.vault.azure.net"],
      ["https://127.0.0.1:8443", "https://127.0.0.1:8443"],
    ];
    for (const [url, where] of cases) assert.equal(vaultUrlProblem(new URL(url), "azure"), refusal(where), url);
  });

  it("accepts only https on loopback in the local target, and plain http only when AMLDB_LOCAL_HTTP allows it", () => {
    for (const url of ["https://127.0.0.1:8080", "https://localhost:1", "https://[::1]:8443"]) assert.equal(vaultUrlProblem(new URL(url), "local", {}), undefined, url);
    assert.equal(
      vaultUrlProblem(new URL("https://my-vault.vault.azure.net"), "local", {}),
      "The vault https://my-vault.vault.azure.net is not on loopback; the local target sends its token only to the emulator.",
    );
    assert.equal(
      vaultUrlProblem(new URL("http://127.0.0.1:8080"), "local", {}),
      "The vault http://127.0.0.1:8080 uses plain http; the local target, like the azure one, sends tokens over https only. Use the https URL the emulator prints, or set AMLDB_LOCAL_HTTP=1 for an emulator started with --http.",
    );
    for (const allowed of ["1", "true", "TRUE"]) assert.equal(vaultUrlProblem(new URL("http://127.0.0.1:8080"), "local", { AMLDB_LOCAL_HTTP: allowed }), undefined, allowed);
  });

  it("refuses to build a client for a vault that may not receive the token, before sending anything", () => {
    const transport = fakeTransport({ status: 200 });
    assert.throws(() => createKeyVaultApi({ vaultUrl: "https://example.com", target: "azure", transport: transport.send }), {
      message:
        "Refusing to call Key Vault at https://example.com: https://example.com is not a Key Vault URL (https://<vault>.vault.azure.net, https://<vault>.vault.azure.cn, https://<vault>.vault.usgovcloudapi.net); Azure tokens are sent only to Key Vault.",
    });
    assert.equal(transport.sent.length, 0);
  });

  it("gets a Key Vault token from the emulator's token endpoint with the local token as client secret, then sends api-version 7.5 and JSON to the vault", async () => {
    const transport = fakeTransport(
      { status: 200, body: { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: "issued-access-token" } },
      { status: 200, body: { id: "https://127.0.0.1:1/secrets/s/abc", value: "v", attributes: { enabled: true } } },
    );
    const api = createKeyVaultApi({ vaultUrl: "https://127.0.0.1:1/", target: "local", env: { AMLDB_LOCAL_TOKEN: "tok" }, transport: transport.send });
    const bundle = await api.secrets.setSecret("s", { value: "v", tags: { a: "b" } });
    assert.equal(versionOf(bundle.id), "abc");
    const [token, sent] = transport.sent;
    assert.deepEqual(
      { method: token.method, url: token.url, body: Object.fromEntries(new URLSearchParams(token.body)), type: token.headers["Content-Type"], auth: token.headers.Authorization },
      {
        method: "POST",
        url: "https://127.0.0.1:1/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
        body: { grant_type: "client_credentials", client_id: "00000000-0000-0000-0000-000000000001", client_secret: "tok", scope: "https://vault.azure.net/.default" },
        type: "application/x-www-form-urlencoded",
        auth: undefined,
      },
    );
    assert.deepEqual(
      { method: sent.method, url: sent.url, body: sent.body, auth: sent.headers.Authorization, type: sent.headers["Content-Type"], operation: sent.operation, idempotent: sent.idempotent, ifApplied: typeof sent.ifApplied },
      {
        method: "PUT",
        url: "https://127.0.0.1:1/secrets/s?api-version=7.5",
        body: '{"value":"v","tags":{"a":"b"}}',
        auth: "Bearer issued-access-token",
        type: "application/json",
        operation: 'set secret "s" in https://127.0.0.1:1',
        // Each set makes a version: not repeated blindly, but once the latest version is read (see faultsClients.test.ts).
        idempotent: false,
        ifApplied: "function",
      },
    );
  });

  it("reports a token endpoint's refusal with its error and the hint to set AMLDB_LOCAL_TOKEN, never the secret", async () => {
    const description = "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-01-15 12:00:00Z";
    const transport = fakeTransport({ status: 401, body: { error: "invalid_client", error_description: description, error_codes: [7000215] } });
    const api = createKeyVaultApi({ vaultUrl: "https://127.0.0.1:1/", target: "local", env: { AMLDB_LOCAL_TOKEN: "wrong-secret" }, transport: transport.send, retry: { maxRetries: 0 } });
    const err = await api.secrets.getSecret("s").then(
      () => assert.fail("expected a failure"),
      (e: Error) => e,
    );
    assert.equal(
      err.message,
      'get secret "s" in https://127.0.0.1:1 failed: AUTHENTICATION_FAILED: could not get local emulator credentials: get a token for https://vault.azure.net/.default from the emulator\'s token endpoint https://127.0.0.1:1/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token failed: 401 invalid_client: AADSTS7000215: Invalid client secret provided. Set AMLDB_LOCAL_TOKEN to the token the emulator was started with.',
    );
    assert.equal(transport.sent.length, 1, "nothing goes to the vault without a token");
    assert.ok(!err.message.includes("wrong-secret"));
  });

  it("reads the version from a secret id", () => {
    assert.equal(versionOf("https://v.vault.azure.net/secrets/name/0123abcd"), "0123abcd");
    assert.equal(versionOf("https://v.vault.azure.net/secrets/name"), "");
    assert.equal(versionOf(undefined), "");
  });
});
