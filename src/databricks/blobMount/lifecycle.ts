/**
 * The DatabricksBlobMount provider's operations: mount an Azure Blob container at /mnt/<name>
 * with the account key read from a secret scope inside Databricks, look it up, unmount it.
 */
import { withKeyDetail } from "../../core/engineDiff";
import { CheckFailure, checkListening, failureList, isObject, known, sameJson, UNKNOWN } from "../../core/check";
import { progress } from "../../core/progress";
import type { NewCluster } from "../client";
import { checkClusterSpec, ClusterSpecInput, toWireCluster } from "../shared/cluster";
import { checkHost, DATABRICKS_HOST_SETTINGS, databricksApi } from "../shared/connection";
import { checkAdopt, takeoverRefused } from "../../core/takeover";
import { SCOPE_NAME_PATTERN, SECRET_KEY_PATTERN } from "../shared/names";
import { lookupCode, mountCode, MountTarget, unmountCode } from "./mountCode";
import { MountCompute, runSnippet } from "./mountExecution";
import { noteExpectedDuration, takeExpectedDuration } from "../../core/expectedDurations";

/** Inputs as they reach the provider. */
export interface BlobMountInputs {
  host: string;
  mountName: string;
  storageAccountName: string;
  containerName: string;
  directory?: string;
  accountKeyScope: string;
  accountKeyName: string;
  clusterId?: string;
  jobCluster?: ClusterSpecInput;
  /** Take over the mount when the source is already mounted at the mount point. Default false. */
  adopt?: boolean;
}

/** State: inputs plus where and what is mounted. */
export interface BlobMountOutputs extends BlobMountInputs {
  mountPoint: string;
  source: string;
  /** How long the last one-time mount run took (ms); the next one polls by it. */
  mountRunMs?: number;
}

const MOUNT_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const ACCOUNT = /^[a-z0-9]{3,24}$/;
const CONTAINER = /^(\$root|[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9])$/;
/** The one-time runs' cluster when the program names none: the smallest single-node cluster. */
const SINGLE_NODE: NewCluster = {
  spark_version: "15.4.x-scala2.12",
  node_type_id: "Standard_DS3_v2",
  num_workers: 0,
  spark_conf: { "spark.databricks.cluster.profile": "singleNode", "spark.master": "local[*]" },
  custom_tags: { ResourceClass: "SingleNode" },
};
const IDENTITY_KEYS = ["host", "mountName", "storageAccountName", "containerName", "directory", "accountKeyScope", "accountKeyName"] as const;

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  const { failures, fail } = failureList();
  const rule = (key: string, pattern: RegExp, reason: string) => {
    const v = inputs[key];
    if (v === undefined || v === "") fail(key, `${key} is required: ${reason}`);
    else if (known(v) && (typeof v !== "string" || !pattern.test(v))) fail(key, `${key} "${String(v)}" is not valid: ${reason}`);
  };
  rule("mountName", MOUNT_NAME, "the mount point is /mnt/<mountName>; use letters, digits, '.', '_' and '-'.");
  rule("storageAccountName", ACCOUNT, "a storage account name has 3-24 lowercase letters and digits.");
  rule("containerName", CONTAINER, "a container name has 3-63 lowercase letters, digits and single dashes.");
  rule("accountKeyScope", SCOPE_NAME_PATTERN, "the Databricks secret scope holding the storage account key.");
  rule("accountKeyName", SECRET_KEY_PATTERN, "the key, in accountKeyScope, of the storage account key.");
  if (known(inputs.directory) && inputs.directory !== undefined && (typeof inputs.directory !== "string" || inputs.directory.startsWith("/"))) {
    fail("directory", "directory is a path inside the container without a leading '/', e.g. \"raw/2024\".");
  }
  const jobCluster = inputs.jobCluster;
  if (known(jobCluster) && jobCluster !== undefined) {
    if (!isObject(jobCluster)) fail("jobCluster", "jobCluster must be cluster settings, e.g. { sparkVersion: \"15.4.x-scala2.12\", nodeTypeId: \"Standard_DS3_v2\" }.");
    else checkClusterSpec(jobCluster, "jobCluster", fail, { ...SINGLE_NODE });
  }
  checkAdopt(inputs, fail);
  checkHost(inputs, failures);
  await checkListening({ inputs, failures }, "host", DATABRICKS_HOST_SETTINGS);
  return { inputs, failures };
}

/**
 * Another mount point or source replaces the mount (unmount, then mount). So does a mount point
 * that refresh found holding another source than the program's (remounted out of band): `source`.
 */
