import { forwardingProvider } from "./forwardingProvider";

/** The dynamic provider of DatabricksRun: one instance, shared by every run. */
export const databricksRunProvider = forwardingProvider("pulumi-azureml-databricks/lib/lifecycle/databricksRun");
