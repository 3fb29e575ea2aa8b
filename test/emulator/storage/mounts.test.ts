import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY } from "../../../src/emulator";
import { b64, executeCommand, runNotebook as runCells, startContext } from "../../support/databricksWire";
import { useEmulator, withEmulator, type TestEmulator } from "../../support/emulator";

const SOURCE = `wasbs://data@${WELL_KNOWN_ACCOUNT}.blob.core.windows.net/base`;
const KEY_CONFIG = `fs.azure.account.key.${WELL_KNOWN_ACCOUNT}.blob.core.windows.net`;
/** Python that mounts SOURCE at /mnt/x with `key` (a Python expression). */
const mountWith = (key: string) => `dbutils.fs.mount(source="${SOURCE}", mount_point="/mnt/x", extra_configs={"${KEY_CONFIG}": ${key}})`;
const MOUNT = mountWith(JSON.stringify(WELL_KNOWN_ACCOUNT_KEY));

/** The container `data` of the well-known account, through the emulator's blob endpoint. */
function container(emulator: TestEmulator["emulator"]) {
  const service = new BlobServiceClient(`${emulator.blobUrl}/${WELL_KNOWN_ACCOUNT}`, new StorageSharedKeyCredential(WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY), {
    retryOptions: { maxTries: 1 },
  });
  return service.getContainerClient("data");
}

/** Every blob of a container: name → content. */
async function blobs(c: ReturnType<typeof container>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const blob of c.listBlobsFlat()) out[blob.name] = (await c.getBlobClient(blob.name).downloadToBuffer()).toString("utf8");
  return out;
}

const runNotebook = (t: TestEmulator, ...cells: string[]) => runCells(t.call, ...cells);

