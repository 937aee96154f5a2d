// Full-jitter exponential backoff (sync.md): sleep = random(0, min(cap, base * 2^attempt)).
// Full jitter spreads a fleet of kiosks that all lost the network at once over the whole window.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** `attempt` counts consecutive failures from 0; `random` returns [0, 1) like Math.random. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  // 2^attempt overflows to Infinity long after it passed any sane cap; min() keeps it finite.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
