/** pulumi-azureml-databricks: every resource class and its argument types, by name. */
export * from "./azureml";
export * from "./databricks";
export * from "./keyvault";
export * from "./pipeline";
export { ServiceError } from "./core/errors";
export { Target, TARGET_ENV, LOCAL_TOKEN_ENV } from "./core/target";
export type { WireSpec, DeepInput } from "./core/plain";
export type * from "./databricks/client/types";
