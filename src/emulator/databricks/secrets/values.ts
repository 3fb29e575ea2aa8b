/** Secret values as notebooks and execution contexts read them (`dbutils.secrets.get`). */
import { keyed, type Keyed } from "../../core/keyed";
import type { DatabricksStore } from "../store";
import type { ScopeVault } from "./vault";

/**
 * The values of every scope, as `dbutils.secrets.get` sees them (UTF-8 text): a Databricks-backed
 * scope's own, and a Key Vault-backed scope's from the vault as it is now. The executor redacts
 * every one of them in what the code prints.
 */
export function secretValues(store: DatabricksStore, vault?: ScopeVault): Keyed<Keyed<string>> {
  const scopes = store.read((s) => Object.values(s.scopes));
  const vaultValues = scopes.some((s) => s.backend_type === "AZURE_KEYVAULT") ? keyed((vault?.secrets() ?? []).map((v) => [v.name, v.value])) : keyed<string>();
  const out = keyed<Keyed<string>>();
  for (const scope of scopes) {
    out[scope.name] =
      scope.backend_type === "AZURE_KEYVAULT" ? vaultValues : keyed(Object.entries(scope.secrets).map(([k, v]) => [k, Buffer.from(v.value, "base64").toString("utf8")]));
  }
  return out;
}
