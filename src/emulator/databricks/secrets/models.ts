/**
 * Secret scopes and their secrets as stored in the workspace state (values as base64 bytes).
 */
import type { Keyed } from "../../core/keyed";

/** One secret of a Databricks-backed scope. */
export interface StoredSecret {
  /** The value's bytes, base64. */
  value: string;
  last_updated_timestamp: number;
}

/** A secret scope. */
export interface StoredScope {
  name: string;
  backend_type: "DATABRICKS" | "AZURE_KEYVAULT";
  keyvault_metadata?: { resource_id: string; dns_name: string };
  secrets: Keyed<StoredSecret>;
  /** Permission by principal. */
  acls: Keyed<string>;
}
