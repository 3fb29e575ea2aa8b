/**
 * The DatabricksSecret provider's operations. The value can be written but never read back, so
 * refresh checks that the key exists and keeps the value it wrote.
 */
import { CheckFailure, known } from "../checks";
import { isNotFound } from "../databricks";
import { checkHost, databricksApi, ignoreGone, progress } from "./connection";

/** Inputs as they reach the provider (values unwrapped). */
export interface SecretInputs {
  host: string;
  scope: string;
  key: string;
  stringValue?: string;
  bytesValue?: string;
}

const KEY = /^[\w.-]{1,128}$/;
const MAX_BYTES = 128 * 1024;

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  const failures: CheckFailure[] = [];
  if (!inputs.scope) failures.push({ property: "scope", reason: "scope is required: the name of a secret scope (e.g. a DatabricksSecretScope's name)." });
  if (inputs.key === undefined || inputs.key === "") failures.push({ property: "key", reason: "key is required: 1-128 letters, digits and _ . -." });
  else if (known(inputs.key) && (typeof inputs.key !== "string" || !KEY.test(inputs.key))) failures.push({ property: "key", reason: `key "${String(inputs.key)}" is not valid: use 1-128 letters, digits and _ . -.` });
  const given = (["stringValue", "bytesValue"] as const).filter((k) => inputs[k] !== undefined);
  if (given.length !== 1) failures.push({ property: "stringValue", reason: "give exactly one of stringValue and bytesValue (base64)." });
  for (const k of given) {
    const v = inputs[k];
    if (!known(v)) continue;
    if (typeof v !== "string") failures.push({ property: k, reason: `${k} must be a string.` });
    else if ((k === "bytesValue" ? Buffer.from(v, "base64").length : Buffer.byteLength(v)) > MAX_BYTES) failures.push({ property: k, reason: `${k} is larger than the 128 KB Databricks accepts per secret.` });
  }
  checkHost(inputs, failures);
  return { inputs, failures };
}

export async function diff(_id: string, olds: SecretInputs, news: SecretInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = (["host", "scope", "key"] as const).filter((k) => olds[k] !== news[k]);
  const updates = (["stringValue", "bytesValue"] as const).filter((k) => olds[k] !== news[k]);
  if (replaces.length + updates.length > 0) {
    progress(`Databricks secret "${news.scope}/${news.key}": ${[...replaces, ...updates].join(", ")} changed; will ${replaces.length > 0 ? "replace it" : "overwrite the value"}.`);
  }
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: true };
}

export async function create(inputs: SecretInputs): Promise<{ id: string; outs: Record<string, unknown> }> {
  return { id: `${inputs.scope}/${inputs.key}`, outs: await put(inputs) };
}

export async function update(_id: string, _olds: SecretInputs, news: SecretInputs): Promise<{ outs: Record<string, unknown> }> {
  return { outs: await put(news) };
}

async function put(inputs: SecretInputs): Promise<Record<string, unknown>> {
  const api = databricksApi(inputs.host);
  await api.secrets.putSecret({ scope: inputs.scope, key: inputs.key, ...(inputs.stringValue !== undefined ? { string_value: inputs.stringValue } : { bytes_value: inputs.bytesValue }) });
  const meta = (await api.secrets.listSecrets(inputs.scope)).find((s) => s.key === inputs.key);
  return { ...inputs, ...(meta?.last_updated_timestamp !== undefined && { lastUpdatedTimestamp: meta.last_updated_timestamp }) };
}

export async function read(id: string, props: SecretInputs): Promise<{ id: string; props: Record<string, unknown> }> {
  try {
    const meta = (await databricksApi(props.host).secrets.listSecrets(props.scope)).find((s) => s.key === props.key);
    if (!meta) return { id: "", props: {} };
    return { id, props: { ...props, ...(meta.last_updated_timestamp !== undefined && { lastUpdatedTimestamp: meta.last_updated_timestamp }) } };
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
}

export async function remove(_id: string, props: SecretInputs): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).secrets.deleteSecret(props.scope, props.key));
}
