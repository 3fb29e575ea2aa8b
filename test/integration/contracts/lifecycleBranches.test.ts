import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ServiceError } from "../../../src/core/errors";
import * as run from "../../../src/databricks/run/lifecycle";
import * as secret from "../../../src/databricks/secret/lifecycle";
import * as scope from "../../../src/databricks/secretScope/lifecycle";
import * as vaultSecret from "../../../src/keyvault/secret/lifecycle";
import { bodyText, contractFixtures, type ContractFixture } from "../../contracts/fixtures";

const databricks = contractFixtures("databricks");
const keyvault = contractFixtures("keyvault");

/** A server that answers every request with a fixture's response, chosen by method. */
async function fixtureServer(answers: Record<string, ContractFixture>): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    hits.push(`${req.method} ${(req.url ?? "").split("?")[0]}`);
    const fixture = answers[req.method ?? ""] ?? answers["*"];
    const text = bodyText(fixture);
    res.writeHead(fixture.response.status, { "Content-Type": "application/json; charset=utf-8", ...fixture.response.headers, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function use(map: Map<string, ContractFixture>, name: string): ContractFixture {
  const f = map.get(name);
  assert.ok(f, name);
  return f;
}

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  const err = await promise.then(() => assert.fail("should fail"), (e: unknown) => e);
  assert.ok(err instanceof ServiceError, String(err));
  return err;
}

describe("Contract fixtures: the lifecycle branches on the services' real errors", function () {
  this.timeout(30_000);
  const saved = { ...process.env };
  beforeEach(() => Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: "fixture-token" }));
  afterEach(() => {
    process.env = { ...saved };
  });

  it("a Key Vault-backed scope refused with INVALID_PARAMETER_VALUE says to sign in with Azure, whatever the message", async () => {
    const keyVault = { resourceId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v", dnsName: "https://v.vault.azure.net/" };
    for (const name of ["keyvault-scope-needs-aad-token", "invalid-parameter-value"]) {
      const fixture = use(databricks, name);
      const server = await fixtureServer({ "*": fixture });
      try {
        const err = await rejection(scope.create({ host: server.url, name: "kv", keyVault }));
        assert.deepEqual([err.code, err.serviceMessage], ["INVALID_PARAMETER_VALUE", (fixture.response.body as { message: string }).message], name);
        assert.match(err.hint ?? "", /^A Key Vault-backed scope can only be created by an Azure AD identity, not with a personal access token: /, name);
        const plain = await rejection(scope.create({ host: server.url, name: "db" }));
        assert.equal(plain.hint, undefined, "a Databricks-backed scope gets no Azure hint");
      } finally {
        await server.close();
      }
    }
  });

  it("a run the service no longer has is kept as it was known; a wrong API path is not taken for a missing run", async () => {
    const props = { host: "", identity: "p", runId: 123, runName: "r", runPageUrl: "", lifeCycleState: "TERMINATED", resultState: "SUCCESS", taskRunIds: {} } as unknown as run.RunOutputs;
    for (const [name, gone] of [["run-does-not-exist", true], ["endpoint-not-found", false]] as const) {
      const server = await fixtureServer({ "*": use(databricks, name) });
      try {
        const read = run.read("123", { ...props, host: server.url });
        if (gone) assert.deepEqual(await read, { id: "123", props: { ...props, host: server.url } }, name);
        else assert.equal((await rejection(read)).code, "ENDPOINT_NOT_FOUND", name);
      } finally {
        await server.close();
      }
    }
  });

  it("a submit refused whatever its idempotency token is reports the service's own error once every token was tried", async () => {
    const refusal = use(databricks, "invalid-parameter-value");
    const server = await fixtureServer({ "*": refusal });
    try {
      const inputs = { host: server.url, identity: "p/s/r", notebookTask: { notebookPath: "/n" }, existingClusterId: "c" };
      const err = await rejection(run.create(inputs));
      assert.deepEqual([err.status, err.code, err.serviceMessage], [400, "INVALID_PARAMETER_VALUE", (refusal.response.body as { message: string }).message]);
      assert.match(err.hint ?? "", /: every idempotency token of these inputs was refused with this error: the request itself is refused, or the runs of 100 earlier attempts with these inputs failed or were deleted; change triggers to start afresh\.$/);
      assert.equal(server.hits.length, 100);
      assert.ok(server.hits.every((h) => h === "POST /api/2.1/jobs/runs/submit"));
    } finally {
      await server.close();
    }
  });

  it("a secret put into a scope that does not exist says to create the scope first", async () => {
    const server = await fixtureServer({ "*": use(databricks, "resource-does-not-exist") });
    try {
      const err = await rejection(secret.update("s/k", {} as secret.SecretOutputs, { host: server.url, scope: "missing", key: "k", stringValue: "v" }));
      assert.equal(err.code, "RESOURCE_DOES_NOT_EXIST");
      assert.equal(err.hint, "Create the scope first: pass a DatabricksSecretScope's name output as scope, so Pulumi creates the scope before its secrets.");
    } finally {
      await server.close();
    }
  });

  it("Key Vault: a missing secret reads as gone, a disabled one as disabled, a soft-deleted name says how to recover it, a refused token says which", async () => {
    const props = { vaultUrl: "", name: "test2", value: "v", secretId: "", versionlessId: "", version: "" };
    const missing = await fixtureServer({ "*": use(keyvault, "secret-not-found") });
    try {
      assert.deepEqual(await vaultSecret.read("id", { ...props, vaultUrl: missing.url }), { id: "", props: {} });
    } finally {
      await missing.close();
    }
    const disabled = await fixtureServer({ "*": use(keyvault, "secret-disabled") });
    try {
      const read = await vaultSecret.read("id", { ...props, vaultUrl: disabled.url });
      assert.equal(read.id, "id");
      assert.equal(read.props.enabled, false);
    } finally {
      await disabled.close();
    }
    const deleted = await fixtureServer({ GET: use(keyvault, "secret-not-found"), PUT: use(keyvault, "object-is-deleted-but-recoverable") });
    try {
      const err = await rejection(vaultSecret.create({ vaultUrl: deleted.url, name: "test2", value: "v" }));
      assert.equal(err.code, "ObjectIsDeletedButRecoverable");
      assert.match(err.hint ?? "", /^The name "test2" belongs to a soft-deleted secret\. Either recover it \(az keyvault secret recover --id /);
      assert.deepEqual(deleted.hits, ["GET /secrets/test2", "PUT /secrets/test2"]);
    } finally {
      await deleted.close();
    }
    const refused = await fixtureServer({ "*": use(keyvault, "unauthorized-challenge") });
    try {
      const err = await rejection(vaultSecret.read("id", { ...props, vaultUrl: refused.url }));
      assert.equal(err.code, "Unauthorized");
      assert.match(err.message, /\nThe emulator did not accept the token: set AMLDB_LOCAL_TOKEN to the token it was started with\.$/);
    } finally {
      await refused.close();
    }
  });
});
