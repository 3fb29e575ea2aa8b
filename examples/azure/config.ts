import * as pulumi from "@pulumi/pulumi";

/** The stack configuration of the real-Azure example (`pulumi config set <key> <value>`). */
export interface AzureFlowConfig {
  /**
   * Prefix of every Azure name (`<prefix>-rg`, `<prefix>mlstore`, `<prefix>-kv`, ...): 3-11
   * lowercase letters and digits, starting with a letter. The storage account and the Key Vault
   * names are global, so pick a prefix nobody else uses. Required.
   */
  readonly prefix: string;
  /** The Azure region of every resource. Default: `westeurope`. */
  readonly location: string;
  /** VM size of the Azure ML compute cluster the pipeline's steps run on. Default: `Standard_DS3_v2`. */
  readonly computeVmSize: string;
  /** Most nodes of that cluster (it scales down to none when idle). Default: `1`. */
  readonly computeMaxNodes: number;
  /** The Azure Databricks pricing tier: `premium`, `standard` or `trial`. Default: `premium`. */
  readonly databricksSku: string;
  /** Workers of the notebook run's new job cluster. Default: `1`. */
  readonly numWorkers: number;
  /** The job cluster's Databricks Runtime. Default: the latest long-term-support one (`databricks.getSparkVersion`). */
  readonly sparkVersion?: string;
  /** The job cluster's node type. Default: the smallest with a local disk and 4 cores (`databricks.getNodeType`). */
  readonly nodeTypeId?: string;
  /** Rows the notebook writes (its `rows` widget). Default: `10`. */
  readonly rows: number;
  /** Lifetime of the Databricks token the pipeline uses, in days. Default: `90`. */
  readonly tokenLifetimeDays: number;
  /**
   * What signs in to deploy (Azure checks it against the role assignment the deployer gets on the
   * vault): `User` (az login), `ServicePrincipal` or `Group`. Default: `User`.
   */
  readonly deployerPrincipalType: string;
}

const PREFIX = /^[a-z][a-z0-9]{2,10}$/;
const SKUS = ["premium", "standard", "trial"];
const PRINCIPAL_TYPES = ["User", "ServicePrincipal", "Group"];

/**
 * The example's configuration from `config`, with defaults filled in. Throws, naming the key and
 * the `pulumi config set` that fixes it, on a missing prefix or a value out of range; nothing is
 * created then.
 */
export function readAzureFlowConfig(config: pulumi.Config): AzureFlowConfig {
  const fix = (key: string, example: string) => `set it with \`pulumi config set ${key} ${example}\``;
  const prefix = config.get("prefix");
  if (prefix === undefined) throw new Error(`Config "prefix" is required (the start of every Azure name): ${fix("prefix", "mlflow42")}.`);
  if (!PREFIX.test(prefix)) {
    throw new Error(`Config "prefix" ${JSON.stringify(prefix)} is not valid: 3-11 lowercase letters and digits, starting with a letter (storage account names allow nothing else); ${fix("prefix", "mlflow42")}.`);
  }
  const count = (key: string, fallback: number, min: number, max: number): number => {
    const raw = config.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`Config "${key}" ${JSON.stringify(raw)} is not valid: a whole number from ${min} to ${max}; ${fix(key, String(fallback))}.`);
    return n;
  };
  const oneOf = (key: string, allowed: string[]): string => {
    const v = config.get(key) ?? allowed[0];
    if (!allowed.includes(v)) throw new Error(`Config "${key}" ${JSON.stringify(v)} is not valid: one of ${allowed.join(", ")}; ${fix(key, allowed[0])}.`);
    return v;
  };
  return {
    prefix,
    location: config.get("location") ?? "westeurope",
    computeVmSize: config.get("computeVmSize") ?? "Standard_DS3_v2",
    computeMaxNodes: count("computeMaxNodes", 1, 1, 100),
    databricksSku: oneOf("databricksSku", SKUS),
    numWorkers: count("numWorkers", 1, 0, 100),
    sparkVersion: config.get("sparkVersion"),
    nodeTypeId: config.get("nodeTypeId"),
    rows: count("rows", 10, 1, 1_000_000),
    tokenLifetimeDays: count("tokenLifetimeDays", 90, 1, 730),
    deployerPrincipalType: oneOf("deployerPrincipalType", PRINCIPAL_TYPES),
  };
}
