import * as assert from "node:assert/strict";
import { ServiceError } from "../../../../src/core/errors";
import { bearerToken, JsonHttpClient, type ServiceErrorParser } from "../../../../src/core/http";
import { FakeAnswer, fakeTransport, recordingSleep, rejectionOf } from "../../../support/http";

const errors: ServiceErrorParser = {
  fromResponse: (operation, r) => new ServiceError({ operation, status: r.status, code: `E${r.status}`, message: r.body, retryAfter: r.headers["retry-after"] }),
  create: (args) => new ServiceError(args),
  requestIdOf: () => undefined,
};
const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

/** A client over scripted answers, and a look-up that answers from `lookups` in turn, recording each call. */
function setup(answers: FakeAnswer[], lookups: unknown[]) {
  const transport = fakeTransport(...answers);
  const { sleep, waits } = recordingSleep();
  const http = new JsonHttpClient({ baseUrl: "https://svc.example", auth: bearerToken("t"), errors, transport: transport.send, sleep, random: () => 0.5 });
  const asked: number[] = [];
  const ifApplied = async () => {
    asked.push(transport.sent.length);
    const answer = lookups.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const create = () => http.request({ method: "POST", path: "/things", operation: "create thing", ifApplied });
  return { create, sent: transport.sent, waits, asked };
}

describe("retry policy: a non-idempotent request that can tell whether it was applied", () => {
  it("after a reset, a 500, 502 or 504, looks up before repeating: applied ends the call with the look-up's result, unsent again", async () => {
    for (const failed of [{ fail: reset }, { status: 500 }, { status: 502 }, { status: 504 }] as FakeAnswer[]) {
      const { create, sent, waits, asked } = setup([failed, { status: 200, body: { id: "second" } }], [{ id: "found" }]);
      assert.deepEqual(await create(), { id: "found" });
      assert.deepEqual([sent.length, asked, waits], [1, [1], [250]], JSON.stringify(failed));
    }
  });

  it("not applied: sends it again, looking up after each ambiguous failure", async () => {
    const { create, sent, asked } = setup([{ fail: reset }, { status: 502 }, { status: 200, body: { id: "made" } }], [undefined, undefined]);
    assert.deepEqual(await create(), { id: "made" });
    assert.deepEqual([sent.map((r) => r.attempt), asked], [[1, 2, 3], [1, 2]]);
  });

  it("does not look up after a 429 or 503 (not processed) and fails with the request's error when the look-up fails", async () => {
    const throttled = setup([{ status: 429 }, { status: 503 }, { status: 200, body: { id: "made" } }], []);
    assert.deepEqual(await throttled.create(), { id: "made" });
    assert.deepEqual(throttled.asked, []);
    const lookupFails = setup([{ fail: reset }, { status: 200, body: {} }], [new Error("lookup broke")]);
    const err = await rejectionOf(lookupFails.create(), ServiceError);
    assert.deepEqual([err.message, lookupFails.sent.length], ["create thing failed: ECONNRESET: socket hang up", 1]);
  });
});
