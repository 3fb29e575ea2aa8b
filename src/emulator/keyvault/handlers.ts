/**
 * Key Vault secrets operations: validate the request as the real service does, call the store,
 * shape the answer. Handlers see only the {@link SecretStore} interface.
 */
import { keyed } from "../core/keyed";
import type { EmulatorRequest, EmulatorResponse } from "../core/service";
import {
  badParameter,
  deletedButRecoverable,
  deletedSecretNotFound,
  secretDisabled,
  secretNotFound,
} from "./errors";
import { deletedSecretBundle, deletedSecretItem, secretBundle, secretItem, type ListPageWire } from "./models";
import type { NewSecretVersion, SecretPropertiesPatch, SecretStore } from "./store";

/** Secret names: 1 to 127 letters, digits and dashes. */
export const SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
/** Largest secret value accepted, in UTF-8 bytes (25 KiB, the service's limit). */
export const MAX_SECRET_VALUE_BYTES = 25 * 1024;
/** Most tags a secret version may carry. */
export const MAX_TAGS = 15;
/** Largest page a list returns (`maxresults` is 1 to this; also the default). */
export const MAX_PAGE_SIZE = 25;

/** The handlers of every Key Vault secrets route. */
export interface SecretHandlers {
  setSecret(req: EmulatorRequest): Promise<EmulatorResponse>;
  getSecret(req: EmulatorRequest): EmulatorResponse;
  updateSecret(req: EmulatorRequest): Promise<EmulatorResponse>;
  deleteSecret(req: EmulatorRequest): EmulatorResponse;
  listSecrets(req: EmulatorRequest): EmulatorResponse;
  listSecretVersions(req: EmulatorRequest): EmulatorResponse;
  getDeletedSecret(req: EmulatorRequest): EmulatorResponse;
  listDeletedSecrets(req: EmulatorRequest): EmulatorResponse;
  purgeDeletedSecret(req: EmulatorRequest): EmulatorResponse;
  recoverDeletedSecret(req: EmulatorRequest): EmulatorResponse;
}

/** Thrown by request validation; becomes a 400 BadParameter. */
class BadParameter extends Error {}

/** Creates the handlers over a store. */
export function createSecretHandlers(store: SecretStore): SecretHandlers {
  return {
    async setSecret(req) {
      return guarded(async () => {
        const name = secretName(req);
        const input = setParameters(await req.readJson());
        const result = store.setSecret(name, input);
        if (result.status === "deleted-but-recoverable") return deletedButRecoverable(result.name);
        return ok(secretBundle(req.baseUrl, result.secret, { withValue: true }));
      });
    },

    getSecret(req) {
      return guardedSync(() => {
        const name = secretName(req);
        const version = req.params.version ?? "";
        const found = store.getSecret(name, version);
        if (!found) return secretNotFound(version ? `${name}/${version}` : name);
        if (!found.version.attributes.enabled) return secretDisabled("get");
        return ok(secretBundle(req.baseUrl, found, { withValue: true }));
      });
    },

    async updateSecret(req) {
      return guarded(async () => {
        const name = secretName(req);
        const version = req.params.version ?? "";
        const patch = updateParameters(await req.readJson());
        const updated = store.updateSecret(name, version, patch);
        if (!updated) return secretNotFound(version ? `${name}/${version}` : name);
        return ok(secretBundle(req.baseUrl, updated, { withValue: false }));
      });
    },

    deleteSecret(req) {
      return guardedSync(() => {
        const name = secretName(req);
        const deleted = store.deleteSecret(name);
        if (!deleted) return secretNotFound(name);
        return ok(deletedSecretBundle(req.baseUrl, deleted));
      });
    },

    listSecrets(req) {
      return guardedSync(() => {
        const items = store.listSecrets().map((s) => secretItem(req.baseUrl, s, { versionedId: false }));
        return ok(page(req, items));
      });
    },

    listSecretVersions(req) {
      return guardedSync(() => {
        const name = secretName(req);
        const versions = store.listSecretVersions(name);
        if (!versions) return secretNotFound(name);
        return ok(page(req, versions.map((s) => secretItem(req.baseUrl, s, { versionedId: true }))));
      });
    },

    getDeletedSecret(req) {
      return guardedSync(() => {
        const deleted = store.getDeletedSecret(secretName(req));
        return deleted ? ok(deletedSecretBundle(req.baseUrl, deleted)) : deletedSecretNotFound();
      });
    },

    listDeletedSecrets(req) {
      return guardedSync(() => ok(page(req, store.listDeletedSecrets().map((d) => deletedSecretItem(req.baseUrl, d)))));
    },

    purgeDeletedSecret(req) {
      return guardedSync(() => (store.purgeDeletedSecret(secretName(req)) ? { status: 204 } : deletedSecretNotFound()));
    },

    recoverDeletedSecret(req) {
      return guardedSync(() => {
        const recovered = store.recoverDeletedSecret(secretName(req));
        return recovered ? ok(secretBundle(req.baseUrl, recovered, { withValue: true })) : deletedSecretNotFound();
      });
    },
  };
}

