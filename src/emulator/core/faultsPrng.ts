/**
 * The fault plan's source of randomness: a seeded 32-bit PRNG (mulberry32), so that a plan with
 * the same seed makes the same decisions for the same sequence of requests.
 */

/** Returns numbers in [0, 1), the same sequence for the same `seed` (an unsigned 32-bit integer). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
