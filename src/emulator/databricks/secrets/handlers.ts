/**
 * Secrets API 2.0: scopes (Databricks-backed or Azure Key Vault-backed), secrets and ACLs.
 * Values are kept as bytes (base64) and are never returned by list; they reach notebooks through
 * the executor (`dbutils.secrets.get`) and callers with `secrets/get`, never a log. A Key
 * Vault-backed scope holds no secrets of its own: it reads the emulator's vault (`./vault.ts`),
 * and the API cannot change them.
 */
import type { Clock } from "../../core/clock";
import { keyed } from "../../core/keyed";
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { isAzureAdCaller } from "../auth";
import { EMULATOR_USER } from "../config";
import { apiError, alreadyExists, doesNotExist, invalidParameter } from "../errors";
import { base64Bytes, bodyObject, optObject, optString, reqQueryString, reqString } from "../request";
import { compact, ok } from "../response";
import type { DatabricksState } from "../state";
import type { DatabricksStore } from "../store";
import type { StoredScope } from "./models";
import { vaultSecret, type ScopeVault } from "./vault";

/** Scope names: letters, digits, `_`, `-`, `.`, `@` and `/`, at most 128 characters. */
export const SCOPE_NAME_PATTERN = /^[\w.@/-]{1,128}$/;
/** Secret keys: letters, digits, `_`, `-` and `.`, at most 128 characters. */
export const SECRET_KEY_PATTERN = /^[\w.-]{1,128}$/;
/** Largest secret value, in bytes (128 KB). */
export const MAX_SECRET_BYTES = 128 * 1024;
const PERMISSIONS = ["READ", "WRITE", "MANAGE"];

