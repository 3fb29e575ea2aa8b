import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/localEngine";

/**
 * The package as another Pulumi program gets it: `npm pack`, installed into a project outside
 * this repository, type-checked against its declarations, and run under Pulumi's mocks with the
 * consumer's own @pulumi/pulumi (closure serialization included).
 */
describe("pulumi-azureml-databricks as a dependency of another program", function () {
  this.timeout(5 * 60 * 1000);
  let consumer: string;

  before(() => {
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-consumer-"));
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", consumer], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        dependencies: {
          "pulumi-azureml-databricks": `file:./${tarball}`,
          "@pulumi/pulumi": pkg.dependencies["@pulumi/pulumi"],
        },
        devDependencies: { typescript: pkg.devDependencies.typescript, "@types/node": pkg.devDependencies["@types/node"] },
      }),
    );
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: consumer, stdio: "inherit" });
  });

  after(() => fs.rmSync(consumer, { recursive: true, force: true }));

  it("ships compiled code, declarations and the provider logic under its lib/ export", () => {
    // Resolve as the consumer's own files do (a plain require.resolve here would find this repository).
    const resolve = (id: string) => createRequire(path.join(consumer, "index.js")).resolve(id);
    assert.equal(resolve("pulumi-azureml-databricks"), path.join(consumer, "node_modules/pulumi-azureml-databricks/dist/src/index.js"));
    assert.equal(
      resolve("pulumi-azureml-databricks/lib/keyvault/secretLifecycle"),
      path.join(consumer, "node_modules/pulumi-azureml-databricks/dist/src/keyvault/secretLifecycle.js"),
    );
    assert.ok(fs.existsSync(path.join(consumer, "node_modules/pulumi-azureml-databricks/dist/src/index.d.ts")));
  });

  it("type-checks and runs a consumer program that declares a KeyVaultSecret", () => {
    fs.writeFileSync(
      path.join(consumer, "index.ts"),
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'import { KeyVaultSecret, KeyVaultSecretArgs } from "pulumi-azureml-databricks";',
        'const args: KeyVaultSecretArgs = { vaultUrl: "https://v.vault.azure.net", name: "n", value: pulumi.secret("v") };',
        'export const secret = new KeyVaultSecret("s", args);',
      ].join("\n"),
    );
    const tsc = path.join(consumer, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "--strict", "--esModuleInterop", "--skipLibCheck", "--module", "commonjs", "--target", "ES2022", "index.ts"], { cwd: consumer, stdio: "inherit" });
    fs.writeFileSync(
      path.join(consumer, "mocked.js"),
      [
        'const pulumi = require("@pulumi/pulumi");',
        "const seen = [];",
        "pulumi.runtime.setMocks({ newResource: (a) => (seen.push(a), { id: 'id', state: a.inputs }), call: () => ({}) }, 'p', 's', false);",
        'const program = require("./index.js");',
        "program.secret.urn.apply(() => setTimeout(() => console.log(JSON.stringify({ type: seen[0].type, provider: String(seen[0].inputs.__provider).length })), 100));",
      ].join("\n"),
    );
    const out = JSON.parse(execFileSync(process.execPath, ["mocked.js"], { cwd: consumer, encoding: "utf8" }).trim());
    assert.equal(out.type, "pulumi-nodejs:dynamic/azureml-databricks:KeyVaultSecret");
    assert.ok(out.provider > 0 && out.provider < 4000, `serialized provider is ${out.provider} bytes`);
  });
});
