import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { until } from "../../support/emulator";
import { useAzureMlEmulator } from "./fixture";
import { childJobs, registerComponent, submitJob, untilStatus } from "./executionFixture";

describe("Azure ML emulator: a failing step ends its pipeline", function () {
  this.timeout(60_000);
  const t = useAzureMlEmulator();

  it("the pipeline's error names the failing step; a step running beside it is killed and ends Canceled", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-fail-"));
    try {
      const pidFile = path.join(dir, "slow.pid");
      // The slow step runs until killed (at most 30 s); the other fails once the slow one runs.
      const slow = await registerComponent(t, "slow", { command: `echo $$ > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile}; sleep 30` });
      const boom = await registerComponent(t, "boom", { command: `for i in $(seq 300); do [ -e ${pidFile} ] && break; sleep 0.1; done; echo 'no luck'; exit 5` });
      await submitJob(t, "sibling", { jobType: "Pipeline", jobs: { slow: { type: "command", componentId: slow }, boom: { type: "command", componentId: boom } } });
      const parent = await untilStatus(t, "sibling", "Failed");
      assert.equal(parent.properties["azureml.error"], "step boom failed with exit code 5; the end of its log:\nno luck");
      const children = await childJobs(t, "sibling");
      assert.deepEqual([children.boom.properties.status, children.slow.properties.status], ["Failed", "Canceled"]);
      const pid = Number(fs.readFileSync(pidFile, "utf8"));
      await until(`the slow step's process ${pid} is gone`, () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
