/**
 * The bad-input suite: each row of the tables (`resourceCases.ts`, `programCases.ts`) fails at
 * preview, with the exact message naming the property and the fix, against a running emulator
 * whose request log then shows no call that could have changed anything.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "../../../src/core/check";
import { RESOURCE_TYPES } from "../../../src/provider";
import { useEmulator } from "../../support/emulator";
import { type ChildFailure, PROGRAM_CASES, type ProgramContext, programFiles } from "./programCases";
import { CATEGORIES, RESOURCE_CASES } from "./resourceCases";
import { asProviderInputs, checkFailures, mutatingCalls, resourcesOf, withEnv } from "./support";

const DATABRICKS_ID = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb-local";

/** The failure names its property: the property's last part is a word of the reason (for `file`, the file is). */
function namesProperty(f: CheckFailure | ChildFailure): boolean {
  const leaf = f.property.replace(/\[\d+\]$/, "").split(".").pop() as string;
  return new RegExp(`(^|[^\\w])${leaf}([^\\w]|$)`).test(f.reason) || (f.property === "file" && /\.ya?ml\b/.test(f.reason));
}

describe("Bad input fails at preview, naming the property and the fix; nothing is written", function () {
  this.timeout(60_000);
  const t = useEmulator();
  let ctx: ProgramContext;
  let base: Record<string, string>;
  const tried = { resource: 0, program: 0, reads: 0 };

  before(() => {
    const e = t.emulator;
    base = { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: e.token, AMLDB_ARM_ENDPOINT: e.url, DATABRICKS_HOST: e.url };
    const ws = { subscriptionId: e.azureml.subscriptionId, resourceGroupName: e.azureml.resourceGroup, workspaceName: e.azureml.workspace, armEndpoint: e.url };
    ctx = { url: e.url, keyVaultUrl: e.keyVaultUrl, ws, dir: programFiles(), databricksId: DATABRICKS_ID };
  });
  after(() => {
    if (ctx) fs.rmSync(ctx.dir, { recursive: true, force: true });
    console.log(`      bad inputs tried: ${tried.resource} resource cases (check), ${tried.program} program cases (components and YAML files); ${tried.reads} of them read the service first`);
  });

  it(`the tables cover every resource type, both components and every kind of mistake, ${RESOURCE_CASES.length + PROGRAM_CASES.length} rows`, () => {
    assert.ok(RESOURCE_CASES.length + PROGRAM_CASES.length >= 60);
    assert.deepEqual([...new Set(RESOURCE_CASES.map((c) => c.resource))].sort(), [...RESOURCE_TYPES].sort());
    for (const component of ["DatabricksPipeline", "DatabricksNotebookComponent"]) assert.ok(PROGRAM_CASES.some((c) => c.component === component), component);
    const categories = new Set([...RESOURCE_CASES, ...PROGRAM_CASES].map((c) => c.category));
    assert.deepEqual(CATEGORIES.filter((c) => !categories.has(c)), []);
  });

  describe("a resource's check", () => {
    for (const row of RESOURCE_CASES) {
      it(`${row.resource}: ${row.category}: ${row.what}`, async () => {
        const env = row.env?.(ctx) ?? {};
        const failures = await withEnv(base, env, () => checkFailures(row.resource, row.inputs(ctx)));
        tried.resource++;
        assert.deepEqual(failures, row.expect(ctx));
        assert.ok(failures.length > 0);
        // No message carries a token the provider was given.
        const tokens = [t.emulator.token, ...Object.entries(env).filter(([k, v]) => /TOKEN/.test(k) && v).map(([, v]) => v as string)];
        for (const f of failures) for (const token of tokens) assert.ok(!f.reason.includes(token), `${f.property} shows a token`);
        for (const f of failures) assert.ok(namesProperty(f), `the reason does not name ${f.property}: ${f.reason}`);
        const requests = t.emulator.requests();
        if (row.reads) {
          // The scan below looks at a log that holds this check's calls.
          assert.ok(requests.length > 0);
          tried.reads++;
        }
        assert.deepEqual(mutatingCalls(requests), []);
      });
    }
  });

  describe("a program's declaration (mocked engine at preview, each child's check against the emulator)", () => {
    let registered: pulumi.runtime.MockResourceArgs[] = [];
    let pkg: typeof import("../../../src");
    before(async () => {
      pulumi.runtime.setMocks({ newResource: (a) => (registered.push(a), { id: undefined as unknown as string, state: {} }), call: () => ({}) }, "project", "stack", true);
      pkg = await import("../../../src");
    });
    beforeEach(() => (registered = []));

    for (const row of PROGRAM_CASES) {
      it(`${row.component}: ${row.category}: ${row.what}`, async () => {
        const expected = row.expect(ctx);
        await withEnv(base, row.env?.(ctx) ?? {}, async () => {
          let root: pulumi.Resource | undefined;
          let thrown: Error | undefined;
          try {
            root = row.declare(pkg, ctx) as unknown as pulumi.Resource;
          } catch (err) {
            thrown = err as Error;
          }
          tried.program++;
          if ("throws" in expected) {
            assert.equal(thrown?.message, expected.throws);
            return;
          }
          if (thrown) throw thrown;
          const all = resourcesOf(root as pulumi.Resource);
          await new Promise<void>((resolve) => pulumi.all(all.map((r) => r.urn)).apply(() => resolve()));
          const failures: ChildFailure[] = [];
          for (const child of registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))) {
            const type = child.type.split(":").pop() as string;
            for (const f of await checkFailures(type, asProviderInputs(child.inputs) as Record<string, unknown>)) failures.push({ resource: child.name, ...f });
          }
          assert.deepEqual(failures, expected.failures);
          assert.ok(failures.length > 0);
          for (const f of failures) assert.ok(namesProperty(f), `the reason does not name ${f.property}: ${f.reason}`);
        });
        assert.deepEqual(mutatingCalls(t.emulator.requests()), []);
      });
    }
  });
});

