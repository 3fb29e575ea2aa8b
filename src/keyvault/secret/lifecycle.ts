/**
 * The KeyVaultSecret provider's operations. Required by the provider at call time, in the
 * engine's provider process, so this code can change without breaking resources already in state.
 */
import { checkListening } from "../../core/check";
import { ServiceError, withContext } from "../../core/errors";
import { takeoverRefused } from "../../core/takeover";
import { currentTarget } from "../../core/target";
import { createKeyVaultApi, SecretBundle, SecretsApi, versionOf } from "../client";
import { checkSecretInputs, CheckFailure, diffSecret, SecretDiff, SecretInputs, SecretOutputs } from "./inputs";

const SOFT_DELETE_DOC = "https://learn.microsoft.com/azure/key-vault/general/key-vault-recovery";

/** Validation at preview and up. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  return checkListening(checkSecretInputs(news, currentTarget()), "vaultUrl", "vaultUrl");
}

/** What a change does; see {@link diffSecret}. */
export async function diff(_id: string, olds: SecretOutputs, news: SecretInputs): Promise<Omit<SecretDiff, "changedKeys">> {
  const { changes, replaces, deleteBeforeReplace, changedKeys } = diffSecret(olds, news);
  // The engine shows no property-level diff for dynamic resources and masks secret changes, so
  // say here (it reaches the CLI as an info line) what changed and what it will do.
  if (changes) {
    const effect = replaces.length > 0 ? "replace the secret (delete, then create)" : "write a new version";
    console.log(`Key Vault secret "${news.name}": ${changedKeys.join(", ")} changed; will ${effect}.`);
  }
  return { changes, replaces, deleteBeforeReplace };
}

/**
 * Sets the secret (its first version) and returns the resource id and outputs. A secret that
 * already exists is refused unless `adopt` is set (the one takeover policy, `core/takeover`).
 */
export async function create(inputs: SecretInputs): Promise<{ id: string; outs: SecretOutputs }> {
  const client = secretsOf(inputs.vaultUrl);
  if (await latestVersion(client, inputs)) {
    const destroy = inputs.purgeOnDelete ? "deletes and purges it, with all its versions" : "soft-deletes it, with all its versions";
    if (!inputs.adopt) throw takeoverRefused({ object: `Key Vault secret "${inputs.name}" in ${inputs.vaultUrl}`, adopting: "writes a new version of it", destroy, otherwise: "choose another name" });
    console.log(`Key Vault secret "${inputs.name}" already exists in ${inputs.vaultUrl}; adopting it (adopt: true): setting a new version and managing it from now on.`);
  }
  const outs = await writeVersion(client, inputs, "create");
  return { id: outs.versionlessId, outs };
}

/** Writes a new version carrying the new value and attributes. */
export async function update(_id: string, _olds: SecretOutputs, news: SecretInputs): Promise<{ outs: SecretOutputs }> {
  return { outs: await writeVersion(secretsOf(news.vaultUrl), news, "update") };
}

/**
 * Reads the latest version back. A secret deleted out of band (soft-deleted or purged) is
 * reported gone; a changed value, content type, tags or attributes flow back as drift.
 */
export async function read(id: string, props: SecretOutputs): Promise<{ id: string; props: Partial<SecretOutputs>; inputs?: Partial<SecretInputs> }> {
  let secret: SecretBundle;
  try {
    secret = await secretsOf(props.vaultUrl).getSecret(props.name);
  } catch (err) {
    if (statusOf(err) === 404) return { id: "", props: {} };
    if (codeOf(err) === "SecretDisabled") return disabledOutOfBand(id, props);
    throw inContext(err, { operation: `read Key Vault secret "${props.name}" in ${props.vaultUrl}` });
  }
  const outs = toOutputs(props, secret);
  return { id, props: outs, inputs: inputsOf(outs) };
}

/** Soft-deletes the secret and, when `purgeOnDelete` is set, purges it. */
export async function remove(_id: string, props: SecretOutputs): Promise<void> {
  const client = secretsOf(props.vaultUrl);
  const where = `Key Vault secret "${props.name}" in ${props.vaultUrl}`;
  try {
    await client.deleteSecret(props.name);
  } catch (err) {
    // Already soft-deleted or purged out of band: nothing left to delete.
    if (statusOf(err) !== 404) throw inContext(err, { operation: `delete ${where}` });
  }
  if (!props.purgeOnDelete) return;
  try {
    await client.purgeDeletedSecret(props.name);
  } catch (err) {
    const status = statusOf(err) ?? 0;
    if (status === 404) return;
    // Refused (403, 409): say why purges are refused. Anything else (throttling, a timeout) as it is.
    const refused = status >= 400 && status < 500;
    throw inContext(err, {
      operation: `purge ${where}`,
      ...(refused
        ? {
            hint: "Purging needs the 'purge' secret permission and is refused while the vault has purge protection; set purgeOnDelete: false to keep soft-deleted secrets.",
            link: SOFT_DELETE_DOC,
          }
        : {}),
    });
  }
}

