import * as assert from "node:assert/strict";
import * as blobMount from "../../../src/databricks/blobMount/lifecycle";
import * as dbfsFile from "../../../src/databricks/dbfsFile/lifecycle";
import * as secret from "../../../src/databricks/secret/lifecycle";
import * as secretScope from "../../../src/databricks/secretScope/lifecycle";
import * as workspaceItem from "../../../src/databricks/workspaceItem/lifecycle";
import * as keyVaultSecret from "../../../src/keyvault/secret/lifecycle";
import { ServiceError } from "../../../src/core/errors";
import { takeoverHint, takeoverRefused, TakeoverRefused } from "../../../src/core/takeover";

const host = "https://adb-1.2.azuredatabricks.net";

/** Valid inputs of every resource that can meet an object it did not create. */
const RESOURCES = {
  KeyVaultSecret: [keyVaultSecret, { vaultUrl: "https://v.vault.azure.net", name: "n", value: "v" }],
  DatabricksWorkspaceItem: [workspaceItem, { path: "/Shared/x", content: "x" }],
  DatabricksDbfsFile: [dbfsFile, { path: "/FileStore/x", contentBase64: "eA==" }],
  DatabricksSecret: [secret, { scope: "s", key: "k", stringValue: "v" }],
  DatabricksSecretScope: [secretScope, { name: "s" }],
  DatabricksBlobMount: [blobMount, { mountName: "m", storageAccountName: "acct", containerName: "box", accountKeyScope: "s", accountKeyName: "k" }],
} as const;

describe("the one takeover policy", () => {
  const saved = { ...process.env };
  before(() => Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" }));
  after(() => (process.env = saved));

  for (const [type, [lifecycle, valid]] of Object.entries(RESOURCES)) {
    it(`${type} takes adopt, and only a boolean`, async () => {
      assert.deepEqual((await lifecycle.check({}, { ...valid, adopt: true })).failures, []);
      assert.deepEqual((await lifecycle.check({}, { ...valid, adopt: "yes" })).failures, [{ property: "adopt", reason: 'adopt must be true or false, not "yes".' }]);
    });
  }

  it("says what adopting does, what destroy then does, and the other way out", () => {
    const t = { object: "Thing x in h", adopting: "writes over it", destroy: "deletes it", otherwise: "choose another name" };
    const err = takeoverRefused(t);
    assert.ok(err instanceof TakeoverRefused);
    assert.equal(
      err.message,
      "Thing x in h already exists. pulumi up does not take over an existing object unless told to: set adopt: true on this resource to manage it from now on (up writes over it, and destroy then deletes it), or choose another name.",
    );
    const refusedBy = new ServiceError({ operation: "import x", status: 400, code: "RESOURCE_ALREADY_EXISTS", message: "exists", requestId: "r-1" });
    const fromService = takeoverRefused(t, refusedBy) as ServiceError;
    assert.deepEqual([fromService.code, fromService.status, fromService.requestId, fromService.message], ["RESOURCE_ALREADY_EXISTS", 400, "r-1", `import x failed: 400 RESOURCE_ALREADY_EXISTS: exists\nThing x in h already exists. ${takeoverHint(t)}`]);
  });
});
