import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { b64, finishedRun, importNotebook, notebook, runWhen, seedWorkspace, submitRun } from "../../support/databricksWire";
import { expectError, rawRequest, useEmulator, withEmulator, type Reply } from "../../support/emulator";

/** JSON text of `depth` arrays inside each other. */
const nestedArrays = (depth: number): string => `${"[".repeat(depth)}0${"]".repeat(depth)}`;
const TOO_DEEP = { error_code: "MALFORMED_REQUEST", message: "The request body nests arrays and objects more than 64 levels deep." };
const invalid = (message: string) => ({ error_code: "INVALID_PARAMETER_VALUE", message });
const notebookTask = { notebook_path: "/Shared/emu/ok", base_parameters: { rows: "1" } };
const sparkVersion = "15.4.x-scala2.12";

describe("Databricks emulator: request limits and field types", function () {
  this.timeout(30_000);
  const t = useEmulator();
  /** Posts a JSON text as it is. */
  const postText = (path: string, text: string): Promise<Reply> =>
    rawRequest(t.emulator.url, { method: "POST", path, headers: { authorization: `Bearer ${t.emulator.token}`, "content-type": "application/json" }, body: text });

  describe("bodies that could not be stored and read back", () => {
    it("refuses a body nested 4,100 levels deep in jobs/create, clusters/create and runs/submit, and keeps answering", async () => {
      const deep = nestedArrays(4_100);
      for (const [path, text] of [
        ["/api/2.1/jobs/create", `{"name":"deep","tasks":[{"task_key":"t","notebook_task":{"notebook_path":"/x"}}],"x":${deep}}`],
        ["/api/2.1/clusters/create", `{"spark_version":"${sparkVersion}","x":${deep}}`],
        ["/api/2.1/jobs/runs/submit", `{"tasks":[{"task_key":"t","notebook_task":{"notebook_path":"/x"},"x":${deep}}]}`],
      ]) {
        await expectError(postText(path, text), 400, TOO_DEEP);
      }
      assert.deepEqual((await t.call("GET", "/api/2.1/jobs/list")).body, { has_more: false });
      assert.deepEqual((await t.call("GET", "/api/2.1/clusters/list")).body, {});
      assert.deepEqual((await t.control("GET", "/_emulator/databricks/runs")).body, { runs: [] });
    });

    it("stores a body 64 levels deep and answers it back; 65 is refused", async () => {
      const created = await postText("/api/2.1/jobs/create", `{"name":"edge","x":${nestedArrays(63)}}`);
      assert.equal(created.status, 200, created.text);
      const job = await t.call("GET", `/api/2.1/jobs/get?job_id=${created.body.job_id}`);
      assert.equal(JSON.stringify(job.body.settings.x), nestedArrays(63));
      await expectError(postText("/api/2.1/jobs/create", `{"name":"edge","x":${nestedArrays(64)}}`), 400, TOO_DEEP);
    });

    it("refuses deep bodies in Key Vault's and the control plane's own formats", async () => {
      const kv = await rawRequest(t.emulator.url, {
        method: "PUT",
        path: "/secrets/deep?api-version=7.5",
        headers: { authorization: `Bearer ${t.emulator.token}`, "content-type": "application/json" },
        body: `{"value":"v","tags":{"t":${nestedArrays(100)}}}`,
      });
      assert.deepEqual([kv.status, kv.body], [400, { error: { code: "BadParameter", message: TOO_DEEP.message } }]);
      const control = await postText("/_emulator/faults", nestedArrays(100));
      assert.deepEqual([control.status, control.body], [400, { error: { code: "BadRequest", message: TOO_DEEP.message } }]);
    });

    it("refuses a job, run or cluster body over the Jobs API's 10 MB", async () => {
      const big = JSON.stringify({ name: "big", description: "d".repeat(10 * 1024 * 1024) });
      await expectError(postText("/api/2.1/jobs/create", big), 400, { error_code: "MALFORMED_REQUEST", message: "The request body is larger than 10485760 bytes." });
      await expectError(postText("/api/2.0/clusters/create", big), 400, { error_code: "MALFORMED_REQUEST", message: "The request body is larger than 10485760 bytes." });
      assert.deepEqual((await t.call("GET", "/api/2.1/jobs/list")).body, { has_more: false });
    });
  });

  describe("cluster sizes", () => {
    it("refuses more workers than a cluster can have, in clusters/create, edit, resize and a task's new_cluster", async () => {
      const tooMany = "expected an integer from 0 to 100000, got 20000000";
      await expectError(t.call("POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, num_workers: 20_000_000 }), 400, invalid(`Invalid value for field num_workers: ${tooMany}`));
      await expectError(t.call("POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, autoscale: { min_workers: 1, max_workers: "20000000" } }), 400, invalid("Invalid value for field autoscale.max_workers: expected an integer from 1 to 100000, got \"20000000\""));
      await expectError(t.call("POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, autoscale: { min_workers: 5, max_workers: 2 } }), 400, invalid("Invalid value for field autoscale: min_workers (5) must not be greater than max_workers (2)"));
      await expectError(t.call("POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, autoscale: { min_workers: 5 } }), 400, invalid("Missing required field: autoscale.max_workers"));
      await expectError(
        t.call("POST", "/api/2.1/jobs/runs/submit", { tasks: [{ task_key: "t", notebook_task: notebookTask, new_cluster: { spark_version: sparkVersion, num_workers: 20_000_000 } }] }),
        400,
        invalid(`Invalid value for field tasks[0].new_cluster.num_workers: ${tooMany}`),
      );
      assert.deepEqual((await t.call("GET", "/api/2.1/clusters/list")).body, {});
      const id: string = (await t.call("POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, num_workers: 1 })).body.cluster_id;
      await expectError(t.call("POST", "/api/2.1/clusters/edit", { cluster_id: id, spark_version: sparkVersion, num_workers: 20_000_000 }), 400, invalid(`Invalid value for field num_workers: ${tooMany}`));
      await expectError(t.call("POST", "/api/2.1/clusters/resize", { cluster_id: id, num_workers: 20_000_000 }), 400, invalid(`Invalid value for field num_workers: ${tooMany}`));
      assert.equal((await t.call("GET", `/api/2.1/clusters/get?cluster_id=${id}`)).body.num_workers, 1);
    });

    it("lists at most 100 executors of a running cluster, whatever its size", async () => {
      const id: string = (await t.call("POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, num_workers: 100_000 })).body.cluster_id;
      const cluster = (await t.call("GET", `/api/2.1/clusters/get?cluster_id=${id}`)).body;
      assert.deepEqual([cluster.state, cluster.num_workers, cluster.executors.length, cluster.executors[99].node_id], ["RUNNING", 100_000, 100, `${id.slice(-8)}0100`]);
      assert.equal((await t.call("GET", "/api/2.1/clusters/list")).body.clusters[0].executors.length, 100);
    });
  });

  describe("field types", () => {
    it("refuses a non-string existing_cluster_id instead of running the task without a cluster", async () => {
      await expectError(
        t.call("POST", "/api/2.1/jobs/runs/submit", { tasks: [{ task_key: "t", existing_cluster_id: 123, notebook_task: notebookTask }] }),
        400,
        invalid("Invalid value for field tasks[0].existing_cluster_id: expected a string, got 123"),
      );
      // The legacy single-task form names the field where the body has it.
      await expectError(
        t.call("POST", "/api/2.0/jobs/runs/submit", { run_name: "legacy", existing_cluster_id: { id: "c" }, notebook_task: notebookTask }),
        400,
        invalid('Invalid value for field existing_cluster_id: expected a string, got {"id":"c"}'),
      );
      assert.deepEqual((await t.control("GET", "/_emulator/databricks/runs")).body, { runs: [] });
    });

    it("types every field of job settings, tasks and clusters, naming the field, and cuts long values short", async () => {
      const task = { task_key: "t", notebook_task: notebookTask };
      const cases: [string, string, unknown, string][] = [
        ["POST", "/api/2.1/jobs/create", { tasks: [{ ...task, libraries: [{ pypi: { package: 5 } }] }] }, "tasks[0].libraries[0].pypi.package: expected a string, got 5"],
        ["POST", "/api/2.1/jobs/create", { tasks: [{ ...task, notebook_task: { notebook_path: ["/x"] } }] }, 'tasks[0].notebook_task.notebook_path: expected a string, got ["/x"]'],
        ["POST", "/api/2.1/jobs/create", { tasks: [{ ...task, retry_on_timeout: "sometimes" }] }, 'tasks[0].retry_on_timeout: expected a boolean, got "sometimes"'],
        ["POST", "/api/2.1/jobs/create", { tasks: [task], job_clusters: [{ job_cluster_key: "k", new_cluster: { spark_version: 15 } }] }, "job_clusters[0].new_cluster.spark_version: expected a string, got 15"],
        ["POST", "/api/2.1/jobs/create", { tasks: [task], schedule: "daily" }, 'schedule: expected an object, got "daily"'],
        ["POST", "/api/2.1/jobs/create", { tasks: [task], timeout_seconds: -1 }, "timeout_seconds: expected an integer from 0 to 2147483647, got -1"],
        ["POST", "/api/2.1/jobs/create", { tasks: [task], max_concurrent_runs: 1001 }, "max_concurrent_runs: expected an integer from 0 to 1000, got 1001"],
        ["POST", "/api/2.1/jobs/create", { tasks: [task], name: "x".repeat(100).split("") }, `name: expected a string, got ${JSON.stringify("x".repeat(100).split("")).slice(0, 77)}...`],
        ["POST", "/api/2.1/jobs/reset", { job_id: 1, new_settings: { tasks: [{ ...task, depends_on: "a" }] } }, 'tasks[0].depends_on: expected an array, got "a"'],
        ["POST", "/api/2.1/jobs/update", { job_id: 1, new_settings: { tasks: "x" } }, 'new_settings.tasks: expected an array, got "x"'],
        ["POST", "/api/2.1/jobs/runs/submit", { run_name: 7, tasks: [task] }, "run_name: expected a string, got 7"],
        ["POST", "/api/2.1/jobs/runs/submit", { tasks: [{ ...task, timeout_seconds: "soon" }] }, 'tasks[0].timeout_seconds: expected an integer, got "soon"'],
        ["POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, spark_conf: { "spark.x": {} } }, "spark_conf.spark.x: expected a string, got {}"],
        ["POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, custom_tags: [] }, "custom_tags: expected an object, got []"],
        ["POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, autotermination_minutes: 20_000 }, "autotermination_minutes: expected an integer from 0 to 10000, got 20000"],
        ["POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, azure_attributes: { spot_bid_max_price: "cheap" } }, 'azure_attributes.spot_bid_max_price: expected a number, got "cheap"'],
      ];
      const replies = [];
      for (const [method, path, body] of cases) replies.push(await t.call(method, path, body));
      assert.deepEqual(
        replies.map((r) => [r.status, r.body]),
        cases.map(([, , , message]) => [400, invalid(`Invalid value for field ${message}`)]),
      );
      assert.deepEqual((await t.call("GET", "/api/2.1/jobs/list")).body, { has_more: false });
    });

    it("still takes numbers and booleans as strings, and scalars where the service keeps strings", async () => {
      const created = await t.call("POST", "/api/2.1/clusters/create", { spark_version: sparkVersion, num_workers: "2", spark_conf: { "spark.a": 1, "spark.b": true }, enable_elastic_disk: "false" });
      const cluster = (await t.call("GET", `/api/2.1/clusters/get?cluster_id=${created.body.cluster_id}`)).body;
      assert.deepEqual([cluster.num_workers, cluster.spark_conf, cluster.enable_elastic_disk], [2, { "spark.a": "1", "spark.b": "true" }, false]);
    });
  });

  describe("retries", () => {
    beforeEach(() => seedWorkspace(t.call));

    it("refuses max_retries below -1", async () => {
      await expectError(
        t.call("POST", "/api/2.1/jobs/runs/submit", { tasks: [{ task_key: "t", notebook_task: notebookTask, max_retries: -2 }] }),
        400,
        invalid("Invalid value for field tasks[0].max_retries: expected an integer from -1 to 2147483647, got -2"),
      );
      await expectError(
        t.call("POST", "/api/2.1/jobs/create", { name: "j", tasks: [{ task_key: "t", notebook_task: notebookTask, max_retries: "-3" }] }),
        400,
        invalid('Invalid value for field tasks[0].max_retries: expected an integer from -1 to 2147483647, got "-3"'),
      );
    });

    /** A task that fails at once, without starting Python. */
    const failing = { task_key: "main", spark_jar_task: { main_class_name: "com.example.Main" }, new_cluster: { spark_version: sparkVersion, num_workers: 0 } };

    it("keeps answering while a task that fails at once is retried without an interval", async () => {
      const runId = await submitRun(t.call, { run_name: "often", tasks: [{ ...failing, max_retries: 1_000_000 }] });
      assert.equal((await t.call("POST", "/api/2.1/jobs/runs/cancel", { run_id: runId })).status, 200);
      const run = await finishedRun(t.call, runId);
      assert.equal(run.state.result_state, "CANCELED");
      assert.ok(run.tasks[0].attempt_number < 1_000_000, `cancelled after ${run.tasks[0].attempt_number} attempts`);
    });

    it("waits at least 10 s between attempts of a task that retries without end", async () => {
      const runId = await submitRun(t.call, { run_name: "forever", tasks: [{ ...failing, max_retries: -1, min_retry_interval_millis: 0 }] });
      const attempt = (n: number) => (run: any) => run.tasks[0].attempt_number === n && run.tasks[0].state.life_cycle_state === "WAITING_FOR_RETRY" && t.clock.pending === 1;
      await runWhen(t.call, runId, "waits for its first retry", attempt(1));
      await t.clock.advance(9_999);
      assert.deepEqual([(await runWhen(t.call, runId, "still waits", attempt(1))).tasks[0].attempt_number, t.clock.pending], [1, 1]);
      await t.clock.advance(1);
      await runWhen(t.call, runId, "waits for its second retry", attempt(2));
      assert.equal((await t.call("POST", "/api/2.1/jobs/runs/cancel", { run_id: runId })).status, 200);
      assert.equal((await finishedRun(t.call, runId)).state.result_state, "CANCELED");
    });
  });

  describe("paths", () => {
    it("refuses a path segment over 255 bytes with 400, in the workspace and DBFS", async () => {
      const long = "a".repeat(256);
      const tooLong = invalid(`Invalid path: the name ${"a".repeat(32)}... is longer than 255 bytes.`);
      await expectError(t.call("POST", "/api/2.0/workspace/mkdirs", { path: `/Shared/${long}` }), 400, tooLong);
      await expectError(t.call("POST", "/api/2.0/workspace/import", { path: `/Shared/${long}`, format: "SOURCE", language: "PYTHON", content: b64("1") }), 400, tooLong);
      await expectError(t.call("GET", `/api/2.0/workspace/get-status?path=/Shared/${long}`), 400, tooLong);
      await expectError(t.call("POST", "/api/2.0/dbfs/put", { path: `/data/${long}/x.txt`, contents: b64("x") }), 400, tooLong);
      await expectError(t.call("POST", "/api/2.0/dbfs/mkdirs", { path: `/data/${long}` }), 400, tooLong);
      await expectError(t.call("GET", `/api/2.0/dbfs/get-status?path=/data/${long}`), 400, tooLong);
      // Bytes, not characters: 128 two-byte characters are 256 bytes; 127 fit.
      await expectError(t.call("POST", "/api/2.0/dbfs/mkdirs", { path: `/${"é".repeat(128)}` }), 400, invalid(`Invalid path: the name ${"é".repeat(32)}... is longer than 255 bytes.`));
      assert.equal((await t.call("POST", "/api/2.0/dbfs/mkdirs", { path: `/${"é".repeat(127)}` })).status, 200);
      assert.equal((await t.call("POST", "/api/2.0/workspace/mkdirs", { path: `/Shared/${"a".repeat(255)}` })).status, 200);
    });

    it("refuses a path whose local file would be longer than the operating system takes", async () => {
      const deep = `/${Array.from({ length: 20 }, () => "d".repeat(250)).join("/")}`;
      const message = invalid(`Invalid path: ${deep.slice(0, 64)}... is too long (its local file would exceed 4095 bytes).`);
      await expectError(t.call("POST", "/api/2.0/dbfs/mkdirs", { path: deep }), 400, message);
      await expectError(t.call("POST", "/api/2.0/workspace/mkdirs", { path: deep }), 400, message);
    });

    it("does not follow a symbolic link a notebook planted out of DBFS or the workspace", async () => {
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-links-"));
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-outside-"));
      try {
        fs.writeFileSync(path.join(outside, "secret.txt"), "outside the state directory");
        await withEmulator({ stateDir }, async ({ call }) => {
          const dbfsRoot = path.join(stateDir, "databricks", "dbfs");
          fs.symlinkSync(outside, path.join(dbfsRoot, "escape"));
          fs.symlinkSync(path.join(outside, "planted.txt"), path.join(dbfsRoot, "planted.txt"));
          const out = (p: string) => invalid(`Invalid path: ${p} leads out of DBFS.`);
          await expectError(call("GET", "/api/2.0/dbfs/read?path=/escape/secret.txt"), 400, out("/escape/secret.txt"));
          await expectError(call("GET", "/api/2.0/dbfs/get-status?path=/escape"), 400, out("/escape"));
          await expectError(call("POST", "/api/2.0/dbfs/put", { path: "/escape/new.txt", contents: b64("x") }), 400, out("/escape/new.txt"));
          await expectError(call("POST", "/api/2.0/dbfs/put", { path: "/planted.txt", contents: b64("x"), overwrite: true }), 400, out("/planted.txt"));
          await expectError(call("POST", "/api/2.0/dbfs/mkdirs", { path: "/escape/sub" }), 400, out("/escape/sub"));
          await expectError(call("POST", "/api/2.0/dbfs/move", { source_path: "/escape/secret.txt", destination_path: "/mine.txt" }), 400, out("/escape/secret.txt"));
          await expectError(call("POST", "/api/2.0/dbfs/delete", { path: "/escape", recursive: true }), 400, out("/escape"));
          assert.equal((await call("POST", "/api/2.0/dbfs/put", { path: "/inside.txt", contents: b64("in") })).status, 200);
          assert.deepEqual((await call("GET", "/api/2.0/dbfs/list?path=/")).body.files.map((f: { path: string }) => f.path), ["/inside.txt"]);

          await importNotebook(call, "/Shared/nb", notebook("print(1)"));
          const local = path.join(stateDir, "databricks", "workspace", "Shared", "nb");
          fs.rmSync(local);
          fs.symlinkSync(path.join(outside, "secret.txt"), local);
          await expectError(call("GET", "/api/2.0/workspace/export?path=/Shared/nb&format=SOURCE"), 400, invalid("Invalid path: /Shared/nb leads out of the workspace."));
        });
        assert.deepEqual(fs.readdirSync(outside), ["secret.txt"], "nothing was written outside");
        assert.equal(fs.readFileSync(path.join(outside, "secret.txt"), "utf8"), "outside the state directory");
      } finally {
        fs.rmSync(stateDir, { recursive: true, force: true });
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it("downloads an export whose name a header cannot carry as is", async () => {
      await importNotebook(t.call, "/Shared/漢字 \"nb\"", notebook("print(1)"));
      const r = await t.call("GET", `/api/2.0/workspace/export?path=${encodeURIComponent('/Shared/漢字 "nb"')}&direct_download=true`);
      assert.deepEqual([r.status, r.headers.get("content-disposition")], [200, "attachment; filename*=UTF-8''%E6%BC%A2%E5%AD%97%20%22nb%22.py"]);
      assert.equal(r.text, notebook("print(1)"));
    });
  });
});