/** The secrets API of a vault, for the current target. */
function secretsOf(vaultUrl: string): SecretsApi {
  return createKeyVaultApi({ vaultUrl }).secrets;
}

async function latestVersion(client: SecretsApi, inputs: SecretInputs): Promise<boolean> {
  try {
    await client.getSecret(inputs.name);
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    if (codeOf(err) === "SecretDisabled") return true;
    throw inContext(err, { operation: `look up Key Vault secret "${inputs.name}" in ${inputs.vaultUrl}` });
  }
}

async function writeVersion(client: SecretsApi, inputs: SecretInputs, verb: "create" | "update"): Promise<SecretOutputs> {
  try {
    const secret = await client.setSecret(inputs.name, {
      value: inputs.value,
      contentType: inputs.contentType,
      tags: inputs.tags,
      attributes: { enabled: inputs.enabled, nbf: unixSeconds(inputs.notBefore), exp: unixSeconds(inputs.expires) },
    });
    return toOutputs(inputs, secret);
  } catch (err) {
    const operation = `${verb} Key Vault secret "${inputs.name}" in ${inputs.vaultUrl}`;
    if (codeOf(err) === "ObjectIsDeletedButRecoverable") {
      throw inContext(err, {
        operation,
        hint:
          `The name "${inputs.name}" belongs to a soft-deleted secret. Either recover it ` +
          `(az keyvault secret recover --id ${inputs.vaultUrl}/deletedsecrets/${inputs.name}) and run pulumi up again, ` +
          `or purge it if its old versions are not needed (az keyvault secret purge --id ${inputs.vaultUrl}/deletedsecrets/${inputs.name}), ` +
          `or choose another name.`,
        link: SOFT_DELETE_DOC,
      });
    }
    throw inContext(err, { operation });
  }
}

/** Outputs from the inputs we wrote and the bundle Key Vault returned; absent values stay absent. */
function toOutputs(base: SecretInputs, secret: SecretBundle): SecretOutputs {
  const version = versionOf(secret.id);
  const a = secret.attributes ?? {};
  const outs: SecretOutputs = {
    vaultUrl: base.vaultUrl,
    name: base.name,
    value: secret.value ?? base.value,
    secretId: secret.id ?? `${base.vaultUrl}/secrets/${base.name}/${version}`,
    versionlessId: `${base.vaultUrl}/secrets/${base.name}`,
    version,
  };
  if (secret.contentType !== undefined) outs.contentType = secret.contentType;
  if (secret.tags && Object.keys(secret.tags).length > 0) outs.tags = secret.tags;
  // `enabled` is stored only when the program set it or it differs from the default.
  if (base.enabled !== undefined || a.enabled === false) outs.enabled = a.enabled ?? true;
  if (a.nbf !== undefined) outs.notBefore = sameInstant(base.notBefore, a.nbf) ?? isoDate(a.nbf);
  if (a.exp !== undefined) outs.expires = sameInstant(base.expires, a.exp) ?? isoDate(a.exp);
  if (base.purgeOnDelete !== undefined) outs.purgeOnDelete = base.purgeOnDelete;
  if (base.adopt !== undefined) outs.adopt = base.adopt;
  return outs;
}

/** Keeps the program's spelling of a date when Key Vault holds the same instant (it stores seconds). */
function sameInstant(given: string | undefined, actualSeconds: number): string | undefined {
  if (!given) return undefined;
  return unixSeconds(given) === actualSeconds ? given : undefined;
}

function unixSeconds(iso: string | undefined): number | undefined {
  return iso ? Math.floor(Date.parse(iso) / 1000) : undefined;
}

function isoDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

function statusOf(err: unknown): number | undefined {
  return err instanceof ServiceError ? err.status : undefined;
}

function codeOf(err: unknown): string | undefined {
  return err instanceof ServiceError ? err.code : undefined;
}

/** A client error told as the resource's operation; anything else (a bug) as it is. */
function inContext(err: unknown, context: { operation: string; hint?: string; link?: string }): unknown {
  return err instanceof ServiceError ? withContext(err, context) : err;
}

function inputsOf(outs: SecretOutputs): Partial<SecretInputs> {
  const { secretId: _s, versionlessId: _v, version: _n, ...inputs } = outs;
  return inputs;
}

function disabledOutOfBand(id: string, props: SecretOutputs): { id: string; props: SecretOutputs; inputs: Partial<SecretInputs> } {
  const outs = { ...props, enabled: false };
  return { id, props: outs, inputs: inputsOf(outs) };
}
