import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksWorkspaceItem: one instance, shared by every resource of the type. */
export const databricksWorkspaceItemProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/databricksWorkspaceItem");
