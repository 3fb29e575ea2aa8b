import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksSecret: one instance, shared by every resource of the type. */
export const databricksSecretProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/databricksSecret");
