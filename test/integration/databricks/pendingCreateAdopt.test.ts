import * as assert from "node:assert/strict";
import { TakeoverRefused } from "../../../src/core/takeover";
import { pendingCreateKey, RECOVER_PENDING_ENV } from "../../../src/core/pendingCreates";
import { forward } from "../../../src/provider";
import * as scope from "../../../src/databricks/secretScope/lifecycle";
import * as secret from "../../../src/databricks/secret/lifecycle";
import { captureEachTest, checkedBy, useDatabricksEmulator } from "../../support/databricksEmulator";

/**
 * A create that an interrupted `up` left pending, run again by `recover` (which passes its key):
 * through the provider entry, as the engine calls it, it adopts the object it finds; any other
 * create still refuses an object that is already there.
 */
describe("the provider entry: a pending create that recover passes adopts its own object", function () {
  this.timeout(30_000);
  const db = useDatabricksEmulator("pending-create-token");
  captureEachTest(db);
  const checkedScope = checkedBy<scope.ScopeInputs>(scope.check);
  const checkedSecret = checkedBy<Record<string, unknown>>(secret.check);
  afterEach(() => delete process.env[RECOVER_PENDING_ENV]);

  it("a scope the interrupted create made is refused without the key and adopted with it, recorded without adopt", async () => {
    const inputs = { ...(await checkedScope({ name: "etl" })), __provider: "serialized" };
    // The interrupted create: the scope was made, the engine never heard back.
    await forward("DatabricksSecretScope", [inputs]);
    await assert.rejects(forward("DatabricksSecretScope", [inputs]), (err: Error) => /Secret scope "etl" .* already exists/.test(err.message) && /set adopt: true/.test(err.message));

    process.env[RECOVER_PENDING_ENV] = ["0".repeat(64), pendingCreateKey("DatabricksSecretScope", inputs)].join(",");
    const { id, outs } = (await forward("DatabricksSecretScope", [inputs])) as { id: string; outs: Record<string, unknown> };
    assert.equal(id, "etl");
    assert.deepEqual(outs, { __provider: "serialized", name: "etl", host: db.emulator.url, backendType: "DATABRICKS" });
    assert.deepEqual(await db.api.secrets.listScopes(), [{ name: "etl", backend_type: "DATABRICKS" }]);
  });

  it("the key of other inputs (another value, another type) adopts nothing", async () => {
    await db.api.secrets.createScope({ scope: "etl" });
    const inputs = await checkedSecret({ scope: "etl", key: "k", stringValue: "v1" });
    await forward("DatabricksSecret", [inputs]);
    process.env[RECOVER_PENDING_ENV] = [pendingCreateKey("DatabricksSecret", { ...inputs, stringValue: "v2" }), pendingCreateKey("DatabricksSecretScope", inputs)].join(",");
    await assert.rejects(forward("DatabricksSecret", [inputs]), TakeoverRefused);
    process.env[RECOVER_PENDING_ENV] = pendingCreateKey("DatabricksSecret", inputs);
    const { outs } = (await forward("DatabricksSecret", [inputs])) as { outs: Record<string, unknown> };
    assert.equal(outs.adopt, undefined);
    assert.deepEqual((await db.api.secrets.listSecrets("etl")).map((s) => s.key), ["k"]);
  });
});
