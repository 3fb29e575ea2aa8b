import * as assert from "node:assert/strict";
import { failureList } from "../../../../src/core/check";
import { checkClusterSpec, ClusterSpecInput, fromWireCluster, toWireCluster } from "../../../../src/databricks/shared/cluster";
import { pruneTo } from "../../../../src/databricks/shared/drift";

/** The cluster model an all-purpose cluster, a job's clusters and a run's cluster share. */
describe("Databricks cluster model", () => {
  it("converts every field to the API and back; user maps keep their keys", () => {
    const named: ClusterSpecInput = {
      sparkVersion: "15.4.x-scala2.12",
      nodeTypeId: "Standard_DS3_v2",
      driverNodeTypeId: "Standard_DS4_v2",
      autoscale: { minWorkers: 1, maxWorkers: 4 },
      sparkConf: { "spark.speculation": "true", camelKey: "x" },
      sparkEnvVars: { PYSPARK_PYTHON: "/databricks/python3/bin/python3" },
      customTags: { costCenter: "42" },
      initScripts: [{ workspace: { destination: "/Shared/init.sh" } }],
      clusterLogConf: { volumes: { destination: "/Volumes/m/d/logs" } },
      azureAttributes: { availability: "SPOT_AZURE", firstOnDemand: 1, spotBidMaxPrice: -1 },
    };
    const wire = toWireCluster(named);
    assert.deepEqual(wire, {
      spark_version: "15.4.x-scala2.12",
      node_type_id: "Standard_DS3_v2",
      driver_node_type_id: "Standard_DS4_v2",
      autoscale: { min_workers: 1, max_workers: 4 },
      spark_conf: { "spark.speculation": "true", camelKey: "x" },
      spark_env_vars: { PYSPARK_PYTHON: "/databricks/python3/bin/python3" },
      custom_tags: { costCenter: "42" },
      init_scripts: [{ workspace: { destination: "/Shared/init.sh" } }],
      cluster_log_conf: { volumes: { destination: "/Volumes/m/d/logs" } },
      azure_attributes: { availability: "SPOT_AZURE", first_on_demand: 1, spot_bid_max_price: -1 },
    });
    assert.deepEqual(fromWireCluster(wire), named);
    assert.deepEqual(toWireCluster({ clusterLogPath: "dbfs:/logs" }), { cluster_log_conf: { dbfs: { destination: "dbfs:/logs" } } });
  });

  it("prunes the service's defaults before comparing, but compares user maps whole", () => {
    assert.deepEqual(pruneTo({ availability: "SPOT_AZURE", first_on_demand: 1 }, { availability: "SPOT_AZURE" }, "azureAttributes"), { availability: "SPOT_AZURE" });
    assert.deepEqual(pruneTo({ a: "1", b: "2" }, { a: "1" }, "sparkConf"), { a: "1", b: "2" });
  });

  it("reports failures under the cluster's prefix; a spec or a policy supplies required fields", () => {
    const { failures, fail } = failureList();
    checkClusterSpec({ numWorkers: 100_001, autoscale: { minWorkers: 0, maxWorkers: 1 }, clusterLogPath: "/logs", initScripts: [{ s3: { destination: "x" } }] }, "tasks[0].newCluster", fail);
    checkClusterSpec({}, "", fail, { spark_version: "15.4.x-scala2.12", policy_id: "p" });
    assert.deepEqual(failures, [
      { property: "tasks[0].newCluster.sparkVersion", reason: 'tasks[0].newCluster.sparkVersion is required, e.g. "15.4.x-scala2.12".' },
      { property: "tasks[0].newCluster.nodeTypeId", reason: 'tasks[0].newCluster.nodeTypeId is required unless tasks[0].newCluster.instancePoolId is set, e.g. "Standard_DS3_v2".' },
      { property: "tasks[0].newCluster.autoscale", reason: "tasks[0].newCluster.numWorkers and tasks[0].newCluster.autoscale are mutually exclusive: a fixed size or a range." },
      { property: "tasks[0].newCluster.numWorkers", reason: "tasks[0].newCluster.numWorkers must be a whole number from 0 to 100000, not 100001." },
      { property: "tasks[0].newCluster.autoscale", reason: "tasks[0].newCluster.autoscale needs whole numbers 1 <= minWorkers <= maxWorkers <= 100000, e.g. { minWorkers: 1, maxWorkers: 4 }." },
      { property: "tasks[0].newCluster.clusterLogPath", reason: 'tasks[0].newCluster.clusterLogPath must be a dbfs:/ folder, e.g. "dbfs:/cluster-logs".' },
      { property: "tasks[0].newCluster.initScripts[0]", reason: 'tasks[0].newCluster.initScripts[0] must name one of workspace, dbfs, abfss, volumes, file with a destination, e.g. { workspace: { destination: "/Shared/init.sh" } }.' },
    ]);
  });
});
