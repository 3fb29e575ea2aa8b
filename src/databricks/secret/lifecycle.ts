/**
 * The DatabricksSecret provider's operations: `secrets/put` on create (after `secrets/list` shows
 * the key free, or with `adopt`) and update, `secrets/list` on refresh, `secrets/delete`. The service never returns a value, so state
 * keeps the one written; a newer `last_updated_timestamp` means someone wrote the key since, and
 * the next `up` writes the program's value again. Values are never printed or put in an error.
 */
import { withKeyDetail } from "../../core/engineDiff";
import { CheckFailure, isBase64, known, UNKNOWN } from "../../core/check";
import { DatabricksApi, DatabricksApiError, isNotFound } from "../client";
import type { SecretMetadata } from "../client/types";
import { checkAdopt, takeoverRefused } from "../../core/takeover";
import type { PutSecretRequest } from "../client/types";
import { ServiceError } from "../../core/errors";
import { checkWithHost, databricksApi, ignoreGone } from "../shared/connection";
import { progress } from "../../core/progress";
import { SCOPE_NAME_PATTERN, SECRET_KEY_PATTERN } from "../shared/names";

/** Inputs as they reach the provider (values unwrapped by the engine). */
export interface SecretInputs {
  host: string;
  scope: string;
  key: string;
  /** The value as text; exclusive with `bytesValue`. */
  stringValue?: string;
  /** The value as base64; exclusive with `stringValue`. */
  bytesValue?: string;
  /** Write over a key that already holds a value when creating. Default false. */
  adopt?: boolean;
}

/** What state holds: the inputs (values re-marked secret by the engine) and the write time. */
export interface SecretOutputs extends SecretInputs {
  /** When the value was last written, epoch milliseconds. */
  lastUpdatedTimestamp?: number;
}

/** Largest value the service accepts, in bytes. */
export const MAX_SECRET_BYTES = 128 * 1024;
const IDENTITY_KEYS = ["host", "scope", "key"] as const;
const VALUE_KEYS = ["stringValue", "bytesValue"] as const;

/**
 * Validates the inputs, every failure at once, each naming its property; unknown preview values
 * pass. Reasons never contain a value. No host.
 */
export function checkSecret(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  // The spec form resolves the kind of value it does not carry to a (secret) null.
  for (const k of VALUE_KEYS) if (inputs[k] === null) delete inputs[k];

  const scope = inputs.scope;
  if (scope === undefined || scope === "") fail("scope", "scope is required: the name of a secret scope (e.g. a DatabricksSecretScope's name).");
  else if (known(scope) && (typeof scope !== "string" || !SCOPE_NAME_PATTERN.test(scope))) {
    fail("scope", `scope "${String(scope)}" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.`);
  }
  const key = inputs.key;
  if (key === undefined || key === "") fail("key", "key is required: 1-128 letters, digits and _ . -.");
  else if (known(key) && (typeof key !== "string" || !SECRET_KEY_PATTERN.test(key))) fail("key", `key "${String(key)}" is not valid: use 1-128 letters, digits and _ . -.`);

  const given = VALUE_KEYS.filter((k) => inputs[k] !== undefined);
  if (given.length === 0) fail("stringValue", "give exactly one of stringValue and bytesValue (base64).");
  if (given.length === 2) fail("bytesValue", "stringValue and bytesValue are mutually exclusive: give the value as text (stringValue) or as base64 bytes (bytesValue), not both.");
  for (const k of given) {
    const v = inputs[k];
    if (!known(v)) continue;
    if (typeof v !== "string") {
      fail(k, `${k} must be a string${k === "bytesValue" ? " of base64" : ""}, not ${Array.isArray(v) ? "an array" : typeof v}.`);
      continue;
    }
    if (k === "bytesValue" && !isBase64(v)) {
      fail(k, 'bytesValue must be base64 (A-Z, a-z, 0-9, +, / and = padding), e.g. Buffer.from(bytes).toString("base64").');
      continue;
    }
    const size = k === "bytesValue" ? Buffer.from(v, "base64").length : Buffer.byteLength(v, "utf8");
    if (size > MAX_SECRET_BYTES) fail(k, `${k} is larger than the 128 KB Databricks accepts per secret.`);
  }
  checkAdopt(inputs, fail);
  return { inputs, failures };
}

/** Validation at preview and up; fills `host` from the environment when absent. */
export const check = checkWithHost(checkSecret);

/** The engine's diff result, plus the keys that changed (for the progress line). */
export interface SecretDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys: string[];
}

/** Workspace, scope or key replace the secret (deleting the old one first); a new value overwrites it. */
export function diffSecret(olds: Partial<SecretOutputs>, news: Partial<SecretInputs>): SecretDiff {
  const changed = (k: keyof SecretInputs) => news[k] === UNKNOWN || olds[k] !== news[k];
  const replaces: string[] = IDENTITY_KEYS.filter(changed);
  const changedKeys = [...replaces, ...VALUE_KEYS.filter(changed)];
  return { changes: changedKeys.length > 0, replaces, deleteBeforeReplace: true, changedKeys };
}

export async function diff(_id: string, olds: SecretOutputs, news: SecretInputs): Promise<Omit<SecretDiff, "changedKeys">> {
  const { changedKeys, ...d } = diffSecret(olds, news);
  if (d.changes) {
    const scope = known(news.scope) ? news.scope : olds.scope;
    const key = known(news.key) ? news.key : olds.key;
    const effect = d.replaces.length > 0 ? "replace it (delete, then put)" : "overwrite the value";
    progress(`Databricks secret "${scope}/${key}": ${changedKeys.join(", ")} changed; will ${effect}.`);
  }
  return withKeyDetail(d, olds, news, changedKeys);
}

