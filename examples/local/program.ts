import * as pulumi from "@pulumi/pulumi";
import { KeyVaultSecret } from "../../src";

/**
 * The root program. With `AMLDB_TARGET=local` (what `npm start` sets) every resource lands in
 * the project's emulator; the same program targets Azure when pointed at real services.
 */
export function localDemo() {
  const config = new pulumi.Config();
  const token = new KeyVaultSecret("databricks-token", {
    vaultUrl: config.require("keyVaultUrl"),
    name: config.get("secretName") ?? "databricks-token",
    value: config.requireSecret("databricksToken"),
    contentType: "text/plain",
    tags: { purpose: "databricks-pat" },
    purgeOnDelete: true,
  });
  return {
    keyVaultUrl: token.vaultUrl,
    secretName: token.name,
    secretId: token.secretId,
    secretVersion: token.version,
  };
}
