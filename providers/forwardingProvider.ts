import type * as pulumi from "@pulumi/pulumi";

/**
 * A dynamic provider that forwards every method to a lifecycle module required by package path
 * at call time. This object is what the engine serializes into each resource's state and runs
 * on refresh and destroy, so it stays this small and stable; the logic lives in the module,
 * resolved from the program's node_modules, and can change between releases.
 */
export function forwardingProvider(modulePath: string): pulumi.dynamic.ResourceProvider {
  return {
    async check(olds, news) {
      return require(modulePath).check(olds, news);
    },
    async diff(id, olds, news) {
      return require(modulePath).diff(id, olds, news);
    },
    async create(inputs) {
      return require(modulePath).create(inputs);
    },
    async read(id, props) {
      return require(modulePath).read(id, props);
    },
    async update(id, olds, news) {
      return require(modulePath).update(id, olds, news);
    },
    async delete(id, props) {
      return require(modulePath).remove(id, props);
    },
  };
}
