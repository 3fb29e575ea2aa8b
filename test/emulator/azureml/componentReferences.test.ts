import * as assert from "node:assert/strict";
import { expectError } from "../../support/emulator";
import { useAzureMlEmulator, V, WS } from "./fixture";
import { childJobs, registerComponent, submitJob, untilStatus } from "./executionFixture";

describe("Azure ML emulator: component references by name in a submitted job", function () {
  this.timeout(60_000);
  const t = useAzureMlEmulator();

  it("resolves azureml:name:version and azureml:name@latest to the versions' ARM ids at submission", async () => {
    await registerComponent(t, "hello", { command: "echo one" });
    const two = await t.call("PUT", `${WS}/components/hello/versions/2?${V}`, { properties: { componentSpec: { name: "hello", version: "2", type: "command", command: "echo two" } } });
    assert.equal(two.status, 201);
    await submitJob(t, "by_name", {
      jobType: "Pipeline",
      jobs: { pinned: { type: "command", componentId: "azureml:hello:1" }, latest: { type: "command", componentId: "azureml:hello@latest" } },
    });
    const job = (await t.call("GET", `${WS}/jobs/by_name?${V}`)).body.properties;
    assert.deepEqual([job.jobs.pinned.componentId, job.jobs.latest.componentId], [`${WS}/components/hello/versions/1`, `${WS}/components/hello/versions/2`]);
    await untilStatus(t, "by_name", "Completed");
    const children = await childJobs(t, "by_name");
    assert.deepEqual([children.pinned.properties.command, children.latest.properties.command], ["echo one", "echo two"]);
  });

  it("refuses a job naming a component that does not exist, at submission, in the service's words", async () => {
    await registerComponent(t, "hello", { command: "echo one" });
    const pipeline = (componentId: string) => ({ properties: { jobType: "Pipeline", jobs: { s: { type: "command", componentId } } } });
    await expectError(t.call("PUT", `${WS}/jobs/unknown_version?${V}`, pipeline("azureml:hello:9")), 400, {
      error: { code: "UserError", message: "Invalid request: properties.jobs.s.componentId names 'azureml:hello:9', which does not exist in the workspace." },
    });
    await expectError(t.call("PUT", `${WS}/jobs/unknown_name?${V}`, pipeline("azureml:nope@latest")), 400, {
      error: { code: "UserError", message: "Invalid request: properties.jobs.s.componentId names 'azureml:nope@latest', which does not exist in the workspace." },
    });
    await expectError(t.call("PUT", `${WS}/jobs/unknown_id?${V}`, pipeline(`${WS}/components/nope/versions/1`)), 400, {
      error: { code: "UserError", message: `Invalid request: properties.jobs.s.componentId names '${WS}/components/nope/versions/1', which does not exist in the workspace.` },
    });
    await expectError(t.call("PUT", `${WS}/jobs/other_label?${V}`, pipeline("azureml:hello@default")), 400, {
      error: { code: "UserError", message: "Invalid request: properties.jobs.s.componentId names 'azureml:hello@default'; the only label is 'latest'." },
    });
    assert.deepEqual((await t.call("GET", `${WS}/jobs?${V}`)).body, { value: [] }, "no job was made");
  });
});
