/**
 * The end of `npm start`: what happened, in a form a person can check. Runs as a child of demo.ts
 * whose environment trusts the emulator's CA and holds its token (AMLDB_LOCAL_TOKEN, never
 * printed); reads `{ outputs, changes }` from standard input. Prints the Databricks run (which Spark
 * ran the notebook), the parquet files in the blob store, the downstream step's summary.json, and
 * the pages to open.
 */
import { ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { createAzureMlApi } from "../src/azureml/client";
import { LOCAL_TOKEN_ENV } from "../src/core/target";

/** Where an Azure ML step output is. */
interface Output {
  uri: string;
  url: string;
}

/** The root program's stack outputs the report reads (examples/local/program.ts). */
export interface DemoOutputs {
  status: string;
  databricksStatus: string;
  stepStatuses: Record<string, string>;
  jobName: string;
  studioUrl: string;
  databricksJobName: string;
  parquetOutput: Output;
  summaryOutput: Output;
  notebookPath: string;
}

/** What demo.ts hands over. */
export interface DemoReportInput {
  outputs: DemoOutputs;
  /** The update's resource changes (`pulumi stack history`). */
  changes: Record<string, number>;
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  emulatorUrl: string;
  /** How the emulator's token file is shown to the user (for the pages' sign-in). */
  tokenFile: string;
}

/** How the report names each of the engine's operations once done. */
const DONE: Record<string, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted" };

async function main(): Promise<void> {
  const input = JSON.parse(await readStdin()) as DemoReportInput;
  const { outputs: o, changes } = input;
  const token = process.env[LOCAL_TOKEN_ENV] ?? "";
  const api = async (route: string) => {
    const res = await fetch(`${input.emulatorUrl}${route}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const aml = createAzureMlApi({ workspace: { subscriptionId: input.subscriptionId, resourceGroupName: input.resourceGroupName, workspaceName: input.workspaceName }, endpoint: input.emulatorUrl });

  // The Databricks run of the notebook step: named by the step's child job.
  const runs = (await api("/_emulator/databricks/runs")).runs as { run_id: number; run_name: string; state: { life_cycle_state: string; result_state?: string } }[];
  const run = runs.find((r) => r.run_name === o.databricksJobName);
  let exit: { spark?: string; rows?: number } = {};
  let runPage: string | undefined;
  if (run) {
    const full = await api(`/api/2.1/jobs/runs/get?run_id=${run.run_id}`);
    runPage = full.run_page_url as string | undefined;
    const task = (full.tasks as { run_id: number }[] | undefined)?.[0];
    const out = await api(`/api/2.1/jobs/runs/get-output?run_id=${task?.run_id ?? run.run_id}`);
    const result = (out.notebook_output as { result?: string } | undefined)?.result;
    if (result) exit = JSON.parse(result);
  }

  // The parquet in the blob store and the summary the downstream step wrote.
  const key = (await aml.datastores.listSecrets("workspaceblobstore")).key ?? "";
  const folder = new URL(o.parquetOutput.url);
  const [, account, container, ...rest] = folder.pathname.split("/");
  const blobs = new ContainerClient(`${folder.origin}/${account}/${container}`, new StorageSharedKeyCredential(account, key));
  const prefix = rest.join("/");
  const files: string[] = [];
  for await (const b of blobs.listBlobsFlat({ prefix })) files.push(`${b.name.slice(prefix.length)} (${b.properties.contentLength} bytes)`);
  const summaryPath = `${new URL(o.summaryOutput.url).pathname.split("/").slice(3).join("/")}summary.json`;
  const summary = (await blobs.getBlobClient(summaryPath).downloadToBuffer()).toString("utf8");

  const changed = Object.entries(changes).filter(([op]) => op !== "same");
  const lines = [
    "",
    "What happened",
    changed.length === 0
      ? `  Nothing changed, nothing ran again: all ${changes.same ?? 0} resources are \`same\`; what follows is the run the stack already recorded.`
      : `  pulumi up: ${changed.map(([op, n]) => `${n} ${DONE[op] ?? op}`).join(", ")}${changes.same ? `, ${changes.same} same` : ""}.`,
    `  Azure ML pipeline job ${o.jobName}: ${o.status} (step "databricks" ${o.databricksStatus}; ${Object.entries(o.stepStatuses).map(([k, s]) => `step "${k}" ${s}`).join(", ")}).`,
    run
      ? `  The notebook ${o.notebookPath} ran on Spark${exit.spark ? ` ${exit.spark}` : ""}: Databricks run ${run.run_id} ${run.state.life_cycle_state} ${run.state.result_state ?? ""}${exit.rows !== undefined ? `, ${exit.rows} rows written` : ""}.`.replace(" .", ".")
      : `  The notebook's Databricks run (${o.databricksJobName}) is not in the emulator's list.`,
    "  Its parquet output, in the workspace blob store:",
    `    ${o.parquetOutput.uri}`,
    `    ${o.parquetOutput.url}`,
    ...files.map((f) => `      ${f}`),
    `  The downstream step "summarize" read it and wrote ${o.summaryOutput.uri}summary.json:`,
    `    ${summary}`,
    "  Pages to open (sign in with the token in " + input.tokenFile + "):",
    `    Azure ML job:   ${o.studioUrl}`,
    ...(runPage ? [`    Databricks run: ${runPage}`] : []),
    `    Everything:     ${input.emulatorUrl}/index`,
    "",
  ];
  console.log(lines.join("\n"));
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => (text += chunk));
    process.stdin.once("end", () => resolve(text));
    process.stdin.once("error", reject);
  });
}

main().catch((err: unknown) => {
  console.error(`the report failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
