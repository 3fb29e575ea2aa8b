import type * as pulumi from "@pulumi/pulumi";

/**
 * The dynamic provider for DatabricksRun: thin, stored in every run's state, requiring its logic
 * by package path at call time (see keyVaultSecretProvider.ts).
 */
export const databricksRunProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    return require("pulumi-azureml-databricks/lib/lifecycle/databricksRun").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-azureml-databricks/lib/lifecycle/databricksRun").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-azureml-databricks/lib/lifecycle/databricksRun").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-azureml-databricks/lib/lifecycle/databricksRun").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-azureml-databricks/lib/lifecycle/databricksRun").update(id, olds, news);
  },
  async delete(id, props) {
    return require("pulumi-azureml-databricks/lib/lifecycle/databricksRun").remove(id, props);
  },
};
