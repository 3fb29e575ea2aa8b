/** Secret values as notebooks and execution contexts read them (`dbutils.secrets.get`). */
import { keyed, type Keyed } from "../../core/keyed";
import type { DatabricksStore } from "../store";

/** The values of every Databricks-backed scope, as `dbutils.secrets.get` sees them (UTF-8 text). */
export function databricksSecretValues(store: DatabricksStore): Keyed<Keyed<string>> {
  return store.read((s) => {
    const out = keyed<Keyed<string>>();
    for (const scope of Object.values(s.scopes)) {
      if (scope.backend_type !== "DATABRICKS") continue;
      out[scope.name] = keyed(Object.entries(scope.secrets).map(([k, v]) => [k, Buffer.from(v.value, "base64").toString("utf8")]));
    }
    return out;
  });
}
