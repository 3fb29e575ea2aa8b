import * as assert from "node:assert/strict";
import { expectError, useEmulator } from "../../support/emulator";

describe("Resource Manager emulator: the paths reserved for ARM", function () {
  this.timeout(30_000);
  const t = useEmulator();
  const workspace = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws";

  it("asks for a token in ARM's format, not Key Vault's", async () => {
    const missing = await t.call("GET", `${workspace}?api-version=2024-04-01`, undefined, { token: null });
    assert.deepEqual([missing.status, missing.body], [401, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } }]);
    assert.match(missing.headers.get("www-authenticate") ?? "", /^Bearer authorization_uri="https:\/\/login\.windows\.net\/", error="invalid_token"/);
    await expectError(t.call("GET", `${workspace}?api-version=2024-04-01`, undefined, { token: "not-the-token" }), 401, {
      error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." },
    });
  });

  it("requires api-version, then answers what no resource provider serves with ARM's 404", async () => {
    await expectError(t.call("GET", workspace), 400, {
      error: { code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." },
    });
    await expectError(t.call("PUT", "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct?api-version=2024-04-01", {}), 404, {
      error: { code: "InvalidResourceType", message: "The resource type 'storageAccounts' could not be found in the namespace 'Microsoft.Storage' for api version '2024-04-01'." },
    });
    await expectError(t.call("GET", "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups?api-version=2021-04-01"), 404, {
      error: { code: "NotFound", message: "The local emulator serves no Resource Manager operation GET /subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups." },
    });
  });

  it("applies injected faults in ARM's format", async () => {
    assert.equal((await t.control("POST", "/_emulator/faults", [{ status: 429, count: 1, retryAfterSeconds: 2 }])).status, 200);
    const throttled = await t.call("GET", `${workspace}?api-version=2024-04-01`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get("retry-after"), "2");
    assert.equal(throttled.body.error.code, "TooManyRequests");
  });
});
