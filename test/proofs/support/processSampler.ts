/**
 * Samples a process's resident memory and its descendant processes from `/proc` (Linux), on an
 * interval, keeping the peaks and every descendant seen: what the load proof bounds.
 */
import * as fs from "node:fs";

/** What a sampler saw. */
export interface SamplerPeaks {
  /** Samples taken. */
  readonly samples: number;
  /** Highest resident set size, in MB. */
  readonly rssMb: number;
  /** Most descendant processes at once. */
  readonly children: number;
  /** Every descendant pid seen. */
  readonly pidsSeen: ReadonlySet<number>;
}

/** Resident set size of `pid` in MB; undefined when it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The pids of every process descending from `pid` (children, their children, ...). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // `pid (comm) state ppid ...`: the command may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const found: number[] = [];
  for (let queue = [...(children.get(pid) ?? [])]; queue.length > 0; ) {
    const next = queue.shift()!;
    found.push(next);
    queue = queue.concat(children.get(next) ?? []);
  }
  return found;
}

/** True while `pid` exists, is not a zombie, and its command line holds `marker` (a pid reused by another program is not it). */
export function aliveRunning(pid: number, marker: string): boolean {
  try {
    if (/^\d+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"))) return false;
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
  } catch {
    return false;
  }
}

/** Samples `pid` every `intervalMs` until {@link ProcessSampler.stop}. */
export class ProcessSampler {
  private samples = 0;
  private peakRss = 0;
  private peakChildren = 0;
  private readonly seen = new Set<number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    // A test that fails before stopping it must not keep the process alive.
    this.timer.unref();
  }

  /** Takes one sample now. */
  sample(): void {
    const rss = rssMb(this.pid);
    if (rss === undefined) return;
    const kids = descendants(this.pid);
    this.samples++;
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakChildren = Math.max(this.peakChildren, kids.length);
    for (const k of kids) this.seen.add(k);
  }

  /** The peaks so far. */
  peaks(): SamplerPeaks {
    return { samples: this.samples, rssMb: this.peakRss, children: this.peakChildren, pidsSeen: new Set(this.seen) };
  }

  /** Stops sampling and returns the peaks. */
  stop(): SamplerPeaks {
    clearInterval(this.timer);
    return this.peaks();
  }
}
