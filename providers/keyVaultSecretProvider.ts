import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of KeyVaultSecret: one instance, shared by every secret. */
export const keyVaultSecretProvider = forwardingProvider("pulumi-azureml-databricks/lib/keyvault/secretLifecycle");
