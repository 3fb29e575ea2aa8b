import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { AmlWorkspaceArgs } from "../shared/workspace";
import { readYamlFile } from "../shared/yamlFile";

/** One provider instance for every AmlPipelineEndpoint (the serializer caches by object). */
const PROVIDER = forwardingProvider("AmlPipelineEndpoint");

/**
 * Arguments of an {@link AmlPipelineEndpoint}. Give the pipeline once: `component` (a registered
 * pipeline component) or `pipelineFile` (a CLI v2 pipeline YAML that the resource registers as a
 * pipeline component).
 */
export interface AmlPipelineEndpointArgs extends AmlWorkspaceArgs {
  /**
   * The batch endpoint's name: 3-32 letters, digits and `-`, starting with a letter. It is part of
   * the invocation URI. Changing it replaces the endpoint.
   */
  readonly endpointName: pulumi.Input<string>;
  /** The deployment's name. Default: `default`. Changing it deploys anew and removes the old deployment. */
  readonly deploymentName?: pulumi.Input<string>;
  /** A registered pipeline component: `azureml:<name>:<version>` or its ARM id; preview fails when it is not registered. Exclusive with `pipelineFile`. */
  readonly component?: pulumi.Input<string>;
  /**
   * A CLI v2 pipeline YAML file (`jobs` of registered components, `inputs`, `outputs`), relative to
   * the program's directory, registered as a pipeline component named after its `name` (else
   * `<endpointName>_pipeline`, `-` as `_`) with a version derived from its content. Read when the
   * program runs. Plain (not an Input). Exclusive with `component`.
   */
  readonly pipelineFile?: string;
  /** Deployment settings, e.g. `{ default_compute: "azureml:cpu-cluster" }` (`azureml:` names as ARM ids). Default: none. */
  readonly settings?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Description of the endpoint and the deployment. Default: none. */
  readonly description?: pulumi.Input<string>;
  /** Tags of the deployment. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The Azure region. Default: the workspace's. Changing it replaces the endpoint. */
  readonly location?: pulumi.Input<string>;
  /**
   * Take over a batch endpoint of this name that already exists: `pulumi up` deploys to it and
   * `pulumi destroy` then deletes it. Read only when the resource is created. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * A pipeline published as a REST endpoint, the v2 way: a batch endpoint with a pipeline-component
 * deployment as its default. POSTing to `invocationUri` (with an Azure AD token) starts a run.
 */
export class AmlPipelineEndpoint extends pulumi.dynamic.Resource {
  /** The endpoint's name. */
  declare readonly endpointName: pulumi.Output<string>;
  /** The endpoint's ARM id (also the resource id). */
  declare readonly endpointId: pulumi.Output<string>;
  /** The deployment's ARM id. */
  declare readonly deploymentId: pulumi.Output<string>;
  /** The pipeline component's ARM id. */
  declare readonly componentId: pulumi.Output<string>;
  /** The URI to POST to to run the pipeline (the endpoint's `scoringUri`). */
  declare readonly invocationUri: pulumi.Output<string>;

  /**
   * Declares the endpoint; `pulumi up` creates the endpoint and its deployment.
   * @param name The resource's name, unique in the stack.
   * @param args The workspace, the endpoint and the pipeline.
   * @param opts Resource options.
   */
  constructor(name: string, args: AmlPipelineEndpointArgs, opts?: pulumi.CustomResourceOptions) {
    const { pipelineFile, ...rest } = args;
    const pipeline = pipelineFile === undefined ? undefined : readYamlFile(pipelineFile, "Pipeline file");
    super(
      PROVIDER,
      name,
      { ...rest, pipelineFile: pipeline?.file, pipelineYaml: pipeline?.doc, endpointId: undefined, deploymentId: undefined, componentId: undefined, invocationUri: undefined },
      opts,
      MODULE,
      "AmlPipelineEndpoint",
    );
  }
}
