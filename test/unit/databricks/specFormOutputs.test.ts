import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

/**
 * A resource declared with `spec` only still has the outputs its class declares: a dynamic
 * resource gets an output for each key of its inputs, so the constructors list them.
 */
describe("outputs of resources declared in the full-spec form", () => {
  before(() => {
    // The provider's answer: the spec absorbed into the named fields (what check returns).
    const outputs: Record<string, Record<string, unknown>> = {
      DatabricksSecretScope: { name: "kfp-spec" },
      DatabricksJob: { jobId: 7 },
      DatabricksCluster: { clusterId: "c-1" },
      DatabricksRun: { runName: "pi-spec" },
    };
    const host = "https://adb-1.2.azuredatabricks.net";
    pulumi.runtime.setMocks({ newResource: (args) => ({ id: `id-${args.name}`, state: { ...args.inputs, host, ...outputs[args.type.split(":").pop()!] } }), call: () => ({}) }, "project", "stack", false);
  });

  const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

  it("gives the scope's name and host, so a secret in its spec names the scope", async () => {
    const { DatabricksCluster, DatabricksJob, DatabricksRun, DatabricksSecret, DatabricksSecretScope } = await import("../../../src");
    const scope = new DatabricksSecretScope("scope", { spec: { scope: "kfp-spec" } });
    assert.deepEqual(await Promise.all([value(scope.name), value(scope.host)]), ["kfp-spec", "https://adb-1.2.azuredatabricks.net"]);
    const secret = new DatabricksSecret("secret", { spec: { scope: scope.name, key: "password", string_value: "pw" } });
    assert.equal(await value(secret.scope), "kfp-spec");
    const job = new DatabricksJob("job", { spec: { name: "kfp-spec" } });
    const cluster = new DatabricksCluster("cluster", { spec: { spark_version: "15.4.x-scala2.12" } });
    const run = new DatabricksRun("run", { spec: { run_name: "pi-spec" } });
    assert.deepEqual(await Promise.all([value(job.host), value(cluster.host), value(run.runName)]), ["https://adb-1.2.azuredatabricks.net", "https://adb-1.2.azuredatabricks.net", "pi-spec"]);
  });
});
