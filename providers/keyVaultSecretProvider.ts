import type * as pulumi from "@pulumi/pulumi";

/**
 * The dynamic provider for KeyVaultSecret. It is serialized into the state of every secret and
 * run from there on refresh and destroy, so it stays this thin: each method requires the logic
 * by package path at call time (resolved from the program's node_modules) and forwards to it.
 */
export const keyVaultSecretProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    return require("pulumi-azureml-databricks/lib/keyvault/secretLifecycle").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-azureml-databricks/lib/keyvault/secretLifecycle").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-azureml-databricks/lib/keyvault/secretLifecycle").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-azureml-databricks/lib/keyvault/secretLifecycle").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-azureml-databricks/lib/keyvault/secretLifecycle").update(id, olds, news);
  },
  async delete(id, props) {
    return require("pulumi-azureml-databricks/lib/keyvault/secretLifecycle").remove(id, props);
  },
};
