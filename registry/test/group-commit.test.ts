// Issue 8's throughput: concurrent batches share one transaction (group-commit.ts), and every
// answer is still the one the batches would get one after the other, on both engines.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledStatements } from '../../sync/consent/statements.js';
import type { BatchResponse, WireItem } from '../../sync/wire/schemas.js';
import { canonicalHash } from '../canonical.js';
import { MatchKeyer } from '../matching.js';
import { PublishedStatements } from '../published-notices.js';
import { provisionKiosk } from '../provisioning.js';
import { isPostgresUrl, registryStore } from '../store.js';
import { openPostgresDriver } from '../storage/postgres.js';
import type { SqlDriver } from '../storage/sql.js';
import { openSqliteDriver } from '../storage/sqlite.js';
import { consentEventItem, consentRecord, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { freshDatabase } from './fixtures/registry.js';
import { ENGINES, postBatch, testEnv, type Kiosk, type TestEnv } from './fixtures/registry-app.js';

describe.each(ENGINES)('batches sent at once on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  let b: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a1', 'chain-a');
    b = await env.kiosk('kiosk-b1', 'chain-b');
  });
  afterEach(async () => env.dispose());

  const answers = async (sends: Array<[Kiosk, WireItem[]]>) =>
    (await Promise.all(sends.map(([k, items]) => postBatch(env, k, items)))).map((res) => {
      expect(res.statusCode).toBe(200);
      return res.json<BatchResponse>().results;
    });

  it('answers each as if it came alone, in the order they arrived', async () => {
    const enrollment = enrollmentItem(a, { registry: 'given' });
    const withdrawal = consentEventItem(
      a,
      consentRecord({ subjectRef: enrollment.payload.enrollmentId, party: 'registry', kiosk: a, status: 'withdrawn' }),
    );
    const retried = enrollmentItem(a);
    // The same key from another kiosk is that kiosk's own.
    const bsOwn = { ...enrollmentItem(b), idempotencyKey: retried.idempotencyKey };
    const [first, second, third, fourth] = await answers([
      [a, [enrollment, retried]],
      [a, [withdrawal, retried]],
      [b, [bsOwn]],
      [b, [consentEventItem(b, consentRecord({ subjectRef: enrollment.payload.enrollmentId, party: 'chain', kiosk: b }))]],
    ]);
    // "Arrived" is when a whole request was read: a larger body (signed records) may finish after a
    // smaller one sent later. Whichever of kiosk a's batches came first, each answer is the one it
    // would get had the two come one after the other in that order.
    if (first?.[1]?.status === 'accepted') {
      expect(first.map((r) => r.status)).toEqual(['accepted', 'accepted']);
      // A replay of a key accepted by a batch of the same group is a duplicate with the first receipt.
      expect(second?.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
      expect(await env.store.stats()).toMatchObject({ enrollments: 3, consents: 5 });
    } else {
      // The withdrawal came before its enrollment: refused as unknown, the retried key accepted there.
      expect(second?.map((r) => r.status === 'accepted' || r.reason?.code)).toEqual(['UNKNOWN_SUBJECT', true]);
      expect(first?.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
      expect(await env.store.stats()).toMatchObject({ enrollments: 3, consents: 4 });
    }
    expect(second?.[1]?.receiptId).toBe(first?.[1]?.receiptId);
    expect(third?.map((r) => r.status)).toEqual(['accepted']);
    // Another chain's enrollment stays unknown to kiosk b, grouped or not.
    expect(fourth?.map((r) => r.reason?.code)).toEqual(['UNKNOWN_SUBJECT']);
  });

  it('keeps two people with the same name apart, and one person whole, across grouped batches', async () => {
    const jan = { surname: 'Peeters', firstNames: 'Jan' };
    const first = enrollmentItem(a, { registry: 'given', person: { ...jan, birthDate: '1980-05-17' } });
    const other = enrollmentItem(b, { registry: 'given', person: { ...jan, birthDate: '1991-11-02' } });
    const again = enrollmentItem(b, { registry: 'given', person: { ...jan, birthDate: '1980-05-17' } });
    await answers([
      [a, [first]],
      [b, [other]],
      [b, [again]],
    ]);
    const ids = await env.reader.profileIdsOf([first, other, again].map((i) => i.payload.enrollmentId));
    expect(ids.get(first.payload.enrollmentId)).toBe(ids.get(again.payload.enrollmentId));
    expect(ids.get(other.payload.enrollmentId)).not.toBe(ids.get(first.payload.enrollmentId));
  });

  it('gives a batch the database refuses its own answer and records the batches grouped with it', async () => {
    const twin = enrollmentItem(a, { registry: 'given' });
    const [chain, registry] = twin.payload.consents;
    if (!chain || !registry) throw new Error('fixture has two records');
    twin.payload.consents = [chain, { ...registry, recordId: chain.recordId }];
    const at = env.now().toISOString();
    const apply = (k: Kiosk, items: WireItem[]) =>
      env.store.applyItems(
        { kiosk: k, sentAt: at, receivedAt: at },
        items.map((item) => ({ item, payloadHash: canonicalHash(item) })),
      );
    const results = await Promise.all([
      apply(a, [enrollmentItem(a)]),
      apply(a, [enrollmentItem(a), twin]),
      apply(b, [enrollmentItem(b)]),
      apply(b, [enrollmentItem(b)]),
      apply(a, [enrollmentItem(a)]),
      apply(b, [enrollmentItem(b)]),
    ]);
    expect(results.map((r) => r.map((x) => x.reason?.code ?? x.status))).toEqual([
      ['accepted'],
      ['accepted', 'STORAGE_REFUSED'],
      ['accepted'],
      ['accepted'],
      ['accepted'],
      ['accepted'],
    ]);
    expect((await env.store.stats()).enrollments).toBe(6);
  });
});

describe.each(ENGINES)('transactions on %s', (engine) => {
  it('applies batches that arrive while one is being written in one transaction', async () => {
    const fresh = await freshDatabase(engine);
    const driver: SqlDriver = isPostgresUrl(fresh.db)
      ? await openPostgresDriver(fresh.db, fresh.pgSchema ? { schema: fresh.pgSchema } : {})
      : openSqliteDriver(fresh.db);
    let writes = 0;
    const counted: SqlDriver = { ...driver, write: (work) => ((writes += 1), driver.write(work)) };
    const statements = new PublishedStatements(bundledStatements().all());
    const store = registryStore(counted, randomUUID, { keyer: new MatchKeyer(randomBytes(32)), statements });
    try {
      const identity = { kioskId: 'kiosk-a1', chainId: 'chain-a', storeId: 'chain-a-store-1' };
      const kiosk = { ...identity, token: await provisionKiosk(store, identity, new Date()) };
      writes = 0;
      const at = new Date().toISOString();
      const results = await Promise.all(
        Array.from({ length: 40 }, () => {
          const item = enrollmentItem(kiosk);
          return store.applyItems({ kiosk: identity, sentAt: at, receivedAt: at }, [{ item, payloadHash: canonicalHash(item) }]);
        }),
      );
      expect(results.flat().every((r) => r.status === 'accepted')).toBe(true);
      expect((await store.stats()).enrollments).toBe(40);
      // The first batches go at once, one per lane; the others wait and share a transaction.
      expect(writes).toBeLessThanOrEqual(5);
    } finally {
      await store.close();
      await fresh.dispose();
    }
  });
});
