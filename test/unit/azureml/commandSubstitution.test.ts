import * as assert from "node:assert/strict";
import { substituteCommand } from "../../../src/emulator/azureml/execution/commandStep";

describe("Azure ML executor: a component's command with its inputs and outputs substituted", () => {
  const command = "python run.py --host ${{inputs.host}} $[[--vault ${{inputs.kv_url}} --secret ${{ inputs.kv_secret }}]] $[[--extra '${{inputs.extra}}']] --out ${{outputs.out}}";

  it("keeps an optional part whose inputs all have values, without its brackets", () => {
    const values = { "inputs.host": "h", "inputs.kv_url": "https://v", "inputs.kv_secret": "s", "inputs.extra": '{"a": 1}', "outputs.out": "/o" };
    assert.equal(substituteCommand(command, values), `python run.py --host h --vault https://v --secret s --extra '{"a": 1}' --out /o`);
  });

  it("drops an optional part when any input it names has no value; an empty value is a value", () => {
    assert.equal(substituteCommand(command, { "inputs.host": "h", "inputs.kv_url": "https://v", "inputs.extra": "", "outputs.out": "/o" }), "python run.py --host h  --extra '' --out /o");
  });

  it("leaves a placeholder of an unknown input outside optional parts as written", () => {
    assert.equal(substituteCommand("echo ${{inputs.missing}} ${{outputs.out}}", { "outputs.out": "/o" }), "echo ${{inputs.missing}} /o");
  });
});
