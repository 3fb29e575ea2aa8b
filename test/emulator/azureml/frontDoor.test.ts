import * as assert from "node:assert/strict";
import { expectError } from "../../support/emulator";
import { OPERATIONS, tokenFor, useAzureMlEmulator, V, WS } from "./fixture";

describe("Azure ML emulator: Resource Manager's front door (tokens, scope, api-version, faults, log, metadata)", function () {
  this.timeout(30_000);
  const t = useAzureMlEmulator();

  it("takes the emulator's token and tokens it issued for the management audience or its own URL; refuses the rest in ARM's words", async () => {
    for (const resource of ["https://management.azure.com", "https://management.core.windows.net/", t.emulator.url]) {
      const token = await tokenFor(t, resource);
      assert.equal((await t.call("GET", `${WS}?${V}`, undefined, { token })).status, 200, resource);
    }
    const vault = await tokenFor(t, "https://vault.azure.net");
    await expectError(t.call("GET", `${WS}?${V}`, undefined, { token: vault }), 401, {
      error: {
        code: "InvalidAuthenticationTokenAudience",
        message: `The access token has been obtained for wrong audience or resource 'https://vault.azure.net'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com','${t.emulator.url}','${t.emulator.url}/'.`,
      },
    });
    const management = await tokenFor(t, "https://management.azure.com");
    t.clock.advance(3600_000 + 301_000);
    await expectError(t.call("GET", `${WS}?${V}`, undefined, { token: management }), 401, {
      error: { code: "ExpiredAuthenticationToken", message: "The access token expiry UTC time is earlier than current UTC time." },
    });
    await expectError(t.call("GET", `${WS}?${V}`, undefined, { token: null }), 401, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } });
    await expectError(t.call("GET", `${WS}?${V}`, undefined, { token: "not-a-token" }), 401, { error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." } });
    const [head, body] = management.split(".");
    await expectError(t.call("GET", `${WS}?${V}`, undefined, { token: `${head}.${body}.forged` }), 401, { error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." } });
  });

  it("answers a subscription, resource group or workspace that is not the emulator's as the front door does", async () => {
    const other = WS.replace("0000000000a1", "0000000000b2");
    await expectError(t.call("GET", `${other}/computes?${V}`), 404, { error: { code: "SubscriptionNotFound", message: "The subscription '00000000-0000-0000-0000-0000000000b2' could not be found." } });
    await expectError(t.call("GET", `${WS.replace("rg-local", "rg-x")}/computes?${V}`), 404, { error: { code: "ResourceGroupNotFound", message: "Resource group 'rg-x' could not be found." } });
    await expectError(t.call("GET", `${WS.replace("local-aml", "ws2")}/computes/c?${V}`), 404, {
      error: { code: "ParentResourceNotFound", message: "Can not perform requested operation on nested resource. Parent resource 'ws2' not found." },
    });
    await expectError(t.call("GET", `${WS.replace("local-aml", "ws2")}?${V}`), 404, {
      error: {
        code: "ResourceNotFound",
        message: "The Resource 'Microsoft.MachineLearningServices/workspaces/ws2' under resource group 'rg-local' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      },
    });
    await expectError(t.call("GET", `${WS}/models?${V}`), 404, {
      error: { code: "InvalidResourceType", message: "The resource type 'workspaces' could not be found in the namespace 'Microsoft.MachineLearningServices' for api version '2099-01-01'." },
    });
    await expectError(t.call("GET", `${OPERATIONS}/mfeOperationsStatus/nope?${V}`), 404, { error: { code: "NotFound", message: "The operation 'nope' could not be found." } });
  });

  it("needs an api-version, takes any, and matches names and path segments in any case", async () => {
    await expectError(t.call("GET", WS), 400, { error: { code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." } });
    for (const v of ["2022-10-01", "2025-12-01", "2024-10-01-preview"]) assert.equal((await t.call("GET", `${WS}?api-version=${v}`)).status, 200, v);
    const shouted = WS.replace("resourceGroups", "resourcegroups").replace("Microsoft.MachineLearningServices", "microsoft.machinelearningservices").replace("local-aml", "LOCAL-AML");
    const r = await t.call("GET", `${shouted}/computes/CPU-CLUSTER?${V}`);
    assert.deepEqual([r.status, r.body.id], [200, `${WS}/computes/cpu-cluster`]);
  });

  it("throttles with 429 and Retry-After through the fault injection, and logs every request without its query", async () => {
    assert.equal((await t.control("POST", "/_emulator/faults", [{ status: 429, count: 1, retryAfterSeconds: 3 }])).status, 200);
    const throttled = await t.call("PUT", `${WS}/jobs/j1?${V}`, { properties: { jobType: "Pipeline" } });
    assert.deepEqual([throttled.status, throttled.headers.get("retry-after"), throttled.body], [
      429,
      "3",
      { error: { code: "TooManyRequests", message: "The request was throttled by the local emulator; retry after the time given in Retry-After." } },
    ]);
    assert.equal((await t.call("PUT", `${WS}/jobs/j1?${V}`, { properties: { jobType: "Pipeline" } })).status, 201);
    const log = t.emulator.requests().filter((r) => r.path.startsWith("/subscriptions"));
    assert.deepEqual(
      log.map((r) => [r.method, r.path, r.status]),
      [
        ["PUT", `${WS}/jobs/j1`, 429],
        ["PUT", `${WS}/jobs/j1`, 201],
      ],
    );
  });

  it("serves the cloud metadata without a token, naming the emulator as Resource Manager", async () => {
    const r = await t.call("GET", "/metadata/endpoints?api-version=2019-05-01", undefined, { token: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, [
      {
        name: "AzureLocalEmulator",
        portal: "https://portal.azure.com",
        resourceManager: `${t.emulator.url}/`,
        authentication: { loginEndpoint: `${t.emulator.url}/`, audiences: [`${t.emulator.url}/`, "https://management.azure.com/"], tenant: t.emulator.tenantId, identityProvider: "AAD" },
        media: "",
        graphAudience: "",
        graph: "",
        batch: "",
        suffixes: { storage: "core.windows.net", keyVaultDns: "vault.azure.net", acrLoginServer: "azurecr.io", sqlServerHostname: "database.windows.net" },
        sqlManagement: "",
        gallery: "",
        activeDirectoryDataLake: "",
        microsoftGraphResourceId: "",
      },
    ]);
    assert.equal((await t.call("GET", "/metadata/endpoints", undefined, { token: null })).status, 200);
  });
});
