/**
 * The Key Vault secrets store: the rules of versions and soft delete, independent of HTTP.
 * Handlers talk only to {@link SecretStore}; {@link InMemorySecretStore} keeps state in memory,
 * {@link FileSecretStore} also persists it to one JSON file (atomic replace on every change).
 *
 * Rules, as the real service applies them:
 * - names are case-insensitive; a secret keeps the spelling it was first created with;
 * - every set creates a new version (32 lowercase hex characters); the latest is the newest;
 * - delete soft-deletes all versions at once; a soft-deleted name cannot be set, only recovered
 *   or purged; it is purged automatically at its scheduled purge date;
 * - updates change content type, tags and attributes of one version, never its value.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Days a deleted secret stays recoverable (the vault's soft-delete retention). */
export const RECOVERABLE_DAYS = 90;

/** Attributes of one version; times are unix seconds. */
export interface StoredSecretAttributes {
  /** Whether the value can be read. */
  enabled: boolean;
  /** Not-before time, if any. */
  nbf?: number;
  /** Expiry time, if any (informational for secrets, as in the real service). */
  exp?: number;
  /** Creation time of the version. */
  created: number;
  /** Last update time of the version. */
  updated: number;
}

/** One version of a secret. */
export interface StoredSecretVersion {
  /** The version id: 32 lowercase hex characters. */
  version: string;
  /** The secret value. */
  value: string;
  /** Content type, if set. */
  contentType?: string;
  /** Tags, if set. */
  tags?: Record<string, string>;
  /** Attributes. */
  attributes: StoredSecretAttributes;
}

/** When a secret was soft-deleted and when it will be purged; unix seconds. */
export interface StoredDeletion {
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** A secret with all its versions (oldest first) and, if soft-deleted, its deletion. */
export interface StoredSecret {
  /** The name as first created. */
  name: string;
  /** All versions, oldest first; the last one is the latest. */
  versions: StoredSecretVersion[];
  /** Present while the secret is soft-deleted. */
  deletion?: StoredDeletion;
}

/** What a set brings: the value and optional properties of the new version. */
export interface NewSecretVersion {
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  /** Default true. */
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

/** What an update may change; absent fields are kept. */
export interface SecretPropertiesPatch {
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

/** One version of an active secret, with the secret's name. */
export interface SecretVersionView {
  name: string;
  version: StoredSecretVersion;
}

/** A soft-deleted secret: its latest version and its deletion. */
export interface DeletedSecretView {
  name: string;
  latest: StoredSecretVersion;
  deletion: StoredDeletion;
}

/** Outcome of a set. */
export type SetSecretResult =
  | { readonly status: "created"; readonly secret: SecretVersionView }
  | { readonly status: "deleted-but-recoverable"; readonly name: string };

/** The operations the Key Vault handlers need. All results are copies. */
export interface SecretStore {
  /** Creates a new version (and the secret if new); refused while the name is soft-deleted. */
  setSecret(name: string, input: NewSecretVersion): SetSecretResult;
  /** One version of an active secret; the latest when `version` is absent or empty. */
  getSecret(name: string, version?: string): SecretVersionView | undefined;
  /** Updates one version of an active secret (the latest when `version` is absent or empty). */
  updateSecret(name: string, version: string | undefined, patch: SecretPropertiesPatch): SecretVersionView | undefined;
  /** The latest version of every active secret, ordered by name. */
  listSecrets(): SecretVersionView[];
  /** All versions of an active secret, oldest first; `undefined` when there is no such secret. */
  listSecretVersions(name: string): SecretVersionView[] | undefined;
  /** Soft-deletes all versions of an active secret. */
  deleteSecret(name: string): DeletedSecretView | undefined;
  /** A soft-deleted secret. */
  getDeletedSecret(name: string): DeletedSecretView | undefined;
  /** All soft-deleted secrets, ordered by name. */
  listDeletedSecrets(): DeletedSecretView[];
  /** Permanently removes a soft-deleted secret; false when the name is not soft-deleted. */
  purgeDeletedSecret(name: string): boolean;
  /** Makes a soft-deleted secret active again; returns its latest version. */
  recoverDeletedSecret(name: string): SecretVersionView | undefined;
  /** Forgets every secret. */
  clear(): void;
}

/** Options of the stores, mostly for tests. */
export interface SecretStoreOptions {
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** Generator of version ids; default 16 random bytes as lowercase hex. */
  newVersionId?: () => string;
}

/** The store with state in memory; the rules of every store live here. */
export class InMemorySecretStore implements SecretStore {
  /** Secrets by lower-case name. */
  protected secrets = new Map<string, StoredSecret>();
  private readonly now: () => number;
  private readonly newVersionId: () => string;

