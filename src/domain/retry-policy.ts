/** Backoff between attempts (DESIGN.md §2): min(1 h, 1 s × 2^(attempts−1)) × a factor in [0.8, 1.2]. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 3_600_000;

/** `random` returns [0, 1); inject a constant in tests to pin the jitter. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempts - 1);
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 32));
  return Math.round(base * (0.8 + 0.4 * random()));
}
