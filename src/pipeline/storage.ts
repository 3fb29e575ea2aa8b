/**
 * The Azure ML workspace's blob store as the Databricks mount needs it (account, container, key),
 * read from a datastore through the Azure ML client when the program does not give it.
 */
import * as pulumi from "@pulumi/pulumi";
import { createAzureMlApi } from "../azureml/client";
import type { AmlWorkspaceArgs } from "../azureml/shared/workspace";

/** The blob container the notebook writes into, and its account key. */
export interface DatabricksPipelineStorageArgs {
  /** The storage account's name. */
  readonly accountName: pulumi.Input<string>;
  /** The blob container's name. */
  readonly containerName: pulumi.Input<string>;
  /** The account's key. Secret: stored only as a Databricks secret, never printed. */
  readonly accountKey: pulumi.Input<string>;
}

/** The storage as outputs; the key a Pulumi secret. */
export interface PipelineStorage {
  accountName: pulumi.Output<string>;
  containerName: pulumi.Output<string>;
  accountKey: pulumi.Output<string>;
}

/** `given` as outputs, else the account, container and key of `datastore` in the workspace. */
export function pipelineStorage(workspace: AmlWorkspaceArgs, datastore: pulumi.Input<string>, given?: DatabricksPipelineStorageArgs): PipelineStorage {
  if (given) {
    return { accountName: pulumi.output(given.accountName), containerName: pulumi.output(given.containerName), accountKey: pulumi.secret(given.accountKey) };
  }
  const found = pulumi.all([pulumi.output(workspace), datastore]).apply(async ([ws, name]) => {
    const api = createAzureMlApi({ workspace: { subscriptionId: ws.subscriptionId, resourceGroupName: ws.resourceGroupName, workspaceName: ws.workspaceName }, endpoint: ws.armEndpoint });
    const props = (await api.datastores.get(name)).properties as unknown as Record<string, unknown>;
    const { key } = await api.datastores.listSecrets(name);
    if (typeof props.accountName !== "string" || typeof props.containerName !== "string" || !key) {
      throw new Error(`DatabricksPipeline: datastore "${name}" of workspace "${ws.workspaceName}" is not a blob container with an account key; give the storage argument instead.`);
    }
    return { accountName: props.accountName, containerName: props.containerName, accountKey: key };
  });
  return { accountName: found.accountName, containerName: found.containerName, accountKey: pulumi.secret(found.accountKey) };
}
