import type * as pulumi from "@pulumi/pulumi";

/** The module part of every type token: `pulumi-nodejs:dynamic/azureml-databricks:<Type>`. */
export const MODULE = "azureml-databricks";

/**
 * The dynamic provider of one resource type. The engine serializes this object into every
 * resource's state (twice) and runs it on refresh and destroy, so it holds nothing but the frozen
 * entry's name and the type, and asks the entry for the logic at call time (resolved from the
 * program's node_modules).
 *
 * Two functions stand for the six methods because each serialized function costs ~200 bytes of
 * state per resource: the entry tells check, diff, create and read apart by their arguments, and
 * update from delete likewise (see `src/provider.ts`). One instance per type: the serializer
 * caches by object.
 */
export function forwardingProvider(type: string): pulumi.dynamic.ResourceProvider {
  const forward = (...args: unknown[]) => require("pulumi-azureml-databricks/provider").forward(type, args);
  const forwardChange = (...args: unknown[]) => require("pulumi-azureml-databricks/provider").forwardChange(type, args);
  return { check: forward, diff: forward, create: forward, read: forward, update: forwardChange, delete: forwardChange };
}
