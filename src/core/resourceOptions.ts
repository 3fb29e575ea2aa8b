import * as pulumi from "@pulumi/pulumi";

/**
 * The caller's options plus output keys the engine must store as secrets. Dynamic providers
 * cannot return secrets themselves; the engine marks these keys on every create, update and read.
 */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, keys: string[]): pulumi.CustomResourceOptions {
  const merged = new Set([...(opts?.additionalSecretOutputs ?? []), ...keys]);
  return { ...opts, additionalSecretOutputs: [...merged] };
}