  constructor(options: SecretStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.newVersionId = options.newVersionId ?? (() => randomBytes(16).toString("hex"));
  }

  setSecret(name: string, input: NewSecretVersion): SetSecretResult {
    this.purgeExpired();
    const existing = this.secrets.get(key(name));
    if (existing?.deletion) return { status: "deleted-but-recoverable", name: existing.name };
    const t = this.seconds();
    const version: StoredSecretVersion = {
      version: this.uniqueVersionId(existing),
      value: input.value,
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      ...(input.tags !== undefined ? { tags: { ...input.tags } } : {}),
      attributes: {
        enabled: input.enabled ?? true,
        ...(input.nbf !== undefined ? { nbf: input.nbf } : {}),
        ...(input.exp !== undefined ? { exp: input.exp } : {}),
        created: t,
        updated: t,
      },
    };
    const secret = existing ?? { name, versions: [] };
    secret.versions.push(version);
    this.secrets.set(key(name), secret);
    this.changed();
    return { status: "created", secret: view(secret, version) };
  }

  getSecret(name: string, version?: string): SecretVersionView | undefined {
    const secret = this.active(name);
    const found = secret && findVersion(secret, version);
    return found && view(secret, found);
  }

  updateSecret(name: string, version: string | undefined, patch: SecretPropertiesPatch): SecretVersionView | undefined {
    const secret = this.active(name);
    const found = secret && findVersion(secret, version);
    if (!secret || !found) return undefined;
    if (patch.contentType !== undefined) found.contentType = patch.contentType;
    if (patch.tags !== undefined) found.tags = { ...patch.tags };
    if (patch.enabled !== undefined) found.attributes.enabled = patch.enabled;
    if (patch.nbf !== undefined) found.attributes.nbf = patch.nbf;
    if (patch.exp !== undefined) found.attributes.exp = patch.exp;
    found.attributes.updated = this.seconds();
    this.changed();
    return view(secret, found);
  }

  listSecrets(): SecretVersionView[] {
    this.purgeExpired();
    return this.sorted()
      .filter((s) => !s.deletion)
      .map((s) => view(s, latestOf(s)));
  }

  listSecretVersions(name: string): SecretVersionView[] | undefined {
    const secret = this.active(name);
    return secret && secret.versions.map((v) => view(secret, v));
  }

  deleteSecret(name: string): DeletedSecretView | undefined {
    const secret = this.active(name);
    if (!secret) return undefined;
    const t = this.seconds();
    secret.deletion = { deletedDate: t, scheduledPurgeDate: t + RECOVERABLE_DAYS * 24 * 3600 };
    this.changed();
    return deletedView(secret);
  }

  getDeletedSecret(name: string): DeletedSecretView | undefined {
    const secret = this.deleted(name);
    return secret && deletedView(secret);
  }

  listDeletedSecrets(): DeletedSecretView[] {
    this.purgeExpired();
    return this.sorted()
      .filter((s) => s.deletion)
      .map(deletedView);
  }

  purgeDeletedSecret(name: string): boolean {
    if (!this.deleted(name)) return false;
    this.secrets.delete(key(name));
    this.changed();
    return true;
  }

