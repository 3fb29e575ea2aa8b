import * as assert from "node:assert/strict";
import { ServiceError } from "../../../../src/core/errors";
import { bearerToken, JsonHttpClient, ServiceErrorParser } from "../../../../src/core/http";
import { DatabricksApiError, databricksErrors } from "../../../../src/databricks/client";
import { KeyVaultError, keyVaultErrors } from "../../../../src/keyvault/client";
import { FakeAnswer, fakeTransport, rejectionOf } from "../../../support/http";

async function failure<E extends ServiceError>(parser: ServiceErrorParser<E>, answer: FakeAnswer): Promise<ServiceError> {
  const http = new JsonHttpClient({ baseUrl: "https://svc.example", auth: bearerToken("t"), errors: parser, transport: fakeTransport(answer).send, retry: { maxRetries: 0 } });
  return rejectionOf(http.request({ method: "GET", path: "/x", operation: "get x" }), ServiceError);
}

/** The fields a person or a caller acts on. */
function fields(err: ServiceError) {
  return { name: err.name, status: err.status, code: err.code, serviceMessage: err.serviceMessage, requestId: err.requestId, retryAfter: err.retryAfter, message: err.message };
}

describe("error mapping per service", () => {
  describe("Key Vault", () => {
    const local = keyVaultErrors("local");
    const azure = keyVaultErrors("azure");

    it("takes the innermost code of nested innererrors, the message, the request id and Retry-After", async () => {
      const body = { error: { code: "Conflict", message: "Secret s is currently in a deleted but recoverable state.", innererror: { code: "ObjectIsDeletedButRecoverable" } } };
      const err = await failure(local, { status: 409, headers: { "x-ms-request-id": "req-1" }, body });
      assert.ok(err instanceof KeyVaultError);
      assert.deepEqual(fields(err), {
        name: "KeyVaultError",
        status: 409,
        code: "ObjectIsDeletedButRecoverable",
        serviceMessage: "Secret s is currently in a deleted but recoverable state.",
        requestId: "req-1",
        retryAfter: undefined,
        message: "get x failed: 409 ObjectIsDeletedButRecoverable: Secret s is currently in a deleted but recoverable state.",
      });
      const deeper = { error: { code: "Forbidden", message: "disabled", innererror: { code: "SecretDisabled", innererror: { code: "SecretDisabledByPolicy" } } } };
      assert.equal((await failure(local, { status: 403, body: deeper })).code, "SecretDisabledByPolicy");
      const throttled = await failure(local, { status: 429, headers: { "retry-after": "7" }, body: { error: { code: "Throttled", message: "slow down" } } });
      assert.deepEqual([throttled.code, throttled.retryAfter], ["Throttled", "7"]);
    });

    it("reads a gateway's HTML page or an empty body by the status", async () => {
      const html = "<html><head><title>502 Bad Gateway</title></head><body><pre>upstream reset.</pre></body></html>";
      assert.equal((await failure(azure, { status: 502, body: html })).message, "get x failed: 502 BAD_GATEWAY: upstream reset");
      assert.equal((await failure(azure, { status: 404 })).message, "get x failed: 404 NOT_FOUND: Not Found");
    });

    it("says which tenant a 401 challenge asks for in the azure target, and which token to set locally", async () => {
      const challenge = { "www-authenticate": 'Bearer authorization="https://login.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"' };
      const body = { error: { code: "Unauthorized", message: "AKV10032: Invalid issuer." } };
      assert.equal(
        (await failure(azure, { status: 401, headers: challenge, body })).message,
        "get x failed: 401 Unauthorized: AKV10032: Invalid issuer.\n" +
          "Key Vault did not accept the Azure token: sign in with a token of the vault's tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 (az login --tenant 72f988bf-86f1-41af-91ab-2d7cd011db47, or AZURE_TENANT_ID).",
      );
      assert.equal(
        (await failure(local, { status: 401, headers: challenge, body })).message,
        "get x failed: 401 Unauthorized: AKV10032: Invalid issuer.\nThe emulator did not accept the token: set AMLDB_LOCAL_TOKEN to the token it was started with.",
      );
    });
  });

  describe("Databricks", () => {
    it("reads error_code, message, the request id and Retry-After", async () => {
      const err = await failure(databricksErrors, { status: 429, headers: { "x-request-id": "r-9", "retry-after": "2" }, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests" } });
      assert.ok(err instanceof DatabricksApiError);
      assert.deepEqual(fields(err), {
        name: "DatabricksApiError",
        status: 429,
        code: "REQUEST_LIMIT_EXCEEDED",
        serviceMessage: "Too many requests",
        requestId: "r-9",
        retryAfter: "2",
        message: "get x failed: 429 REQUEST_LIMIT_EXCEEDED: Too many requests",
      });
      assert.equal(err.errorCode, "REQUEST_LIMIT_EXCEEDED");
    });

    it("names a success body that is not JSON", async () => {
      const http = new JsonHttpClient({ baseUrl: "https://svc.example", auth: bearerToken("t"), errors: databricksErrors, transport: fakeTransport({ status: 200, headers: { "content-type": "text/html" }, body: "<html/>" }).send });
      await assert.rejects(http.request({ method: "GET", path: "/x", operation: "get x" }), { name: "DatabricksApiError", message: "get x failed: 200 INVALID_RESPONSE: expected a JSON body, got text/html" });
    });
  });

  describe("failures without a response", () => {
    it("keeps only the code and the first message line, in the service's error type", async () => {
      const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443\n    at TCPConnectWrap"), { code: "ECONNREFUSED" });
      const kv = await failure(keyVaultErrors("azure"), { fail: refused });
      assert.ok(kv instanceof KeyVaultError);
      assert.deepEqual([kv.status, kv.code, kv.message], [0, "ECONNREFUSED", "get x failed: ECONNREFUSED: connect ECONNREFUSED 10.0.0.1:443"]);
      const db = await failure(databricksErrors, { fail: new Error("socket hang up") });
      assert.ok(db instanceof DatabricksApiError);
      assert.deepEqual([db.status, db.code], [0, "ECONNRESET"]);
    });
  });
});
