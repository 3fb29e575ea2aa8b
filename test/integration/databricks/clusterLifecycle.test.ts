import * as assert from "node:assert/strict";
import { createDatabricksApi, DatabricksApi } from "../../../src/databricks/client";
import { ManualClock, RunningEmulator } from "../../../src/emulator";
import * as cluster from "../../../src/databricks/cluster/lifecycle";
import { captureEachTest, checkedBy, useDatabricksEmulator, withoutTimings } from "../../support/databricksEmulator";
import { startTestEmulator, until } from "../../support/emulator";

const settings = { clusterName: "etl", sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1, sparkConf: { "spark.speculation": "true" }, identity: "project/stack/etl" };

/** The DatabricksCluster provider's operations, called as the engine would, against the emulator. */
describe("DatabricksCluster provider operations against the emulator", function () {
  this.timeout(60_000);
  const db = useDatabricksEmulator("cluster-lifecycle-token");
  const lines = captureEachTest(db);

  const checked = checkedBy<cluster.ClusterInputs>(cluster.check);
  const clusterCalls = () => db.emulator.requests().map((r) => `${r.method} ${r.path}`).filter((p) => p.includes("/clusters/"));

  it("creates a cluster, waits until RUNNING and says so", async () => {
    const inputs = await checked(settings);
    const { id, outs } = await cluster.create(inputs);
    const live = await db.api.clusters.get(id);
    assert.deepEqual([live.cluster_name, live.num_workers, live.spark_conf, live.node_type_id], ["etl", 1, { "spark.speculation": "true" }, "Standard_DS3_v2"]);
    assert.deepEqual(outs, { ...inputs, clusterId: id, state: "RUNNING", defaultTags: live.default_tags });
    assert.deepEqual(withoutTimings(lines), [`Cluster "etl" (${id}): created ${id}; waiting until RUNNING (at most 1800 s).`, `Cluster "etl" (${id}): RUNNING (t)`]);
  });

  it("adopts the cluster an interrupted create started (same identity and request)", async () => {
    const inputs = await checked(settings);
    const first = await cluster.create(inputs);
    const second = await cluster.create(inputs);
    assert.equal(second.id, first.id);
    assert.equal((await db.api.clusters.list()).clusters?.length, 1);
    const other = await cluster.create(await checked({ ...settings, identity: "project/stack/other" }));
    assert.notEqual(other.id, first.id);
  });

  it("edits a running cluster on change (it restarts) and waits for it again", async () => {
    const { id, outs } = await cluster.create(await checked(settings));
    const news = await checked({ ...settings, numWorkers: 3, customTags: { team: "ml" } });
    assert.deepEqual(await cluster.diff(id, outs, news), { changes: true, replaces: [], deleteBeforeReplace: false });
    lines.length = 0;
    const { outs: updated } = await cluster.update(id, outs, news);
    const live = await db.api.clusters.get(id);
    assert.deepEqual([live.num_workers, live.custom_tags, live.state], [3, { team: "ml" }, "RUNNING"]);
    assert.equal(updated.state, "RUNNING");
    assert.deepEqual(updated.customTags, { team: "ml" });
    assert.deepEqual(withoutTimings(lines), [`Cluster "etl" (${id}): RUNNING (t)`, `Cluster "etl" (${id}): edited (numWorkers, customTags); restarting.`, `Cluster "etl" (${id}): RUNNING (t)`]);
  });

  it("does not touch the cluster when only the wait timeout changes", async () => {
    const { id, outs } = await cluster.create(await checked(settings));
    const before = clusterCalls().length;
    const { outs: updated } = await cluster.update(id, outs, await checked({ ...settings, waitTimeoutSeconds: 60 }));
    assert.equal(clusterCalls().length, before);
    assert.deepEqual(updated, { ...outs, waitTimeoutSeconds: 60 });
  });

  it("edits a terminated cluster without starting it", async () => {
    const { id, outs } = await cluster.create(await checked(settings));
    await db.api.clusters.delete(id);
    const refreshed = await cluster.read(id, outs);
    assert.equal(refreshed.props.state, "TERMINATED");
    const { outs: updated } = await cluster.update(id, refreshed.props as cluster.ClusterOutputs, await checked({ ...settings, numWorkers: 2 }));
    assert.equal(updated.state, "TERMINATED");
    assert.equal((await db.api.clusters.get(id)).num_workers, 2);
    assert.ok(!clusterCalls().includes("POST /api/2.0/clusters/start"));
  });

  it("brings back settings changed in the workspace as drift, ignoring the service's defaults", async () => {
    const { id, outs } = await cluster.create(await checked({ ...settings, azureAttributes: { availability: "SPOT_AZURE" } }));
    const unchanged = await cluster.read(id, outs);
    assert.deepEqual(unchanged.props, outs);
    assert.deepEqual(lines.slice(2), []);
    const live = await db.api.clusters.get(id);
    await db.api.clusters.edit({ cluster_id: id, cluster_name: "etl", spark_version: live.spark_version!, node_type_id: "Standard_DS3_v2", num_workers: 5, spark_conf: { "spark.speculation": "false" }, azure_attributes: { availability: "SPOT_AZURE" } });
    const drifted = await cluster.read(id, outs);
    assert.equal(drifted.props.numWorkers, 5);
    assert.deepEqual(drifted.inputs?.sparkConf, { "spark.speculation": "false" });
    assert.deepEqual(drifted.inputs?.azureAttributes, { availability: "SPOT_AZURE" });
    assert.equal(lines.at(-1), `Cluster "etl" (${id}): numWorkers, sparkConf changed in the workspace; the next pulumi up edits it back.`);
    assert.deepEqual(cluster.diffCluster(drifted.props, await checked({ ...settings, azureAttributes: { availability: "SPOT_AZURE" } })).edits, ["numWorkers", "sparkConf"]);
  });

  it("deletes the cluster permanently, and treats a cluster already gone as deleted", async () => {
    const { id, outs } = await cluster.create(await checked(settings));
    await cluster.remove(id, outs);
    await assert.rejects(db.api.clusters.get(id), { status: 400, code: "INVALID_PARAMETER_VALUE" });
    assert.deepEqual(await cluster.read(id, outs), { id: "", props: {} });
    await cluster.remove(id, outs);
  });

  it("creates from the complete clusters/create JSON with named parameters over it", async () => {
    const inputs = await checked({ spec: { spark_version: "14.3.x-scala2.12", instance_pool_id: "pool-1", num_workers: 1, policy_id: "p1" }, nodeTypeId: "Standard_DS4_v2", identity: "p/s/spec" });
    const { id, outs } = await cluster.create(inputs);
    const live = await db.api.clusters.get(id);
    assert.deepEqual([live.spark_version, live.node_type_id, live.instance_pool_id, live.policy_id], ["14.3.x-scala2.12", "Standard_DS4_v2", undefined, "p1"]);
    assert.equal(outs.sparkVersion, "14.3.x-scala2.12");
  });
});

