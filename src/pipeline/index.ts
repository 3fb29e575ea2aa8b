/** DatabricksPipeline: seed 001's flow as one ComponentResource, and its argument types. */
export * from "./databricksPipeline";
export { DATABRICKS_OUTPUT, DATABRICKS_STEP } from "./steps";
export type { DatabricksPipelineEnvironmentArgs, DatabricksPipelineStepArgs } from "./steps";
export type { DatabricksPipelineStorageArgs } from "./storage";
