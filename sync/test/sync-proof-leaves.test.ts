// Issue 14: the proof of a customer's choices is kept by the registry and gone from the kiosk once the
// registry acknowledged it. Real store, real sync client, the real registry on loopback: a crash
// before the acknowledgement keeps the whole proof; the acknowledgement leaves a receipt summary
// without personal data, which the manager's export still lists.
import { describe, expect, it } from 'vitest';
import { storeTransport } from '../client/compose-sync.js';
import { SyncClient, type SyncStatus } from '../client/sync-client.js';
import { exportConsentReceiptsCsv } from '../manager/operations.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import type { OutboxRow } from '../store/outbox-items.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import type { ConsentRecord } from '../wire/schemas.js';
import { makeEnrollment } from './fixtures/payloads.js';
import { receiptSummaryOf } from './fixtures/receipt-summary.js';
import { seededRandom } from './fixtures/seeded-random.js';
import { useSyncRig } from './fixtures/sync-rig.js';

const rig = useSyncRig();

/** One sync attempt through the fault proxy; resolves with the status it ends on. */
async function syncOnce(done: (s: SyncStatus) => boolean): Promise<void> {
  const client = new SyncClient({
    outbox: new SqliteOutbox(rig.kiosk.store),
    transport: storeTransport(rig.kiosk.store, { registryUrl: rig.proxy.url, token: rig.token, requestTimeoutMs: 2_000 }),
    random: seededRandom(7),
    backoff: { baseMs: 60_000, capMs: 60_000 },
  });
  const reached = new Promise<void>((resolve) => client.on('status', (s) => done(s) && resolve()));
  client.start();
  await reached;
  await client.stop();
}

/** An eID enrollment whose chain record names the staff member who checked the face. */
function commitOne(): { idempotencyKey: string; enrollmentId: string } {
  const payload = makeEnrollment(0);
  payload.consents = payload.consents.map((c) =>
    c.party === 'chain' ? { ...c, evidence: { ...c.evidence, staffCheck: { by: 'staff-an' } } } : c,
  );
  return commitEnrollment(rig.kiosk.store, { payload, policy: DEFAULT_POLICY }, new Date());
}

const rowOf = (key: string): OutboxRow =>
  rig.kiosk.store.db.prepare('SELECT * FROM outbox WHERE idempotency_key = ?').get(key) as OutboxRow;

describe('the proof on the kiosk', () => {
  it('stays whole through a crash before the acknowledgement, and becomes a receipt summary with it', async () => {
    const done = commitOne();
    const full = JSON.parse(rowOf(done.idempotencyKey).consents) as Array<ConsentRecord & { kioskJws?: string }>;
    expect(full.find((c) => c.party === 'chain')?.evidence.staffCheck).toEqual({ by: 'staff-an' });
    // Each record is kept with the kiosk's signature over it until the registry holds both.
    expect(full.every((c) => typeof c.kioskJws === 'string')).toBe(true);

    // The kiosk's key goes first in each run, then whether the registry takes signed batches; the
    // fault hits the batch after them: the registry commits it, its answer never arrives, and the kiosk goes down.
    rig.proxy.script('pass', 'pass', 'drop-after-commit');
    await syncOnce((s) => s.lastError !== undefined);
    expect(rig.proxy.requests.slice(0, 3)).toEqual(['POST /v1/kiosk-keys', 'GET /v1/capabilities', 'POST /v1/batches']);
    rig.kiosk.reopen();
    const afterCrash = rowOf(done.idempotencyKey);
    expect(afterCrash.state).toBe('pending');
    expect(JSON.parse(afterCrash.consents)).toEqual(full);
    expect(afterCrash.payload).not.toBeNull();

    // Back up: the resend is a duplicate, which acknowledges it as well.
    await syncOnce((s) => s.online && s.pending === 0);
    const row = rowOf(done.idempotencyKey);
    expect(row).toMatchObject({ state: 'acknowledged', outcome: 'duplicate', payload: null, eid_identity_ok: null });
    expect(row.consents).not.toMatch(/evidence|staff-an|controlsTouched|dataCategories|legalBasis|validity|kioskJws/);
    expect(JSON.parse(row.consents)).toEqual(full.map(receiptSummaryOf));
    // The registry holds the records; the kiosk's export still lists both, acknowledged.
    expect((await rig.registry.stats()).consents).toBe(2);
    const lines = exportConsentReceiptsCsv(rig.kiosk.store).trim().split('\n').slice(1);
    expect(lines).toHaveLength(2);
    for (const c of full) expect(lines.find((l) => l.startsWith(c.recordId))).toMatch(/,acknowledged,/);
  });
});