describe("DatabricksCluster waiting on a cluster that takes time to start", function () {
  this.timeout(60_000);
  const token = "cluster-wait-token";
  let emulator: RunningEmulator;
  let clock: ManualClock;
  let api: DatabricksApi;
  const saved = { ...process.env };
  const lines: string[] = [];
  const realLog = console.log;
  before(async () => {
    // The emulator's clock moves only when a test advances it: a cluster stays PENDING until then.
    ({ emulator, clock } = await startTestEmulator({ token, databricks: { lifecycle: "immediate", pendingMs: 1500, terminatingMs: 500 } }));
    Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: token, DATABRICKS_HOST: emulator.url });
    api = createDatabricksApi({ host: emulator.url });
  });
  after(async () => {
    process.env = saved;
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.reset();
    lines.length = 0;
    console.log = (l: string) => lines.push(l);
  });
  afterEach(() => (console.log = realLog));

  const inputs = (): cluster.ClusterInputs => ({ host: emulator.url, ...settings });
  const gets = () => emulator.requests().filter((r) => r.path.endsWith("/clusters/get")).length;
  const pendingCluster = () => until("the cluster is created", async () => (await api.clusters.list()).clusters?.[0]?.cluster_id);

  it("polls, printing each state change, until RUNNING", async () => {
    const creating = cluster.create(inputs());
    const id = await pendingCluster();
    await until("the provider has polled the PENDING cluster twice", () => gets() >= 2);
    clock.advance(1500);
    const { outs } = await creating;
    assert.equal(outs.state, "RUNNING");
    assert.deepEqual(withoutTimings(lines), [
      `Cluster "etl" (${id}): created ${id}; waiting until RUNNING (at most 1800 s).`,
      `Cluster "etl" (${id}): PENDING (t): Finding instances for new nodes, acquiring more instances if necessary`,
      `Cluster "etl" (${id}): RUNNING (t)`,
    ]);
  });

  it("fails with the cluster's state when it ends TERMINATED while starting, recording it so the next up starts it again", async () => {
    const creating = cluster.create(inputs()).then(() => assert.fail("create should fail"), (e: unknown) => e);
    const id = await pendingCluster();
    await api.clusters.delete(id);
    clock.advance(500);
    const err = (await creating) as Error & { id: string; properties: cluster.ClusterOutputs; reasons: string[] };
    assert.equal(err.message, `Cluster "etl" (${id}) ended TERMINATED while starting: termination reason USER_REQUEST (SUCCESS)`);
    assert.equal(err.id, id);
    assert.deepEqual(err.reasons, [err.message]);
    assert.equal(err.properties.state, "TERMINATED");
    assert.equal(err.properties.awaitingRunning, true);
    // The engine records the cluster with init errors and calls update on the next up.
    lines.length = 0;
    const updating = cluster.update(id, err.properties, inputs());
    await until("the cluster is starting again", async () => (await api.clusters.get(id)).state === "PENDING");
    clock.advance(1500);
    const { outs } = await updating;
    assert.equal(outs.state, "RUNNING");
    assert.equal(outs.awaitingRunning, undefined);
    assert.equal(lines[1], `Cluster "etl" (${id}): starting again.`);
  });

  it("gives up after waitTimeoutSeconds, recording the cluster, which keeps starting", async () => {
    const err = (await cluster.create({ ...inputs(), waitTimeoutSeconds: 1 }).then(() => assert.fail("create should fail"), (e: unknown) => e)) as Error & { id: string; properties: cluster.ClusterOutputs };
    assert.equal(err.message, `Cluster "etl" (${err.id}) is still PENDING after 1 s waiting for RUNNING; it keeps going. Raise waitTimeoutSeconds, or run pulumi up again to keep waiting.`);
    assert.equal(err.properties.awaitingRunning, true);
    const polled = gets();
    const updating = cluster.update(err.id, err.properties, inputs());
    await until("the provider polls the cluster again", () => gets() > polled);
    clock.advance(1500);
    const { outs } = await updating;
    assert.equal(outs.state, "RUNNING");
  });
});
