/**
 * The Python that manages a mount inside Databricks. Mounts have no REST API: like Terraform's
 * databricks_mount, we run `dbutils.fs.mount` on a cluster. The storage key is read there from a
 * secret scope, so it never passes through Pulumi. Each snippet leaves its answer as JSON in
 * the variable RESULT.
 */

/** What a mount operation needs to know. */
export interface MountTarget {
  mountPoint: string;
  source: string;
  /** Spark configuration key that carries the account key, e.g. fs.azure.account.key.<acct>.blob.core.windows.net. */
  configKey: string;
  keyScope: string;
  keyName: string;
}

const lit = (s: string) => JSON.stringify(s);

/** Mounts unless already mounted; reports `mounted`, `already-mounted` or `conflict` with the current source. */
export function mountCode(t: MountTarget): string {
  return [
    "import json",
    `mount_point = ${lit(t.mountPoint)}`,
    `source = ${lit(t.source)}`,
    "current = {m.mountPoint: m.source for m in dbutils.fs.mounts()}",
    "if mount_point in current and current[mount_point].rstrip('/') != source.rstrip('/'):",
    "    RESULT = json.dumps({'status': 'conflict', 'source': current[mount_point]})",
    "elif mount_point in current:",
    "    RESULT = json.dumps({'status': 'already-mounted', 'source': current[mount_point]})",
    "else:",
    `    configs = {${lit(t.configKey)}: dbutils.secrets.get(scope=${lit(t.keyScope)}, key=${lit(t.keyName)})}`,
    "    dbutils.fs.mount(source=source, mount_point=mount_point, extra_configs=configs)",
    "    RESULT = json.dumps({'status': 'mounted', 'source': source})",
  ].join("\n");
}

/** Reports the source mounted at the mount point, or null. */
export function lookupCode(mountPoint: string): string {
  return [
    "import json",
    "dbutils.fs.refreshMounts()",
    `RESULT = json.dumps({'source': {m.mountPoint: m.source for m in dbutils.fs.mounts()}.get(${lit(mountPoint)})})`,
  ].join("\n");
}

/** Unmounts when mounted; reports whether it did. */
export function unmountCode(mountPoint: string): string {
  return [
    "import json",
    `mount_point = ${lit(mountPoint)}`,
    "mounted = mount_point in [m.mountPoint for m in dbutils.fs.mounts()]",
    "if mounted:",
    "    dbutils.fs.unmount(mount_point)",
    "RESULT = json.dumps({'unmounted': mounted})",
  ].join("\n");
}
