import * as assert from "node:assert/strict";
import * as lifecycle from "../../../src/databricks/blobMount/lifecycle";
import { useDatabricksEmulator } from "../../support/databricksEmulator";
import { WELL_KNOWN_ACCOUNT_KEY } from "../../../src/emulator";
import { until } from "../../support/emulator";

/** The DatabricksBlobMount provider's operations against the emulator, with and without a cluster. */
describe("DatabricksBlobMount provider operations against the emulator", function () {
  this.timeout(60_000);
  const db = useDatabricksEmulator("mount-lifecycle-token");
  let clusterId: string;

  before(async () => {
    const api = db.api;
    await api.secrets.createScope({ scope: "storage" });
    await api.secrets.putSecret({ scope: "storage", key: "account-key", string_value: WELL_KNOWN_ACCOUNT_KEY });
    await api.secrets.putSecret({ scope: "storage", key: "wrong-key", string_value: Buffer.from("not the key").toString("base64") });
    ({ cluster_id: clusterId } = await api.clusters.create({ cluster_name: "c", spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 }));
    await until("the cluster is RUNNING", async () => (await api.clusters.get(clusterId)).state === "RUNNING");
  });

  const inputs = (extra: Partial<lifecycle.BlobMountInputs> = {}): lifecycle.BlobMountInputs => ({
    host: db.emulator.url,
    mountName: "aml-data",
    storageAccountName: "devstoreaccount1",
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
    assert.equal(outs.source, "wasbs://azureml-blobstore@devstoreaccount1.blob.core.windows.net");
    assert.equal(await mounts(), "[('/mnt/aml-data', 'wasbs://azureml-blobstore@devstoreaccount1.blob.core.windows.net')]");
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
        `The mount /mnt/aml-data of wasbs://azureml-blobstore@devstoreaccount1.blob.core.windows.net in ${db.emulator.url} already exists. ` +
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
        "Mount /mnt/aml-data: /mnt/aml-data already holds wasbs://other@devstoreaccount1.blob.core.windows.net, not wasbs://azureml-blobstore@devstoreaccount1.blob.core.windows.net. " +
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

  it("fails when the account key is wrong, with the storage's refusal, and mounts nothing", async () => {
    const err = await lifecycle.create(inputs({ clusterId, accountKeyName: "wrong-key" })).then(() => assert.fail("create should fail"), (e: unknown) => e as Error);
    const refusal =
      "ExecutionError: An error occurred while calling o301.mount.\n: shaded.databricks.org.apache.hadoop.fs.azure.AzureException: hadoop_azure_shaded.com.microsoft.azure.storage.StorageException: " +
      "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";
    assert.equal(
      err.message,
      `Mount /mnt/aml-data: the command failed on cluster ${clusterId}: ${refusal} Traceback (most recent call last):\n` +
        '  File "<command-1>", line 11, in <module>\n    dbutils.fs.mount(source=source, mount_point=mount_point, extra_configs=configs)\n' +
        `dbutils_local.${refusal}`,
    );
    assert.equal(await mounts(), "[]");
  });

  it("checks names at preview, each failure naming its property", async () => {
    const { failures } = await lifecycle.check({}, { mountName: "bad name", storageAccountName: "Bad_Account", containerName: "x", accountKeyScope: "s" });
    assert.deepEqual(failures.map((f) => f.property), ["mountName", "storageAccountName", "containerName", "accountKeyName"]);
  });
});
