/**
 * The bad-input table of what a program declares through a class (the components
 * DatabricksNotebookComponent and DatabricksPipeline, and the YAML-file forms of AmlEnvironment and
 * AmlSchedule): the program either throws at preview (the class checks what only it sees), or
 * registers children whose `check` fails. `programCheck.test.ts` runs them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as m from "../../../src";
import type { CaseContext, Category } from "./resourceCases";

/** A failure of a child's check, with the child's resource name. */
export interface ChildFailure {
  readonly resource: string;
  readonly property: string;
  readonly reason: string;
}

/** One bad declaration. */
export interface ProgramCase {
  /** The class the program uses. */
  readonly component: string;
  readonly category: Category;
  readonly what: string;
  /** Declares the resources (the program at preview). */
  declare(pkg: typeof m, c: ProgramContext): void;
  /** The program's exact error, or the exact failures of its children's checks. */
  expect(c: ProgramContext): { throws: string } | { failures: ChildFailure[] };
  env?(c: ProgramContext): Record<string, string | undefined>;
}

/** The emulator's URLs plus a folder of files for the row. */
export interface ProgramContext extends CaseContext {
  /** A folder for this table's files (written once). */
  readonly dir: string;
  readonly databricksId: string;
}

/** Writes the table's files: a notebook, a good and a bad component YAML, a bad environment and a bad schedule file. */
export function programFiles(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-input-"));
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  write("prepare.py", "# Databricks notebook source\nprint('prepare')\n");
  write("train-tab.yml", "name: train\ntype: command\ncommand: python train.py\n\tenvironment: azureml:env:1\n");
  write("env-bad.yml", "name: env\nversion: 1\nimage: [python:3.11\n");
  write("env-unsupported.yml", "name: env\nversion: 1\nimage: python:3.11\nbuild:\n  path: ./docker\n");
  write("schedule-no-job.yml", "name: nightly\ntrigger:\n  type: cron\n  expression: \"0 2 * * *\"\n");
  write("schedule-bad-key.yml", "name: nightly\ntrigger:\n  type: cron\n  expresion: \"0 2 * * *\"\ncreate_job: ./pipeline.yml\n");
  write("pipeline-bad.yml", "type: pipeline\njobs:\n  make: {component: azureml:make:1\n");
  return dir;
}

const cluster = { numWorkers: 1, nodeTypeId: "Standard_DS3_v2", sparkVersion: "15.4.x-scala2.12" };
const STORAGE = { accountName: "devstoreaccount1", containerName: "azureml-blobstore", accountKey: "c3RvcmFnZS1rZXk=" };

/** A valid DatabricksPipeline's arguments; a row changes one thing. */
function pipelineArgs(c: ProgramContext): m.DatabricksPipelineArgs {
  return {
    workspace: c.ws,
    keyVaultUrl: c.keyVaultUrl,
    databricksUrl: c.url,
    databricksResourceId: c.databricksId,
    databricksToken: "dapi-bad-input",
    notebook: path.join(c.dir, "prepare.py"),
    cluster,
    storage: STORAGE,
  };
}

