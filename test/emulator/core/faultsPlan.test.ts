import * as assert from "node:assert/strict";
import { FaultQueue, type FaultDecision, type FaultTarget } from "../../../src/emulator/core/faults";
import { parseFaultPlan, type FaultPlan } from "../../../src/emulator/core/faultsPlan";
import { seededRandom } from "../../../src/emulator/core/faultsPrng";

const SERVICES = ["databricks", "arm", "keyvault"];

function queue(plan: FaultPlan): FaultQueue {
  const q = new FaultQueue();
  q.setPlan(parseFaultPlan(plan, SERVICES));
  return q;
}

const SUBMIT: FaultTarget = { service: "databricks", method: "POST", path: "/api/2.1/jobs/runs/submit" };

describe("emulator fault plan: rules by rate and route, validated strictly", () => {
  it("refuses every malformed plan with an error naming the field and what it must be", () => {
    const cases: [unknown, string][] = [
      [[], 'The fault plan must be a JSON object {"seed"?, "rules": [...]}.'],
      [{ rules: [], every: 1 }, "every is not a field of a fault plan; the fields are seed, rules."],
      [{ seed: -1, rules: [] }, "seed must be an integer from 0 to 4294967295, not -1."],
      [{ seed: 1.5, rules: [] }, "seed must be an integer from 0 to 4294967295, not 1.5."],
      [{ seed: 2 ** 32, rules: [] }, "seed must be an integer from 0 to 4294967295, not 4294967296."],
      [{}, "rules must be an array of fault rules ([] clears the plan), not missing."],
      [{ rules: Array.from({ length: 101 }, () => ({ kind: "reset" })) }, "rules holds 101 rules; at most 100 are allowed."],
      [{ rules: ["reset"] }, 'rules[0] must be an object {kind, rate?, count?, service?, method?, path?, retryAfterSeconds?, delayMs?}, not "reset".'],
      [{ rules: [{ kind: "reset", status: 503 }] }, "rules[0].status is not a field of a fault rule; the fields are kind, rate, count, service, method, path, retryAfterSeconds, delayMs."],
      [{ rules: [{}] }, 'rules[0].kind must be one of "throttle", "unavailable", "reset", "slow", "lost", not missing.'],
      [{ rules: [{ kind: 503 }] }, 'rules[0].kind must be one of "throttle", "unavailable", "reset", "slow", "lost", not 503.'],
      [{ rules: [{ kind: ["reset", "drop"] }] }, 'rules[0].kind[1] must be one of "throttle", "unavailable", "reset", "slow", "lost", not "drop".'],
      [{ rules: [{ kind: [] }] }, 'rules[0].kind must be a fault kind ("throttle", "unavailable", "reset", "slow", "lost") or a non-empty list of them, not [].'],
      [{ rules: [{ kind: ["lost", "lost"] }] }, "rules[0].kind names a kind twice; list each kind once."],
      [{ rules: [{ kind: "reset", rate: 0 }] }, "rules[0].rate must be a number greater than 0 and at most 1, not 0."],
      [{ rules: [{ kind: "reset", rate: 1.5 }] }, "rules[0].rate must be a number greater than 0 and at most 1, not 1.5."],
      [{ rules: [{ kind: "reset", rate: "25%" }] }, 'rules[0].rate must be a number greater than 0 and at most 1, not "25%".'],
      [{ rules: [{ kind: "reset", count: 0 }] }, "rules[0].count must be a positive integer, not 0."],
      [{ rules: [{ kind: "reset", service: "blob" }] }, 'rules[0].service must be one of "databricks", "arm", "keyvault", not "blob".'],
      [{ rules: [{ kind: "reset", method: "post" }] }, 'rules[0].method must be one of GET, HEAD, POST, PUT, PATCH, DELETE (in capitals), not "post".'],
      [{ rules: [{ kind: "reset", method: ["PUT", "TRACE"] }] }, 'rules[0].method[1] must be one of GET, HEAD, POST, PUT, PATCH, DELETE (in capitals), not "TRACE".'],
      [{ rules: [{ kind: "reset", method: [] }] }, "rules[0].method must be a method or a non-empty list of methods, not []."],
      [{ rules: [{ kind: "reset", path: "api/2.1/*" }] }, 'rules[0].path must be a path pattern starting with "/" (at most 1000 characters; * matches within a segment, ** across segments), not "api/2.1/*".'],
      [{ rules: [{ kind: "reset", retryAfterSeconds: 2 }] }, 'rules[0].retryAfterSeconds applies only to the kinds "throttle" and "unavailable"; remove it or add one of them to rules[0].kind.'],
      [{ rules: [{ kind: "throttle", retryAfterSeconds: 3601 }] }, "rules[0].retryAfterSeconds must be an integer from 0 to 3600, not 3601."],
      [{ rules: [{ kind: "throttle", delayMs: 10 }] }, 'rules[0].delayMs applies only to the kind "slow"; remove it or add "slow" to rules[0].kind.'],
      [{ rules: [{ kind: "slow", delayMs: 0 }] }, "rules[0].delayMs must be an integer of milliseconds from 1 to 30000, not 0."],
      [{ rules: [{ kind: "reset" }, { kind: ["slow", "lost"], delayMs: 30_001 }] }, "rules[1].delayMs must be an integer of milliseconds from 1 to 30000, not 30001."],
    ];
    for (const [plan, message] of cases) assert.throws(() => parseFaultPlan(plan, SERVICES), { message }, JSON.stringify(plan));
  });

  it("fills in the defaults: seed 0, rate 1, Retry-After 1 s, a slow delay of 1 s, no limit, every route", () => {
    assert.deepEqual(queue({ rules: [{ kind: ["throttle", "slow"] }, { kind: "lost", count: 2, service: "arm", method: "PUT", path: "/subscriptions/**" }] }).plan(), {
      seed: 0,
      rules: [
        { kind: ["throttle", "slow"], rate: 1, retryAfterSeconds: 1, delayMs: 1000, injected: 0 },
        { kind: "lost", rate: 1, count: 2, service: "arm", method: ["PUT"], path: "/subscriptions/**", injected: 0 },
      ],
    });
  });

  it("faults by route: service, method and a path pattern (* within a segment, ** across, any case)", () => {
    const q = queue({ rules: [{ kind: "reset", service: "databricks", method: ["POST", "PUT"], path: "/api/*/jobs/runs/submit" }, { kind: "lost", path: "/secrets/**" }] });
    const kinds = (targets: FaultTarget[]) => targets.map((t) => q.decide(t)?.kind ?? "none");
    assert.deepEqual(
      kinds([
        SUBMIT,
        { ...SUBMIT, path: "/API/2.0/Jobs/Runs/Submit" },
        { ...SUBMIT, method: "GET" },
        { ...SUBMIT, service: "arm" },
        { ...SUBMIT, path: "/api/2.1/jobs/runs/submit/x" },
        { ...SUBMIT, path: "/api/2.1/x/jobs/runs/submit" },
        { service: "keyvault", method: "PUT", path: "/secrets/a/b" },
        { service: "keyvault", method: "PUT", path: "/secrets" },
      ]),
      ["reset", "reset", "none", "none", "none", "none", "lost", "none"],
    );
  });

  it("stops a rule after count faults and goes on to the next; the 429/503 queue comes first", () => {
    const q = queue({ rules: [{ kind: "reset", count: 2 }, { kind: "slow", delayMs: 5, count: 1 }] });
    q.replace([{ status: 429, count: 1, retryAfterSeconds: 7 }]);
    const decisions: (FaultDecision | undefined)[] = Array.from({ length: 5 }, () => q.decide(SUBMIT));
    assert.deepEqual(decisions, [{ kind: "throttle", fault: { status: 429, count: 1, retryAfterSeconds: 7 } }, { kind: "reset" }, { kind: "reset" }, { kind: "slow", delayMs: 5 }, undefined]);
    assert.deepEqual(q.injected(), { throttle: 1, unavailable: 0, reset: 2, slow: 1, lost: 0 });
    assert.deepEqual(q.plan().rules.map((r) => r.injected), [2, 1]);
  });

  it("draws rates and kinds from the seeded PRNG: the same seed faults the same requests, another seed others", () => {
    const sequence = (seed: number) => {
      const q = queue({ seed, rules: [{ kind: ["throttle", "unavailable", "reset", "slow", "lost"], rate: 0.25, retryAfterSeconds: 0, delayMs: 1 }] });
      return Array.from({ length: 2000 }, () => q.decide(SUBMIT)?.kind ?? "-");
    };
    const first = sequence(42);
    assert.deepEqual(sequence(42), first);
    assert.notDeepEqual(sequence(43), first);
    const faulted = first.filter((k) => k !== "-");
    // A quarter of 2000 (500) on average; the bounds are four standard deviations (19 each) away.
    assert.ok(faulted.length > 420 && faulted.length < 580, `${faulted.length} of 2000 faulted`);
    for (const kind of ["throttle", "unavailable", "reset", "slow", "lost"]) {
      const n = faulted.filter((k) => k === kind).length;
      assert.ok(n > 50 && n < 150, `${n} of ${faulted.length} are ${kind}`);
    }
  });

  it("seededRandom gives numbers in [0, 1), the same for the same seed", () => {
    const a = seededRandom(0xffffffff);
    const values = Array.from({ length: 1000 }, () => a());
    assert.ok(values.every((v) => v >= 0 && v < 1));
    assert.equal(new Set(values).size, 1000);
    const b = seededRandom(0xffffffff);
    assert.deepEqual(Array.from({ length: 1000 }, () => b()), values);
  });

  it("clear forgets the queue, the plan and the counts", () => {
    const q = queue({ seed: 9, rules: [{ kind: "lost" }] });
    q.replace([{ status: 503, count: 3 }]);
    q.decide(SUBMIT);
    q.clear();
    assert.deepEqual([q.list(), q.plan(), q.injected(), q.decide(SUBMIT)], [[], { seed: 0, rules: [] }, { throttle: 0, unavailable: 0, reset: 0, slow: 0, lost: 0 }, undefined]);
  });
});
