/**
 * Cluster specifications as the service takes them, in the Clusters API (create, edit) and in
 * tasks and job clusters (`new_cluster`): typed by {@link CLUSTER_SPEC}, with a Spark version and
 * a worker range that is a range.
 */
import { invalidParameter } from "../errors";
import type { JsonObject } from "../request";
import { checked, field, type Shape } from "../shapes";
import { CLUSTER_SPEC } from "../wireShapes";

/**
 * A checked cluster specification (numbers given as strings turned into numbers); throws 400
 * INVALID_PARAMETER_VALUE naming the field under `where` (`tasks[0].new_cluster`, or `""` for a
 * Clusters API body).
 */
export function checkedClusterSpec(input: unknown, where: string, shape: Shape = CLUSTER_SPEC): JsonObject {
  const spec = checked(input, shape, where) as JsonObject;
  if (typeof spec.spark_version !== "string" || spec.spark_version === "") throw invalidParameter(`Missing required field: ${field(where, "spark_version")}`);
  checkAutoscale(spec.autoscale as JsonObject | undefined, field(where, "autoscale"));
  return spec;
}

/** Checks that an `autoscale` (already typed) gives both ends of a range, the lower first. */
export function checkAutoscale(autoscale: JsonObject | undefined, where: string): void {
  if (autoscale === undefined || autoscale === null) return;
  const { min_workers: min, max_workers: max } = autoscale as { min_workers?: number; max_workers?: number };
  if (min === undefined || min === null) throw invalidParameter(`Missing required field: ${where}.min_workers`);
  if (max === undefined || max === null) throw invalidParameter(`Missing required field: ${where}.max_workers`);
  if (min > max) throw invalidParameter(`Invalid value for field ${where}: min_workers (${min}) must not be greater than max_workers (${max})`);
}
