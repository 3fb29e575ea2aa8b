/**
 * Doing every step of a reset even when some fail: a failed step must not leave the ones after it
 * undone (a half-reset emulator with `/Shared` gone and Key Vault untouched), yet its failure must
 * be reported.
 */

/** Thrown when some steps failed; every step was tried. */
export class StepsFailedError extends Error {
  constructor(readonly failures: readonly string[]) {
    super(failures.join("; "));
    this.name = "StepsFailedError";
  }
}

/** Runs every step in order; throws a {@link StepsFailedError} naming each one that threw. */
export function runEveryStep(steps: ReadonlyArray<readonly [what: string, step: () => void]>): void {
  const failures: string[] = [];
  for (const [what, step] of steps) {
    try {
      step();
    } catch (err) {
      const nested = err instanceof StepsFailedError ? err.failures : [(err as Error)?.message ?? String(err)];
      for (const message of nested) failures.push(`${what}: ${message}`);
    }
  }
  if (failures.length > 0) throw new StepsFailedError(failures);
}
