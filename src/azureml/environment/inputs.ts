/**
 * What an AmlEnvironment is made of, as the provider sees it, and the rules that decide whether
 * inputs are valid and what a change does. Pure functions: no network.
 */
import { CheckFailure, checkEnum, checkString, checkStringMap, failureList, known } from "../../core/check";
import { checkAdopt } from "../../core/takeover";
import { currentTarget, Target } from "../../core/target";
import { ASSET_NAME, ASSET_VERSION, checkUnchangedVersion } from "../shared/assetVersion";
import { amlDiff, AmlDiff, changedKeys } from "../shared/diff";
import { changedWorkspaceKeys, checkWorkspace, WorkspaceInputs } from "../shared/workspace";

/** Inputs as they reach the provider. */
export interface EnvironmentInputs extends WorkspaceInputs {
  /** The YAML file the inputs came from, for messages. */
  file?: string;
  name: string;
  version: string;
  image: string;
  /** The conda specification, YAML text. */
  conda?: string;
  description?: string;
  tags?: Record<string, string>;
  osType?: "Linux" | "Windows";
  adopt?: boolean;
  /** Keys of the YAML file this resource does not support (check refuses them). */
  unsupported?: string[];
}

/** What state holds besides the inputs. */
export interface EnvironmentOutputs extends EnvironmentInputs {
  environmentId: string;
  reference: string;
}

/** The keys that make up a version's content. */
export const ENVIRONMENT_CONTENT_KEYS = ["image", "conda", "description", "tags", "osType"] as const;

/** Validates the inputs; a changed content under a registered version fails against `version`. */
export function checkEnvironment(olds: Record<string, unknown>, news: Record<string, unknown>, target: Target = currentTarget(), env: NodeJS.ProcessEnv = process.env): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  const source = typeof inputs.file === "string" ? ` (from ${inputs.file})` : "";
  checkWorkspace(inputs, fail, target, env);
  if (typeof inputs.version === "number") inputs.version = String(inputs.version);
  for (const [key, pattern, rule] of [
    ["name", ASSET_NAME, "letters, digits, '_', '-' and '.', starting with a letter or digit, at most 255"],
    ["version", ASSET_VERSION, "letters, digits, '_', '-' and '.', at most 30"],
  ] as const) {
    const v = inputs[key];
    if (v === undefined || v === "") fail(key, `${key} is required${source}: the environment's ${key}.`);
    else if (known(v) && (typeof v !== "string" || !pattern.test(v))) fail(key, `${key} ${JSON.stringify(v)}${source} is not valid: ${rule}.`);
  }
  if (inputs.image === undefined || inputs.image === "") fail("image", `image is required${source}: the Docker image, e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest (a build context is not supported).`);
  else checkString(inputs.image, "image", fail, "a Docker image reference");
  checkString(inputs.conda, "conda", fail, "the conda specification as YAML text");
  checkString(inputs.description, "description", fail, "a string");
  checkStringMap(inputs.tags, "tags", fail);
  checkEnum(inputs.osType, "osType", fail, ["Linux", "Windows"]);
  if (Array.isArray(inputs.unsupported) && inputs.unsupported.length > 0) fail("file", `${String(inputs.file)}: ${inputs.unsupported.join(", ")} ${inputs.unsupported.length > 1 ? "are" : "is"} not supported by AmlEnvironment (it takes name, version, image, conda_file, description, tags, os_type).`);
  checkAdopt(inputs, fail);
  checkUnchangedVersion("Environment", olds, inputs, Object.fromEntries(ENVIRONMENT_CONTENT_KEYS.map((k) => [k, k])), fail, "Azure ML versions are immutable; give a new version (in the file or the version argument) to register the change.");
  return { inputs, failures };
}

/** Another workspace, name or version replaces the environment (a new version is a new asset). */
export function diffEnvironment(olds: Partial<EnvironmentOutputs>, news: Partial<EnvironmentInputs>): AmlDiff {
  const replaces = [...changedWorkspaceKeys(olds, news), ...changedKeys(olds, news, ["name", "version"])];
  return amlDiff(replaces, changedKeys(olds, news, ["file", ...ENVIRONMENT_CONTENT_KEYS]), replaces.length === 0);
}
