/**
 * The DatabricksSecretScope provider's operations (CreateSecretScopeOp / DeleteSecretScopeOp).
 * A scope cannot be edited: any change replaces it, deleting the old one first (its secrets go
 * with it, and the engine replaces the DatabricksSecrets that depend on it). Required by the
 * provider at call time, in the engine's provider process.
 */
import { withKeyDetail } from "../../core/engineDiff";
import { CheckFailure, checkEnum, Fail, failureList, isObject, known, sameJson, UNKNOWN } from "../../core/check";
import { DatabricksApi, DatabricksApiError, isAlreadyExists } from "../client";
import type { CreateScopeRequest } from "../client/types";
import { ServiceError } from "../../core/errors";
import { checkAdopt, takeoverRefused } from "../../core/takeover";
import { checkWithHost, databricksApi, ignoreGone } from "../shared/connection";
import { progress } from "../../core/progress";
import { SCOPE_NAME_PATTERN } from "../shared/names";
import { absorbSpec, SpecShape } from "../shared/spec";

/** The Key Vault behind an `AZURE_KEYVAULT` scope, camelCase. */
export interface ScopeKeyVault {
  /** ARM id of the vault. */
  resourceId: string;
  /** The vault's URI, e.g. `https://my-vault.vault.azure.net/`. */
  dnsName: string;
}

/** Inputs as they reach the provider (after check: the spec absorbed into the named fields). */
export interface ScopeInputs {
  host: string;
  name: string;
  initialManagePrincipal?: string;
  keyVault?: ScopeKeyVault;
  /** Take over a scope of this name that already exists when creating. Default false. */
  adopt?: boolean;
  /** Only present while still unknown at preview; check absorbs a known spec. */
  spec?: unknown;
}

/** What state holds: the inputs and the backend the service reports. */
export interface ScopeOutputs extends ScopeInputs {
  /** `DATABRICKS` or `AZURE_KEYVAULT`. */
  backendType: string;
}

/** State as any version of this provider left it: the inputs, outputs possibly missing. */
export type StoredScope = ScopeInputs & Partial<ScopeOutputs>;

/** The principal that may manage a new scope when the program names none. */
export const DEFAULT_MANAGE_PRINCIPAL = "users";
/** The `secrets/scopes/create` request, for `spec`. */
const SPEC: SpecShape = {
  request: "secrets/scopes/create",
  example: '{ scope: "etl", initial_manage_principal: "users" }',
  fields: {
    scope: "name",
    initial_manage_principal: "initialManagePrincipal",
    scope_backend_type: {},
    backend_azure_keyvault: { named: "keyVault", fromWire: (kv) => (isObject(kv) ? { resourceId: kv.resource_id, dnsName: kv.dns_name } : kv) },
  },
};
/** Inputs whose change replaces the scope. */
const IDENTITY_KEYS = ["host", "name", "initialManagePrincipal", "keyVault", "spec"] as const;
const VAULT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i;

/**
 * Validates the inputs and absorbs a known `spec` (the `secrets/scopes/create` JSON) into the
 * named fields, named ones winning. Every failure at once; unknown preview values pass. No host.
 */
export function checkScope(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  checkBackend(inputs.spec, fail);
  absorbSpec(inputs, SPEC, fail);

  const name = inputs.name;
  if ((name === undefined && inputs.spec !== UNKNOWN) || name === "") fail("name", "name is required: 1-128 letters, digits and _ . @ / -.");
  else if (known(name) && (typeof name !== "string" || !SCOPE_NAME_PATTERN.test(name))) {
    fail("name", `name "${String(name)}" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.`);
  }

  const principal = inputs.initialManagePrincipal;
  if (known(principal) && (typeof principal !== "string" || principal === "")) {
    fail("initialManagePrincipal", `initialManagePrincipal must name a user, group or service principal, e.g. "users" (every workspace user); omit it for the default "${DEFAULT_MANAGE_PRINCIPAL}".`);
  }

  const kv = inputs.keyVault;
  if (known(kv)) {
    if (!isObject(kv)) {
      fail("keyVault", "keyVault must be { resourceId, dnsName }: the vault's ARM id and its URI.");
    } else {
      const { resourceId, dnsName } = kv as Record<string, unknown>;
      if (known(resourceId) && (typeof resourceId !== "string" || !VAULT_ID.test(resourceId))) {
        fail("keyVault.resourceId", "keyVault.resourceId must be the vault's ARM id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<vault>.");
      }
      if (known(dnsName) && (typeof dnsName !== "string" || !/^https:\/\/[^/\s]+\/?$/.test(dnsName))) {
        fail("keyVault.dnsName", "keyVault.dnsName must be the vault's URI, e.g. https://my-vault.vault.azure.net/.");
      }
    }
  }
  checkAdopt(inputs, fail);
  return { inputs, failures };
}

