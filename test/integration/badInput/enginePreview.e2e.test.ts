/**
 * A few rows of the bad-input tables through the real engine: `pulumi preview` of a program with
 * one mistake fails, the CLI prints the provider's message (property and fix), the stack records
 * nothing and the emulator answered no call that changes anything.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AmlPipelineRun, DatabricksDbfsFile, DatabricksPipeline, DatabricksSecretScope } from "../../../src";
import { useInlineStack } from "../../e2e/support/inlineFixture";
import { mutatingCalls } from "./support";

const FIXTURES = path.join(__dirname, "../../fixtures/azureml/seed001");

/** The program: the row named by config `row`. */
function program(): void {
  const config = new pulumi.Config();
  const url = config.require("url");
  const ws = { subscriptionId: config.require("subscriptionId"), resourceGroupName: config.require("resourceGroupName"), workspaceName: config.require("workspaceName"), armEndpoint: url };
  switch (config.require("row")) {
    case "scope":
      new DatabricksSecretScope("scope", { host: url, name: "etl scope" });
      break;
    case "dbfs":
      new DatabricksDbfsFile("data", { host: url, path: "dbfs:/FileStore/../../etc/passwd", contentBase64: "YWJj" });
      break;
    case "component":
      new AmlPipelineRun("numbers", { ...ws, settings: { defaultCompute: "azureml:cpu-cluster" }, jobs: { make: { component: "azureml:make:99" } } });
      break;
    case "pipeline":
      new DatabricksPipeline("flow", {
        workspace: ws,
        keyVaultUrl: url,
        databricksUrl: url,
        databricksResourceId: "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb-local",
        databricksToken: "dapi-bad-input",
        notebook: path.join(FIXTURES, "src", "databricks_control.py"),
        cluster: { numWorkers: -1, nodeTypeId: "Standard_DS3_v2", sparkVersion: "15.4.x-scala2.12" },
        storage: { accountName: "devstoreaccount1", containerName: "azureml-blobstore", accountKey: "c3RvcmFnZS1rZXk=" },
      });
      break;
    default:
      throw new Error("config row must name a row");
  }
}

describe("Bad input through the engine: pulumi preview fails with the message, nothing is created", function () {
  this.timeout(10 * 60 * 1000);
  const e2e = useInlineStack("e2e-bad-input", async () => program());
  const tried: string[] = [];

  before(async () => {
    const e = e2e.emulator;
    await e2e.stack.setAllConfig({
      url: { value: e.url },
      subscriptionId: { value: e.azureml.subscriptionId },
      resourceGroupName: { value: e.azureml.resourceGroup },
      workspaceName: { value: e.azureml.workspace },
    });
  });
  after(() => console.log(`      bad inputs tried through the engine: ${tried.length} (${tried.join(", ")})`));

  /** Previews row `row`: it must fail; returns what the CLI printed. */
  async function failedPreview(row: string): Promise<string> {
    await e2e.stack.setConfig("row", { value: row });
    const printed: string[] = [];
    const err = await e2e.stack.preview({ onOutput: (s) => printed.push(s) }).then(
      () => assert.fail(`preview of row ${row} should fail`),
      (e: unknown) => e as Error,
    );
    tried.push(row);
    return `${printed.join("")}\n${err.message}`;
  }

  const rows: [string, string[]][] = [
    ["scope", ['name "etl scope" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.']],
    ["dbfs", ['path "dbfs:/FileStore/../../etc/passwd" has a "." or ".." part: give the file\'s plain absolute DBFS path, e.g. dbfs:/FileStore/data/input.csv.']],
    ["component", ["jobs.make.component azureml:make:99: component make:99 is not registered in Azure ML workspace"]],
    ["pipeline", ['DatabricksPipeline "flow": cluster.numWorkers must be a whole number from 0 to 100000, not -1.']],
  ];
  for (const [row, messages] of rows) {
    it(`row ${row}: the CLI prints the message`, async () => {
      const out = await failedPreview(row);
      for (const m of messages) assert.ok(out.includes(m), `${m}\nnot in:\n${out}`);
    });
  }

  it("nothing was created: the stack has no resources and the emulator answered reads only", async () => {
    assert.equal(tried.length, rows.length);
    const state = await e2e.stack.exportStack();
    assert.deepEqual(state.deployment?.resources ?? [], []);
    const requests = e2e
      .requestLog()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { at: string; method: string; path: string; status: number });
    // The component row reads the workspace's components: the log scanned holds the previews' calls.
    assert.ok(requests.some((r) => r.method === "GET" && r.path.includes("/components/make/versions/99")), JSON.stringify(requests));
    assert.deepEqual(mutatingCalls(requests), []);
  });
});
