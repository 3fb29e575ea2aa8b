/** The Azure ML resources and the argument types they share. */
export * from "./component/amlComponent";
export * from "./computeAttachment/databricksComputeAttachment";
export * from "./databricksNotebookComponent/databricksNotebookComponent";
export * from "./environment/amlEnvironment";
export * from "./pipelineEndpoint/amlPipelineEndpoint";
export * from "./pipelineRun/amlPipelineRun";
export * from "./schedule/amlSchedule";
export type { AmlWorkspaceArgs } from "./shared/workspace";
export { ARM_ENDPOINT_ENV } from "./client/endpoint";
