import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recover } from "../../../src/recovery/cli";

describe("recover outside a project", () => {
  it("fails naming the folder and what to do, before running pulumi", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-recover-"));
    try {
      await assert.rejects(recover({ stack: "dev", cwd: dir, log: () => undefined }), {
        message: `no Pulumi.yaml in ${dir}: run recover in the project directory of the interrupted pulumi up`,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("recover in a file backend, before running pulumi", () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-recover-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
    saved = process.env.PULUMI_BACKEND_URL;
    process.env.PULUMI_BACKEND_URL = `file://${dir}/state`;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PULUMI_BACKEND_URL;
    else process.env.PULUMI_BACKEND_URL = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stops at a lock it cannot read, leaving the cut-short sidecar and the lock as they are", async () => {
    const lockDir = path.join(dir, "state", ".pulumi", "locks", "organization", "proj", "dev");
    fs.mkdirSync(lockDir, { recursive: true });
    const lock = path.join(lockDir, "x.json");
    fs.writeFileSync(lock, "{");
    const sidecar = path.join(dir, "state", ".pulumi", "stacks", "proj", "dev.json.attrs");
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    fs.writeFileSync(sidecar, "");
    const lines: string[] = [];
    assert.equal(await recover({ stack: "dev", cwd: dir, log: (l) => lines.push(l) }), 1);
    assert.deepEqual(lines, [`recover: stack dev has a lock file pulumi did not write as expected (${lock}): once no pulumi command runs on the stack, run pulumi cancel, then run recover again`]);
    assert.equal(fs.readFileSync(sidecar, "utf8"), "");
    assert.equal(fs.readFileSync(lock, "utf8"), "{");
  });

  it("refuses a stack name that would lead out of the backend's folders, and --destroy with --up", async () => {
    await assert.rejects(recover({ stack: "..", cwd: dir, log: () => undefined }), { message: '".." is not a stack name (letters, digits, "-", "_" and "." only): pass the stack\'s name with --stack' });
    await assert.rejects(recover({ stack: "dev", cwd: dir, destroy: true, up: true, log: () => undefined }), {
      message: "--destroy and --up name different interrupted commands: give the one that was interrupted",
    });
  });
});
