import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkEnvironment, diffEnvironment } from "../../../src/azureml/environment/inputs";
import { toBody } from "../../../src/azureml/environment/lifecycle";
import { environmentFromYaml } from "../../../src/azureml/environment/yaml";

const FIXTURES = path.join(__dirname, "../../fixtures/azureml");
const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg", workspaceName: "ws1" };

describe("AmlEnvironment inputs", () => {
  it("maps the azureml-examples docker-image-plus-conda shape: conda file inlined, tags as strings, version as a string", () => {
    const file = path.join(FIXTURES, "examples/docker-image-plus-conda.yml");
    const { inputs, failures } = checkEnvironment({}, { ...ws, ...environmentFromYaml(file, undefined) }, "azure", {});
    assert.deepEqual(failures, []);
    assert.deepEqual(toBody(inputs as never), {
      properties: {
        image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest",
        condaFile: fs.readFileSync(path.join(FIXTURES, "examples/conda-env.yml"), "utf8"),
        description: "A Docker image with a conda environment on top",
        tags: { team: "data", tier: "2" },
        isAnonymous: false,
        isArchived: false,
      },
    });
    assert.equal(inputs.name, "image-plus-conda");
    assert.equal(inputs.version, "3");
  });

  it("reads the seed's environment file and takes the version as an argument (az ml environment create --version 1)", () => {
    const { inputs, failures } = checkEnvironment({}, { ...ws, ...environmentFromYaml(path.join(FIXTURES, "seed001/databricks-environment.yml"), undefined), version: "1" }, "azure", {});
    assert.deepEqual(failures, []);
    assert.equal(inputs.name, "databricks");
    assert.match(String(inputs.conda), /databricks-cli/);
  });

  it("names missing and unsupported inputs", () => {
    assert.deepEqual(checkEnvironment({}, { ...ws, name: "e", unsupported: ["build"], file: "/x/env.yml" }, "azure", {}).failures, [
      { property: "version", reason: "version is required (from /x/env.yml): the environment's version." },
      { property: "image", reason: "image is required (from /x/env.yml): the Docker image, e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest (a build context is not supported)." },
      { property: "file", reason: "/x/env.yml: build is not supported by AmlEnvironment (it takes name, version, image, conda_file, description, tags, os_type)." },
    ]);
  });

  it("names invalid values with what is allowed", () => {
    assert.deepEqual(checkEnvironment({}, { ...ws, name: "-e", version: "1 2", image: "img", osType: "Mac", tags: { a: 1 } }, "azure", {}).failures, [
      { property: "name", reason: `name "-e" is not valid: letters, digits, '_', '-' and '.', starting with a letter or digit, at most 255.` },
      { property: "version", reason: `version "1 2" is not valid: letters, digits, '_', '-' and '.', at most 30.` },
      { property: "tags", reason: 'tags must map names to string values, e.g. { "name": "value" }.' },
      { property: "osType", reason: 'osType must be one of Linux, Windows, not "Mac".' },
    ]);
  });

  it("refuses a changed image or conda under a registered version at preview; a new version replaces", () => {
    const olds = { ...ws, name: "databricks", version: "1", image: "img:1", conda: "a" };
    assert.deepEqual(checkEnvironment(olds, { ...olds, conda: "b" }, "azure", {}).failures, [
      {
        property: "version",
        reason: "Environment databricks with version 1 is already registered and cannot be changed (conda changed): Azure ML versions are immutable; give a new version (in the file or the version argument) to register the change.",
      },
    ]);
    assert.deepEqual(diffEnvironment(olds, { ...olds, version: "2", conda: "b" }), { changes: true, replaces: ["version"], deleteBeforeReplace: false, changedKeys: ["version", "conda"] });
  });
});
