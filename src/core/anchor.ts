import * as pulumi from "@pulumi/pulumi";

/**
 * `value` as an Output of `resource`: it resolves to `value`, and a resource that takes it as an
 * input depends on `resource` (is created after it, replaced with it). For outputs a resource
 * derives from its own arguments: taken from the arguments alone they would carry no dependency,
 * so a consumer could start before the object exists. Anchored on the resource's URN, which the
 * engine knows at preview, so the result stays known at preview whenever `value` is.
 */
export function anchoredOn<T>(resource: pulumi.Resource, value: pulumi.Input<T>): pulumi.Output<pulumi.Unwrap<T>> {
  return pulumi.all([resource.urn, value]).apply(([, v]) => v as pulumi.Unwrap<T>);
}
