/**
 * The Key Vault secrets store: the rules of versions and soft delete, independent of HTTP.
 * Handlers talk only to {@link SecretStore}; {@link InMemorySecretStore} keeps state in memory,
 * {@link FileSecretStore} also persists it (a snapshot and a journal, see `core/stateStore.ts`).
 * Every change is atomic: it happens whole, persisted, or not at all.
 *
 * Rules, as the real service applies them:
 * - names are case-insensitive; a secret keeps the spelling it was first created with;
 * - every set creates a new version (32 lowercase hex characters); the latest is the newest;
 * - delete soft-deletes all versions at once; a soft-deleted name cannot be set, only recovered
 *   or purged; it is purged automatically at its scheduled purge date;
 * - updates change content type, tags and attributes of one version, never its value.
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { asKeyed, keyed, type Keyed } from "../core/keyed";
import { FileStateStore, MemoryStateStore, type StateStore } from "../core/stateStore";

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
  /** What keeps the store from persisting changes, if anything (for the health check). */
  problems?(): string[];
  /** Resolves once every change is on disk (the server awaits it before answering). */
  durable?(): Promise<void>;
}

/** Options of the stores, mostly for tests. */
export interface SecretStoreOptions {
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** Generator of version ids; default 16 random bytes as lowercase hex. */
  newVersionId?: () => string;
}

/** What the store keeps: every secret by its lower-case name. */
export interface SecretsState {
  secrets: Keyed<StoredSecret>;
}

/** The store with state in memory; the rules of every store live here. */
export class InMemorySecretStore implements SecretStore {
  private readonly now: () => number;
  private readonly newVersionId: () => string;

  /**
   * @param options - clock and version ids.
   * @param state - where the state is kept (internal: {@link FileSecretStore} passes its files).
   */
  constructor(
    options: SecretStoreOptions = {},
    protected readonly state: StateStore<SecretsState> = new MemoryStateStore(emptySecrets()),
  ) {
    this.now = options.now ?? Date.now;
    this.newVersionId = options.newVersionId ?? (() => randomBytes(16).toString("hex"));
  }

  setSecret(name: string, input: NewSecretVersion): SetSecretResult {
    this.purgeExpired();
    const t = this.seconds();
    const outcome = this.state.update((s): SetSecretResult | { version: string } => {
      const existing = s.secrets[key(name)];
      if (existing?.deletion) return { status: "deleted-but-recoverable", name: existing.name };
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
      if (existing) existing.versions.push(version);
      else s.secrets[key(name)] = { name, versions: [version] };
      return { version: version.version };
    });
    if ("status" in outcome) return outcome;
    return { status: "created", secret: this.getSecret(name, outcome.version)! };
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
    const t = this.seconds();
    this.state.update((s) => {
      const target = findVersion(s.secrets[key(name)], found.version)!;
      if (patch.contentType !== undefined) target.contentType = patch.contentType;
      if (patch.tags !== undefined) target.tags = { ...patch.tags };
      if (patch.enabled !== undefined) target.attributes.enabled = patch.enabled;
      if (patch.nbf !== undefined) target.attributes.nbf = patch.nbf;
      if (patch.exp !== undefined) target.attributes.exp = patch.exp;
      target.attributes.updated = t;
    });
    return this.getSecret(name, found.version);
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
    if (!this.active(name)) return undefined;
    const t = this.seconds();
    this.state.update((s) => {
      s.secrets[key(name)].deletion = { deletedDate: t, scheduledPurgeDate: t + RECOVERABLE_DAYS * 24 * 3600 };
    });
    return this.getDeletedSecret(name);
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
    this.state.update((s) => {
      delete s.secrets[key(name)];
    });
    return true;
  }

  recoverDeletedSecret(name: string): SecretVersionView | undefined {
    if (!this.deleted(name)) return undefined;
    this.state.update((s) => {
      delete s.secrets[key(name)].deletion;
    });
    return this.getSecret(name);
  }

