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

  it("accepts only loopback in the local target", () => {
    for (const url of ["http://127.0.0.1:8080", "http://localhost:1", "https://[::1]:8443"]) assert.equal(vaultUrlProblem(new URL(url), "local"), undefined, url);
    assert.equal(vaultUrlProblem(new URL("https://my-vault.vault.azure.net"), "local"), "https://my-vault.vault.azure.net is not on loopback; the local target sends its token only to the emulator.");
  });

  it("refuses to build a client for a vault that may not receive the token, before sending anything", () => {
    const transport = fakeTransport({ status: 200 });
    assert.throws(() => createKeyVaultApi({ vaultUrl: "https://example.com", target: "azure", transport: transport.send }), {
      message:
        "Refusing to call Key Vault at https://example.com: https://example.com is not a Key Vault URL (https://<vault>.vault.azure.net, https://<vault>.vault.azure.cn, https://<vault>.vault.usgovcloudapi.net); Azure tokens are sent only to Key Vault.",
    });
    assert.equal(transport.sent.length, 0);
  });

  it("sends the local token, api-version 7.5 and JSON to the vault", async () => {
    const transport = fakeTransport({ status: 200, body: { id: "http://127.0.0.1:1/secrets/s/abc", value: "v", attributes: { enabled: true } } });
    const api = createKeyVaultApi({ vaultUrl: "http://127.0.0.1:1/", target: "local", env: { AMLDB_LOCAL_TOKEN: "tok" }, transport: transport.send });
    const bundle = await api.secrets.setSecret("s", { value: "v", tags: { a: "b" } });
    assert.equal(versionOf(bundle.id), "abc");
    const [sent] = transport.sent;
    assert.deepEqual(
      { method: sent.method, url: sent.url, body: sent.body, auth: sent.headers.Authorization, type: sent.headers["Content-Type"], operation: sent.operation, idempotent: sent.idempotent },
      {
        method: "PUT",
        url: "http://127.0.0.1:1/secrets/s?api-version=7.5",
        body: '{"value":"v","tags":{"a":"b"}}',
        auth: "Bearer tok",
        type: "application/json",
        operation: 'set secret "s" in http://127.0.0.1:1',
        idempotent: true,
      },
    );
  });

  it("reads the version from a secret id", () => {
    assert.equal(versionOf("https://v.vault.azure.net/secrets/name/0123abcd"), "0123abcd");
    assert.equal(versionOf("https://v.vault.azure.net/secrets/name"), "");
    assert.equal(versionOf(undefined), "");
  });
});
