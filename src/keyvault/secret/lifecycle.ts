/**
 * The KeyVaultSecret provider's operations. Required by the provider at call time, in the
 * engine's provider process, so this code can change without breaking resources already in state.
 */
import type { KeyVaultSecret as SdkSecret, SecretClient } from "@azure/keyvault-secrets";
import { azureErrorCode, azureErrorStatus, fromAzureError } from "../../core/errors";
import { currentTarget } from "../../core/target";
import { checkSecretInputs, CheckFailure, diffSecret, SecretDiff, SecretInputs, SecretOutputs } from "./inputs";
import { secretClientFor } from "../client/secretClient";

const SOFT_DELETE_DOC = "https://learn.microsoft.com/azure/key-vault/general/key-vault-recovery";

/** Validation at preview and up. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  return checkSecretInputs(news, currentTarget());
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

/** Sets the secret (its first version) and returns the resource id and outputs. */
export async function create(inputs: SecretInputs): Promise<{ id: string; outs: SecretOutputs }> {
  const client = secretClientFor(inputs.vaultUrl);
  const existed = await latestVersion(client, inputs);
  if (existed) {
    console.log(`Key Vault secret "${inputs.name}" already exists in ${inputs.vaultUrl}; setting a new version and managing it from now on.`);
  }
  const outs = await writeVersion(client, inputs, "create");
  return { id: outs.versionlessId, outs };
}

/** Writes a new version carrying the new value and attributes. */
export async function update(_id: string, _olds: SecretOutputs, news: SecretInputs): Promise<{ outs: SecretOutputs }> {
  return { outs: await writeVersion(secretClientFor(news.vaultUrl), news, "update") };
}

/**
 * Reads the latest version back. A secret deleted out of band (soft-deleted or purged) is
 * reported gone; a changed value, content type, tags or attributes flow back as drift.
 */
export async function read(id: string, props: SecretOutputs): Promise<{ id: string; props: Partial<SecretOutputs>; inputs?: Partial<SecretInputs> }> {
  const client = secretClientFor(props.vaultUrl);
  let secret: SdkSecret;
  try {
    secret = await client.getSecret(props.name);
  } catch (err) {
    if (azureErrorStatus(err) === 404) return { id: "", props: {} };
    if (azureErrorCode(err) === "SecretDisabled") return disabledOutOfBand(id, props);
    throw fromAzureError(`read Key Vault secret "${props.name}" in ${props.vaultUrl}`, err);
  }
  const outs = toOutputs(props, secret);
  return { id, props: outs, inputs: inputsOf(outs) };
}

/** Soft-deletes the secret and, when `purgeOnDelete` is set, purges it. */
export async function remove(_id: string, props: SecretOutputs): Promise<void> {
  const client = secretClientFor(props.vaultUrl);
  const where = `Key Vault secret "${props.name}" in ${props.vaultUrl}`;
  try {
    const poller = await client.beginDeleteSecret(props.name, { intervalInMs: pollInterval() });
    await poller.pollUntilDone();
  } catch (err) {
    // Already soft-deleted or purged out of band: nothing left to delete.
    if (azureErrorStatus(err) !== 404) throw fromAzureError(`delete ${where}`, err);
  }
  if (!props.purgeOnDelete) return;
  try {
    await client.purgeDeletedSecret(props.name);
  } catch (err) {
    if (azureErrorStatus(err) === 404) return;
    throw fromAzureError(`purge ${where}`, err, {
      hint: "Purging needs the 'purge' secret permission and is refused while the vault has purge protection; set purgeOnDelete: false to keep soft-deleted secrets.",
      link: SOFT_DELETE_DOC,
    });
  }
  await waitUntilPurged(client, props.name);
}

async function latestVersion(client: SecretClient, inputs: SecretInputs): Promise<boolean> {
  try {
    await client.getSecret(inputs.name);
    return true;
  } catch (err) {
    if (azureErrorStatus(err) === 404) return false;
    if (azureErrorCode(err) === "SecretDisabled") return true;
    throw fromAzureError(`look up Key Vault secret "${inputs.name}" in ${inputs.vaultUrl}`, err);
  }
}

