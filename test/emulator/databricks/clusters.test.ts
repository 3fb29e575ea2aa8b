import * as assert from "node:assert/strict";
import { clusterIdPattern, clusterState } from "../../support/databricksWire";
import { expectError, useEmulator, withEmulator } from "../../support/emulator";

describe("Databricks emulator: Clusters API", function () {
  this.timeout(30_000);
  const t = useEmulator();

  it("requires spark_version and reports a missing cluster as 400 INVALID_PARAMETER_VALUE", async () => {
    await expectError(t.call("POST", "/api/2.1/clusters/create", { cluster_name: "x", num_workers: 1 }), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Missing required field: spark_version",
    });
    await expectError(t.call("GET", "/api/2.0/clusters/get?cluster_id=0101-000000-missing0"), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Cluster 0101-000000-missing0 does not exist",
    });
  });

  it("creates a cluster that runs, terminates, starts again and is permanently deleted", async () => {
    const created = await t.call("POST", "/api/2.1/clusters/create", {
      cluster_name: "etl",
      spark_version: "15.4.x-scala2.12",
      node_type_id: "Standard_DS3_v2",
      num_workers: "2",
      spark_conf: { "spark.speculation": "true" },
      custom_tags: { team: "ml" },
    });
    assert.equal(created.status, 200);
    const id: string = created.body.cluster_id;
    assert.match(id, clusterIdPattern(t.clock.now()));
    const got = (await t.call("GET", `/api/2.1/clusters/get?cluster_id=${id}`)).body;
    assert.deepEqual(
      { state: got.state, name: got.cluster_name, workers: got.num_workers, conf: got.spark_conf, tags: got.custom_tags, version: got.spark_version, executors: got.executors.length, start: got.start_time },
      { state: "RUNNING", name: "etl", workers: 2, conf: { "spark.speculation": "true" }, tags: { team: "ml" }, version: "15.4.x-scala2.12", executors: 2, start: t.clock.now() },
    );
    assert.deepEqual((await t.call("GET", "/api/2.0/clusters/list")).body.clusters.map((c: { cluster_id: string }) => c.cluster_id), [id]);
    await expectError(t.call("POST", "/api/2.0/clusters/start", { cluster_id: id }), 400, { error_code: "INVALID_STATE", message: `Cluster ${id} is in unexpected state Running.` });

    assert.equal((await t.call("POST", "/api/2.0/clusters/delete", { cluster_id: id })).status, 200);
    const terminated = (await t.call("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body;
    assert.equal(terminated.state, "TERMINATED");
    assert.deepEqual(terminated.termination_reason, { code: "USER_REQUEST", type: "SUCCESS", parameters: { username: "emulator@localhost" } });
    assert.equal((await t.call("POST", "/api/2.0/clusters/start", { cluster_id: id })).status, 200);
    assert.equal(await clusterState(t.call, id), "RUNNING");

    assert.equal((await t.call("POST", "/api/2.0/clusters/permanent-delete", { cluster_id: id })).status, 200);
    await expectError(t.call("GET", `/api/2.0/clusters/get?cluster_id=${id}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Cluster ${id} does not exist` });
  });

  it("moves through PENDING and TERMINATING with the realistic lifecycle, as the clock advances", async () => {
    await withEmulator({ databricks: { lifecycle: "realistic", pendingMs: 300, terminatingMs: 200 } }, async ({ call, clock }) => {
      const id: string = (await call("POST", "/api/2.0/clusters/create", { spark_version: "15.4.x-scala2.12", num_workers: 0 })).body.cluster_id;
      const states = [await clusterState(call, id)];
      await clock.advance(299);
      states.push(await clusterState(call, id));
      await clock.advance(1);
      states.push(await clusterState(call, id));
      await call("POST", "/api/2.0/clusters/delete", { cluster_id: id });
      states.push(await clusterState(call, id));
      await clock.advance(200);
      const terminated = (await call("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body;
      states.push(terminated.state);
      assert.deepEqual(states, ["PENDING", "PENDING", "RUNNING", "TERMINATING", "TERMINATED"]);
      assert.equal(terminated.terminated_time, clock.now());
    });
  });
});
