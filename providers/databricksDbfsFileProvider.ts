import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksDbfsFile: one instance, shared by every file. */
export const databricksDbfsFileProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/databricksDbfsFile");
