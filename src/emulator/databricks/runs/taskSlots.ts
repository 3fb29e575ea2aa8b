/**
 * The bound on task executions running at once. Every executed task is a local Python process (and
 * whatever it starts): without a bound, hundreds of submitted runs would start hundreds of
 * processes together and exhaust the machine. A task over the bound waits, in its PENDING
 * ("Waiting for cluster") state, first come first served, until a running one ends; a cancel or
 * timeout ends the wait. The service has no such wait (its tasks run on clusters of their own); the
 * emulator's tasks share one machine. The limit is `DatabricksEmulatorOptions.maxRunningTasks`.
 */

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/** Counted slots for task executions, handed out in the order asked. */
export class TaskSlots {
  private running = 0;
  private readonly waiting: Array<(release: ReleaseSlot) => void> = [];

  /** @param limit - executions at once (a positive integer). */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`the limit of running tasks must be a positive integer, not ${limit}.`);
  }

  /** Executions holding a slot now. */
  get active(): number {
    return this.running;
  }

  /** Executions waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves with a slot once one is free, or with `undefined` when `signal` aborts first (the
   * waiter then holds nothing).
   */
  acquire(signal: AbortSignal): Promise<ReleaseSlot | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const grant = (release: ReleaseSlot): void => {
        signal.removeEventListener("abort", onAbort);
        resolve(release);
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(undefined);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /** A release for a slot just taken: hands it to the next waiter, else frees it. */
  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(this.releaser());
      else this.running--;
    };
  }
}
