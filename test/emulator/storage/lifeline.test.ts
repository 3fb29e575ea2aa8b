import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { startEmulatorProcess } from "../../../scripts/localEmulator";
import { WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY } from "../../../src/emulator";
import { until } from "../../support/emulator";

const CLI = ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../../../src/emulator/cli.ts")];

/** The ids of running processes whose command line names `needle`. */
function processesNaming(needle: string): number[] {
  return fs.readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(needle) ? [Number(entry)] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
}

describe("Emulator: Azurite's lifeline", function () {
  this.timeout(120_000);

  it("ends with the emulator even when it is killed, having saved what it holds for the next one", async function () {
    if (process.platform !== "linux") this.skip();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-lifeline-"));
    const azuriteData = path.join(stateDir, "azurite");
    const container = (blobUrl: string) =>
      new BlobServiceClient(`${blobUrl}/${WELL_KNOWN_ACCOUNT}`, new StorageSharedKeyCredential(WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY)).getContainerClient("kept");
    try {
      const first = await startEmulatorProcess({ repoRoot: "", port: 0, stateDir, token: "lifeline-token-1", cli: CLI });
      const blobUrl = (first as unknown as { blobUrl: string }).blobUrl;
      assert.deepEqual(processesNaming(azuriteData), [], "Azurite starts on first use only");
      await container(blobUrl).create();
      await container(blobUrl).getBlockBlobClient("a.txt").upload("survives", 8);
      const [azurite] = processesNaming(azuriteData);
      assert.ok(azurite !== undefined, "Azurite runs once used");

      process.kill(first.pid, "SIGKILL");
      await until("Azurite ends after its emulator was killed", () => !fs.existsSync(`/proc/${azurite}`));

      const second = await startEmulatorProcess({ repoRoot: "", port: 0, stateDir, token: "lifeline-token-2", cli: CLI });
      try {
        const again = (second as unknown as { blobUrl: string }).blobUrl;
        assert.equal((await container(again).getBlobClient("a.txt").downloadToBuffer()).toString("utf8"), "survives");
      } finally {
        await second.stop();
      }
      assert.deepEqual(processesNaming(azuriteData), [], "a stopped emulator stops its Azurite");
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
