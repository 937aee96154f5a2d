import { describe, expect, it } from 'vitest';
import { StatisticsKeeper } from './pg-statistics.js';

describe('StatisticsKeeper', () => {
  function keeper(minItems = 100) {
    const runs: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
    const k = new StatisticsKeeper(() => new Promise<void>((resolve, reject) => runs.push({ resolve, reject })), minItems);
    return { k, runs };
  }

  it('analyzes first at the minimum, then each time the items written have doubled', async () => {
    const { k, runs } = keeper();
    k.wrote(99);
    expect(runs).toHaveLength(0);
    k.wrote(1);
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    await k.idle();
    k.wrote(99);
    expect(runs).toHaveLength(1);
    k.wrote(1); // 200 written, 100 analyzed
    expect(runs).toHaveLength(2);
    runs[1]!.resolve();
    await k.idle();
    k.wrote(199);
    expect(runs).toHaveLength(2);
    k.wrote(1); // 400 written, 200 analyzed
    expect(runs).toHaveLength(3);
  });

  it('runs one analysis at a time and counts what was written meanwhile', async () => {
    const { k, runs } = keeper();
    k.wrote(100);
    k.wrote(500);
    expect(runs).toHaveLength(1);
    runs[0]!.resolve();
    await k.idle();
    k.wrote(0); // 500 since the first analysis of 100: past its size
    expect(runs).toHaveLength(2);
  });

  it('tries again on the next write after a failure, and never throws', async () => {
    const { k, runs } = keeper();
    k.wrote(100);
    runs[0]!.reject(new Error('connection lost'));
    await k.idle();
    k.wrote(1);
    expect(runs).toHaveLength(2);
  });
});
