/**
 * What an AmlComponent is made of, as the provider sees it, and the rules that decide whether
 * inputs are valid and what a change does. Pure functions: no network.
 */
import { createHash } from "node:crypto";
import { CheckFailure, checkBoolean, checkString, failureList, known, sameJson, UNKNOWN } from "../../core/check";
import { CodeFileHashes, describeFiles, reviewPath } from "../../core/codeFiles";
import { changedEntries, DetailedDiff, keyDetail, mapDetail } from "../../core/detailedDiff";
import { checkAdopt } from "../../core/takeover";
import { currentTarget, Target } from "../../core/target";
import { ASSET_VERSION, checkUnchangedVersion } from "../shared/assetVersion";
import { amlDiff, AmlDiff, changedKeys } from "../shared/diff";
import { changedWorkspaceKeys, checkWorkspace, WorkspaceInputs } from "../shared/workspace";
import { parseAssetReference } from "../shared/yamlFile";
import { validateCommandComponent } from "./schema";
import { componentDocument } from "./source";

/** Inputs as they reach the provider (after check: name and version filled in). */
export interface ComponentInputs extends WorkspaceInputs {
  /** Absolute path of the YAML file. */
  file: string;
  /** The YAML text read by the program. */
  content: string;
  /** Absolute path of the local code folder, when the YAML has one. */
  codeRoot?: string;
  /** Hash of the code folder's uploaded files, when there is one. */
  codeHash?: string;
  /** Each code file's hash by its path relative to the program (`summarize/src/x.py`): how a preview names the file. */
  codeFiles?: CodeFileHashes;
  /** The file's `name`. */
  name: string;
  /** The version registered. */
  version: string;
  versionFromContent?: boolean;
  /** The environment reference, overriding the file's. */
  environment?: string;
  adopt?: boolean;
}

/** What state holds besides the inputs. */
export interface ComponentOutputs extends ComponentInputs {
  componentId: string;
  reference: string;
  codeId?: string;
  /** True when this resource uploaded and registered the code version (destroy may delete it); absent when it reused one found by its hash. */
  codeCreated?: boolean;
  /**
   * The asset fields (`description`, `tags`: the only ones Azure ML lets anyone change on a
   * registered version) that refresh found changed in the workspace since this resource registered
   * it; the next `up` registers the same version again with the YAML's. Absent when none.
   */
  changedInWorkspace?: string[];
}

/** What makes up a version's content, and how messages name it. */
const CONTENT: Readonly<Record<string, string>> = { content: "the YAML file", codeHash: "the code", environment: "the environment" };

/**
 * Validates the YAML (errors name the file and the YAML path) and fills `name` and `version`; a
 * changed YAML, code or environment under a registered version fails against `version`.
 */
export function checkComponent(olds: Record<string, unknown>, news: Record<string, unknown>, target: Target = currentTarget(), env: NodeJS.ProcessEnv = process.env): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  checkWorkspace(inputs, fail, target, env);
  checkBoolean(inputs.versionFromContent, "versionFromContent", fail);
  checkString(inputs.environment, "environment", fail, "an environment reference such as azureml:databricks:1");
  checkAdopt(inputs, fail);
  const file = String(inputs.file);
  let doc: Record<string, unknown>;
  try {
    doc = componentDocument(String(inputs.content ?? ""), file);
  } catch (err) {
    fail("file", (err as Error).message);
    return { inputs, failures };
  }
  for (const p of validateCommandComponent(doc)) fail("file", `${file}: ${p.path} ${p.message}.`);
  if (typeof doc.environment === "object" && doc.environment !== null) fail("file", `${file}: environment is an inline environment; AmlComponent takes a registered one (azureml:<name>:<version>, e.g. an AmlEnvironment's reference).`);
  const environment = inputs.environment ?? doc.environment;
  if (typeof environment === "string" && environment !== UNKNOWN && !environmentReferenceOk(environment)) {
    fail(inputs.environment !== undefined ? "environment" : "file", `${inputs.environment !== undefined ? "environment" : `${file}: environment`} ${JSON.stringify(environment)} is not an environment reference: use azureml:<name>:<version>, azureml:<name>@latest, an environment version's ARM id (azureml:/subscriptions/...) or azureml://registries/...`);
  }
  if (typeof doc.name === "string") inputs.name = doc.name;
  checkVersion(inputs, doc, fail, file);
  checkUnchangedVersion("Component", olds, inputs, CONTENT, fail, "Azure ML versions are immutable; give a new version (in the file or the version argument), or set versionFromContent: true to derive it from the content.");
  return { inputs, failures };
}

