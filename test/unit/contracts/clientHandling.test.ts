import * as assert from "node:assert/strict";
import { isRetriable, parseRetryAfterMs } from "../../../src/core/http/retryStrategy";
import { errorFromResponse, isAlreadyExists, isNotFound } from "../../../src/databricks/client";
import { keyVaultErrors } from "../../../src/keyvault/client/errors";
import { bodyText, contractFixtures, type ContractFixture } from "../../contracts/fixtures";

const databricks = contractFixtures("databricks");
const keyvault = contractFixtures("keyvault");

function lowerCaseHeaders(fixture: ContractFixture): Record<string, string> {
  return Object.fromEntries(Object.entries(fixture.response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function fixture(map: Map<string, ContractFixture>, name: string): ContractFixture {
  const f = map.get(name);
  assert.ok(f, `fixture ${name}`);
  return f;
}

describe("Contract fixtures: the clients' handling of the services' real errors", () => {
  it("holds the fixtures the clients branch on, each naming where it comes from", () => {
    assert.deepEqual([...databricks.keys()], [
      "cluster-does-not-exist",
      "endpoint-not-found",
      "idempotency-token-deleted",
      "invalid-parameter-value",
      "keyvault-scope-needs-aad-token",
      "request-limit-exceeded",
      "resource-already-exists",
      "resource-does-not-exist",
      "run-does-not-exist",
    ]);
    assert.deepEqual([...keyvault.keys()], ["object-is-deleted-but-recoverable", "secret-disabled", "secret-not-found", "unauthorized-challenge", "unknown-path"]);
    for (const f of [...databricks.values(), ...keyvault.values()]) {
      assert.ok(f.sources.length > 0, f.name);
      for (const s of f.sources) assert.ok(("repository" in s && s.repository && s.path) || ("url" in s && /^https:\/\/\S+$/.test(s.url)), `${f.name}: a source names a repository and path, or a public URL`);
      assert.ok(f.published === "behaviour" ? f.emulator : f.response.body ?? f.response.text, `${f.name}: a body, or what the emulator assumes`);
    }
  });

  it("reads every Databricks error body into its status, error_code, message and Retry-After", () => {
    const read = [...databricks.values()].filter((f) => f.response.body);
    assert.equal(read.length, 8);
    for (const f of read) {
      const body = f.response.body as { error_code: string; message: string };
      const err = errorFromResponse(`op ${f.name}`, { status: f.response.status, headers: lowerCaseHeaders(f), body: bodyText(f) });
      assert.deepEqual([err.status, err.errorCode, err.code, err.serviceMessage, err.retryAfter], [f.response.status, body.error_code, body.error_code, body.message, lowerCaseHeaders(f)["retry-after"]], f.name);
      assert.equal(err.message, `op ${f.name} failed: ${f.response.status} ${body.error_code}: ${body.message}`);
    }
  });

  it("tells a missing object from a wrong path and an existing object by the service's code (and, where the code does not tell, its message)", () => {
    const error = (name: string) => {
      const f = fixture(databricks, name);
      return errorFromResponse("op", { status: f.response.status, headers: lowerCaseHeaders(f), body: bodyText(f) });
    };
    const gone = ["cluster-does-not-exist", "resource-does-not-exist", "run-does-not-exist"];
    for (const name of databricks.keys()) {
      if (!fixture(databricks, name).response.body) continue;
      assert.equal(isNotFound(error(name)), gone.includes(name), `isNotFound(${name})`);
      assert.equal(isAlreadyExists(error(name)), name === "resource-already-exists", `isAlreadyExists(${name})`);
    }
  });

  it("waits the Retry-After of a 429 before trying again", () => {
    const f = fixture(databricks, "request-limit-exceeded");
    assert.equal(isRetriable({ status: f.response.status, idempotent: false }), true);
    assert.equal(parseRetryAfterMs(lowerCaseHeaders(f)["retry-after"]), 3_000);
  });

  it("reads every Key Vault error into its innermost code and message, and the challenge's tenant into the 401's hint", () => {
    const parser = keyVaultErrors("azure");
    const expected: Record<string, [number, string, string]> = {
      "object-is-deleted-but-recoverable": [409, "ObjectIsDeletedButRecoverable", "Secret test2 is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged."],
      "secret-disabled": [403, "SecretDisabled", "Operation get is not allowed on a disabled secret."],
      "secret-not-found": [404, "SecretNotFound", (fixture(keyvault, "secret-not-found").response.body as { error: { message: string } }).error.message],
      "unauthorized-challenge": [401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."],
      "unknown-path": [404, "NOT_FOUND", "404 - File or directory not found"],
    };
    for (const f of keyvault.values()) {
      const err = parser.fromResponse(`op ${f.name}`, { status: f.response.status, headers: lowerCaseHeaders(f), body: bodyText(f) });
      assert.deepEqual([err.status, err.code, err.serviceMessage], expected[f.name], f.name);
    }
    const challenge = fixture(keyvault, "unauthorized-challenge");
    const unauthorized = parser.fromResponse("get secret", { status: 401, headers: lowerCaseHeaders(challenge), body: bodyText(challenge) });
    assert.equal(unauthorized.hint, "Key Vault did not accept the Azure token: sign in with a token of the vault's tenant 12345678-1234-1234-1234-123456789012 (az login --tenant 12345678-1234-1234-1234-123456789012, or AZURE_TENANT_ID).");
  });
});
