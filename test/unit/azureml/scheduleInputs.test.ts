import * as assert from "node:assert/strict";
import * as path from "node:path";
import { checkSchedule, diffSchedule, ScheduleInputs } from "../../../src/azureml/schedule/inputs";
import { toBody } from "../../../src/azureml/schedule/lifecycle";
import { scheduleFromYaml } from "../../../src/azureml/schedule/yaml";

const FIXTURES = path.join(__dirname, "../../fixtures/azureml/examples");
const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg", workspaceName: "ws1" };
const WS_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws1";

describe("AmlSchedule inputs", () => {
  it("maps a cron schedule YAML and its pipeline job YAML to the REST body azure-ai-ml sends", () => {
    const { inputs, failures } = checkSchedule({ ...ws, ...scheduleFromYaml(path.join(FIXTURES, "cron-schedule.yml")) }, "azure", {});
    assert.deepEqual(failures, []);
    const lit = (value: string) => ({ job_input_type: "literal", value });
    assert.deepEqual(toBody(inputs as never), {
      properties: {
        displayName: "Nightly pipeline",
        description: "runs the databricks pipeline every night",
        isEnabled: true,
        properties: {},
        tags: {},
        trigger: { triggerType: "Cron", expression: "0 2 * * *", startTime: "2027-01-01T02:00:00", timeZone: "UTC" },
        action: {
          actionType: "CreateJob",
          jobDefinition: {
            jobType: "Pipeline",
            displayName: "nightly databricks pipeline",
            experimentName: "nightly",
            properties: {},
            tags: {},
            isArchived: false,
            inputs: { workers: { jobInputType: "literal", value: "2" } },
            outputs: { final: { jobOutputType: "uri_folder", mode: "ReadWriteMount" } },
            settings: { default_compute: `${WS_ID}/computes/cpu-cluster`, default_datastore: `${WS_ID}/datastores/workspaceblobstore`, _source: "YAML.JOB" },
            jobs: {
              adb: {
                name: "adb",
                type: "command",
                componentId: `${WS_ID}/components/execute_databricks_notebook/versions/1`,
                _source: "REMOTE.WORKSPACE.COMPONENT",
                inputs: {
                  databricks_host: lit("https://adb-1.2.azuredatabricks.net"),
                  notebook_path: lit("/Shared/prepare"),
                  kv_url: lit("https://kv.vault.azure.net"),
                  kv_secret_name: lit("ADBPAT"),
                  num_workers: lit("${{parent.inputs.workers}}"),
                  node_type_id: lit("Standard_D3_v2"),
                  spark_version: lit("15.4.x-scala2.12"),
                },
                outputs: { output_path: { type: "literal", value: "${{parent.outputs.final}}" } },
              },
            },
          },
        },
      },
    });
  });

  it("maps a recurrence trigger: frequency, interval, hours, minutes and week days as the service names them", () => {
    const { inputs, failures } = checkSchedule({ ...ws, ...scheduleFromYaml(path.join(FIXTURES, "recurrence-schedule.yml")) }, "azure", {});
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs.restTrigger, {
      triggerType: "Recurrence",
      frequency: "Day",
      interval: 1,
      schedule: { hours: [6, 18], minutes: [15], weekDays: ["Monday", "Friday"] },
      startTime: "2027-01-01T06:00:00",
      timeZone: "Pacific Standard Time",
    });
  });

  it("names every invalid trigger property", () => {
    const job = { jobType: "Pipeline", jobs: {} };
    assert.deepEqual(checkSchedule({ ...ws, name: "s", pipelineJob: job, trigger: { type: "cron", expression: "* *", startTime: "2027-01-01T00:00:00Z" } }, "azure", {}).failures, [
      { property: "trigger.expression", reason: 'trigger.expression must be a cron expression of five fields (minute hour day month weekday), e.g. "0 2 * * *"; got "* *".' },
      { property: "trigger.startTime", reason: 'trigger.startTime must be an ISO 8601 local time without offset (the time zone is timeZone), e.g. "2027-01-01T02:00:00"; got "2027-01-01T00:00:00Z".' },
    ]);
    assert.deepEqual(checkSchedule({ ...ws, name: "s", pipelineJob: job, trigger: { type: "recurrence", frequency: "fortnight", schedule: { weekDays: ["funday"] } } }, "azure", {}).failures, [
      { property: "trigger.frequency", reason: 'trigger.frequency must be one of minute, hour, day, week, month; got "fortnight".' },
      { property: "trigger.interval", reason: "trigger.interval is required for a recurrence: every how many frequency units, e.g. 1." },
      { property: "trigger.schedule.weekDays", reason: "trigger.schedule.weekDays must be a list of monday, tuesday, wednesday, thursday, friday, saturday, sunday." },
    ]);
  });

  it("names missing and invalid inputs, each with what to give", () => {
    assert.deepEqual(checkSchedule({ ...ws }, "azure", {}).failures, [
      { property: "name", reason: "name is required: the schedule's name (or name: in the schedule file)." },
      { property: "trigger", reason: 'trigger is required: { type: "cron", expression: "0 2 * * *" } or { type: "recurrence", frequency: "day", interval: 1 } (or trigger: in the schedule file).' },
      { property: "pipelineJob", reason: "pipelineJob is required: the REST pipeline job each firing submits (or create_job: in the schedule file)." },
    ]);
    const bad = { ...ws, name: "Bad name!", enabled: "yes", pipelineJob: { jobType: "Command" }, trigger: { type: "cron", expression: "0 2 * * *", timeZone: 5, startTime: "2027-01-02T00:00:00", endTime: "2027-01-01T00:00:00" } };
    assert.deepEqual(checkSchedule(bad, "azure", {}).failures, [
      { property: "name", reason: `name "Bad name!" is not valid: letters, digits, '_' and '-', starting with a letter or digit.` },
      { property: "enabled", reason: 'enabled must be true or false, not "yes".' },
      { property: "trigger.timeZone", reason: 'trigger.timeZone must be a Windows time zone name such as "UTC" or "Pacific Standard Time"; got 5.' },
      { property: "trigger.endTime", reason: "trigger.endTime (2027-01-01T00:00:00) must be later than trigger.startTime (2027-01-02T00:00:00)." },
      { property: "pipelineJob", reason: 'pipelineJob must be the REST PipelineJob properties: { jobType: "Pipeline", jobs: { ... }, settings?, inputs?, outputs? }.' },
    ]);
  });

  it("disabling is an update; another name a replacement", () => {
    const olds = checkSchedule({ ...ws, ...scheduleFromYaml(path.join(FIXTURES, "cron-schedule.yml")) }, "azure", {}).inputs;
    assert.deepEqual(diffSchedule(olds, { ...olds, enabled: false }), { changes: true, replaces: [], deleteBeforeReplace: false, changedKeys: ["enabled"] });
    assert.deepEqual(diffSchedule(olds, { ...olds, name: "other" }), { changes: true, replaces: ["name"], deleteBeforeReplace: false, changedKeys: ["name"] });
    assert.equal(toBody({ ...(olds as unknown as ScheduleInputs), enabled: false }).properties?.isEnabled, false);
  });
});
