import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startStepProcess } from "../../../src/emulator/azureml/execution/stepProcess";
import { until } from "../../support/emulator";

/** True while process `pid` exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("Azure ML executor: a step's process is stopped as a container is (SIGTERM, then SIGKILL after a grace)", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-step-process-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Starts `command` in `dir`, logging to `dir/log`; resolves once it has written `dir/ready`. */
  async function started(command: string) {
    const proc = startStepProcess(command, dir, { PATH: process.env.PATH ?? "" }, path.join(dir, "log"));
    await until("the step process is ready", () => fs.existsSync(path.join(dir, "ready")));
    return proc;
  }

  it("gives the grace to a step that cleans up on SIGTERM: its handler runs and its exit code is kept", async () => {
    const proc = await started("trap 'echo cleaning up; exit 7' TERM; tail -f /dev/null & touch ready; wait");
    proc.kill();
    assert.equal(await proc.exited, 7);
    assert.equal(fs.readFileSync(path.join(dir, "log"), "utf8"), "cleaning up\n");
  });

  it("kills the whole group with SIGKILL when the step ignores SIGTERM past the grace", async () => {
    const proc = await started("trap '' TERM; tail -f /dev/null & echo $! > child; touch ready; wait");
    const child = Number(fs.readFileSync(path.join(dir, "child"), "utf8"));
    assert.equal(alive(child), true);
    proc.kill(200);
    assert.equal(await proc.exited, -1);
    await until(`the step's child ${child} is gone`, () => !alive(child));
  });
});
