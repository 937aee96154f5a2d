import { describe, expect, it } from 'vitest';
import { KIOSK_CACHE_MS, withKioskCache } from './kiosk-cache.js';
import type { RegistryStore } from './store.js';
import type { KioskRow } from './storage/kiosks.js';

function fakeStore() {
  const rows = new Map<string, KioskRow>([['h1', { kioskId: 'k1', chainId: 'c', storeId: 's', tokenHash: 'h1', revokedAt: null }]]);
  let lookups = 0;
  let gate: Promise<void> | undefined;
  const store = {
    kioskByTokenHash: async (hash: string) => {
      lookups += 1;
      const row = rows.get(hash);
      const read = row && { ...row }; // as the database answered, before the wait
      await gate;
      return read;
    },
    revokeKiosk: async (kioskId: string) => {
      for (const r of rows.values()) if (r.kioskId === kioskId) r.revokedAt = 'now';
      return true;
    },
    provisionKiosk: async () => undefined,
  } as unknown as RegistryStore;
  const hold = (p: Promise<void>): void => {
    gate = p;
  };
  return { store, rows, lookups: () => lookups, hold };
}

describe('withKioskCache', () => {
  it('answers a known token from memory until it is KIOSK_CACHE_MS old', async () => {
    const f = fakeStore();
    let now = 0;
    const cached = withKioskCache(f.store, () => now);
    expect((await cached.kioskByTokenHash('h1'))?.kioskId).toBe('k1');
    now += KIOSK_CACHE_MS - 1;
    await cached.kioskByTokenHash('h1');
    expect(f.lookups()).toBe(1);
    now += 1;
    await cached.kioskByTokenHash('h1');
    expect(f.lookups()).toBe(2);
  });

  it('never keeps an unknown token', async () => {
    const f = fakeStore();
    const cached = withKioskCache(f.store, () => 0);
    expect(await cached.kioskByTokenHash('nope')).toBeUndefined();
    expect(await cached.kioskByTokenHash('nope')).toBeUndefined();
    expect(f.lookups()).toBe(2);
  });

  it('sees a revocation through the store at once', async () => {
    const f = fakeStore();
    const cached = withKioskCache(f.store, () => 0);
    await cached.kioskByTokenHash('h1');
    await cached.revokeKiosk('k1', new Date());
    expect((await cached.kioskByTokenHash('h1'))?.revokedAt).toBe('now');
  });

  it('does not keep a row read before a revocation that finished meanwhile', async () => {
    const f = fakeStore();
    const cached = withKioskCache(f.store, () => 0);
    let release!: () => void;
    f.hold(new Promise<void>((r) => (release = r)));
    const early = cached.kioskByTokenHash('h1'); // reads the row, then waits
    await cached.revokeKiosk('k1', new Date());
    release();
    expect((await early)?.revokedAt).toBeNull();
    f.hold(Promise.resolve());
    expect((await cached.kioskByTokenHash('h1'))?.revokedAt).toBe('now');
  });
});