export async function diff(_id: string, olds: BlobMountOutputs, news: BlobMountInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces: string[] = IDENTITY_KEYS.filter((k) => (olds[k] ?? "") !== (news[k] ?? ""));
  if (replaces.length === 0 && olds.source !== undefined && knownInputs(news) && olds.source !== target(news).source) replaces.push("source");
  const settings = (["clusterId", "jobCluster"] as const).filter((k) => !sameJson(olds[k], news[k]));
  if (replaces.length + settings.length > 0) {
    const effect = replaces.length > 0 ? "will unmount and mount again" : "only where mount commands run changes";
    progress(`Mount /mnt/${news.mountName}: ${[...replaces, ...settings].join(", ")} changed; ${effect}.`);
  }
  // The mount's create after a replacement gets the new inputs only: its run polls by the old one's duration.
  if (replaces.length > 0) noteExpectedDuration(news, olds.mountRunMs);
  return withKeyDetail({ changes: replaces.length + settings.length > 0, replaces, deleteBeforeReplace: true }, olds, news, [...replaces, ...settings]);
}

/**
 * Mounts the source. A mount point that holds another source is refused; one that already holds
 * this source is adopted only with `adopt` (the one takeover policy, `core/takeover`).
 */
export async function create(inputs: BlobMountInputs): Promise<{ id: string; outs: BlobMountOutputs }> {
  const t = target(inputs);
  const { value: result, runMs } = await runSnippet(databricksApi(inputs.host), compute(inputs), mountCode(t), label(inputs), takeExpectedDuration(inputs));
  if (result.status === "conflict") {
    throw new Error(
      `${label(inputs)}: ${t.mountPoint} already holds ${String(result.source)}, not ${t.source}. ` +
        `Unmount it first (dbutils.fs.unmount("${t.mountPoint}")) or choose another mountName.`,
    );
  }
  if (result.status !== "mounted" && !inputs.adopt) {
    throw takeoverRefused({ object: `The mount ${t.mountPoint} of ${t.source} in ${inputs.host}`, adopting: "keeps it as it is", destroy: "unmounts it", otherwise: "choose another mountName" });
  }
  progress(`${label(inputs)}: ${result.status === "mounted" ? "mounted" : "already mounted; adopting it (adopt: true)"} ${t.source}`);
  return { id: t.mountPoint, outs: { ...inputs, mountPoint: t.mountPoint, source: t.source, ...(runMs !== undefined && { mountRunMs: runMs }) } };
}

/** Looks in dbutils.fs.mounts(): absent -> gone; another source -> drift (the next up mounts the program's source again). */
export async function read(id: string, props: BlobMountOutputs): Promise<{ id: string; props: BlobMountOutputs | Record<string, never> }> {
  const { value: result } = await runSnippet(databricksApi(props.host), compute(props), lookupCode(props.mountPoint), label(props), props.mountRunMs);
  if (result.source === null || result.source === undefined) return { id: "", props: {} };
  return { id, props: { ...props, source: String(result.source) } };
}

export async function update(_id: string, olds: BlobMountOutputs, news: BlobMountInputs): Promise<{ outs: BlobMountOutputs }> {
  return { outs: { ...olds, ...news } };
}

export async function remove(_id: string, props: BlobMountOutputs): Promise<void> {
  await runSnippet(databricksApi(props.host), compute(props), unmountCode(props.mountPoint), label(props), props.mountRunMs);
}

function target(i: BlobMountInputs): MountTarget {
  const host = `${i.storageAccountName}.blob.core.windows.net`;
  return {
    mountPoint: `/mnt/${i.mountName}`,
    source: `wasbs://${i.containerName}@${host}${i.directory ? `/${i.directory}` : ""}`,
    configKey: `fs.azure.account.key.${host}`,
    keyScope: i.accountKeyScope,
    keyName: i.accountKeyName,
  };
}

/** Where the mount commands run: the program's cluster, else one-time runs on the single-node cluster with the program's settings over it. */
function compute(i: BlobMountInputs): MountCompute {
  const named = i.jobCluster ? toWireCluster(i.jobCluster) : {};
  const jobCluster = { ...SINGLE_NODE, ...named } as NewCluster;
  if (named.num_workers !== undefined || named.autoscale !== undefined) {
    // A cluster with workers is not single-node: drop the single-node settings.
    delete jobCluster.spark_conf;
    delete jobCluster.custom_tags;
    if (named.autoscale !== undefined) delete jobCluster.num_workers;
  }
  return { clusterId: i.clusterId, jobCluster };
}

const label = (i: BlobMountInputs) => `Mount /mnt/${i.mountName}`;

/** Whether the inputs that make the source are all known (at preview they may not be). */
function knownInputs(i: BlobMountInputs): boolean {
  return [i.storageAccountName, i.containerName, i.directory].every((v) => v !== UNKNOWN);
}
