import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { END_MARKER, RESOURCES, START_MARKER, changeOf, defaultOf, plainType, probeChange, renderReference, repoRoot, resourceClassNames, withSection } from "../../../scripts/referenceDocs";
import * as keyVaultSecret from "../../../src/keyvault/secret/lifecycle";
import * as run from "../../../src/databricks/run/lifecycle";

const ROOT = path.resolve(__dirname, "../../..");

/** The README's resource reference is generated from the source (`npm run docs`) and must stay so. */
describe("README resource reference (scripts/referenceDocs.ts)", function () {
  // Type-checking the package once takes tens of seconds on a busy 2-core machine.
  this.timeout(600_000);
  let generated: string;
  before(async () => {
    generated = await renderReference(ROOT);
  });

  it("is what `npm run docs` writes from the source", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const start = readme.indexOf(START_MARKER);
    const end = readme.indexOf(END_MARKER);
    assert.ok(start >= 0 && end > start, "README.md has no reference markers");
    const current = readme.slice(start, end + END_MARKER.length);
    assert.ok(current === generated, "README.md's resource reference is out of date: run `npm run docs` and commit README.md.");
  });

  it("documents every resource class the package exports, and only those", () => {
    const exported = resourceClassNames(ROOT).sort();
    assert.ok(exported.length >= 17, `found only ${exported.length} resource classes: ${exported.join(", ")}`);
    assert.deepEqual(RESOURCES.map((r) => r.name).sort(), exported);
    for (const name of exported) assert.ok(generated.includes(`\n#### \`${name}\`\n`), `no section for ${name}`);
  });

  it("writes one row per input with its default, secrecy and what a change does", () => {
    const rows = generated.split("\n");
    assert.equal(rows.find((r) => r.startsWith("| `value` | `string` | required |")), rows.find((r) => r.startsWith("| `value` |")));
    assert.match(generated, /\| `value` \| `string` \| required \| \*\*secret\*\* \| updates in place \| The secret value\./);
    assert.match(generated, /\| `name` \| `string` \| required \|  \| replaces \(deletes first\) \| The secret's name in the vault/);
    assert.match(generated, /\| `enabled` \| `boolean` \| `true` \|  \| updates in place \| Whether the secret can be read\. \|/);
    assert.match(generated, /\| `codeFiles` \| `string\[\]` \| none \|  \| runs again \(replace\) \|/);
    assert.match(generated, /\| `waitTimeoutSeconds` \| `number` \| 24 h \|  \| updates; no new run \|/);
    assert.match(generated, /\| `notebookOutput` \| `string \\\| undefined` \| \*\*secret\*\* \|/);
    for (const secret of ["accessToken", "stringValue", "bytesValue", "secureInput", "databricksToken", "accountKey"]) {
      assert.match(generated, new RegExp(`\\| \`${secret}\` \\| [^\\n]*\\| \\*\\*secret\\*\\* \\|`), `${secret} is not marked secret`);
    }
  });

  it("stops on an input whose change is neither derived nor stated", async () => {
    const bare = { name: "KeyVaultSecret", diff: keyVaultSecret.diff as never };
    await assert.rejects(
      changeOf(bare, "adopt"),
      new Error('KeyVaultSecret.adopt: its diff sees no change; map it to the state key the diff compares (stateKeys) or state what a change does (changes) in scripts/referenceDocs.ts.'),
    );
    assert.equal(await changeOf(bare, "name"), "replaces (deletes first)");
    assert.equal(await changeOf({ ...bare, changes: { adopt: "nothing" } }, "adopt"), "nothing †");
  });

  it("stops on a hand-stated fact about an input that no longer exists", async () => {
    const stale = { name: "KeyVaultSecret", diff: keyVaultSecret.diff as never, changes: { adopt: "nothing", overwrite: "nothing" }, stateKeys: { secretValue: "value" } };
    await assert.rejects(
      renderReference(ROOT, [stale]),
      new Error(
        "KeyVaultSecret.overwrite: stated in scripts/referenceDocs.ts, but KeyVaultSecret has no such input any more; remove or rename it there.\n" +
          "KeyVaultSecret.secretValue: stated in scripts/referenceDocs.ts, but KeyVaultSecret has no such input any more; remove or rename it there.",
      ),
    );
  });

  it("asks the resource's own diff what a change does", async () => {
    assert.deepEqual(await probeChange(keyVaultSecret.diff as never, "vaultUrl"), { effect: "replace", deleteFirst: true });
    assert.deepEqual(await probeChange(keyVaultSecret.diff as never, "tags"), { effect: "update", deleteFirst: false });
    assert.deepEqual(await probeChange(keyVaultSecret.diff as never, "adopt"), { effect: "none", deleteFirst: false });
    assert.deepEqual(await probeChange(run.diff as never, "codeHash"), { effect: "replace", deleteFirst: false });
    assert.deepEqual(await probeChange(run.diff as never, "keepHistory"), { effect: "update", deleteFirst: false });
  });

  it("reads a default from `Default:` up to its sentence's end, periods in backticks kept", () => {
    assert.equal(defaultOf("The runtime. Default: `15.4.x-scala2.12` on `Standard_DS3_v2`. More."), "`15.4.x-scala2.12` on `Standard_DS3_v2`");
    assert.equal(defaultOf("Purge. Default: `false` (the secret stays soft-deleted. Recoverable)."), "`false` (the secret stays soft-deleted. Recoverable)");
    assert.equal(defaultOf("No default here."), undefined);
    assert.equal(plainType("pulumi.Input<Record<string, pulumi.Input<string>>>"), "Record<string, string>");
    assert.equal(plainType("pulumi.Output<(x: number) => string>"), "(x: number) => string");
  });

  it("refuses a README without the markers, naming them", () => {
    assert.throws(() => withSection("# title\n", "x"), new Error(`README.md has no reference markers: add a line "${START_MARKER}" and a line "${END_MARKER}" where the reference goes.`));
    assert.equal(withSection(`a\n${START_MARKER}\nold\n${END_MARKER}\nb`, "NEW"), "a\nNEW\nb");
  });

  it("finds the repository root from the compiled script's folder too", () => {
    assert.equal(repoRoot(path.join(ROOT, "dist", "scripts")), ROOT);
    assert.equal(repoRoot(path.join(ROOT, "scripts")), ROOT);
  });
});