/**
 * Puts the value; the id is `<scope>/<key>`. A key that already holds a value is refused unless
 * `adopt` is set (`secrets/put` would overwrite it; the one takeover policy, `core/takeover`).
 */
export async function create(inputs: SecretInputs): Promise<{ id: string; outs: SecretOutputs }> {
  const api = databricksApi(inputs.host);
  if (!inputs.adopt && (await metadata(api, inputs.scope, inputs.key))) {
    throw takeoverRefused({
      object: `Databricks secret "${inputs.scope}/${inputs.key}" in ${inputs.host}`,
      adopting: "writes the program's value over it",
      destroy: "deletes it",
      otherwise: "choose another key",
    });
  }
  return { id: `${inputs.scope}/${inputs.key}`, outs: await put(api, inputs) };
}

/** Overwrites the value. */
export async function update(_id: string, _olds: SecretOutputs, news: SecretInputs): Promise<{ outs: SecretOutputs }> {
  return { outs: await put(databricksApi(news.host), news) };
}

/** The key's entry in `secrets/list`; undefined when the key, or its whole scope, is absent. */
async function metadata(api: DatabricksApi, scope: string, key: string): Promise<SecretMetadata | undefined> {
  try {
    return (await api.secrets.listSecrets(scope)).find((s) => s.key === key);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function put(api: DatabricksApi, inputs: SecretInputs): Promise<SecretOutputs> {
  const request: PutSecretRequest = { scope: inputs.scope, key: inputs.key };
  if (inputs.stringValue !== undefined) request.string_value = inputs.stringValue;
  else request.bytes_value = inputs.bytesValue;
  try {
    await api.secrets.putSecret(request);
  } catch (err) {
    throw await withHint(api, err, inputs);
  }
  const meta = (await api.secrets.listSecrets(inputs.scope)).find((s) => s.key === inputs.key);
  return outputs(inputs, meta?.last_updated_timestamp);
}

function outputs(inputs: SecretInputs, lastUpdatedTimestamp: number | undefined): SecretOutputs {
  const outs: SecretOutputs = { host: inputs.host, scope: inputs.scope, key: inputs.key };
  if (inputs.stringValue !== undefined) outs.stringValue = inputs.stringValue;
  if (inputs.bytesValue !== undefined) outs.bytesValue = inputs.bytesValue;
  if (inputs.adopt !== undefined) outs.adopt = inputs.adopt;
  if (lastUpdatedTimestamp !== undefined) outs.lastUpdatedTimestamp = lastUpdatedTimestamp;
  return outs;
}

/**
 * The put's error with what to do about it. The service answers a put into a Key Vault-backed scope
 * with a code that does not say so, so the scope's backend is looked up (only on this failure); a
 * RESOURCE_DOES_NOT_EXIST of a put is its scope (the one object a put needs).
 */
async function withHint(api: DatabricksApi, err: unknown, inputs: SecretInputs): Promise<unknown> {
  if (!(err instanceof DatabricksApiError)) return err;
  let hint: string | undefined;
  if (isNotFound(err)) {
    hint = `Create the scope first: pass a DatabricksSecretScope's name output as scope, so Pulumi creates the scope before its secrets.`;
  } else if (err.status === 400 && (await scopeBackend(api, inputs.scope)) === "AZURE_KEYVAULT") {
    hint = `Scope "${inputs.scope}" is backed by Azure Key Vault and is read-only from Databricks: write the secret in the vault (KeyVaultSecret) and read it through the scope.`;
  }
  return hint ? new ServiceError({ operation: err.operation, status: err.status, code: err.errorCode, message: err.serviceMessage, hint }) : err;
}

/** The backend of a scope, or `undefined` when it cannot be told. */
async function scopeBackend(api: DatabricksApi, scope: string): Promise<string | undefined> {
  try {
    return (await api.secrets.listScopes()).find((s) => s.name === scope)?.backend_type;
  } catch {
    return undefined;
  }
}

/**
 * Looks the key up in `secrets/list`. Gone when the key or its scope is gone. A write newer than
 * ours (someone else put a value) drops the value from state, so the next `up` writes it again.
 */
export async function read(id: string, props: SecretOutputs): Promise<{ id: string; props: Partial<SecretOutputs>; inputs?: Partial<SecretInputs> }> {
  const meta = await metadata(databricksApi(props.host), props.scope, props.key);
  if (!meta) return { id: "", props: {} };
  const remote = meta.last_updated_timestamp;
  const ours = props.lastUpdatedTimestamp;
  if (remote !== undefined && ours !== undefined && remote > ours) {
    progress(
      `Databricks secret "${props.scope}/${props.key}" was written outside Pulumi at ${new Date(remote).toISOString()}; ` +
        "its value cannot be read back, so the next pulumi up writes the program's value again.",
    );
    const outs: SecretOutputs = { host: props.host, scope: props.scope, key: props.key, lastUpdatedTimestamp: remote };
    return { id, props: outs, inputs: { host: props.host, scope: props.scope, key: props.key } };
  }
  return { id, props: outputs(props, remote ?? ours) };
}

/** Deletes the secret; a secret (or scope) already gone counts as deleted. */
export async function remove(_id: string, props: SecretOutputs): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).secrets.deleteSecret(props.scope, props.key));
}
