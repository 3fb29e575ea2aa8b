/**
 * The DatabricksCluster provider's operations: create and wait until RUNNING, edit (which
 * restarts a running cluster), permanent-delete.
 */
import { CheckFailure } from "../checks";
import { DatabricksApi, isNotFound } from "../databricks";
import type { ClusterCreateRequest, ClusterDetails } from "../databricks/types";
import { abortableSleep } from "../databricks";
import { checkHost, databricksApi, ignoreGone, progress } from "./connection";
import { NewClusterInput, toWireCluster } from "./runInputs";
import { checkRunInputs } from "./runInputs";
import { pollDelayMs } from "./runWait";

/** Inputs as they reach the provider. */
export interface ClusterInputs extends Partial<NewClusterInput> {
  host: string;
  clusterName?: string;
  autoterminationMinutes?: number;
  spec?: Record<string, unknown>;
  waitTimeoutSeconds?: number;
}

const SETTINGS = ["clusterName", "sparkVersion", "nodeTypeId", "driverNodeTypeId", "instancePoolId", "numWorkers", "autoscale", "sparkConf", "sparkEnvVars", "customTags", "initScripts", "clusterLogPath", "autoterminationMinutes", "spec"] as const;

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  const { spec, clusterName, autoterminationMinutes, waitTimeoutSeconds, host, ...cluster } = inputs;
  void clusterName; void host;
  const failures: CheckFailure[] = [];
  if (spec === undefined || cluster.sparkVersion !== undefined) {
    // The same rules as a run's new cluster, reported under the cluster's own property names.
    for (const f of checkRunInputs({ newCluster: cluster, existingClusterId: undefined, notebookTask: { notebookPath: "/x" } })) {
      if (f.property.startsWith("newCluster.")) failures.push({ property: f.property.slice("newCluster.".length), reason: f.reason.replace(/newCluster\./g, "") });
    }
  }
  if (autoterminationMinutes !== undefined && !(Number.isInteger(autoterminationMinutes) && ((autoterminationMinutes as number) === 0 || (autoterminationMinutes as number) >= 10))) {
    failures.push({ property: "autoterminationMinutes", reason: "autoterminationMinutes is 0 (never) or a whole number of minutes >= 10." });
  }
  if (waitTimeoutSeconds !== undefined && !(Number.isInteger(waitTimeoutSeconds) && (waitTimeoutSeconds as number) > 0)) {
    failures.push({ property: "waitTimeoutSeconds", reason: "waitTimeoutSeconds is a whole number of seconds > 0." });
  }
  checkHost(inputs, failures);
  return { inputs, failures };
}

export async function diff(_id: string, olds: ClusterInputs, news: ClusterInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = olds.host !== news.host ? ["host"] : [];
  const changed = SETTINGS.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
  if (replaces.length + changed.length > 0) {
    progress(`Cluster "${news.clusterName ?? ""}": ${[...replaces, ...changed].join(", ")} changed; ${replaces.length > 0 ? "will replace it" : "will edit it (a running cluster restarts)"}.`);
  }
  return { changes: replaces.length + changed.length > 0 || olds.waitTimeoutSeconds !== news.waitTimeoutSeconds, replaces, deleteBeforeReplace: false };
}

function request(i: ClusterInputs): ClusterCreateRequest {
  const named = i.sparkVersion !== undefined ? toWireCluster(i as NewClusterInput) : {};
  const req = { ...(i.spec ?? {}), ...named } as ClusterCreateRequest;
  if (i.clusterName !== undefined) req.cluster_name = i.clusterName;
  if (i.autoterminationMinutes !== undefined) req.autotermination_minutes = i.autoterminationMinutes;
  return req;
}

export async function create(inputs: ClusterInputs): Promise<{ id: string; outs: Record<string, unknown> }> {
  const api = databricksApi(inputs.host);
  const { cluster_id } = await api.clusters.create(request(inputs));
  progress(`Cluster "${inputs.clusterName ?? cluster_id}": created ${cluster_id}, waiting until RUNNING`);
  const details = await waitRunning(api, cluster_id, inputs);
  return { id: cluster_id, outs: outputs(inputs, details) };
}

export async function update(id: string, _olds: ClusterInputs, news: ClusterInputs): Promise<{ outs: Record<string, unknown> }> {
  const api = databricksApi(news.host);
  await api.clusters.edit({ ...request(news), cluster_id: id });
  return { outs: outputs(news, await waitRunning(api, id, news)) };
}

export async function read(id: string, props: ClusterInputs): Promise<{ id: string; props: Record<string, unknown> }> {
  try {
    return { id, props: outputs(props, await databricksApi(props.host).clusters.get(id)) };
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
}

export async function remove(id: string, props: ClusterInputs): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).clusters.permanentDelete(id));
}

async function waitRunning(api: DatabricksApi, id: string, i: ClusterInputs): Promise<ClusterDetails> {
  const started = Date.now();
  const timeoutMs = (i.waitTimeoutSeconds ?? 1800) * 1000;
  let last = "";
  for (let attempt = 0; ; attempt++) {
    const c = await api.clusters.get(id);
    const elapsed = Date.now() - started;
    if (c.state !== last) progress(`Cluster ${id}: ${(last = c.state ?? "UNKNOWN")} (${(elapsed / 1000).toFixed(1)}s)${c.state_message ? `: ${c.state_message}` : ""}`);
    if (c.state === "RUNNING") return c;
    if (c.state === "TERMINATED" || c.state === "ERROR") throw new Error(`Cluster ${id} ended ${c.state} while starting: ${c.state_message ?? ""}`);
    if (elapsed >= timeoutMs) throw new Error(`Cluster ${id} is still ${c.state} after ${i.waitTimeoutSeconds ?? 1800} s; raise waitTimeoutSeconds.`);
    await abortableSleep(pollDelayMs(attempt, elapsed));
  }
}

function outputs(i: ClusterInputs, c: ClusterDetails): Record<string, unknown> {
  return {
    ...i,
    clusterId: c.cluster_id,
    state: c.state ?? "UNKNOWN",
    ...(c.state_message && { stateMessage: c.state_message }),
    ...(c.default_tags && { defaultTags: c.default_tags }),
  };
}
