import { expect, it } from 'vitest';
import { AudioCache } from './cache.js';

const audio = (n: number) => new Uint8Array(n);

it('keeps the most recently used within both bounds', () => {
  const cache = new AudioCache({ entries: 2, bytes: 100 });
  cache.set('a', audio(10));
  cache.set('b', audio(10));
  cache.get('a');
  cache.set('c', audio(10));
  expect([cache.get('a'), cache.get('b'), cache.get('c')].map((x) => x?.length)).toEqual([10, undefined, 10]);
  cache.set('d', audio(95));
  expect(cache.size).toEqual({ entries: 1, bytes: 95 });
  cache.set('e', audio(101));
  expect(cache.get('e')).toBeUndefined();
  cache.set('d', audio(5));
  expect(cache.size).toEqual({ entries: 1, bytes: 5 });
});