async function writeVersion(client: SecretClient, inputs: SecretInputs, verb: "create" | "update"): Promise<SecretOutputs> {
  try {
    const secret = await client.setSecret(inputs.name, inputs.value, {
      contentType: inputs.contentType,
      tags: inputs.tags,
      enabled: inputs.enabled,
      notBefore: inputs.notBefore ? new Date(inputs.notBefore) : undefined,
      expiresOn: inputs.expires ? new Date(inputs.expires) : undefined,
    });
    return toOutputs(inputs, secret);
  } catch (err) {
    const operation = `${verb} Key Vault secret "${inputs.name}" in ${inputs.vaultUrl}`;
    if (azureErrorCode(err) === "ObjectIsDeletedButRecoverable") {
      throw fromAzureError(operation, err, {
        hint:
          `The name "${inputs.name}" belongs to a soft-deleted secret. Either recover it ` +
          `(az keyvault secret recover --id ${inputs.vaultUrl}/deletedsecrets/${inputs.name}) and run pulumi up again, ` +
          `or purge it if its old versions are not needed (az keyvault secret purge --id ${inputs.vaultUrl}/deletedsecrets/${inputs.name}), ` +
          `or choose another name.`,
        link: SOFT_DELETE_DOC,
      });
    }
    throw fromAzureError(operation, err);
  }
}

/** Outputs from the inputs we wrote and the bundle Key Vault returned; absent values stay absent. */
function toOutputs(base: SecretInputs, secret: SdkSecret): SecretOutputs {
  const p = secret.properties;
  const outs: SecretOutputs = {
    vaultUrl: base.vaultUrl,
    name: base.name,
    value: secret.value ?? base.value,
    secretId: p.id ?? `${base.vaultUrl}/secrets/${base.name}/${p.version}`,
    versionlessId: `${base.vaultUrl}/secrets/${base.name}`,
    version: p.version ?? "",
  };
  if (p.contentType !== undefined) outs.contentType = p.contentType;
  if (p.tags && Object.keys(p.tags).length > 0) outs.tags = p.tags;
  // `enabled` is stored only when the program set it or it differs from the default.
  if (base.enabled !== undefined || p.enabled === false) outs.enabled = p.enabled ?? true;
  if (p.notBefore) outs.notBefore = sameInstant(base.notBefore, p.notBefore) ?? p.notBefore.toISOString();
  if (p.expiresOn) outs.expires = sameInstant(base.expires, p.expiresOn) ?? p.expiresOn.toISOString();
  if (base.purgeOnDelete !== undefined) outs.purgeOnDelete = base.purgeOnDelete;
  return outs;
}

/** Keeps the program's spelling of a date when Key Vault holds the same instant (it stores seconds). */
function sameInstant(given: string | undefined, actual: Date): string | undefined {
  if (!given) return undefined;
  return Math.floor(Date.parse(given) / 1000) === Math.floor(actual.getTime() / 1000) ? given : undefined;
}

function inputsOf(outs: SecretOutputs): Partial<SecretInputs> {
  const { secretId: _s, versionlessId: _v, version: _n, ...inputs } = outs;
  return inputs;
}

function disabledOutOfBand(id: string, props: SecretOutputs): { id: string; props: SecretOutputs; inputs: Partial<SecretInputs> } {
  const outs = { ...props, enabled: false };
  return { id, props: outs, inputs: inputsOf(outs) };
}

async function waitUntilPurged(client: SecretClient, name: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      await client.getDeletedSecret(name);
    } catch (err) {
      if (azureErrorStatus(err) === 404) return;
      throw fromAzureError(`wait for the purge of Key Vault secret "${name}"`, err);
    }
    await new Promise((resolve) => setTimeout(resolve, pollInterval()));
  }
  throw new Error(`Key Vault secret "${name}" was still listed as deleted 120 s after its purge was accepted.`);
}

/** Loopback emulators answer at once; the real service needs a little time between polls. */
function pollInterval(): number {
  return currentTarget() === "local" ? 50 : 1000;
}
