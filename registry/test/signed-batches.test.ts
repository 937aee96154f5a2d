// Signed batches (issue #16's cost aim) on a real registry, SQLite and PostgreSQL: the kiosk's batch
// signature verified once, each record's detached JWS put back and matched to the batch's list, one
// countersignature a batch; what is refused, and with which code; idempotency across the forms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyBatch, verifyBatchCountersignature } from '../../sync/proof/batch-signature.js';
import { generateSigningKey, sha256Hex } from '../../sync/proof/ed25519.js';
import { detach } from '../../sync/proof/jws.js';
import { KeySet } from '../../sync/proof/key-set.js';
import { verifyRecord } from '../../sync/proof/signatures.js';
import { signed, signedRequest, testKioskKey } from '../../sync/test/fixtures/kiosk-keys.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import type { BatchRequest, BatchResponse, WireItem } from '../../sync/wire/schemas.js';
import { attachedFormHash } from '../item-hash.js';
import { consentSignatures } from '../storage/consent-signatures.js';
import { ENGINES, postBatch, postSignedBatch, testEnv, type Kiosk, type TestEnv } from './fixtures/registry-app.js';

describe.each(ENGINES)('signed batches on %s', (engine) => {
  let env: TestEnv;
  let kiosk: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    kiosk = await env.kiosk('kiosk-b1', 'chain-b');
  });
  afterEach(async () => env.dispose());

  const keys = async (): Promise<KeySet> => KeySet.parse((await env.app.inject({ method: 'GET', url: '/v1/keys' })).json());
  const codes = (res: { json<T>(): T }): string[] => res.json<BatchResponse>().results.map((r) => r.reason?.code ?? r.status);
  const post = (body: BatchRequest) =>
    env.app.inject({ method: 'POST', url: '/v1/batches', headers: { authorization: `Bearer ${kiosk.token}` }, payload: body });
  const request = (items: WireItem[]): BatchRequest => ({ kioskId: kiosk.kioskId, sentAt: env.now().toISOString(), items });

  it("keeps each record's JWS detached beside it, the batch once, a countersignature over it anyone can verify", async () => {
    const items = [enrollmentItem(kiosk, { registry: 'given' }), enrollmentItem(kiosk)];
    const body = signedRequest(request(items));
    // On the wire each record's JWS is detached: the record travels once.
    expect((body.items[0] as (typeof items)[0]).payload.signatures?.every((s) => s.includes('..'))).toBe(true);
    expect(codes(await post(body))).toEqual(['accepted', 'accepted']);
    const ids = items.flatMap((i) => i.payload.consents.map((c) => c.recordId));
    // Kept detached: the record beside it is its payload.
    const kept = await env.reader.read(() => consentSignatures(ids));
    expect(kept.map((r) => r.kioskJws)).toEqual(kept.map((r) => detach(r.kioskJws)));
    // Read for a proof, each is attached again over the record as kept.
    const rows = (await env.store.proofRows('chain-b', null)).map((r) => r.signatures!);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.batch?.batchId)).size).toBe(1);
    const published = await keys();
    for (const row of rows) {
      const record = items.flatMap((i) => i.payload.consents).find((c) => c.recordId === row.recordId)!;
      expect(verifyRecord(row.kioskJws, record, published).ok).toBe(true);
      expect(row.registryJws).toBeNull();
    }
    const batch = rows[0]!.batch!;
    expect(batch.kioskJws).toBe(body.signature);
    const listed = verifyBatch(batch.kioskJws, published);
    expect(listed.ok && listed.value.records.map((r) => r.jwsSha256).sort()).toEqual(rows.map((r) => sha256Hex(r.kioskJws)).sort());
    expect(verifyBatchCountersignature(batch.registryJws, batch.kioskJws, kiosk.kioskId, published)).toMatchObject({
      ok: true,
      value: { receivedAt: '2025-03-01T10:00:00.000Z', registryKid: batch.registryKid },
    });
  });

  it('refuses a record by another kiosk key, one the batch does not list, one changed; the rest go through', async () => {
    const other = await env.kiosk('kiosk-b2', 'chain-b');
    const byOther = signed(enrollmentItem(kiosk), testKioskKey(other.kioskId));
    const good = enrollmentItem(kiosk);
    const body = signedRequest(request([byOther, good]));
    expect(codes(await post(body))).toEqual(['RECORD_SIGNATURE_INVALID', 'accepted']);
    // A record the batch does not list: an item added after signing.
    const added = enrollmentItem(kiosk);
    const listed = signedRequest(request([enrollmentItem(kiosk)]));
    const unlisted = signedRequest(request([added]));
    expect(codes(await post({ ...listed, items: [...listed.items, unlisted.items[0]] }))).toEqual(['accepted', 'RECORD_SIGNATURE_INVALID']);
    // A record changed after the batch was signed: its JWS put back over it hashes to something else.
    const sent = signedRequest(request([enrollmentItem(kiosk)]));
    const item = sent.items[0] as ReturnType<typeof enrollmentItem>;
    const changed = {
      ...item,
      payload: { ...item.payload, consents: item.payload.consents.map((c) => ({ ...c, validity: { retention: 'P9Y' } })) },
    };
    const res = await post({ ...sent, items: [changed] });
    expect(res.json<BatchResponse>().results[0]?.reason).toMatchObject({
      code: 'RECORD_SIGNATURE_INVALID',
      message: expect.stringContaining('PAYLOAD_MISMATCH'),
    });
  });

  it("refuses every item of a batch whose signature is not this kiosk's over this request", async () => {
    const items = [enrollmentItem(kiosk), enrollmentItem(kiosk)];
    const other = await env.kiosk('kiosk-b3', 'chain-b');
    expect(codes(await post(signedRequest(request(items), testKioskKey(other.kioskId))))).toEqual([
      'BATCH_SIGNATURE_INVALID',
      'BATCH_SIGNATURE_INVALID',
    ]);
    expect(codes(await post(signedRequest(request(items), generateSigningKey())))).toEqual([
      'BATCH_SIGNATURE_INVALID',
      'BATCH_SIGNATURE_INVALID',
    ]);
    const body = signedRequest(request(items));
    expect(codes(await post({ ...body, sentAt: '2025-03-01T09:59:00.000Z' }))).toEqual([
      'BATCH_SIGNATURE_INVALID',
      'BATCH_SIGNATURE_INVALID',
    ]);
    expect(codes(await post(body))).toEqual(['accepted', 'accepted']);
  });

  it('answers an item first sent attached, or unsigned-hashed before, then re-sent in a signed batch, as a duplicate', async () => {
    const first = enrollmentItem(kiosk);
    expect(codes(await postBatch(env, kiosk, [first]))).toEqual(['accepted']);
    expect(codes(await postSignedBatch(env, kiosk, [first]))).toEqual(['duplicate']);
    // A key claimed between issue #16 and signed batches holds the hash of the item with its attached JWS.
    const older = enrollmentItem(kiosk);
    expect(codes(await postSignedBatch(env, kiosk, [older]))).toEqual(['accepted']);
    const attached = (older.payload.signatures ?? []).map((kioskJws) => ({ kioskJws }));
    await env.reader.tamper(
      `UPDATE idempotency_keys SET payload_hash = ? WHERE idempotency_key = ?`,
      attachedFormHash(older, attached as never),
      older.idempotencyKey,
    );
    expect(codes(await postSignedBatch(env, kiosk, [older]))).toEqual(['duplicate']);
    expect(codes(await postBatch(env, kiosk, [older]))).toEqual(['duplicate']);
    // Another payload under the same key is still a conflict.
    const other = { ...enrollmentItem(kiosk), idempotencyKey: older.idempotencyKey };
    expect(codes(await postSignedBatch(env, kiosk, [other]))).toEqual(['IDEMPOTENCY_CONFLICT']);
  });
});
