import * as assert from "node:assert/strict";
import { redactValues } from "../../../src/core/redact";

describe("redactValues", () => {
  it("takes out every occurrence of each value, as written and JSON-escaped, the longest first", () => {
    assert.equal(redactValues("a s3cret-1 b s3cret-1", ["s3cret-1"]), "a [REDACTED] b [REDACTED]");
    assert.equal(redactValues('raised "quo\\"te" and quo"te', ['quo"te']), 'raised "[REDACTED]" and [REDACTED]');
    assert.equal(redactValues("token=abcd-efgh", ["abcd", "abcd-efgh"]), "token=[REDACTED]");
    assert.equal(redactValues("nothing here", ["s3cret-1", ""]), "nothing here");
  });

  it("withholds the text when a value is too short to take out without showing it", () => {
    assert.equal(redactValues("ValueError: bad row 7", ["7"]), undefined);
    assert.equal(redactValues("anything", ["abc"]), undefined);
  });
});
