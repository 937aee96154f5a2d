// The SQLite registry's writer thread (sqlite-writer.ts), as `serve` runs it: writes go to the
// thread, reads stay on the main connection and see every answered write, errors keep their class
// and code across the boundary, and the thread closes with the store.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireItem } from '../../sync/wire/schemas.js';
import { canonicalHash } from '../canonical.js';
import { RegistryError } from '../errors.js';
import { provisionKiosk } from '../provisioning.js';
import { openRegistryStore, type RegistryStore } from '../store.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';

describe('the SQLite writer thread', () => {
  let dir: string;
  let store: RegistryStore;
  const identity = { kioskId: 'kiosk-a1', chainId: 'chain-a', storeId: 'chain-a-store-1' };
  const at = '2025-03-01T10:00:00.000Z';
  const prepared = (item: WireItem) => ({ item, payloadHash: canonicalHash(item) });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'registry-writer-'));
    store = await openRegistryStore(join(dir, 'registry.db'), { matchSecret: randomBytes(32), writerThread: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes on the thread and reads what it wrote on the main connection', async () => {
    const token = await provisionKiosk(store, identity, new Date(at));
    const kiosk = { ...identity, token };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.applyItems({ kiosk: identity, sentAt: at, receivedAt: at }, [prepared(enrollmentItem(kiosk))]),
      ),
    );
    expect(results.flat().map((r) => r.status)).toEqual(Array(20).fill('accepted'));
    expect(await store.stats()).toMatchObject({ enrollments: 20, kiosks: 1 });
    // A value the database refuses is still that item's own answer.
    const twin = enrollmentItem(kiosk, { registry: 'given' });
    const [chain, registry] = twin.payload.consents;
    if (!chain || !registry) throw new Error('fixture has two records');
    twin.payload.consents = [chain, { ...registry, recordId: chain.recordId }];
    const refused = await store.applyItems({ kiosk: identity, sentAt: at, receivedAt: at }, [prepared(twin)]);
    expect(refused.map((r) => r.reason?.code)).toEqual(['STORAGE_REFUSED']);
    await store.close();
  });

  it('copies the WAL back into the database file on the checkpointer thread', async () => {
    const file = join(dir, 'registry.db');
    const before = statSync(file).size;
    const kiosk = { ...identity, token: await provisionKiosk(store, identity, new Date(at)) };
    await store.applyItems(
      { kiosk: identity, sentAt: at, receivedAt: at },
      Array.from({ length: 50 }, () => prepared(enrollmentItem(kiosk))),
    );
    // Far below the writer's own checkpoint threshold: only the checkpointer grows the file.
    for (let i = 0; i < 100 && statSync(file).size === before; i++) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before);
    await store.close();
  });

  it('hands back a registry error with its class and code, and refuses calls once closed', async () => {
    await provisionKiosk(store, identity, new Date(at));
    const who = { surname: 'Peeters', firstNames: 'Jan', birthDate: '1980-05-17' };
    const err = await store.eraseSubject(identity, who, new Date(at)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('CONSUMER_NOT_FOUND');
    await store.close();
    await expect(store.revokeKiosk(identity.kioskId, new Date(at))).rejects.toThrow(/writer thread stopped/);
  });
});
