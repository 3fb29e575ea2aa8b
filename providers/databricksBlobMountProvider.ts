import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksBlobMount: one instance, shared by every mount. */
export const databricksBlobMountProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/blobMount");
