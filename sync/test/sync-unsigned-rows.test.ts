// Issue 16: a kiosk upgraded to signing with items still unsent. Its rows were committed at store
// version 6, before any key, and hold no signatures; the registry refuses unsigned records. The
// kiosk signs them as it sends them (sqlite-outbox.ts), the registry accepts and countersigns them,
// and the audit verifies them, saying they were signed when sent.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRows } from '../../registry/proof/audit.js';
import { statementRecord } from '../../registry/proof/fixtures/records.js';
import { RegistrySigningKeys } from '../../registry/signing-keys.js';
import { startRegistry, type TestRegistry } from '../../registry/test/fixtures/registry.js';
import { storeTransport } from '../client/compose-sync.js';
import { SyncClient } from '../client/sync-client.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import type { KeySet } from '../proof/key-set.js';
import { verifyRecord } from '../proof/signatures.js';
import { createFieldCipher } from '../store/cipher.js';
import { migrate } from '../store/migrate.js';
import { MIGRATIONS } from '../store/migrations/index.js';
import { openDatabase } from '../store/open.js';
import { insertEnrollmentItem } from '../store/outbox-items.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { queuedEnrollment } from '../store/registry-match.js';
import type { ConsentRecord, WireItem } from '../wire/schemas.js';
import { makeEnrollment } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

const KIOSK = { kioskId: 'kiosk-1', chainId: 'chain-1', storeId: 'store-1' };
const MADE = new Date('2025-03-14T09:00:00.000Z');

let dir: { dir: string; cleanup: () => void };
let registry: TestRegistry;
let token: string;
beforeEach(async () => {
  dir = tempDir();
  registry = await startRegistry({ db: 'sqlite' });
  token = await registry.provisionKiosk(KIOSK.kioskId, KIOSK.chainId, KIOSK.storeId);
});
afterEach(async () => {
  await registry.close();
  dir.cleanup();
});

/** A store at version 6 holding an enrollment and a later withdrawal, unsent, written as that version did: no signatures. */
function storeAtVersion6(path: string, key: Buffer): ConsentRecord[] {
  const db = openDatabase(path);
  migrate(db, MIGRATIONS.slice(0, 6));
  const enrollment = makeEnrollment(0, { at: MADE });
  const consents = (['chain', 'registry'] as const).map((party) =>
    statementRecord({ party, type: 'given', kiosk: KIOSK, subjectRef: enrollment.enrollmentId, at: MADE.toISOString() }),
  );
  const withdrawal = statementRecord({
    party: 'chain',
    type: 'withdrawn',
    kiosk: KIOSK,
    subjectRef: enrollment.enrollmentId,
    at: '2025-03-14T09:05:00.000Z',
  });
  db.transaction(() => {
    const payload = queuedEnrollment({ ...enrollment, consents }, DEFAULT_POLICY, 'ABCDEFGHJK');
    insertEnrollmentItem(db, createFieldCipher(key), randomUUID(), payload, MADE.toISOString());
    db.prepare(
      `INSERT INTO outbox (idempotency_key, kind, subject_ref, created_at, next_attempt_at, consents) VALUES (?, 'consent-event', ?, ?, ?, ?)`,
    ).run(randomUUID(), enrollment.enrollmentId, withdrawal.event.at, withdrawal.event.at, JSON.stringify([withdrawal]));
  }).immediate();
  db.close();
  return [...consents, withdrawal];
}

describe('rows committed before the kiosk signed', () => {
  it('are signed when sent, the same at every resend, accepted, and verified by the audit as signed when sent', async () => {
    const path = join(dir.dir, 'kiosk.db');
    const key = newKey();
    const records = storeAtVersion6(path, key);
    const store = openTestStore(path, key);
    const kid = store.signingKey.kid;
    try {
      expect(store.db.prepare('SELECT consents FROM outbox').pluck().all().join()).not.toContain('kioskJws');

      // Signed as claimed, by the store's key (made at this first open), deterministically.
      const outbox = new SqliteOutbox(store);
      const signaturesOf = (items: WireItem[]) =>
        items.flatMap((i) => (i.kind === 'enrollment' ? (i.payload.signatures ?? []) : [i.payload.signature ?? '']));
      const first = outbox.claimDue(new Date(), 10);
      outbox.releaseForRetry(
        first.map((i) => i.idempotencyKey),
        'test',
        new Date(0),
      );
      const again = outbox.claimDue(new Date(), 10);
      expect(signaturesOf(again)).toEqual(signaturesOf(first));
      expect(signaturesOf(first)).toHaveLength(3);
      const own: KeySet = {
        keys: [{ ...store.signingKey.publicJwk, kid: store.signingKey.kid, alg: 'EdDSA', use: 'sig', nbf: 0, owner: 'kiosk' }],
      };
      signaturesOf(first).forEach((jws, i) => expect(verifyRecord(jws, records[i]!, own).ok).toBe(true));
      outbox.releaseForRetry(
        again.map((i) => i.idempotencyKey),
        'test',
        new Date(0),
      );
      // The row is as committed until the acknowledgement: the trigger allows no other change.
      expect(store.db.prepare('SELECT consents FROM outbox').pluck().all().join()).not.toContain('kioskJws');

      const client = new SyncClient({ outbox, transport: storeTransport(store, { registryUrl: registry.url, token }) });
      const done = new Promise<void>((resolve) => client.on('status', (s) => s.online && s.pending === 0 && resolve()));
      client.start();
      await done;
      await client.stop();
      expect(store.db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all()).toEqual([{ state: 'acknowledged', n: 2 }]);
    } finally {
      store.close();
    }

    const report = auditRows(
      await registry.store.proofRows(KIOSK.chainId, null),
      registry.store.rules.statements,
      await new RegistrySigningKeys(registry.store).keySet(),
    );
    expect(report.verdicts.map((v) => [v.row.recordId, v.failures, v.notes])).toEqual(
      records.map((r) => [
        r.recordId,
        [],
        [
          // A withdrawal committed before withdrawals named the record they reverse.
          ...(r.event.type === 'withdrawn' ? ['names no record: made before withdrawals named them'] : []),
          'signed when sent: the record predates its kiosk key',
        ],
      ]),
    );
    // The registry takes signed batches (its capabilities): the kiosk signed the batch, the registry countersigned it once.
    expect(report.verdicts.map((v) => [v.row.signatures?.batch?.kioskKid, v.row.signatures?.registryJws])).toEqual(
      records.map(() => [kid, null]),
    );
  });
});
