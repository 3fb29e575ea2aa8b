import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksSecretScope: one instance, shared by every resource of the type. */
export const databricksSecretScopeProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/databricksSecretScope");
