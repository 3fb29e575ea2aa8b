import * as pulumi from "@pulumi/pulumi";

/**
 * The caller's options plus output keys the engine must store as secrets. Dynamic providers
 * cannot return secrets themselves; the engine marks these keys on every create, update and read.
 */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, keys: string[]): pulumi.CustomResourceOptions {
  const merged = new Set([...(opts?.additionalSecretOutputs ?? []), ...keys]);
  return { ...opts, additionalSecretOutputs: [...merged] };
}

/**
 * `<project>/<stack>/<resource name>`: who a resource is, for idempotency tokens that must be the
 * same on every `up` of this resource and different for any other.
 */
export function resourceIdentity(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}
