/** Small helpers for the figures benchmarks print. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../src/emulator";

/** The median of a non-empty list. */
export function median(values: number[]): number {
  return percentile(values, 0.5);
}

/** The `p` quantile (0..1) of a non-empty list, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Bytes of every file under a folder. */
export function directoryBytes(dir: string): number {
  let total = 0;
  const pending = [dir];
  for (let d = pending.pop(); d !== undefined; d = pending.pop()) {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile()) total += fs.statSync(full).size;
    }
  }
  return total;
}

/** Calls an emulator with its token (JSON in and out); throws on any status but 200. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function emulatorCaller(emulator: Pick<RunningEmulator, "url" | "token">): (method: string, route: string, body?: unknown) => Promise<any> {
  return async (method, route, body) => {
    const res = await fetch(`${emulator.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}
