import * as assert from "node:assert/strict";
import { UNKNOWN } from "../../../src/core/check";
import * as cluster from "../../../src/databricks/cluster/lifecycle";

const host = "https://adb-1.2.azuredatabricks.net";
const base = { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 2 };

describe("DatabricksCluster check", () => {
  const saved = { ...process.env };
  before(() => Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" }));
  after(() => (process.env = saved));

  it("accepts named parameters and fills the host", async () => {
    const news = {
      ...base,
      clusterName: "etl",
      sparkConf: { "spark.speculation": "true" },
      customTags: { team: "ml" },
      autoterminationMinutes: 30,
      initScripts: [{ workspace: { destination: "/Shared/init.sh" } }],
      clusterLogPath: "dbfs:/cluster-logs",
      azureAttributes: { availability: "SPOT_WITH_FALLBACK_AZURE", firstOnDemand: 1, spotBidMaxPrice: -1 },
      waitTimeoutSeconds: 600,
    };
    assert.deepEqual(await cluster.check({}, news), { inputs: { ...news, host }, failures: [] });
  });

  it("takes sparkVersion from the spec when the program left it out", async () => {
    const spec = { spark_version: "14.3.x-scala2.12", instance_pool_id: "pool-1", num_workers: 1 };
    assert.deepEqual(await cluster.check({}, { spec }), { inputs: { spec, sparkVersion: "14.3.x-scala2.12", host }, failures: [] });
    assert.deepEqual((await cluster.check({}, { spec, sparkVersion: "15.4.x-scala2.12" })).inputs.sparkVersion, "15.4.x-scala2.12");
  });

  it("reports every failure at once, each naming its property and the fix", async () => {
    const { failures } = await cluster.check({}, {
      clusterName: "",
      nodeTypeId: "Standard_DS3_v2",
      instancePoolId: "pool-1",
      numWorkers: 2,
      autoscale: { minWorkers: 3, maxWorkers: 1 },
      sparkConf: { "spark.executor.cores": 4 },
      clusterLogConf: { dbfs: { destination: "dbfs:/logs" } },
      clusterLogPath: "/logs",
      initScripts: [{ s3: { destination: "s3://x" } }],
      azureAttributes: { availability: "SPOT", firstOnDemand: -1, spotBidMaxPrice: 0 },
      autoterminationMinutes: 5,
      waitTimeoutSeconds: 0,
    });
    assert.deepEqual(failures, [
      { property: "clusterName", reason: "clusterName must be a display name." },
      { property: "sparkVersion", reason: 'sparkVersion is required, e.g. "15.4.x-scala2.12".' },
      { property: "instancePoolId", reason: "nodeTypeId and instancePoolId are mutually exclusive: the pool decides the node type." },
      { property: "autoscale", reason: "numWorkers and autoscale are mutually exclusive: a fixed size or a range." },
      { property: "autoscale", reason: "autoscale needs whole numbers 1 <= minWorkers <= maxWorkers <= 100000, e.g. { minWorkers: 1, maxWorkers: 4 }." },
      { property: "sparkConf", reason: 'sparkConf must map names to string values, e.g. { "spark.speculation": "true" }.' },
      { property: "clusterLogPath", reason: "clusterLogConf and clusterLogPath are mutually exclusive: clusterLogPath is short for clusterLogConf: { dbfs: { destination } }." },
      { property: "clusterLogPath", reason: 'clusterLogPath must be a dbfs:/ folder, e.g. "dbfs:/cluster-logs".' },
      { property: "initScripts[0]", reason: 'initScripts[0] must name one of workspace, dbfs, abfss, volumes, file with a destination, e.g. { workspace: { destination: "/Shared/init.sh" } }.' },
      { property: "azureAttributes.availability", reason: 'azureAttributes.availability must be one of SPOT_AZURE, ON_DEMAND_AZURE, SPOT_WITH_FALLBACK_AZURE, not "SPOT".' },
      { property: "azureAttributes.firstOnDemand", reason: "azureAttributes.firstOnDemand must be a whole number >= 0 (nodes, the driver first, on on-demand VMs), not -1." },
      { property: "azureAttributes.spotBidMaxPrice", reason: "azureAttributes.spotBidMaxPrice must be -1 (up to the on-demand price) or a price in USD > 0." },
      { property: "autoterminationMinutes", reason: "autoterminationMinutes is 0 (never) or a whole number of minutes >= 10." },
      { property: "waitTimeoutSeconds", reason: "waitTimeoutSeconds must be a whole number >= 1, not 0." },
    ]);
  });

  it("requires a node type or pool unless the spec or a policy supplies one", async () => {
    assert.deepEqual((await cluster.check({}, { sparkVersion: "15.4.x-scala2.12" })).failures, [
      { property: "nodeTypeId", reason: 'nodeTypeId is required unless instancePoolId is set, e.g. "Standard_DS3_v2".' },
    ]);
    assert.deepEqual((await cluster.check({}, { sparkVersion: "15.4.x-scala2.12", spec: { policy_id: "p1" } })).failures, []);
    assert.deepEqual((await cluster.check({}, { spec: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", cluster_id: "x" } })).failures, [
      { property: "spec.cluster_id", reason: "spec.cluster_id must not be set: the service assigns the cluster id at create." },
    ]);
  });

  it("lets unknown preview values through", async () => {
    assert.deepEqual((await cluster.check({}, { sparkVersion: UNKNOWN, nodeTypeId: UNKNOWN, numWorkers: UNKNOWN, sparkConf: UNKNOWN, autoterminationMinutes: UNKNOWN })).failures, []);
    assert.deepEqual((await cluster.check({}, { spec: UNKNOWN })).failures, []);
  });
});

describe("DatabricksCluster request", () => {
  it("converts every named field explicitly, keeping the keys of user maps", () => {
    const request = cluster.clusterRequest({
      host,
      clusterName: "etl",
      ...base,
      driverNodeTypeId: "Standard_DS4_v2",
      sparkConf: { "spark.databricks.cluster.profile": "singleNode", myCamelKey: "x" },
      sparkEnvVars: { PYSPARK_PYTHON: "/databricks/python3/bin/python3" },
      customTags: { costCenter: "42" },
      initScripts: [{ volumes: { destination: "/Volumes/m/d/init.sh" } }],
      clusterLogConf: { volumes: { destination: "/Volumes/m/d/logs" } },
      azureAttributes: { availability: "SPOT_AZURE", firstOnDemand: 1, spotBidMaxPrice: 0.5 },
      autoterminationMinutes: 20,
      waitTimeoutSeconds: 60,
    });
    assert.deepEqual(request, {
      spark_version: "15.4.x-scala2.12",
      node_type_id: "Standard_DS3_v2",
      driver_node_type_id: "Standard_DS4_v2",
      num_workers: 2,
      spark_conf: { "spark.databricks.cluster.profile": "singleNode", myCamelKey: "x" },
      spark_env_vars: { PYSPARK_PYTHON: "/databricks/python3/bin/python3" },
      custom_tags: { costCenter: "42" },
      init_scripts: [{ volumes: { destination: "/Volumes/m/d/init.sh" } }],
      cluster_log_conf: { volumes: { destination: "/Volumes/m/d/logs" } },
      azure_attributes: { availability: "SPOT_AZURE", first_on_demand: 1, spot_bid_max_price: 0.5 },
      cluster_name: "etl",
      autotermination_minutes: 20,
    });
  });

  it("merges named fields over the spec; a named field removes the spec's alternatives", () => {
    const spec = { spark_version: "13.3.x-scala2.12", instance_pool_id: "pool-1", autoscale: { min_workers: 1, max_workers: 8 }, policy_id: "p1", spark_conf: { a: "1" } };
    assert.deepEqual(cluster.clusterRequest({ host, spec, sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 3, clusterLogPath: "dbfs:/logs" }), {
      spark_version: "15.4.x-scala2.12",
      node_type_id: "Standard_DS3_v2",
      num_workers: 3,
      policy_id: "p1",
      spark_conf: { a: "1" },
      cluster_log_conf: { dbfs: { destination: "dbfs:/logs" } },
    });
    assert.deepEqual(spec.instance_pool_id, "pool-1", "the spec itself is not modified");
  });
});

describe("DatabricksCluster diff", () => {
  const lines: string[] = [];
  const realLog = console.log;
  before(() => (console.log = (l: string) => lines.push(l)));
  after(() => (console.log = realLog));
  beforeEach(() => (lines.length = 0));
  const news = { host, clusterName: "etl", ...base, sparkConf: { a: "1" }, identity: "p/s/etl" };
  const olds = { ...news, clusterId: "0101-000000-abc", state: "RUNNING", defaultTags: { Vendor: "Databricks" } };

  it("reports no change for the same inputs, whatever the state, and prints nothing", async () => {
    assert.deepEqual(await cluster.diff("c", { ...olds, state: "TERMINATED" }, news), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, []);
  });

  it("edits the cluster when a setting changes, saying a running cluster restarts", async () => {
    assert.deepEqual(await cluster.diff("c", olds, { ...news, numWorkers: 4, sparkConf: { a: "2" } }), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, ['Cluster "etl" (0101-000000-abc): numWorkers, sparkConf changed; will edit it (clusters/edit restarts a running cluster).']);
  });

  it("replaces it when the workspace changes, and only records a new wait timeout", async () => {
    assert.deepEqual(await cluster.diff("c", olds, { ...news, host: "https://adb-9.azuredatabricks.net" }), { changes: true, replaces: ["host"], deleteBeforeReplace: false });
    assert.deepEqual(await cluster.diff("c", olds, { ...news, waitTimeoutSeconds: 60 }), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, [
      'Cluster "etl" (0101-000000-abc): host changed; will replace it (create the new cluster, then permanently delete the old one).',
      'Cluster "etl" (0101-000000-abc): waitTimeoutSeconds changed; will record it (no API call).',
    ]);
  });

  it("treats absent and empty maps alike, and unknown values as changes", () => {
    assert.equal(cluster.diffCluster({ ...olds, sparkConf: undefined }, { ...news, sparkConf: {} }).changes, false);
    assert.deepEqual(cluster.diffCluster(olds, { ...news, numWorkers: UNKNOWN as unknown as number }).edits, ["numWorkers"]);
  });
});