export const PROGRAM_CASES: readonly ProgramCase[] = [
  // ---- DatabricksPipeline: the program's own checks
  {
    component: "DatabricksPipeline",
    category: "conflicting fields",
    what: "a step named databricks",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), steps: { databricks: { component: "azureml:train:1" } } }),
    expect: () => ({ throws: 'DatabricksPipeline "flow": steps.databricks: "databricks" is the notebook\'s own step; give this step another name.' }),
  },
  {
    component: "DatabricksPipeline",
    category: "conflicting fields",
    what: "a step with component and file",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), steps: { train: { component: "azureml:train:1", file: path.join(c.dir, "train-tab.yml") } } }),
    expect: () => ({ throws: 'DatabricksPipeline "flow": steps.train needs exactly one of component (a registered component, azureml:<name>:<version>) and file (a component YAML file).' }),
  },
  {
    component: "DatabricksPipeline",
    category: "out of range",
    what: "cluster.numWorkers -1",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), cluster: { ...cluster, numWorkers: -1 } }),
    expect: () => ({ throws: 'DatabricksPipeline "flow": cluster.numWorkers must be a whole number from 0 to 100000, not -1.' }),
  },
  {
    component: "DatabricksPipeline",
    category: "wrong type",
    what: "cluster.sparkVersion a number and nodeTypeId empty",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), cluster: { numWorkers: 1, nodeTypeId: "", sparkVersion: 15.4 as unknown as string } }),
    expect: () => ({
      throws: ['DatabricksPipeline "flow": cluster.nodeTypeId must be a node type such as "Standard_DS3_v2".', 'DatabricksPipeline "flow": cluster.sparkVersion must be a Databricks Runtime version such as "15.4.x-scala2.12".'].join("\n"),
    }),
  },
  {
    component: "DatabricksPipeline",
    category: "malformed YAML",
    what: "a step's component file indented with a tab",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), steps: { train: { file: path.join(c.dir, "train-tab.yml") } } }),
    expect: (c) => ({ throws: `the step's YAML file ${path.join(c.dir, "train-tab.yml")} is not valid YAML: Tabs are not allowed as indentation` }),
  },
  // ---- DatabricksPipeline: its children's checks
  {
    component: "DatabricksPipeline",
    category: "bad name",
    what: "secretScopeName with a space",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), secretScopeName: "flow scope" }),
    expect: () => ({ failures: [{ resource: "flow-scope", property: "name", reason: 'name "flow scope" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.' }] }),
  },
  {
    component: "DatabricksPipeline",
    category: "bad name",
    what: "tokenSecretName with an underscore",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), tokenSecretName: "db_token" }),
    expect: () => ({ failures: [{ resource: "flow-token", property: "name", reason: 'name "db_token" is not a valid Key Vault secret name: use 1-127 characters from a-z, A-Z, 0-9 and "-" (pattern ^[0-9a-zA-Z-]{1,127}$).' }] }),
  },
  {
    component: "DatabricksPipeline",
    category: "missing field",
    what: "a notebook file that is not there",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), notebook: path.join(c.dir, "missing.py") }),
    expect: (c) => ({ failures: [{ resource: "flow-notebook", property: "source", reason: `source "${path.join(c.dir, "missing.py")}" is not a readable file: give the path of a local file, relative to the program's directory.` }] }),
  },
  {
    component: "DatabricksPipeline",
    category: "bad name",
    what: "storage account name with capitals",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), storage: { ...STORAGE, accountName: "DevStore" } }),
    expect: () => ({ failures: [{ resource: "flow-mount", property: "storageAccountName", reason: 'storageAccountName "DevStore" is not valid: a storage account name has 3-24 lowercase letters and digits.' }] }),
  },
  {
    component: "DatabricksPipeline",
    category: "unreachable host",
    what: "a Key Vault off loopback in the local target",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), keyVaultUrl: "https://myvault.vault.azure.net" }),
    expect: () => ({
      failures: [{ resource: "flow-token", property: "vaultUrl", reason: 'vaultUrl "https://myvault.vault.azure.net" is not on loopback, but AMLDB_TARGET is "local": point it at the emulator (for example https://127.0.0.1:<port>) or set AMLDB_TARGET=azure.' }],
    }),
  },
  {
    component: "DatabricksPipeline",
    category: "bad name",
    what: "databricksResourceId of a storage account",
    declare: (pkg, c) => new pkg.DatabricksPipeline("flow", { ...pipelineArgs(c), databricksResourceId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a" }),
    expect: () => ({
      failures: [
        {
          resource: "flow-compute",
          property: "databricksResourceId",
          reason: 'databricksResourceId "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a" is not a Databricks workspace ARM id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>.',
        },
      ],
    }),
  },
  // ---- DatabricksNotebookComponent (an AmlComponent of the shipped YAML)
  {
    component: "DatabricksNotebookComponent",
    category: "bad name",
    what: "version with a slash",
    declare: (pkg, c) => new pkg.DatabricksNotebookComponent("adb", { ...c.ws, version: "1/2" }),
    expect: () => ({ failures: [{ resource: "adb", property: "version", reason: 'version "1/2" is not valid: letters, digits, \'_\', \'-\' and \'.\', at most 30.' }] }),
  },
  {
    component: "DatabricksNotebookComponent",
    category: "wrong type",
    what: "environment a Docker image",
    declare: (pkg, c) => new pkg.DatabricksNotebookComponent("adb", { ...c.ws, environment: "python:3.11" }),
    expect: () => ({
      failures: [{ resource: "adb", property: "environment", reason: 'environment "python:3.11" is not an environment reference: use azureml:<name>:<version>, azureml:<name>@latest, an environment version\'s ARM id (azureml:/subscriptions/...) or azureml://registries/...' }],
    }),
  },
  {
    component: "DatabricksNotebookComponent",
    category: "wrong type",
    what: "adopt a string",
    declare: (pkg, c) => new pkg.DatabricksNotebookComponent("adb", { ...c.ws, adopt: "yes" as unknown as boolean }),
    expect: () => ({ failures: [{ resource: "adb", property: "adopt", reason: 'adopt must be true or false, not "yes".' }] }),
  },
  {
    component: "DatabricksNotebookComponent",
    category: "bad name",
    what: "resource group with a slash",
    declare: (pkg, c) => new pkg.DatabricksNotebookComponent("adb", { ...c.ws, resourceGroupName: "rg/other" }),
    expect: () => ({ failures: [{ resource: "adb", property: "resourceGroupName", reason: 'resourceGroupName "rg/other" is not valid: 1-90 letters, digits, \'-\', \'_\', \'.\', \'(\' and \')\'.' }] }),
  },
  // ---- AmlEnvironment and AmlSchedule from YAML files (read by the program)
  {
    component: "AmlEnvironment",
    category: "malformed YAML",
    what: "an unclosed flow sequence",
    declare: (pkg, c) => new pkg.AmlEnvironment("env", { ...c.ws, file: path.join(c.dir, "env-bad.yml") }),
    expect: (c) => ({ throws: `Environment file ${path.join(c.dir, "env-bad.yml")} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]` }),
  },
  {
    component: "AmlEnvironment",
    category: "malformed YAML",
    what: "a build context (not supported)",
    declare: (pkg, c) => new pkg.AmlEnvironment("env", { ...c.ws, file: path.join(c.dir, "env-unsupported.yml") }),
    expect: (c) => ({ failures: [{ resource: "env", property: "file", reason: `${path.join(c.dir, "env-unsupported.yml")}: build is not supported by AmlEnvironment (it takes name, version, image, conda_file, description, tags, os_type).` }] }),
  },
  {
    component: "AmlSchedule",
    category: "malformed YAML",
    what: "no create_job",
    declare: (pkg, c) => new pkg.AmlSchedule("nightly", { ...c.ws, file: path.join(c.dir, "schedule-no-job.yml") }),
    expect: (c) => ({ throws: `Schedule file ${path.join(c.dir, "schedule-no-job.yml")}: create_job is required: a pipeline job YAML file (./pipeline.yml) or an inline pipeline job.` }),
  },
  {
    component: "AmlSchedule",
    category: "malformed YAML",
    what: "a misspelt trigger key",
    declare: (pkg, c) => new pkg.AmlSchedule("nightly", { ...c.ws, file: path.join(c.dir, "schedule-bad-key.yml") }),
    expect: (c) => ({ throws: `Schedule file ${path.join(c.dir, "schedule-bad-key.yml")}: trigger.expresion is not a trigger key (type, expression, start_time, end_time, time_zone, frequency, interval, schedule).` }),
  },
  {
    component: "AmlPipelineRun",
    category: "malformed YAML",
    what: "an unclosed flow mapping",
    declare: (pkg, c) => new pkg.AmlPipelineRun("numbers", { ...c.ws, file: path.join(c.dir, "pipeline-bad.yml") }),
    expect: (c) => ({
      failures: [
        {
          resource: "numbers",
          property: "file",
          reason: `Pipeline job file ${path.join(c.dir, "pipeline-bad.yml")} is not valid YAML: Flow map in block collection must be sufficiently indented and end with a }. Fix the file, or give the pipeline as arguments (jobs, inputs, outputs, settings).`,
        },
      ],
    }),
  },
];