  recoverDeletedSecret(name: string): SecretVersionView | undefined {
    const secret = this.deleted(name);
    if (!secret) return undefined;
    delete secret.deletion;
    this.changed();
    return view(secret, latestOf(secret));
  }

  clear(): void {
    this.secrets.clear();
    this.changed();
  }

  /** Called after every change; {@link FileSecretStore} persists here. */
  protected changed(): void {
    // In memory: nothing to do.
  }

  private active(name: string): StoredSecret | undefined {
    this.purgeExpired();
    const secret = this.secrets.get(key(name));
    return secret && !secret.deletion ? secret : undefined;
  }

  private deleted(name: string): StoredSecret | undefined {
    this.purgeExpired();
    const secret = this.secrets.get(key(name));
    return secret?.deletion ? secret : undefined;
  }

  /** Purges soft-deleted secrets whose scheduled purge date has passed. */
  private purgeExpired(): void {
    const t = this.seconds();
    let purged = false;
    for (const [k, s] of this.secrets) {
      if (s.deletion && s.deletion.scheduledPurgeDate <= t) {
        this.secrets.delete(k);
        purged = true;
      }
    }
    if (purged) this.changed();
  }

  private sorted(): StoredSecret[] {
    return [...this.secrets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  }

  private uniqueVersionId(secret: StoredSecret | undefined): string {
    for (;;) {
      const id = this.newVersionId();
      if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`Version ids must be 32 lowercase hex characters, got "${id}".`);
      if (!secret?.versions.some((v) => v.version === id)) return id;
    }
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

/** Shape of the persisted file. */
interface PersistedSecrets {
  format: 1;
  secrets: StoredSecret[];
}

/**
 * The store persisted as one JSON file, loaded at construction and rewritten atomically (temp
 * file + rename, mode 0600) after every change, so state survives an emulator restart.
 */
export class FileSecretStore extends InMemorySecretStore {
  /** @param file - the JSON file holding the state; created with its folder when missing. */
  constructor(
    readonly file: string,
    options: SecretStoreOptions = {},
  ) {
    super(options);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    for (const secret of readPersisted(file)) this.secrets.set(key(secret.name), secret);
  }

  protected override changed(): void {
    const data: PersistedSecrets = { format: 1, secrets: [...this.secrets.values()] };
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(data, null, 2) + "\n", { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }
}

function readPersisted(file: string): StoredSecret[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`Key Vault state file ${file} is not valid JSON (${(err as Error).message}); move it away to start empty.`);
  }
  const secrets = (data as Partial<PersistedSecrets> | null)?.secrets;
  if ((data as Partial<PersistedSecrets> | null)?.format !== 1 || !Array.isArray(secrets) || !secrets.every(isStoredSecret)) {
    throw new Error(`Key Vault state file ${file} is not in the expected format (format 1); move it away to start empty.`);
  }
  return secrets;
}

function isStoredSecret(value: unknown): value is StoredSecret {
  const s = value as StoredSecret;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.name === "string" &&
    Array.isArray(s.versions) &&
    s.versions.length > 0 &&
    s.versions.every((v) => typeof v?.version === "string" && typeof v.value === "string" && typeof v.attributes?.created === "number")
  );
}

function key(name: string): string {
  return name.toLowerCase();
}

function latestOf(secret: StoredSecret): StoredSecretVersion {
  return secret.versions[secret.versions.length - 1];
}

function findVersion(secret: StoredSecret, version: string | undefined): StoredSecretVersion | undefined {
  if (!version) return latestOf(secret);
  const wanted = version.toLowerCase();
  return secret.versions.find((v) => v.version === wanted);
}

function view(secret: StoredSecret, version: StoredSecretVersion): SecretVersionView {
  return { name: secret.name, version: structuredClone(version) };
}

function deletedView(secret: StoredSecret): DeletedSecretView {
  return { name: secret.name, latest: structuredClone(latestOf(secret)), deletion: { ...secret.deletion! } };
}
