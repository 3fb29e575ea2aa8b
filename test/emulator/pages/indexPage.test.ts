import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY } from "../../../src/emulator";
import { HEADER } from "../../../src/emulator/pages/html";
import { azureAdCaller } from "../../support/azureAd";
import { finishedRun, importNotebook, notebook, runNotebook, SMALL_CLUSTER, submitRun } from "../../support/databricksWire";
import { TEST_CLOCK_START, useEmulator, withEmulator } from "../../support/emulator";
import { registerComponent, submitJob, untilStatus } from "../azureml/executionFixture";
import { V, WS } from "../azureml/fixture";

const WORKSPACE_ID = "1234567890123456";
/** Secret values put in a Databricks-backed scope, the Key Vault (read by a Key Vault-backed scope) and a Databricks compute's token. */
const SECRETS = { scope: "canary-scope-value-71c2", vault: "canary-vault-value-3b9e", compute: "canary-compute-token-8f1d" };
const ESCAPED_NAME = "<img src=x onerror=alert(1)>";
const MOUNT_SOURCE = `wasbs://data@${WELL_KNOWN_ACCOUNT}.blob.core.windows.net/base`;

/** The cells (inner HTML) of each row of the index's table below `<h3 id="<id>">`; none when the section has no table. */
function sectionRows(html: string, id: string): string[][] {
  const start = html.indexOf(`<h3 id="${id}">`);
  assert.ok(start >= 0, `the index has a section ${id}`);
  const rest = html.slice(start);
  const table = rest.slice(0, rest.indexOf("</table>"));
  // The next heading, past this one's: a section without a table ends before the next table.
  const next = rest.slice(1).search(/<h[23][ >]/) + 1;
  if (next > 0 && next < table.length) return [];
  return [...table.matchAll(/<tr>((?:<td>[\s\S]*?<\/td>)+)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => c[1]));
}