/** The spec's `scope_backend_type` must match its vault: a Key Vault-backed scope names one. */
function checkBackend(spec: unknown, fail: Fail): void {
  if (!isObject(spec)) return;
  const backend = spec.scope_backend_type;
  checkEnum(backend, "spec.scope_backend_type", fail, ["DATABRICKS", "AZURE_KEYVAULT"]);
  if (backend === "AZURE_KEYVAULT" && spec.backend_azure_keyvault === undefined) {
    fail("spec.backend_azure_keyvault", "spec.backend_azure_keyvault ({ resource_id, dns_name }) is required with scope_backend_type AZURE_KEYVAULT.");
  }
  if (backend === "DATABRICKS" && spec.backend_azure_keyvault !== undefined) {
    fail("spec.backend_azure_keyvault", "spec.backend_azure_keyvault belongs to scope_backend_type AZURE_KEYVAULT: remove one of them.");
  }
}

/** Validation at preview and up; fills `host` from the environment when absent. */
export const check = checkWithHost(checkScope);

/** The engine's diff result. */
export interface ScopeDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * Any change replaces the scope, deleting the old one first (the name is usually the same). A
 * principal absent from older state counts as unchanged: it only matters at creation.
 */
export function diffScope(olds: Partial<ScopeOutputs>, news: Partial<ScopeInputs>): ScopeDiff {
  const replaces = IDENTITY_KEYS.filter((key) => {
    if (key === "initialManagePrincipal" && olds[key] === undefined && news[key] === undefined) return false;
    return news[key] === UNKNOWN || !sameJson(olds[key], news[key]);
  });
  return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
}

export async function diff(_id: string, olds: StoredScope, news: ScopeInputs): Promise<ScopeDiff> {
  const d = diffScope(olds, news);
  if (d.changes) {
    const name = known(news.name) ? news.name : olds.name;
    progress(`Secret scope "${name}": ${d.replaces.join(", ")} changed; will replace the scope (its secrets go with it).`);
  }
  return withKeyDetail(d, olds, news, d.replaces);
}

/**
 * Creates the scope; a Key Vault-backed one needs an Azure AD caller. A scope of this name that
 * already exists is refused unless `adopt` is set (the one takeover policy, `core/takeover`), and
 * adopted only when its backend is the one declared.
 */
export async function create(inputs: ScopeInputs): Promise<{ id: string; outs: ScopeOutputs }> {
  const request: CreateScopeRequest = { scope: inputs.name, initial_manage_principal: inputs.initialManagePrincipal ?? DEFAULT_MANAGE_PRINCIPAL };
  if (inputs.keyVault) {
    request.scope_backend_type = "AZURE_KEYVAULT";
    request.backend_azure_keyvault = { resource_id: inputs.keyVault.resourceId, dns_name: inputs.keyVault.dnsName };
  }
  const api = databricksApi(inputs.host);
  try {
    await api.secrets.createScope(request);
  } catch (err) {
    if (!(inputs.adopt && isAlreadyExists(err))) throw withHint(err, inputs);
    await checkAdoptable(api, inputs);
    progress(`Secret scope "${inputs.name}" already exists in ${inputs.host}; adopting it (adopt: true): destroy will delete it with all its secrets.`);
  }
  return { id: inputs.name, outs: { ...inputs, backendType: inputs.keyVault ? "AZURE_KEYVAULT" : "DATABRICKS" } };
}

