/** Key Vault secrets wire shapes (api-version 7.5). Times are unix seconds. */

/** `SecretAttributes`. */
export interface SecretAttributes {
  /** Whether the version may be read. */
  enabled?: boolean;
  /** Not before, unix seconds. */
  nbf?: number;
  /** Expiry, unix seconds. */
  exp?: number;
  /** Creation time, unix seconds (set by the service). */
  readonly created?: number;
  /** Last update, unix seconds (set by the service). */
  readonly updated?: number;
  /** The vault's recovery level, e.g. `Recoverable+Purgeable` (set by the service). */
  readonly recoveryLevel?: string;
  /** Days a deleted secret stays recoverable (set by the service). */
  readonly recoverableDays?: number;
}

/** `SecretSetParameters`: the body of `PUT /secrets/{name}`. */
export interface SecretSetParameters {
  /** The secret's value. */
  value: string;
  /** Content type, free text. */
  contentType?: string;
  /** Tags, at most 15. */
  tags?: Record<string, string>;
  /** Attributes of the new version. */
  attributes?: Pick<SecretAttributes, "enabled" | "nbf" | "exp">;
}

/** `SecretBundle`: one version of a secret. */
export interface SecretBundle {
  /** The value (absent in update and deleted-secret responses). */
  value?: string;
  /** `https://<vault>/secrets/<name>/<version>`. */
  id?: string;
  /** Content type. */
  contentType?: string;
  /** Tags. */
  tags?: Record<string, string>;
  /** Attributes. */
  attributes?: SecretAttributes;
}

/** `DeletedSecretBundle`: the latest version of a soft-deleted secret and its deletion. */
export interface DeletedSecretBundle extends SecretBundle {
  /** `https://<vault>/deletedsecrets/<name>`; absent when the vault has no soft delete. */
  recoveryId?: string;
  /** Deletion time, unix seconds. */
  deletedDate?: number;
  /** When the service purges it, unix seconds. */
  scheduledPurgeDate?: number;
}