describe("Emulator pages: the index of everything the emulator holds, and no secret's value on any page", function () {
  this.timeout(120_000);
  const t = useEmulator();

  /** A page fetched with the emulator's bearer token; asserts it answers 200. */
  async function page(route: string): Promise<string> {
    const res = await fetch(`${t.emulator.url}${route}`, { headers: { Authorization: `Bearer ${t.emulator.token}` }, redirect: "manual" });
    const text = await res.text();
    assert.equal(res.status, 200, `${route}: ${text}`);
    return text;
  }

  /** Fills both workspaces: notebooks, scopes, a mount, a Databricks job and run, computes, assets, a schedule and a job. */
  async function populate(): Promise<{ notebookId: number; escapedId: number; runId: number; jobId: number; createdJob: number }> {
    assert.equal((await t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/idx" })).status, 200);
    await importNotebook(t.call, "/Shared/idx/report", notebook('dbutils.notebook.exit("report of " + dbutils.secrets.get("own", "api-key") + " and " + dbutils.secrets.get("vault", "db-password"))'));
    await importNotebook(t.call, `/Shared/idx/${ESCAPED_NAME}`, notebook("print(1)"));
    const status = async (p: string) => (await t.call("GET", `/api/2.0/workspace/get-status?path=${encodeURIComponent(p)}`)).body.object_id as number;

    assert.equal((await t.call("POST", "/api/2.0/secrets/scopes/create", { scope: "own" })).status, 200);
    assert.equal((await t.call("POST", "/api/2.0/secrets/put", { scope: "own", key: "api-key", string_value: SECRETS.scope })).status, 200);
    assert.equal((await t.call("POST", "/api/2.0/secrets/put", { scope: "own", key: "another", string_value: "second-scope-value" })).status, 200);
    assert.equal((await t.call("PUT", "/secrets/db-password?api-version=7.5", { value: SECRETS.vault })).status, 200);
    const vault = { resource_id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/local", dns_name: `${t.emulator.keyVaultUrl}/` };
    assert.equal((await (await azureAdCaller(t.emulator))("POST", "/api/2.0/secrets/scopes/create", { scope: "vault", scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: vault })).status, 200);

    const mounted = await runNotebook(t.call, `dbutils.fs.mount(source="${MOUNT_SOURCE}", mount_point="/mnt/idx", extra_configs={"fs.azure.account.key.${WELL_KNOWN_ACCOUNT}.blob.core.windows.net": ${JSON.stringify(WELL_KNOWN_ACCOUNT_KEY)}})`);
    assert.equal(mounted.state, "SUCCESS", JSON.stringify(mounted));
    const job = await t.call("POST", "/api/2.1/jobs/create", { name: "nightly <etl>", tasks: [{ task_key: "main", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/idx/report" } }] });
    assert.equal(job.status, 200, job.text);
    const runId = await submitRun(t.call, { run_name: "report", tasks: [{ task_key: "main", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/idx/report" } }] });
    const run = await finishedRun(t.call, runId);
    assert.equal(run.state.result_state, "SUCCESS", JSON.stringify(run.state));

    const attach = { location: "westeurope", properties: { computeType: "Databricks", description: "adb <attached>", resourceId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/adb", properties: { databricksAccessToken: SECRETS.compute, workspaceUrl: "https://adb-1.2.azuredatabricks.net" } } };
    assert.equal((await t.call("PUT", `${WS}/computes/adb?${V}`, attach)).status, 201);
    for (const version of ["1", "2"]) assert.equal((await t.call("PUT", `${WS}/environments/pandas/versions/${version}?${V}`, { properties: { image: "python:3.11-slim", description: "pandas" } })).status, 201);
    // A step that prints the vault's secret and writes it to its output (as a careless script might).
    const leak = await registerComponent(t, "leak", { command: `echo "the value is ${SECRETS.vault}" && echo "${SECRETS.vault}" > \${{outputs.out}}/value.txt`, outputs: { out: { type: "uri_folder" } } });
    const schedule = { displayName: "nightly", trigger: { triggerType: "Recurrence", frequency: "Day", interval: 1, schedule: { hours: [6], minutes: [30] }, timeZone: "UTC" }, action: { actionType: "CreateJob", jobDefinition: { jobType: "Pipeline", jobs: {} } } };
    assert.equal((await t.call("PUT", `${WS}/schedules/nightly?${V}`, { properties: schedule })).status, 201);
    await submitJob(t, "leaky", { jobType: "Pipeline", displayName: `leaky ${ESCAPED_NAME}`, jobs: { leak: { type: "command", componentId: leak } } });
    await untilStatus(t, "leaky", "Completed");
    assert.ok(leak.endsWith("/components/leak/versions/1"));
    return { notebookId: await status("/Shared/idx/report"), escapedId: await status(`/Shared/idx/${ESCAPED_NAME}`), runId, jobId: run.job_id, createdJob: job.body.job_id as number };
  }

  it("lists workspace items, scopes with their key names, mounts, jobs, datastores, computes, components, environments, schedules and jobs, escaped", async () => {
    const { notebookId, escapedId, createdJob } = await populate();
    const html = await page("/index");
    assert.ok(html.includes(`<body>${HEADER}<h1>Everything in the emulator</h1>`), "the header links to the index from every page");
    const escapedPath = "/Shared/idx/&lt;img src=x onerror=alert(1)&gt;";
    assert.deepEqual(sectionRows(html, "workspace"), [
      [`<a href="/editor/notebooks/${escapedId}?o=${WORKSPACE_ID}">${escapedPath}</a>`, "NOTEBOOK", "PYTHON"],
      [`<a href="/editor/notebooks/${notebookId}?o=${WORKSPACE_ID}">/Shared/idx/report</a>`, "NOTEBOOK", "PYTHON"],
      [`<a href="/editor/notebooks/${notebookId + 2}?o=${WORKSPACE_ID}">/Shared/test-notebook</a>`, "NOTEBOOK", "PYTHON"],
    ]);
    assert.deepEqual(sectionRows(html, "scopes"), [
      ["own", "DATABRICKS", "another, api-key"],
      ["vault", `AZURE_KEYVAULT <span class="note">(${t.emulator.keyVaultUrl}/)</span>`, "db-password"],
    ]);
    assert.deepEqual(sectionRows(html, "mounts"), [["/mnt/idx", MOUNT_SOURCE]]);
    assert.deepEqual(sectionRows(html, "databricks-jobs"), [[`<a href="/jobs/${createdJob}?o=${WORKSPACE_ID}">${createdJob}</a>`, "nightly &lt;etl&gt;"]], "the job made with jobs/create (a one-time run has no job record)");
    const ds = (await t.call("GET", `${WS}/datastores/workspaceblobstore?${V}`)).body.properties;
    assert.deepEqual(sectionRows(html, "datastores"), [[`<a href="/data?uri=${encodeURIComponent("azureml://datastores/workspaceblobstore/paths/")}">workspaceblobstore</a>`, `${ds.accountName}/${ds.containerName}`]]);
    assert.deepEqual(sectionRows(html, "computes"), [
      ["adb", "Databricks", "Succeeded", "adb &lt;attached&gt;"],
      ["cpu-cluster", "AmlCompute", "Succeeded", "Compute cluster for pipeline steps (emulated)."],
    ]);
    assert.deepEqual(sectionRows(html, "components"), [["leak", "1", "1", ""]]);
    assert.deepEqual(sectionRows(html, "environments"), [["pandas", "1, 2", "2", ""]]);
    // Created at the test clock's start (12:00 UTC), daily at 06:30: next the following morning.
    const next = new Date(TEST_CLOCK_START + 18.5 * 3600_000).toISOString();
    assert.equal(next, "2026-01-16T06:30:00.000Z");
    assert.deepEqual(sectionRows(html, "schedules"), [["nightly", "yes", "every 1 Day at 06:30 (UTC)", "submits a Pipeline job", next]]);
    assert.deepEqual(sectionRows(html, "azureml-jobs"), [['<a href="/runs/leaky">leaky</a>', "leaky &lt;img src=x onerror=alert(1)&gt;", "Pipeline", '<span class="state">Completed</span>']]);
    assert.ok(!html.includes("<img"), "no markup from a name reaches the page");
  });

  it("shows no secret's value on any page: the index, runs, notebooks, the job page, its step's log and output", async () => {
    const { notebookId, runId, jobId } = await populate();
    const shows = (html: string, text: string) => assert.ok(html.includes(text), `the page shows ${text}: ${html}`);
    const pages: [string, string][] = [
      ["/", `/jobs/${jobId}/runs/${runId}?o=${WORKSPACE_ID}`],
      ["/index", "db-password"],
      [`/jobs/${jobId}?o=${WORKSPACE_ID}`, "report"],
      [`/jobs/${jobId}/runs/${runId}?o=${WORKSPACE_ID}`, "<pre>report of [REDACTED] and [REDACTED]</pre>"],
      [`/editor/notebooks/${notebookId}?o=${WORKSPACE_ID}`, "dbutils.secrets.get(&quot;own&quot;, &quot;api-key&quot;)"],
      ["/runs/leaky", "<pre>the value is [REDACTED]\n</pre>"],
    ];
    const job = await page("/runs/leaky");
    const output = /<a href="(\/data\?uri=[^"]+)">azureml:\/\/datastores\/workspaceblobstore\/paths\/azureml\/[^<]+\/out\/<\/a>/.exec(job);
    assert.ok(output, `the step's output links to its data page: ${job}`);
    const folder = await page(output[1].replace(/&amp;/g, "&"));
    shows(folder, ">value.txt</a></td><td>");
    const file = /<a href="(\/data\?uri=[^"]+value\.txt)">value\.txt<\/a>/.exec(folder);
    assert.ok(file, folder);
    pages.push([output[1].replace(/&amp;/g, "&"), "value.txt"], [file[1], "<pre>[REDACTED]\n</pre>"]);
    for (const [route, text] of pages) {
      const html = await page(route);
      shows(html, text);
      for (const value of Object.values(SECRETS)) assert.ok(!html.includes(value), `${route} shows no secret value`);
    }
    assert.equal(pages.length, 8);
  });

  it("lists only what the emulator's state holds: a file put beside the workspace's files is not listed, a datastore not in the workspace is refused", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-index-"));
    try {
      await withEmulator({ stateDir }, async (own) => {
        assert.equal((await own.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/real" })).status, 200);
        await importNotebook(own.call, "/Shared/real/kept", notebook("print(1)"));
        const folder = path.join(stateDir, "databricks", "workspace", "Shared", "real");
        assert.ok(fs.readdirSync(folder).length > 0, "the workspace's files are in this folder");
        fs.writeFileSync(path.join(folder, "planted.py"), "# Databricks notebook source\nprint(2)\n");
        const get = (route: string) => fetch(`${own.emulator.url}${route}`, { headers: { Authorization: `Bearer ${own.emulator.token}` }, redirect: "manual" });
        const html = await (await get("/index")).text();
        assert.deepEqual(sectionRows(html, "workspace").map((r) => r[0].replace(/<[^>]+>/g, "")), ["/Shared/real/kept"]);
        assert.ok(!html.includes("planted"));

        for (const uri of ["azureml://datastores/elsewhere/paths/x", `${own.emulator.blobUrl}/${WELL_KNOWN_ACCOUNT}/data/x`, "file:///etc/passwd"]) {
          const res = await get(`/data?uri=${encodeURIComponent(uri)}`);
          assert.equal(res.status, 404, uri);
          assert.ok((await res.text()).includes(uri.startsWith("azureml:") ? "The workspace has no datastore elsewhere." : "is not a datastore URI"), uri);
        }
        const anonymous = await fetch(`${own.emulator.url}/index`, { redirect: "manual" });
        assert.deepEqual([anonymous.status, anonymous.headers.get("location")], [303, "/login.html?next=%2Findex"], "the index is behind the sign-in");
        const data = await fetch(`${own.emulator.url}/data?uri=${encodeURIComponent("azureml://datastores/workspaceblobstore/paths/")}`, { redirect: "manual" });
        assert.deepEqual([data.status, data.headers.get("location")], [303, `/login.html?next=${encodeURIComponent("/data?uri=azureml%3A%2F%2Fdatastores%2Fworkspaceblobstore%2Fpaths%2F")}`], "so is the data page");
      });
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
