/**
 * The errors of the Azure ML resource provider, in Resource Manager's shape: the front door's
 * (`SubscriptionNotFound`, `ResourceGroupNotFound`, `ParentResourceNotFound`, `ResourceNotFound`)
 * and the service's own (`UserError`, which it answers for a missing asset, a bad request and a
 * changed version alike).
 */
import { armFailure, type ArmRequestError } from "../arm/errors";
import { ML_NAMESPACE } from "./config";

/** 404 for a subscription other than the workspace's. */
export function subscriptionNotFound(subscriptionId: string): ArmRequestError {
  return armFailure(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`);
}

/** 404 for a resource group other than the workspace's. */
export function resourceGroupNotFound(resourceGroup: string): ArmRequestError {
  return armFailure(404, "ResourceGroupNotFound", `Resource group '${resourceGroup}' could not be found.`);
}

/** 404 for a nested resource of a workspace that does not exist. */
export function parentResourceNotFound(workspace: string): ArmRequestError {
  return armFailure(404, "ParentResourceNotFound", `Can not perform requested operation on nested resource. Parent resource '${workspace}' not found.`);
}

/** 404 for a workspace that does not exist. */
export function workspaceNotFound(resourceGroup: string, workspace: string): ArmRequestError {
  return armFailure(
    404,
    "ResourceNotFound",
    `The Resource '${ML_NAMESPACE}/workspaces/${workspace}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

/** The service's `UserError` with `status`. */
export function userError(status: number, message: string): ArmRequestError {
  return armFailure(status, "UserError", message);
}

/** 404 `UserError` for a missing child resource: `Not found compute adb.`, `Not found component prep version 1.` */
export function notFound(what: string): ArmRequestError {
  return userError(404, `Not found ${what}.`);
}

/** 400 `UserError` naming a property of the request body. */
export function invalidProperty(path: string, problem: string): ArmRequestError {
  return userError(400, `Invalid request: ${path} ${problem}.`);
}
