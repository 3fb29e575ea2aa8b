import * as assert from "node:assert/strict";
import { pollDelayMs, pollUntil, PollTimeout } from "../../../src/core/poll";

describe("pollUntil", () => {
  it("polls quickly at first, then backs off", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => pollDelayMs(a, 1000)), [200, 300, 450, 675, 1000, 1000]);
    assert.equal(pollDelayMs(20, 60_000), 5000);
    assert.equal(pollDelayMs(20, 600_000), 15_000);
  });

  it("reads until done, printing a line per change of state with its detail", async () => {
    const states = ["PENDING", "PENDING", "RUNNING", "DONE"];
    const lines: string[] = [];
    const result = await pollUntil({
      read: async () => states.shift()!,
      done: (s) => s === "DONE",
      describe: (s) => s,
      detail: (s) => (s === "RUNNING" ? "on 2 workers" : undefined),
      label: "Thing",
      timeoutMs: 10_000,
      log: (l) => lines.push(l),
      delayMs: () => 0,
    });
    assert.equal(result, "DONE");
    assert.deepEqual(
      lines.map((l) => l.replace(/\(\d+\.\ds\)/, "(t)")),
      ["Thing: PENDING (t)", "Thing: RUNNING (t): on 2 workers", "Thing: DONE (t)"],
    );
  });

  it("gives up after the timeout with the last state read", async () => {
    let reads = 0;
    const err = await pollUntil({ read: async () => ++reads, done: () => false, describe: () => "RUNNING", label: "T", timeoutMs: 0, log: () => undefined }).catch((e: unknown) => e);
    assert.ok(err instanceof PollTimeout);
    assert.equal(err.last, 1);
    assert.equal(err.message, "still RUNNING after 0 s");
  });

  it("stops at once when aborted while waiting", async () => {
    const abort = new AbortController();
    const waiting = pollUntil({ read: async () => "X", done: () => false, describe: (s) => s, label: "T", timeoutMs: 60_000, log: () => undefined, signal: abort.signal, delayMs: () => 60_000 });
    abort.abort();
    await assert.rejects(waiting, { name: "AbortError" });
  });
});
