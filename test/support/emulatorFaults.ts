import type { Fault, RunningEmulator } from "../../src/emulator";
import type { FaultCounts, FaultRuleView } from "../../src/emulator/core/faults";
import type { FaultPlan } from "../../src/emulator/core/faultsPlan";

/** Queues faults for the next requests through the emulator's control plane (`POST /_emulator/faults`). */
export async function injectFaults(emulator: RunningEmulator, faults: Fault[]): Promise<void> {
  const res = await fetch(`${emulator.url}/_emulator/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${emulator.token}` },
    body: JSON.stringify(faults),
  });
  if (res.status !== 200) throw new Error(`the emulator refused the faults: ${res.status} ${await res.text()}`);
}

/** `METHOD path status` of every request the emulator answered, control plane excluded. */
export function answered(emulator: RunningEmulator): string[] {
  return emulator
    .requests()
    .filter((r) => !r.path.startsWith("/_emulator/"))
    .map((r) => `${r.method} ${r.path} ${r.status}`);
}

/** Sets the emulator's fault plan through its control plane (`POST /_emulator/faults/plan`); resolves to the plan as the emulator shows it. */
export async function setFaultPlan(emulator: RunningEmulator, plan: FaultPlan): Promise<{ seed: number; rules: FaultRuleView[] }> {
  const res = await fetch(`${emulator.url}/_emulator/faults/plan`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${emulator.token}` },
    body: JSON.stringify(plan),
  });
  if (res.status !== 200) throw new Error(`the emulator refused the fault plan: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { plan: { seed: number; rules: FaultRuleView[] } }).plan;
}

/** The faults the emulator injected since start or its last reset, by kind (`GET /_emulator/faults/injected`). */
export async function faultsInjected(emulator: RunningEmulator): Promise<FaultCounts> {
  const res = await fetch(`${emulator.url}/_emulator/faults/injected`, { headers: { Authorization: `Bearer ${emulator.token}` } });
  if (res.status !== 200) throw new Error(`the emulator did not count its faults: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { injected: FaultCounts }).injected;
}
