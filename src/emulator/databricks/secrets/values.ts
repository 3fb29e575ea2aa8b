/** Secret values as notebooks and execution contexts read them (`dbutils.secrets.get`). */
import type { DatabricksStore } from "../store";

/** The values of every Databricks-backed scope, as `dbutils.secrets.get` sees them (UTF-8 text). */
export function databricksSecretValues(store: DatabricksStore): Record<string, Record<string, string>> {
  return store.read((s) => {
    const out: Record<string, Record<string, string>> = {};
    for (const scope of Object.values(s.scopes)) {
      if (scope.backend_type !== "DATABRICKS") continue;
      out[scope.name] = Object.fromEntries(Object.entries(scope.secrets).map(([k, v]) => [k, Buffer.from(v.value, "base64").toString("utf8")]));
    }
    return out;
  });
}
