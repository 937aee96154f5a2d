import { expect, it } from 'vitest';
import { BoundedQueue } from './limit.js';

it('runs at most `running` jobs at once, queues `waiting` more, refuses the next with BUSY, and frees its slots', async () => {
  const queue = new BoundedQueue({ running: 2, waiting: 3 });
  let running = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  const job = () =>
    queue.run(async () => {
      most = Math.max(most, ++running);
      await new Promise<void>((open) => gates.push(open));
      running -= 1;
      return 'done';
    });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const openOne = async () => {
    while (gates.length === 0) await tick();
    gates.shift()!();
  };

  const settled = Promise.allSettled(Array.from({ length: 6 }, job));
  for (let i = 0; i < 5; i++) await openOne();
  const codes = (await settled).map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as { code: string }).code));
  expect(codes).toEqual(['done', 'done', 'done', 'done', 'done', 'BUSY']);
  expect(most).toBe(2);

  const again = Promise.all([job(), job()]);
  await openOne();
  await openOne();
  expect(await again).toEqual(['done', 'done']);
});
