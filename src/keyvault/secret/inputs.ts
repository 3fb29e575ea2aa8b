/**
 * What a KeyVaultSecret is made of, as the provider sees it (plain values), and the rules that
 * decide whether inputs are valid and what a change does. Pure functions: no network.
 */
import { CheckFailure, known, UNKNOWN } from "../../core/check";
import { checkAdopt } from "../../core/takeover";
import { currentTarget, isLoopbackUrl, Target } from "../../core/target";
import { vaultUrlProblem as tokenUrlProblem } from "../client/vaultUrl";

export { CheckFailure, UNKNOWN };

/** Inputs as they reach the provider (secrets already unwrapped by the engine). */
export interface SecretInputs {
  vaultUrl: string;
  name: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  notBefore?: string;
  expires?: string;
  purgeOnDelete?: boolean;
  /** Take over a secret that already exists when creating. */
  adopt?: boolean;
}

/** Outputs stored in state: the inputs plus what Key Vault assigned. */
export interface SecretOutputs extends SecretInputs {
  /** Versioned identifier `https://<vault>/secrets/<name>/<version>`. */
  secretId: string;
  /** Versionless identifier `https://<vault>/secrets/<name>` (also the resource id). */
  versionlessId: string;
  /** The version created by the last create or update. */
  version: string;
}

const NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_VALUE_BYTES = 25 * 1024;
const MAX_TAGS = 15;
const MAX_TAG_NAME = 512;
const MAX_TAG_VALUE = 256;
const MAX_CONTENT_TYPE = 255;

/** Properties that change the identity of the secret: a change replaces it. */
const IDENTITY_KEYS = ["vaultUrl", "name"] as const;
/** Properties that a new version (or, for purgeOnDelete, only the state) absorbs. */
const UPDATE_KEYS = ["value", "contentType", "tags", "enabled", "notBefore", "expires", "purgeOnDelete"] as const;


/**
 * Validates inputs, returning normalised inputs and every failure at once. Values still unknown
 * at preview pass through unchecked.
 */
export function checkSecretInputs(news: Record<string, unknown>, target: Target = currentTarget()): {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
} {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const inputs: Record<string, unknown> = { ...news };

  const vaultUrl = news.vaultUrl;
  if (vaultUrl === undefined || vaultUrl === "") {
    fail("vaultUrl", "vaultUrl is required: the vault's URL, e.g. https://myvault.vault.azure.net (the emulator's URL in local mode).");
  } else if (known(vaultUrl)) {
    const reason = vaultUrlProblem(vaultUrl, target);
    if (reason) fail("vaultUrl", reason);
    else inputs.vaultUrl = normaliseVaultUrl(vaultUrl as string);
  }

  const name = news.name;
  if (name === undefined || name === "") {
    fail("name", "name is required: 1-127 characters, letters, digits and dashes.");
  } else if (known(name) && (typeof name !== "string" || !NAME_PATTERN.test(name))) {
    fail("name", `name "${String(name)}" is not a valid Key Vault secret name: use 1-127 characters from a-z, A-Z, 0-9 and "-" (pattern ^[0-9a-zA-Z-]{1,127}$).`);
  }

  const value = news.value;
  if (value === undefined || value === "") {
    fail("value", "value is required and must not be empty: pass the secret as a string, ideally pulumi.secret(...).");
  } else if (known(value)) {
    if (typeof value !== "string") fail("value", `value must be a string, not ${typeof value}.`);
    else if (Buffer.byteLength(value, "utf8") > MAX_VALUE_BYTES) {
      fail("value", `value is ${Buffer.byteLength(value, "utf8")} bytes; Key Vault accepts at most ${MAX_VALUE_BYTES} bytes per secret. Store large data in a blob and keep its key here.`);
    }
  }

  const contentType = news.contentType;
  if (known(contentType) && (typeof contentType !== "string" || contentType.length > MAX_CONTENT_TYPE)) {
    fail("contentType", `contentType must be a string of at most ${MAX_CONTENT_TYPE} characters.`);
  }

  checkTags(news.tags, fail);

  for (const key of ["enabled", "purgeOnDelete"] as const) {
    if (known(news[key]) && typeof news[key] !== "boolean") fail(key, `${key} must be true or false, not ${JSON.stringify(news[key])}.`);
  }
  checkAdopt(news, fail);

  const dates: Partial<Record<"notBefore" | "expires", number>> = {};
  for (const key of ["notBefore", "expires"] as const) {
    const raw = news[key];
    if (!known(raw)) continue;
    const ms = typeof raw === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : NaN;
    if (Number.isNaN(ms)) {
      fail(key, `${key} must be an ISO 8601 date-time with a time zone, e.g. "2027-01-31T00:00:00Z"; got ${JSON.stringify(raw)}.`);
    } else {
      dates[key] = ms;
    }
  }
  if (dates.notBefore !== undefined && dates.expires !== undefined && dates.notBefore >= dates.expires) {
    fail("expires", `expires (${String(news.expires)}) must be later than notBefore (${String(news.notBefore)}).`);
  }

  return { inputs, failures };
}

