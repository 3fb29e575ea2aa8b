/**
 * How Databricks providers reach their workspace: the host recorded in the resource's inputs,
 * credentials resolved from the engine's environment at call time and bound to the host they were
 * configured for (DATABRICKS_TOKEN for DATABRICKS_HOST, a ~/.databrickscfg profile for its host,
 * Azure AD for Azure Databricks hosts, only the emulator's token with AMLDB_TARGET=local); see
 * `resolveDatabricksConfig`.
 */
import { createDatabricksApi, DatabricksApi, isNotFound, resolveDatabricksConfig } from "../client";
import { CheckFailure, checkListening, known } from "../../core/check";

/** Where a Databricks resource's host comes from, as messages name it. */
export const DATABRICKS_HOST_SETTINGS = "host or DATABRICKS_HOST";

/** The API of the workspace at `host`. */
export function databricksApi(host: string): DatabricksApi {
  return createDatabricksApi({ host });
}

/**
 * Fills in `host` from the environment when the program left it out, so state records which
 * workspace holds the object; reports against the `host` property, at preview, a missing or
 * invalid host and a host that has no credentials of its own.
 */
export function checkHost(inputs: Record<string, unknown>, failures: CheckFailure[]): void {
  if (!known(inputs.host) && inputs.host !== undefined) return;
  try {
    inputs.host = resolveDatabricksConfig({ host: inputs.host as string | undefined }).host;
  } catch (err) {
    failures.push({ property: "host", reason: (err as Error).message });
  }
}

/** Runs a delete; an object that is already gone counts as deleted. */
export async function ignoreGone(op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** A resource's own validation: the checked inputs and every failure. */
export type Validate = (news: Record<string, unknown>) => { inputs: Record<string, unknown>; failures: CheckFailure[] };

/** The lifecycle `check` of a Databricks resource: its own validation, then the workspace host filled in. */
export function checkWithHost(validate: Validate): (olds: Record<string, unknown>, news: Record<string, unknown>) => Promise<ReturnType<Validate>> {
  return async (_olds, news) => {
    const checked = validate(news);
    checkHost(checked.inputs, checked.failures);
    return checkListening(checked, "host", DATABRICKS_HOST_SETTINGS);
  };
}
