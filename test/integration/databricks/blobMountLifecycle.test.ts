import * as assert from "node:assert/strict";
import * as lifecycle from "../../../src/databricks/blobMount/lifecycle";
import { useDatabricksEmulator } from "../../support/databricksEmulator";
import { until } from "../../support/emulator";

/** The DatabricksBlobMount provider's operations against the emulator, with and without a cluster. */
describe("DatabricksBlobMount provider operations against the emulator", function () {
  this.timeout(60_000);
  const db = useDatabricksEmulator("mount-lifecycle-token");
  let clusterId: string;

  before(async () => {
    const api = db.api;
    await api.secrets.createScope({ scope: "storage" });
    await api.secrets.putSecret({ scope: "storage", key: "account-key", string_value: "not-a-real-key" });
    ({ cluster_id: clusterId } = await api.clusters.create({ cluster_name: "c", spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 }));
    await until("the cluster is RUNNING", async () => (await api.clusters.get(clusterId)).state === "RUNNING");
  });

  const inputs = (extra: Partial<lifecycle.BlobMountInputs> = {}): lifecycle.BlobMountInputs => ({
    host: db.emulator.url,
    mountName: "aml-data",
    storageAccountName: "amlstore",
    containerName: "azureml-blobstore",
    accountKeyScope: "storage",
    accountKeyName: "account-key",
    ...extra,
  });

  async function mounts(): Promise<string> {
    const res = await db.api.commands.runCommand(clusterId, "sorted((m.mountPoint, m.source) for m in dbutils.fs.mounts() if m.mountPoint.startswith('/mnt'))");
    return String(res.data);
  }

  it("mounts through a one-time run when no cluster is given, reads it back, and unmounts", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    assert.equal(id, "/mnt/aml-data");
    assert.equal(outs.source, "wasbs://azureml-blobstore@amlstore.blob.core.windows.net");
    assert.equal(await mounts(), "[('/mnt/aml-data', 'wasbs://azureml-blobstore@amlstore.blob.core.windows.net')]");
    assert.deepEqual(await lifecycle.read(id, outs), { id, props: outs });
    await lifecycle.remove(id, outs);
    assert.equal(await mounts(), "[]");
    assert.deepEqual(await lifecycle.read(id, outs), { id: "", props: {} });
  });

  it("refuses the same source already mounted unless adopt is set, and destroy then unmounts it", async () => {
    const first = await lifecycle.create(inputs({ clusterId }));
    await assert.rejects(lifecycle.create(inputs({ clusterId })), {
      name: "TakeoverRefused",
      message:
        `The mount /mnt/aml-data of wasbs://azureml-blobstore@amlstore.blob.core.windows.net in ${db.emulator.url} already exists. ` +
        "pulumi up does not take over an existing object unless told to: set adopt: true on this resource to manage it from now on " +
        "(up keeps it as it is, and destroy then unmounts it), or choose another mountName.",
    });
    const adopted = await lifecycle.create(inputs({ clusterId, adopt: true }));
    assert.deepEqual(adopted, { id: first.id, outs: { ...first.outs, adopt: true } });
    await lifecycle.remove(adopted.id, adopted.outs);
    assert.equal(await mounts(), "[]");
  });

  it("refuses a mount point that holds another source", async () => {
    const other = await lifecycle.create(inputs({ clusterId, containerName: "other" }));
    await assert.rejects(lifecycle.create(inputs({ clusterId })), {
      message:
        "Mount /mnt/aml-data: /mnt/aml-data already holds wasbs://other@amlstore.blob.core.windows.net, not wasbs://azureml-blobstore@amlstore.blob.core.windows.net. " +
        'Unmount it first (dbutils.fs.unmount("/mnt/aml-data")) or choose another mountName.',
    });
    await lifecycle.remove(other.id, other.outs);
  });

  it("falls back to a one-time run when its cluster no longer exists", async () => {
    const { id, outs } = await lifecycle.create(inputs({ clusterId }));
    const { cluster_id: doomed } = await db.api.clusters.create({ cluster_name: "d", spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 });
    await db.api.clusters.permanentDelete(doomed);
    const gone = { ...outs, clusterId: doomed };
    assert.deepEqual(await lifecycle.read(id, gone), { id, props: gone });
    await lifecycle.remove(id, gone);
    assert.equal(await mounts(), "[]");
  });

  it("checks names at preview, each failure naming its property", async () => {
    const { failures } = await lifecycle.check({}, { mountName: "bad name", storageAccountName: "Bad_Account", containerName: "x", accountKeyScope: "s" });
    assert.deepEqual(failures.map((f) => f.property), ["mountName", "storageAccountName", "containerName", "accountKeyName"]);
  });
});
