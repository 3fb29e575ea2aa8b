import * as assert from "node:assert/strict";
import * as mount from "../../../src/databricks/blobMount/lifecycle";

describe("DatabricksBlobMount diff", () => {
  const host = "https://adb-1.2.azuredatabricks.net";
  const lines: string[] = [];
  const realLog = console.log;
  before(() => (console.log = (l: string) => lines.push(l)));
  after(() => (console.log = realLog));
  beforeEach(() => (lines.length = 0));
  const olds = { host, mountName: "m", storageAccountName: "acct", containerName: "c1", accountKeyScope: "s", accountKeyName: "k", mountPoint: "/mnt/m", source: "wasbs://c1@acct.blob.core.windows.net" };

  it("remounts, unmounting first, when the source changes", async () => {
    assert.deepEqual(await mount.diff("/mnt/m", olds, { ...olds, containerName: "c2" }), { changes: true, replaces: ["containerName"], deleteBeforeReplace: true });
  });

  it("only records a new cluster to mount from", async () => {
    assert.deepEqual(await mount.diff("/mnt/m", olds, { ...olds, clusterId: "0101-x" }), { changes: true, replaces: [], deleteBeforeReplace: true });
  });

  it("reports no change for the same inputs", async () => {
    assert.deepEqual(await mount.diff("/mnt/m", olds, { ...olds }), { changes: false, replaces: [], deleteBeforeReplace: true });
  });
});
