/** The DatabricksSecretScope provider's operations. A scope cannot be edited: any change replaces it. */
import { CheckFailure, known } from "../checks";
import { checkHost, databricksApi, ignoreGone, progress } from "./connection";
import { applySpec } from "./specForm";

/** Inputs as they reach the provider. */
export interface ScopeInputs {
  host: string;
  spec?: Record<string, unknown>;
  name: string;
  initialManagePrincipal?: string;
  keyVault?: { resourceId: string; dnsName: string };
}

const NAME = /^[\w.@/-]{1,128}$/;
const KEYS = ["host", "name", "initialManagePrincipal", "keyVault", "spec"] as const;

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  applySpec(inputs, { scope: "name", initial_manage_principal: "initialManagePrincipal" });
  const kvSpec = (inputs.spec as { backend_azure_keyvault?: { resource_id: string; dns_name: string } } | undefined)?.backend_azure_keyvault;
  if (kvSpec && inputs.keyVault === undefined) inputs.keyVault = { resourceId: kvSpec.resource_id, dnsName: kvSpec.dns_name };
  const failures: CheckFailure[] = [];
  if (inputs.name === undefined || inputs.name === "") failures.push({ property: "name", reason: "name is required: 1-128 letters, digits and _ . @ / -." });
  else if (known(inputs.name) && (typeof inputs.name !== "string" || !NAME.test(inputs.name))) {
    failures.push({ property: "name", reason: `name "${String(inputs.name)}" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.` });
  }
  const kv = inputs.keyVault as Record<string, unknown> | undefined;
  if (known(kv) && kv !== undefined && (!kv || typeof kv.resourceId !== "string" || typeof kv.dnsName !== "string")) {
    failures.push({ property: "keyVault", reason: "keyVault needs resourceId (the vault's ARM id) and dnsName (https://<vault>.vault.azure.net/)." });
  }
  checkHost(inputs, failures);
  return { inputs, failures };
}

export async function diff(_id: string, olds: ScopeInputs, news: ScopeInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = KEYS.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
  if (replaces.length > 0) progress(`Secret scope "${news.name}": ${replaces.join(", ")} changed; will replace the scope (its secrets go with it).`);
  return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
}

export async function create(inputs: ScopeInputs): Promise<{ id: string; outs: ScopeInputs & { backendType: string } }> {
  const api = databricksApi(inputs.host);
  try {
    await api.secrets.createScope({
      scope: inputs.name,
      ...(inputs.initialManagePrincipal && { initial_manage_principal: inputs.initialManagePrincipal }),
      ...(inputs.keyVault && { scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: { resource_id: inputs.keyVault.resourceId, dns_name: inputs.keyVault.dnsName } }),
    });
  } catch (err) {
    if (inputs.keyVault && /userAADToken/.test((err as Error).message)) {
      throw new Error(`${(err as Error).message}\nA Key Vault-backed scope must be created with an Azure AD token, not a personal access token: unset DATABRICKS_TOKEN and sign in with Azure (DefaultAzureCredential).`);
    }
    throw err;
  }
  return { id: inputs.name, outs: { ...inputs, backendType: inputs.keyVault ? "AZURE_KEYVAULT" : "DATABRICKS" } };
}

export async function read(id: string, props: ScopeInputs & { backendType: string }): Promise<{ id: string; props: Record<string, unknown> }> {
  const scopes = await databricksApi(props.host).secrets.listScopes();
  const scope = scopes.find((s) => s.name === props.name);
  if (!scope) return { id: "", props: {} };
  return { id, props: { ...props, backendType: scope.backend_type ?? props.backendType } };
}

export async function update(_id: string, olds: ScopeInputs, news: ScopeInputs): Promise<{ outs: Record<string, unknown> }> {
  return { outs: { ...olds, ...news } };
}

export async function remove(_id: string, props: ScopeInputs): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).secrets.deleteScope(props.name));
}