function checkTags(tags: unknown, fail: (property: string, reason: string) => void): void {
  if (!known(tags)) return;
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
    fail("tags", "tags must be a map of strings to strings.");
    return;
  }
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > MAX_TAGS) fail("tags", `tags has ${entries.length} entries; Key Vault allows at most ${MAX_TAGS}.`);
  for (const [key, value] of entries) {
    if (key.length > MAX_TAG_NAME) fail(`tags.${key}`, `tag names are at most ${MAX_TAG_NAME} characters.`);
    if (!known(value)) continue;
    if (typeof value !== "string") fail(`tags.${key}`, `tag values must be strings, not ${typeof value}.`);
    else if (value.length > MAX_TAG_VALUE) fail(`tags.${key}`, `tag values are at most ${MAX_TAG_VALUE} characters.`);
  }
}

function vaultUrlProblem(raw: unknown, target: Target): string | undefined {
  if (typeof raw !== "string") return "vaultUrl must be a string.";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `vaultUrl "${raw}" is not a URL: use the vault's DNS name, e.g. https://myvault.vault.azure.net.`;
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    return `vaultUrl "${raw}" must be the vault's root URL without a path, e.g. ${url.protocol}//${url.host}.`;
  }
  if (target === "local" && !isLoopbackUrl(url)) {
    return `vaultUrl "${raw}" is not on loopback, but AMLDB_TARGET is "local": point it at the emulator (for example https://127.0.0.1:<port>) or set AMLDB_TARGET=azure.`;
  }
  if (target === "azure" && url.protocol !== "https:") {
    return `vaultUrl "${raw}" must use https in the azure target; plain http is only for the local emulator (AMLDB_TARGET=local).`;
  }
  // The client refuses to send a token anywhere else; say so at preview rather than at apply.
  return tokenUrlProblem(url, target);
}

/** `https://V.vault.azure.net/` and `https://v.vault.azure.net` name the same vault. */
export function normaliseVaultUrl(raw: string): string {
  const url = new URL(raw);
  return `${url.protocol}//${url.host}`.toLowerCase();
}

/** The engine's diff result for a KeyVaultSecret. */
export interface SecretDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys: string[];
}

/**
 * Decides what a change of inputs does: vault or name (other than letter case, since Key Vault
 * names are case-insensitive) replaces the secret, deleting the old one first; anything else is an
 * update that writes a new version.
 */
export function diffSecret(olds: Partial<SecretInputs>, news: Partial<SecretInputs>): SecretDiff {
  const replaces = IDENTITY_KEYS.filter((key) => !sameIdentity(olds[key], news[key]));
  const updates: string[] = UPDATE_KEYS.filter((key) => !sameValue(olds[key], news[key]));
  // A change of letter case only is the same secret: record the new spelling without replacing.
  if (!replaces.includes("name") && olds.name !== news.name) updates.unshift("name");
  const changedKeys = [...replaces, ...updates];
  return { changes: changedKeys.length > 0, replaces, deleteBeforeReplace: true, changedKeys };
}

function sameIdentity(a: unknown, b: unknown): boolean {
  if (a === UNKNOWN || b === UNKNOWN) return a === b;
  return typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "object" && Object.keys(v as object).length === 0);
}

function sorted(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
}
