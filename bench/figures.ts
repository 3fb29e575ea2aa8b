/** Small helpers for the figures benchmarks print. */
import * as fs from "node:fs";
import * as path from "node:path";

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
