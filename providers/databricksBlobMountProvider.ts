import type * as pulumi from "@pulumi/pulumi";

/** The dynamic provider for DatabricksBlobMount (thin; see keyVaultSecretProvider.ts). */
export const databricksBlobMountProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    return require("pulumi-azureml-databricks/lib/lifecycle/blobMount").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-azureml-databricks/lib/lifecycle/blobMount").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-azureml-databricks/lib/lifecycle/blobMount").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-azureml-databricks/lib/lifecycle/blobMount").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-azureml-databricks/lib/lifecycle/blobMount").update(id, olds, news);
  },
  async delete(id, props) {
    return require("pulumi-azureml-databricks/lib/lifecycle/blobMount").remove(id, props);
  },
};
