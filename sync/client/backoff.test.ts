import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

const policy = { baseMs: 100, capMs: 1_000 };

describe('backoffDelayMs (full jitter)', () => {
  it('draws in [0, base * 2^attempt)', () => {
    expect(backoffDelayMs(0, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(0, policy, () => 0.5)).toBe(50);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(799);
  });

  it('never exceeds the cap, even after very many attempts', () => {
    expect(backoffDelayMs(4, policy, () => 0.5)).toBe(500);
    expect(backoffDelayMs(10_000, policy, () => 0.999)).toBe(999);
  });
});