/** The Secrets API handlers. */
export function createSecretHandlers(store: DatabricksStore, clock: Clock, vault?: ScopeVault) {
  const scopeOf = (s: Readonly<DatabricksState>, name: string): StoredScope => {
    const scope = s.scopes[name];
    if (!scope) throw doesNotExist(`Scope ${name} does not exist!`);
    return scope;
  };
  /** A scope whose secrets the API may change: a Databricks-backed one (`verb`: "write to", "delete from"). */
  const writableScope = (s: DatabricksState, name: string, verb: string): StoredScope => {
    const scope = scopeOf(s, name);
    if (scope.backend_type === "AZURE_KEYVAULT") throw apiError(400, "BAD_REQUEST", `Cannot ${verb} Azure KeyVault-backed scope ${name}`);
    return scope;
  };

  return {
    async createScope(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const name = reqString(body, "scope");
      if (!SCOPE_NAME_PATTERN.test(name)) {
        throw invalidParameter("Scope name must consist of alphanumeric characters, dashes, underscores, periods, '@' and '/', and may not exceed 128 characters.");
      }
      const backend = optString(body, "scope_backend_type") ?? "DATABRICKS";
      if (backend !== "DATABRICKS" && backend !== "AZURE_KEYVAULT") throw invalidParameter(`Invalid scope_backend_type: ${backend}`);
      let metadata: StoredScope["keyvault_metadata"];
      if (backend === "AZURE_KEYVAULT") {
        const kv = optObject(body, "backend_azure_keyvault");
        if (!kv) throw invalidParameter("Scope with Azure KeyVault must have AzureKeyVaultSecretScopeMetadata defined!");
        metadata = { resource_id: reqString(kv, "resource_id", "backend_azure_keyvault.resource_id"), dns_name: reqString(kv, "dns_name", "backend_azure_keyvault.dns_name") };
        // Only an Azure AD caller can grant the workspace access to the vault; a PAT cannot.
        if (!isAzureAdCaller(req)) throw invalidParameter("Scope with Azure KeyVault must have userAADToken defined!");
        // The service grants itself access to the vault: only a vault it can reach will do.
        if (!vault?.serves(metadata.dns_name)) {
          const served = vault ? `the local emulator serves one vault, ${vault.url()}` : "the local emulator serves no vault here";
          throw invalidParameter(`Unable to grant read/list permission to Databricks service principal to KeyVault '${metadata.dns_name}': ${served}.`);
        }
      }
      const principal = optString(body, "initial_manage_principal");
      store.update((s) => {
        if (s.scopes[name]) throw alreadyExists(`Scope ${name} already exists!`);
        s.scopes[name] = { name, backend_type: backend, ...(metadata ? { keyvault_metadata: metadata } : {}), secrets: keyed(), acls: keyed([[principal ?? EMULATOR_USER, "MANAGE"]]) };
      });
      return ok();
    },

    async deleteScope(req: EmulatorRequest): Promise<EmulatorResponse> {
      const name = reqString(await bodyObject(req), "scope");
      store.update((s) => {
        scopeOf(s, name);
        delete s.scopes[name];
      });
      return ok();
    },

    listScopes(): EmulatorResponse {
      const scopes = store.read((s) => Object.values(s.scopes).sort((a, b) => a.name.localeCompare(b.name)));
      return ok(compact({ scopes: scopes.map((sc) => compact({ name: sc.name, backend_type: sc.backend_type, keyvault_metadata: sc.keyvault_metadata })) }));
    },

    async put(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const scopeName = reqString(body, "scope");
      const key = reqString(body, "key");
      const stringValue = optString(body, "string_value");
      const bytesValue = optString(body, "bytes_value");
      if ((stringValue === undefined) === (bytesValue === undefined)) throw invalidParameter("Exactly one of string_value and bytes_value must be specified.");
      const bytes = stringValue !== undefined ? Buffer.from(stringValue, "utf8") : base64Bytes(bytesValue!, "Invalid value for field bytes_value: not valid base64.");
      store.update((s) => {
        const scope = writableScope(s, scopeName, "write secrets to");
        if (!SECRET_KEY_PATTERN.test(key)) {
          throw invalidParameter("Secret key must consist of alphanumeric characters, dashes, underscores, and periods, and may not exceed 128 characters.");
        }
        if (bytes.length > MAX_SECRET_BYTES) throw invalidParameter(`Size of the secret value exceeds the maximum of ${MAX_SECRET_BYTES} bytes: ${bytes.length} bytes.`);
        scope.secrets[key] = { value: bytes.toString("base64"), last_updated_timestamp: clock.now() };
      });
      return ok();
    },

    async delete(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const scopeName = reqString(body, "scope");
      const key = reqString(body, "key");
      store.update((s) => {
        const scope = writableScope(s, scopeName, "delete secrets from");
        if (!scope.secrets[key]) throw doesNotExist(`Secret ${key} does not exist in scope ${scopeName}!`);
        delete scope.secrets[key];
      });
      return ok();
    },

    list(req: EmulatorRequest): EmulatorResponse {
      const scopeName = reqQueryString(req, "scope");
      const scope = store.read((s) => scopeOf(s, scopeName));
      const secrets: [string, number][] =
        scope.backend_type === "AZURE_KEYVAULT"
          ? (vault?.secrets() ?? []).map((v) => [v.name, v.updatedMs])
          : Object.entries(scope.secrets).map(([key, v]) => [key, v.last_updated_timestamp]);
      secrets.sort(([a], [b]) => a.localeCompare(b));
      return ok(compact({ secrets: secrets.map(([key, at]) => ({ key, last_updated_timestamp: at })) }));
    },

    get(req: EmulatorRequest): EmulatorResponse {
      const scopeName = reqQueryString(req, "scope");
      const key = reqQueryString(req, "key");
      const scope = store.read((s) => scopeOf(s, scopeName));
      const fromVault = scope.backend_type === "AZURE_KEYVAULT" && vault ? vaultSecret(vault, key) : undefined;
      const value = scope.backend_type === "AZURE_KEYVAULT" ? fromVault && Buffer.from(fromVault.value, "utf8").toString("base64") : scope.secrets[key]?.value;
      if (value === undefined) throw doesNotExist(`Secret ${key} does not exist in scope ${scopeName}!`);
      return ok({ key, value });
    },

    async putAcl(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const scopeName = reqString(body, "scope");
      const principal = reqString(body, "principal");
      const permission = reqString(body, "permission");
      if (!PERMISSIONS.includes(permission)) throw invalidParameter(`Invalid permission ${permission}: must be one of ${PERMISSIONS.join(", ")}.`);
      store.update((s) => {
        scopeOf(s, scopeName).acls[principal] = permission;
      });
      return ok();
    },

    async deleteAcl(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const scopeName = reqString(body, "scope");
      const principal = reqString(body, "principal");
      store.update((s) => {
        const scope = scopeOf(s, scopeName);
        if (!scope.acls[principal]) throw doesNotExist(`ACL for principal ${principal} does not exist in scope ${scopeName}!`);
        delete scope.acls[principal];
      });
      return ok();
    },

    getAcl(req: EmulatorRequest): EmulatorResponse {
      const scopeName = reqQueryString(req, "scope");
      const principal = reqQueryString(req, "principal");
      const permission = store.read((s) => scopeOf(s, scopeName).acls[principal]);
      if (!permission) throw doesNotExist(`ACL for principal ${principal} does not exist in scope ${scopeName}!`);
      return ok({ principal, permission });
    },

    listAcls(req: EmulatorRequest): EmulatorResponse {
      const scopeName = reqQueryString(req, "scope");
      const acls = store.read((s) => Object.entries(scopeOf(s, scopeName).acls));
      return ok(compact({ items: acls.sort(([a], [b]) => a.localeCompare(b)).map(([principal, permission]) => ({ principal, permission })) }));
    },
  };
}

/** The handlers' type. */
export type SecretHandlers = ReturnType<typeof createSecretHandlers>;
