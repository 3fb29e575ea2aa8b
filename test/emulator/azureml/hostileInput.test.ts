import * as assert from "node:assert/strict";
import { useAzureMlEmulator, V, WS } from "./fixture";

/** The Azure ML surface under careless and hostile requests: ARM-shaped errors, no crash, state intact. */
describe("Azure ML emulator: hostile input", function () {
  this.timeout(60_000);
  const t = useAzureMlEmulator();
  const env = (name: string) => `${WS}/environments/${name}/versions/1?${V}`;
  const image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04";
  const raw = async (path: string, text: string): Promise<[number, unknown]> => {
    const r = await fetch(`${t.emulator.url}${path}`, { method: "PUT", headers: { Authorization: `Bearer ${t.emulator.token}`, "Content-Type": "application/json" }, body: text });
    return [r.status, await r.json()];
  };
  const invalid = (message: string) => [400, { error: { code: "InvalidRequestContent", message } }];

  it("refuses malformed, deeply nested, huge and mistyped bodies in ARM's shape", async () => {
    assert.deepEqual(await raw(env("bad"), "{not json"), invalid("The request body is not valid JSON."));
    let deep: unknown = {};
    for (let i = 0; i < 200; i++) deep = { a: deep };
    assert.deepEqual(await raw(env("deep"), JSON.stringify({ properties: { image, tags: deep } })), invalid("The request body nests arrays and objects more than 64 levels deep."));
    assert.deepEqual(await raw(env("huge"), JSON.stringify({ properties: { image: "x".repeat(5_000_000) } })), invalid("The request body is larger than 1048576 bytes."));
    assert.deepEqual(await raw(env("typed"), JSON.stringify({ properties: "nope" })), [400, { error: { code: "UserError", message: "Invalid request: properties is required and must be an object." } }]);
    assert.deepEqual((await t.call("GET", `${WS}/environments?${V}`)).body, { value: [] });
    assert.equal((await t.control("GET", "/_emulator/health")).status, 200);
  });

  it("refuses __proto__ as a name and keeps names like Object's properties as plain names", async () => {
    const proto = await t.call("PUT", env("__proto__"), { properties: { image } });
    assert.deepEqual([proto.status, proto.body], [
      400,
      { error: { code: "UserError", message: "The environment name '__proto__' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit." } },
    ]);
    for (const name of ["constructor", "toString", "hasOwnProperty"]) {
      assert.equal((await t.call("PUT", env(name), { properties: { image } })).status, 201, name);
      const got = await t.call("GET", env(name));
      assert.deepEqual([got.status, (got.body as { properties: { image: string } }).properties.image], [200, image], name);
    }
  });

  it("registers a version once when 20 concurrent PUTs race with two different specs", async () => {
    const puts = await Promise.all([...Array(20)].map((_, i) => t.call("PUT", env("race"), { properties: { image: `${image}-${i % 2}` } })));
    const statuses = puts.map((p) => p.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(","));
    const winner = (puts.find((p) => p.status === 201)!.body as { properties: { image: string } }).properties.image;
    // Every PUT of the winning spec is accepted; every PUT of the other is refused as a changed version.
    puts.forEach((p, i) => assert.equal(p.status === 409, `${image}-${i % 2}` !== winner, `PUT ${i}: ${p.status}`));
  });
});
