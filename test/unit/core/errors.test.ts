import * as assert from "node:assert/strict";
import { ServiceError, withContext } from "../../../src/core/errors";

describe("ServiceError", () => {
  const original = new ServiceError({ operation: "set secret \"s\"", status: 401, code: "Unauthorized", message: "bad token", requestId: "r-1", retryAfter: "3", hint: "Sign in." });

  it("states operation, status, code, message and hint, and keeps them as fields", () => {
    assert.equal(original.message, 'set secret "s" failed: 401 Unauthorized: bad token\nSign in.');
    assert.deepEqual(JSON.parse(JSON.stringify(original)), {
      name: "ServiceError",
      operation: 'set secret "s"',
      status: 401,
      code: "Unauthorized",
      serviceMessage: "bad token",
      requestId: "r-1",
      retryAfter: "3",
      hint: "Sign in.",
    });
  });

  it("is told as the caller's operation, keeping the service's code, message, request id and hint", () => {
    const told = withContext(original, { operation: "create Key Vault secret \"s\"" });
    assert.equal(told.message, 'create Key Vault secret "s" failed: 401 Unauthorized: bad token\nSign in.');
    assert.deepEqual([told.status, told.code, told.requestId], [401, "Unauthorized", "r-1"]);
    const hinted = withContext(original, { hint: "Another hint.", link: "https://example.test/doc" });
    assert.equal(hinted.message, 'set secret "s" failed: 401 Unauthorized: bad token\nAnother hint.\nSee https://example.test/doc');
  });

  it("leaves out the status when no response arrived", () => {
    assert.equal(new ServiceError({ operation: "get x", status: 0, code: "ECONNRESET", message: "socket hang up" }).message, "get x failed: ECONNRESET: socket hang up");
  });
});