function ok(body: unknown): EmulatorResponse {
  return { status: 200, body };
}

async function guarded(run: () => Promise<EmulatorResponse>): Promise<EmulatorResponse> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof BadParameter) return badParameter(err.message);
    throw err;
  }
}

function guardedSync(run: () => EmulatorResponse): EmulatorResponse {
  try {
    return run();
  } catch (err) {
    if (err instanceof BadParameter) return badParameter(err.message);
    throw err;
  }
}

function secretName(req: EmulatorRequest): string {
  const name = req.params.name ?? "";
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new BadParameter(`The request URI contains an invalid name: ${name}. Secret names are 1 to 127 characters: letters, digits and dashes.`);
  }
  return name;
}

type JsonObject = Record<string, unknown>;

function requireObject(body: unknown): JsonObject {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadParameter("The request body must be a JSON object.");
  }
  return body as JsonObject;
}

function setParameters(body: unknown): NewSecretVersion {
  const o = requireObject(body);
  if (typeof o.value !== "string") throw new BadParameter("The parameter value is required and must be a string.");
  if (Buffer.byteLength(o.value, "utf8") > MAX_SECRET_VALUE_BYTES) {
    throw new BadParameter(`The secret value exceeds the maximum size of ${MAX_SECRET_VALUE_BYTES} bytes.`);
  }
  return { value: o.value, ...properties(o) };
}

function updateParameters(body: unknown): SecretPropertiesPatch {
  // The value, if present, is ignored: an update never changes it.
  return properties(requireObject(body));
}

function properties(o: JsonObject): SecretPropertiesPatch {
  const out: SecretPropertiesPatch = {};
  if (o.contentType !== undefined && o.contentType !== null) {
    if (typeof o.contentType !== "string") throw new BadParameter("The parameter contentType must be a string.");
    out.contentType = o.contentType;
  }
  if (o.tags !== undefined && o.tags !== null) out.tags = tags(o.tags);
  if (o.attributes !== undefined && o.attributes !== null) {
    if (typeof o.attributes !== "object" || Array.isArray(o.attributes)) throw new BadParameter("The parameter attributes must be an object.");
    const a = o.attributes as JsonObject;
    if (a.enabled !== undefined && a.enabled !== null) {
      if (typeof a.enabled !== "boolean") throw new BadParameter("The attribute enabled must be a boolean.");
      out.enabled = a.enabled;
    }
    for (const field of ["nbf", "exp"] as const) {
      const t = a[field];
      if (t === undefined || t === null) continue;
      if (typeof t !== "number" || !Number.isInteger(t) || t < 0) {
        throw new BadParameter(`The attribute ${field} must be a time in whole seconds since 1970-01-01T00:00:00Z.`);
      }
      out[field] = t;
    }
  }
  return out;
}

function tags(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new BadParameter("The parameter tags must be an object of strings.");
  const entries = Object.entries(value as JsonObject);
  if (entries.length > MAX_TAGS) throw new BadParameter(`A secret can have at most ${MAX_TAGS} tags; ${entries.length} were given.`);
  for (const [k, v] of entries) {
    if (typeof v !== "string") throw new BadParameter(`The value of tag ${k} must be a string.`);
  }
  // Keyed: a tag named `__proto__` is a tag like any other.
  return keyed(entries as [string, string][]);
}

/** Cuts one page out of a list, honouring `maxresults` and `$skiptoken`; links the next page. */
function page<T>(req: EmulatorRequest, items: T[]): ListPageWire<T> {
  const rawMax = req.query.get("maxresults");
  let size = MAX_PAGE_SIZE;
  if (rawMax !== null) {
    size = Number(rawMax);
    if (!/^\d+$/.test(rawMax) || size < 1 || size > MAX_PAGE_SIZE) {
      throw new BadParameter(`The parameter maxresults must be an integer from 1 to ${MAX_PAGE_SIZE}, not ${rawMax}.`);
    }
  }
  const offset = skipOffset(req.query.get("$skiptoken"));
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value, nextLink: null };
  const next = new URLSearchParams();
  const apiVersion = req.query.get("api-version");
  if (apiVersion !== null) next.set("api-version", apiVersion);
  next.set("$skiptoken", Buffer.from(JSON.stringify({ offset: offset + size })).toString("base64url"));
  if (rawMax !== null) next.set("maxresults", rawMax);
  return { value, nextLink: `${req.baseUrl}${req.pathname}?${next.toString().replace("%24skiptoken", "$skiptoken")}` };
}

function skipOffset(token: string | null): number {
  if (token === null) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof parsed.offset === "number" && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw new BadParameter("The parameter $skiptoken is not valid.");
}
