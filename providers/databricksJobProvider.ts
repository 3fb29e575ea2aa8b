import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksJob: one instance, shared by every resource of the type. */
export const databricksJobProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/databricksJob");