/** The existing scope must have the declared backend (and vault): adopting does not change a scope. */
async function checkAdoptable(api: DatabricksApi, inputs: ScopeInputs): Promise<void> {
  const scope = (await api.secrets.listScopes()).find((s) => s.name === inputs.name);
  const backend = scope?.backend_type ?? "DATABRICKS";
  const vault = scope?.keyvault_metadata;
  const declared = inputs.keyVault;
  const matches = declared ? backend === "AZURE_KEYVAULT" && vault?.resource_id.toLowerCase() === declared.resourceId.toLowerCase() : backend === "DATABRICKS";
  if (matches) return;
  const describe = (vaultId: string | undefined) => (vaultId !== undefined ? `the Key Vault ${vaultId}` : "Databricks");
  throw new Error(
    `Secret scope "${inputs.name}" in ${inputs.host} is backed by ${describe(backend === "AZURE_KEYVAULT" ? (vault?.resource_id ?? "(unknown)") : undefined)}, ` +
      `not ${describe(declared?.resourceId)} as declared: adopt takes over a scope only as declared, since a scope cannot be edited. Declare its backend as it is, or choose another name.`,
  );
}

function withHint(err: unknown, inputs: ScopeInputs): unknown {
  if (!(err instanceof DatabricksApiError)) return err;
  if (isAlreadyExists(err)) {
    return takeoverRefused({ object: `Secret scope "${inputs.name}" in ${inputs.host}`, adopting: "keeps it as it is (a scope cannot be edited)", destroy: "deletes it with all its secrets", otherwise: "choose another name" }, err);
  }
  let hint: string | undefined;
  // The service answers a personal access token with a generic INVALID_PARAMETER_VALUE
  // (test/contracts/databricks/keyvault-scope-needs-aad-token.json). Its code does not tell this
  // case from a wrong vault, and its message is not a contract, so the hint is worded to hold for
  // any INVALID_PARAMETER_VALUE of a Key Vault-backed scope.
  if (inputs.keyVault && err.errorCode === "INVALID_PARAMETER_VALUE") {
    hint =
      "A Key Vault-backed scope can only be created by an Azure AD identity, not with a personal access token: " +
      "if the provider signs in with a token, unset DATABRICKS_TOKEN (and the profile's token) so it signs in with Azure (az login, a managed identity or a service principal); " +
      "make sure that identity may read the vault, and that keyVault.resourceId and keyVault.dnsName name the same vault. (Locally, set DATABRICKS_AUTH_TYPE=azure-cli so the provider gets an Azure AD token from the emulator's token endpoint.)";
  }
  if (!hint) return err;
  return new ServiceError({ operation: err.operation, status: err.status, code: err.errorCode, message: err.serviceMessage, hint });
}

/** Scopes cannot be edited, so diff never asks for an update; this only records new inputs. */
export async function update(_id: string, olds: StoredScope, news: ScopeInputs): Promise<{ outs: ScopeOutputs }> {
  return { outs: { ...news, backendType: olds.backendType ?? (news.keyVault ? "AZURE_KEYVAULT" : "DATABRICKS") } };
}

/** Finds the scope in `scopes/list`; a scope deleted out of band is reported gone. */
export async function read(id: string, props: StoredScope): Promise<{ id: string; props: Partial<ScopeOutputs>; inputs?: Partial<ScopeInputs> }> {
  const scopes = await databricksApi(props.host).secrets.listScopes();
  const scope = scopes.find((s) => s.name === props.name);
  if (!scope) return { id: "", props: {} };
  const outs: ScopeOutputs = { ...props, backendType: scope.backend_type ?? props.backendType ?? "DATABRICKS" };
  const kv = scope.keyvault_metadata;
  if (kv) outs.keyVault = { resourceId: kv.resource_id, dnsName: kv.dns_name };
  else if (scope.backend_type === "DATABRICKS") delete outs.keyVault;
  const { backendType: _b, ...inputs } = outs;
  return { id, props: outs, inputs };
}

/** Deletes the scope and its secrets; a scope already gone counts as deleted. */
export async function remove(_id: string, props: StoredScope): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).secrets.deleteScope(props.name));
}
