import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import { withSecretOutputs } from "../../core/resourceOptions";
import type { AmlWorkspaceArgs } from "../shared/workspace";

/** One provider instance for every DatabricksComputeAttachment (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksComputeAttachment");

/** Arguments of a {@link DatabricksComputeAttachment}. */
export interface DatabricksComputeAttachmentArgs extends AmlWorkspaceArgs {
  /**
   * The compute's name in the Azure ML workspace: 2-24 letters, digits and `-`, starting with a
   * letter. Changing it replaces the attachment.
   */
  readonly computeName: pulumi.Input<string>;
  /**
   * The Databricks workspace's ARM id,
   * `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>`.
   * Changing it (another workspace) replaces the attachment.
   */
  readonly databricksResourceId: pulumi.Input<string>;
  /**
   * The Databricks workspace URL, `https://adb-<id>.<n>.azuredatabricks.net` (the emulator's URL in
   * the local target). Changing it replaces the attachment.
   */
  readonly workspaceUrl: pulumi.Input<string>;
  /**
   * A Databricks access token Azure ML uses to call the workspace, typically a `KeyVaultSecret`'s
   * `value`. Secret: stored encrypted in the state, never printed nor returned by the service.
   * Changing it (rotation) updates the attachment in place.
   */
  readonly accessToken: pulumi.Input<string>;
  /** A description shown in the studio. Default: none. Changing it updates the attachment. */
  readonly description?: pulumi.Input<string>;
  /** The Azure region of the compute. Default: the workspace's. Changing it replaces the attachment. */
  readonly location?: pulumi.Input<string>;
  /**
   * Take over a compute of this name that already exists in the workspace: `pulumi up` attaches
   * over it and `pulumi destroy` then detaches it. Without it, creating the resource fails when the
   * name is taken. Read only when the resource is created. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * An Azure Databricks workspace attached to an Azure ML workspace as compute (what v1
 * `DatabricksStep` pipelines and the studio use). Attaching waits for Azure ML's long-running
 * operation; destroying detaches and never deletes the Databricks workspace.
 */
export class DatabricksComputeAttachment extends pulumi.dynamic.Resource {
  /** The compute's name. */
  declare readonly computeName: pulumi.Output<string>;
  /** The compute's ARM id, `<workspace id>/computes/<name>` (also the resource id). */
  declare readonly computeId: pulumi.Output<string>;
  /** `azureml:<name>`, as pipeline YAML names a compute. */
  declare readonly reference: pulumi.Output<string>;
  /** The Databricks workspace's ARM id. */
  declare readonly databricksResourceId: pulumi.Output<string>;
  /** The Databricks workspace URL. */
  declare readonly workspaceUrl: pulumi.Output<string>;
  /** Azure ML's provisioning state after the last change, `Succeeded`. */
  declare readonly provisioningState: pulumi.Output<string>;
  /** The access token (a Pulumi secret). */
  declare readonly accessToken: pulumi.Output<string>;

  /**
   * Declares the attachment; `pulumi up` attaches the Databricks workspace.
   * @param name The resource's name, unique in the stack.
   * @param args The Azure ML workspace, the Databricks workspace and its token.
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksComputeAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      PROVIDER,
      name,
      { ...args, accessToken: pulumi.secret(args.accessToken), computeId: undefined, reference: undefined, provisioningState: undefined },
      withSecretOutputs(opts, ["accessToken"]),
      MODULE,
      "DatabricksComputeAttachment",
    );
  }
}