  clear(): void {
    this.state.replace(emptySecrets());
  }

  problems(): string[] {
    return this.state.problems();
  }

  durable(): Promise<void> {
    return this.state.durable();
  }

  private active(name: string): Readonly<StoredSecret> | undefined {
    this.purgeExpired();
    const secret = this.state.read((s) => s.secrets[key(name)]);
    return secret && !secret.deletion ? secret : undefined;
  }

  private deleted(name: string): Readonly<StoredSecret> | undefined {
    this.purgeExpired();
    const secret = this.state.read((s) => s.secrets[key(name)]);
    return secret?.deletion ? secret : undefined;
  }

  /** Purges soft-deleted secrets whose scheduled purge date has passed. */
  private purgeExpired(): void {
    const t = this.seconds();
    const expired = this.state.read((s) => Object.keys(s.secrets).filter((k) => (s.secrets[k].deletion?.scheduledPurgeDate ?? Infinity) <= t));
    if (expired.length === 0) return;
    this.state.update((s) => {
      for (const k of expired) delete s.secrets[k];
    });
  }

  private sorted(): Readonly<StoredSecret>[] {
    return this.state.read((s) => Object.keys(s.secrets).sort().map((k) => s.secrets[k]));
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

/**
 * The store persisted in the folder of `file`: `secrets.json` (a snapshot) and `secrets.journal`
 * (the changes since), mode 0600, so state survives an emulator restart. A `secrets.json` of an
 * earlier version (`{"format":1,"secrets":[...]}`) is taken as the snapshot.
 */
export class FileSecretStore extends InMemorySecretStore {
  /** @param file - the snapshot; created with its folder when missing. */
  constructor(
    readonly file: string,
    options: SecretStoreOptions = {},
  ) {
    super(
      options,
      new FileStateStore<SecretsState>({
        dir: path.dirname(file),
        name: path.basename(file, ".json"),
        what: "Key Vault state",
        empty: emptySecrets,
        revive: reviveSecrets,
        isLegacy: (data) => typeof data === "object" && data !== null && !("snapshot" in data) && (data as { format?: unknown }).format === 1,
      }),
    );
  }

  /** Releases the journal. */
  close(): void {
    this.state.close();
  }
}

function emptySecrets(): SecretsState {
  return { secrets: keyed() };
}

/** The state from a snapshot (or a file of format 1, whose secrets are a list), checked. */
function reviveSecrets(data: unknown, legacy: boolean): SecretsState {
  const raw = (data as { secrets?: unknown } | null)?.secrets;
  const list = legacy ? raw : typeof raw === "object" && raw !== null ? Object.values(raw) : undefined;
  if (!Array.isArray(list) || !list.every(isStoredSecret)) throw new Error("its secrets are not a set of secrets with versions");
  if (legacy) return { secrets: keyed(list.map((secret) => [key(secret.name), secret])) };
  const secrets = asKeyed<StoredSecret>(raw, "secrets");
  for (const k of Object.keys(secrets)) if (k !== key(secrets[k].name)) throw new Error(`the secret ${secrets[k].name} is filed under ${k}`);
  return { secrets };
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

function latestOf<V>(secret: { readonly versions: readonly V[] }): V {
  return secret.versions[secret.versions.length - 1];
}

function findVersion<V extends { readonly version: string }>(secret: { readonly versions: readonly V[] }, version: string | undefined): V | undefined {
  if (!version) return latestOf(secret);
  const wanted = version.toLowerCase();
  return secret.versions.find((v) => v.version === wanted);
}

function view(secret: Readonly<StoredSecret>, version: Readonly<StoredSecretVersion>): SecretVersionView {
  return { name: secret.name, version: structuredClone(version) as StoredSecretVersion };
}

function deletedView(secret: Readonly<StoredSecret>): DeletedSecretView {
  return { name: secret.name, latest: structuredClone(latestOf(secret)) as StoredSecretVersion, deletion: { ...secret.deletion! } };
}
