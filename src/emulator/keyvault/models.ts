/**
 * Key Vault secrets wire shapes (api-version 7.x), and their construction from stored secrets.
 * Times are unix seconds; ids carry the vault URL the client addressed.
 */
import { RECOVERABLE_DAYS, type DeletedSecretView, type SecretVersionView, type StoredSecretVersion } from "./store";

/** The recovery level of a vault with soft delete and purge allowed (no purge protection). */
export const RECOVERY_LEVEL = "Recoverable+Purgeable";

/** `SecretAttributes` on the wire. */
export interface SecretAttributesWire {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

/** `SecretBundle`: one version, with its value unless the operation omits it. */
export interface SecretBundleWire {
  value?: string;
  id: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: SecretAttributesWire;
}

/** `DeletedSecretBundle`: the latest version of a deleted secret (no value) and its deletion. */
export interface DeletedSecretBundleWire extends SecretBundleWire {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** `SecretItem`: an entry of a list, never with a value. */
export interface SecretItemWire {
  id: string;
  attributes: SecretAttributesWire;
  contentType?: string;
  tags?: Record<string, string>;
}

/** `DeletedSecretItem`. */
export interface DeletedSecretItemWire extends SecretItemWire {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** A page of a list. */
export interface ListPageWire<T> {
  value: T[];
  nextLink: string | null;
}

/** `<vault>/secrets/<name>` or, with a version, `<vault>/secrets/<name>/<version>`. */
export function secretId(vaultUrl: string, name: string, version?: string): string {
  return version ? `${vaultUrl}/secrets/${name}/${version}` : `${vaultUrl}/secrets/${name}`;
}

/** `<vault>/deletedsecrets/<name>`. */
export function recoveryId(vaultUrl: string, name: string): string {
  return `${vaultUrl}/deletedsecrets/${name}`;
}

function attributes(v: StoredSecretVersion): SecretAttributesWire {
  const a = v.attributes;
  return {
    enabled: a.enabled,
    ...(a.nbf !== undefined ? { nbf: a.nbf } : {}),
    ...(a.exp !== undefined ? { exp: a.exp } : {}),
    created: a.created,
    updated: a.updated,
    recoveryLevel: RECOVERY_LEVEL,
    recoverableDays: RECOVERABLE_DAYS,
  };
}

function properties(v: StoredSecretVersion): Pick<SecretBundleWire, "contentType" | "tags"> {
  return {
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    ...(v.tags !== undefined ? { tags: v.tags } : {}),
  };
}

/** The bundle of one version; `withValue: false` for update responses, which carry no value. */
export function secretBundle(vaultUrl: string, s: SecretVersionView, options: { withValue: boolean }): SecretBundleWire {
  return {
    ...(options.withValue ? { value: s.version.value } : {}),
    id: secretId(vaultUrl, s.name, s.version.version),
    ...properties(s.version),
    attributes: attributes(s.version),
  };
}

/** The bundle of a deleted secret: its latest version's properties, no value. */
export function deletedSecretBundle(vaultUrl: string, d: DeletedSecretView): DeletedSecretBundleWire {
  return {
    recoveryId: recoveryId(vaultUrl, d.name),
    deletedDate: d.deletion.deletedDate,
    scheduledPurgeDate: d.deletion.scheduledPurgeDate,
    id: secretId(vaultUrl, d.name, d.latest.version),
    ...properties(d.latest),
    attributes: attributes(d.latest),
  };
}

/** A list item; the id is unversioned for secret lists and versioned for version lists. */
export function secretItem(vaultUrl: string, s: SecretVersionView, options: { versionedId: boolean }): SecretItemWire {
  return {
    id: secretId(vaultUrl, s.name, options.versionedId ? s.version.version : undefined),
    attributes: attributes(s.version),
    ...properties(s.version),
  };
}

/** A deleted-secrets list item (unversioned id). */
export function deletedSecretItem(vaultUrl: string, d: DeletedSecretView): DeletedSecretItemWire {
  return {
    recoveryId: recoveryId(vaultUrl, d.name),
    deletedDate: d.deletion.deletedDate,
    scheduledPurgeDate: d.deletion.scheduledPurgeDate,
    id: secretId(vaultUrl, d.name),
    attributes: attributes(d.latest),
    ...properties(d.latest),
  };
}