function checkVersion(inputs: Record<string, unknown>, doc: Record<string, unknown>, fail: (p: string, r: string) => void, file: string): void {
  const fromFile = doc.version === undefined ? undefined : String(doc.version);
  if (inputs.versionFromContent === true) {
    if (inputs.version !== undefined) fail("version", "version and versionFromContent are mutually exclusive: give a version, or let the content decide it.");
    else if (fromFile !== undefined) fail("versionFromContent", `${file} sets version ${fromFile}; remove it from the file to derive the version from the content.`);
    else if (inputs.environment !== UNKNOWN) inputs.version = contentVersion(String(inputs.content), inputs.codeHash as string | undefined, inputs.environment as string | undefined);
    return;
  }
  if (typeof inputs.version === "number") inputs.version = String(inputs.version);
  inputs.version ??= fromFile;
  const v = inputs.version;
  if (v === undefined || v === "") fail("version", `version is required: set it in ${file}, pass version (like az ml component create --version), or set versionFromContent: true.`);
  else if (known(v) && (typeof v !== "string" || !ASSET_VERSION.test(v))) fail("version", `version ${JSON.stringify(v)} is not valid: letters, digits, '_', '-' and '.', at most 30.`);
}

/** The version derived from the content: the first 16 hex digits of a hash of YAML, code and environment. */
export function contentVersion(content: string, codeHash: string | undefined, environment: string | undefined): string {
  return createHash("sha256").update(`${content}\0${codeHash ?? ""}\0${environment ?? ""}`).digest("hex").slice(0, 16);
}

function environmentReferenceOk(ref: string): boolean {
  return parseAssetReference(ref) !== undefined || /^azureml:\/subscriptions\/.+\/environments\/[^/]+\/versions\/[^/]+$/i.test(ref) || ref.startsWith("azureml://registries/");
}

/**
 * Another workspace, name or version replaces the component (a new version is a new asset,
 * registered before the old one is deleted). A preview names what made the version: the YAML file,
 * the code files that changed (`codeFiles["summarize/src/x.py"]`), the environment.
 */
export function diffComponent(olds: Partial<ComponentOutputs>, news: Partial<ComponentInputs>): AmlDiff {
  const replaces = [...changedWorkspaceKeys(olds, news), ...changedKeys(olds, news, ["name", "version"])];
  const updates = [...changedKeys(olds, news, ["file", "codeRoot", "versionFromContent"]), ...(olds.changedInWorkspace?.length ? ["changedInWorkspace"] : [])];
  const d = amlDiff(replaces, updates, false);
  if (!d.changes) return d;
  const detail: DetailedDiff = keyDetail(olds, news, [...replaces, ...updates], replaces);
  const causes = [...replaces.filter((k) => k !== "version"), ...updates];
  if (replaces.includes("version")) {
    const contentCauses = contentChanges(olds, news, detail);
    causes.push(contentCauses.length > 0 && news.versionFromContent === true ? `version (from the content: ${contentCauses.join(", ")})` : "version");
  }
  return { ...d, detail, causes };
}

/** What changed in a version's content, in words, each also added to `detail` (as replacing). */
function contentChanges(olds: Partial<ComponentInputs>, news: Partial<ComponentInputs>, detail: DetailedDiff): string[] {
  const causes: string[] = [];
  if (news.content !== UNKNOWN && !sameJson(olds.content, news.content)) {
    Object.assign(detail, keyDetail(olds, news, ["content"], ["content"]));
    causes.push(`component file ${typeof news.file === "string" ? reviewPath(news.file) : "content"}`);
  }
  if (!sameJson(olds.codeHash, news.codeHash)) {
    const files = olds.codeFiles && news.codeFiles ? changedEntries(olds.codeFiles, news.codeFiles) : [];
    if (files.length > 0) {
      Object.assign(detail, mapDetail("codeFiles", olds.codeFiles, news.codeFiles, true));
      causes.push(describeFiles("code", files));
    } else {
      Object.assign(detail, keyDetail(olds, news, ["codeHash"], ["codeHash"]));
      causes.push("the code");
    }
  }
  if (news.environment !== UNKNOWN && !sameJson(olds.environment, news.environment)) {
    Object.assign(detail, keyDetail(olds, news, ["environment"], ["environment"]));
    causes.push("environment");
  }
  return causes;
}
