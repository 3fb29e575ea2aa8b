import type { Fault, RunningEmulator } from "../../src/emulator";

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