describe("Emulator: blob mounts backed by Azurite", function () {
  this.timeout(120_000);
  const t = useEmulator();

  it("mounts a container with its key: what a notebook writes is in the container, and what a client uploads is read by the next notebook", async () => {
    const written = await runNotebook(
      t,
      MOUNT,
      'dbutils.fs.put("/mnt/x/out/a.txt", "from dbutils")\nwith open("/dbfs/mnt/x/out/b/c.csv", "w") as f:\n    f.write("x,y\\n1,2\\n")',
      'dbutils.notebook.exit(",".join(sorted(f.name for f in dbutils.fs.ls("dbfs:/mnt/x/out"))))',
    );
    assert.deepEqual(written, { result: "a.txt,b/", state: "SUCCESS" });
    const data = container(t.emulator);
    assert.deepEqual(await blobs(data), { "base/out/a.txt": "from dbutils", "base/out/b/c.csv": "x,y\n1,2\n" });

    await data.getBlockBlobClient("base/in/uploaded.txt").upload("from the client", 15);
    await data.getBlobClient("base/out/a.txt").delete();
    const read = await runNotebook(
      t,
      'import os\nseen = open("/dbfs/mnt/x/in/uploaded.txt").read()\ndbutils.fs.rm("/mnt/x/out/b", True)\ndbutils.fs.put("/mnt/x/out/d.txt", "new")',
      'dbutils.notebook.exit(f"{seen}|{os.path.exists(\'/dbfs/mnt/x/out/a.txt\')}")',
    );
    assert.deepEqual(read, { result: "from the client|False", state: "SUCCESS" });
    assert.deepEqual(await blobs(data), { "base/in/uploaded.txt": "from the client", "base/out/d.txt": "new" });
    // The DBFS API sees the container as it is, through the mount.
    await data.getBlockBlobClient("base/in/late.txt").upload("later", 5);
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=/mnt/x/in/late.txt")).body, { bytes_read: 5, data: b64("later") });
    assert.equal((await t.call("POST", "/api/2.0/dbfs/put", { path: "/mnt/x/in/api.txt", contents: b64("via api"), overwrite: true })).status, 200);
    assert.equal((await data.getBlobClient("base/in/api.txt").downloadToBuffer()).toString("utf8"), "via api");
  });

  it("fails the mount as the service does when the key is wrong or missing, or the account is unknown, and mounts nothing", async () => {
    const attempt = async (mount: string) => runNotebook(t, `try:\n    ${mount}\nexcept Exception as err:\n    dbutils.notebook.exit(f"{type(err).__name__}: {err}|{len(dbutils.fs.mounts())}")`);
    const defaults = 6;
    assert.deepEqual(await attempt(mountWith(JSON.stringify(Buffer.from("wrong key").toString("base64")))), {
      result:
        "ExecutionError: An error occurred while calling o301.mount.\n: shaded.databricks.org.apache.hadoop.fs.azure.AzureException: hadoop_azure_shaded.com.microsoft.azure.storage.StorageException: " +
        `Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.|${defaults}`,
      state: "SUCCESS",
    });
    assert.deepEqual(await attempt(`dbutils.fs.mount(source="${SOURCE}", mount_point="/mnt/x")`), {
      result:
        "ExecutionError: An error occurred while calling o301.mount.\n: shaded.databricks.org.apache.hadoop.fs.azure.AzureException: shaded.databricks.org.apache.hadoop.fs.azure.AzureException: " +
        `Unable to access container data in account ${WELL_KNOWN_ACCOUNT}.blob.core.windows.net using anonymous credentials, and no credentials found for them  in the configuration.|${defaults}`,
      state: "SUCCESS",
    });
    assert.deepEqual(await attempt('dbutils.fs.mount(source="wasbs://data@nosuchacct.blob.core.windows.net", mount_point="/mnt/x", extra_configs={"fs.azure.account.key.nosuchacct.blob.core.windows.net": "a2V5"})'), {
      result:
        "ExecutionError: An error occurred while calling o301.mount.\n: shaded.databricks.org.apache.hadoop.fs.azure.AzureException: java.net.UnknownHostException: nosuchacct.blob.core.windows.net " +
        `(the local emulator's blob storage serves the accounts ${WELL_KNOWN_ACCOUNT}; add others with AZURITE_ACCOUNTS)|${defaults}`,
      state: "SUCCESS",
    });
    // Nothing was created in the storage by the refused mounts.
    assert.equal(await container(t.emulator).exists(), false);
  });

  it("keeps an execution context's mount consistent before and after each command, and writes back before an unmount", async () => {
    const context = await startContext(t.call);
    const run = (command: string) => executeCommand(t.call, context, command);
    assert.deepEqual(await run(`${MOUNT}\n_ = dbutils.fs.put("/mnt/x/ctx.txt", "one")`), { resultType: "text", data: "Wrote 3 bytes." });
    const data = container(t.emulator);
    assert.deepEqual(await blobs(data), { "base/ctx.txt": "one" });
    await data.getBlockBlobClient("base/ctx.txt").upload("two", 3);
    assert.deepEqual(await run('open("/dbfs/mnt/x/ctx.txt").read()'), { resultType: "text", data: "'two'" });
    assert.deepEqual(await run('_ = dbutils.fs.put("/mnt/x/last.txt", "three")\n_ = dbutils.fs.unmount("/mnt/x")'), { resultType: "text", data: "Wrote 5 bytes.\n/mnt/x has been unmounted." });
    assert.deepEqual(await blobs(data), { "base/ctx.txt": "two", "base/last.txt": "three" });
  });

  it("reports the blob endpoint on the control plane, and a reset empties the storage", async () => {
    assert.match(t.emulator.blobUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual((await t.control("GET", "/_emulator/storage")).body, { blobUrl: t.emulator.blobUrl, accounts: [WELL_KNOWN_ACCOUNT], running: false });
    const data = container(t.emulator);
    await data.create();
    assert.equal((await t.control("GET", "/_emulator/storage")).body.running, true);
    assert.equal((await t.control("POST", "/_emulator/reset")).status, 204);
    assert.equal(await data.exists(), false);
  });
});

describe("Emulator: blob storage across restarts and accounts", function () {
  this.timeout(120_000);

  it("keeps Azurite's data in the state folder across a restart", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-azurite-"));
    try {
      await withEmulator({ stateDir }, async ({ emulator }) => {
        await container(emulator).create();
        await container(emulator).getBlockBlobClient("kept.txt").upload("kept", 4);
      });
      assert.ok(fs.existsSync(path.join(stateDir, "azurite")));
      await withEmulator({ stateDir }, async ({ emulator }) => {
        assert.deepEqual(await blobs(container(emulator)), { "kept.txt": "kept" });
      });
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("serves the accounts it is given besides the well-known one, and refuses a malformed one", async () => {
    const key = Buffer.from("a key of my own").toString("base64");
    await withEmulator({ blobStorage: { accounts: { mystore: key } } }, async (t) => {
      assert.deepEqual((await t.control("GET", "/_emulator/storage")).body.accounts, [WELL_KNOWN_ACCOUNT, "mystore"]);
      const result = await runNotebook(
        t,
        `dbutils.fs.mount(source="wasbs://c1x@mystore.blob.core.windows.net", mount_point="/mnt/m", extra_configs={"fs.azure.account.key.mystore.blob.core.windows.net": "${key}"})\ndbutils.fs.put("/mnt/m/f.txt", "mine")`,
      );
      assert.deepEqual(result, { result: "", state: "SUCCESS" });
      const mine = new BlobServiceClient(`${t.emulator.blobUrl}/mystore`, new StorageSharedKeyCredential("mystore", key)).getContainerClient("c1x");
      assert.equal((await mine.getBlobClient("f.txt").downloadToBuffer()).toString("utf8"), "mine");
    });
    await assert.rejects(withEmulator({ blobStorage: { accounts: { "Bad-Name": key } } }, async () => undefined), {
      message: 'Storage account name "Bad-Name" is not valid: use 3 to 24 lowercase letters and digits.',
    });
  });
});
