import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksCluster: one instance, shared by every resource of the type. */
export const databricksClusterProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/databricksCluster");
