/** The Key Vault resources. */
export * from "./secret/keyVaultSecret";
