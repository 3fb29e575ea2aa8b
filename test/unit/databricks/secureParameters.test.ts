import * as assert from "node:assert/strict";
import { parseSecureParametersHeader, SECURE_PARAMETERS_HEADER, secureParametersHeaderValue } from "../../../src/core/secureParameters";
import { secureParameterHeaders } from "../../../src/databricks/run/lifecycle";

describe("secure notebook parameters named to the local emulator", () => {
  it("names the secure inputs (never their values) to the local emulator only", () => {
    const inputs = { secureInput: { api_key: "v1-secret", "odd, name": "v2-secret" } };
    assert.deepEqual(secureParameterHeaders(inputs, "local"), { headers: { [SECURE_PARAMETERS_HEADER]: "api_key,odd%2C%20name" } });
    assert.deepEqual(secureParameterHeaders(inputs, "azure"), {}, "the real service gets the request as documented");
    assert.deepEqual(secureParameterHeaders({}, "local"), {});
  });

  it("reads the names back, skipping what is not valid percent-encoding", () => {
    assert.deepEqual(parseSecureParametersHeader(secureParametersHeaderValue(["api_key", "odd, name", "ünï"])), ["api_key", "odd, name", "ünï"]);
    assert.deepEqual(parseSecureParametersHeader("a,%E0%A4%A,, b "), ["a", "b"]);
    assert.deepEqual(parseSecureParametersHeader(undefined), []);
  });
});
