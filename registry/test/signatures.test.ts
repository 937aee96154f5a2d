import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signed, testKioskKey } from '../../sync/test/fixtures/kiosk-keys.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { generateSigningKey } from '../../sync/proof/ed25519.js';
import { KeySet } from '../../sync/proof/key-set.js';
import { verifyCountersignature, verifyRecord } from '../../sync/proof/signatures.js';
import type { BatchResponse } from '../../sync/wire/schemas.js';
import { RegistrySigningKeys } from '../signing-keys.js';
import { consentSignatures } from '../storage/consent-signatures.js';
import { ENGINES, type Kiosk, postBatch, postJson, testEnv, type TestEnv } from './fixtures/registry-app.js';

describe.each(ENGINES)('signed consent records on %s', (engine) => {
  let env: TestEnv;
  let kiosk: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    kiosk = await env.kiosk('kiosk-s1', 'chain-s');
  });
  afterEach(async () => env.dispose());

  const keys = async (): Promise<KeySet> => KeySet.parse((await env.app.inject({ method: 'GET', url: '/v1/keys' })).json());
  const reasons = async (items: unknown[]): Promise<Array<string | undefined>> =>
    (await postBatch(env, kiosk, items)).json<BatchResponse>().results.map((r) => r.reason?.code ?? r.status);

  it('refuses a record without a signature and one signed by another kiosk, each with its code', async () => {
    const other = await env.kiosk('kiosk-s2', 'chain-s');
    const item = enrollmentItem(kiosk, { registry: 'given' });
    const { signatures: _dropped, ...unsigned } = item.payload;
    expect(await reasons([{ ...item, payload: unsigned }])).toEqual(['RECORD_UNSIGNED']);
    expect(await reasons([signed(item, testKioskKey(other.kioskId))])).toEqual(['RECORD_SIGNATURE_INVALID']);
    expect(await reasons([signed(item, generateSigningKey())])).toEqual(['RECORD_SIGNATURE_INVALID']);
    // A record changed after signing: the signature is over another record.
    const changed = {
      ...item,
      payload: { ...item.payload, consents: item.payload.consents.map((c) => ({ ...c, validity: { retention: 'P9Y' } })) },
    };
    expect(await reasons([changed])).toEqual(['RECORD_SIGNATURE_INVALID']);
    expect(await reasons([item])).toEqual(['accepted']);
  });

  it("keeps the kiosk's JWS and a countersignature anyone can verify against GET /v1/keys, without a token", async () => {
    const item = enrollmentItem(kiosk, { registry: 'given' });
    expect(await reasons([item])).toEqual(['accepted']);
    const rows = await env.reader.read(() => consentSignatures(item.payload.consents.map((c) => c.recordId)));
    expect(rows).toHaveLength(2);
    const published = await keys();
    for (const row of rows) {
      const record = item.payload.consents.find((c) => c.recordId === row.recordId)!;
      expect(verifyRecord(row.kioskJws, record, published)).toMatchObject({
        ok: true,
        key: { owner: 'kiosk', kioskId: kiosk.kioskId, chainId: 'chain-s' },
      });
      expect(verifyCountersignature(row.registryJws!, row.recordId, row.kioskJws, published)).toMatchObject({
        ok: true,
        value: { receivedAt: '2025-03-01T10:00:00.000Z', registryKid: row.registryKid },
      });
    }
  });

  it('rotation keeps earlier countersignatures verifiable and signs new ones with the new key', async () => {
    const first = enrollmentItem(kiosk);
    await postBatch(env, kiosk, [first]);
    const newKid = await new RegistrySigningKeys(env.store).rotate(env.now());
    const second = enrollmentItem(kiosk);
    await postBatch(env, kiosk, [second]);
    const ids = [first, second].map((i) => i.payload.consents[0]!.recordId);
    const [a, b] = await env.reader
      .read(() => consentSignatures(ids))
      .then((rows) => ids.map((id) => rows.find((r) => r.recordId === id)!));
    expect(a!.registryKid).not.toBe(newKid);
    expect(b!.registryKid).toBe(newKid);
    const published = await keys();
    expect(published.keys.filter((k) => k.owner === 'registry')).toHaveLength(2);
    expect(published.keys.find((k) => k.kid === a!.registryKid)?.exp).toBeDefined();
    for (const row of [a!, b!]) expect(verifyCountersignature(row.registryJws!, row.recordId, row.kioskJws, published).ok).toBe(true);
  });

  it("registers a kiosk's new key with its token; the old one stays published for what it signed", async () => {
    const next = generateSigningKey();
    const res = await postJson(env, kiosk, '/v1/kiosk-keys', { publicJwk: next.publicJwk, notBefore: '2025-03-01T09:30:00.000Z' });
    expect(res.json()).toEqual({ kid: next.kid });
    const mine = (await keys()).keys.filter((k) => k.kioskId === kiosk.kioskId);
    expect(mine.map((k) => [k.kid, k.exp !== undefined])).toEqual([
      [testKioskKey(kiosk.kioskId).kid, true],
      [next.kid, false],
    ]);
    // Records signed before the change, still queued, verify with the old key; new ones with the new key.
    expect(await reasons([enrollmentItem(kiosk, { at: '2025-03-01T09:00:00.000Z' })])).toEqual(['accepted']);
    expect(await reasons([signed(enrollmentItem(kiosk, { at: '2025-03-01T09:45:00.000Z' }), next)])).toEqual(['accepted']);
    // Another kiosk cannot claim that key.
    const other = await env.kiosk('kiosk-s3', 'chain-s');
    const stolen = await postJson(env, other, '/v1/kiosk-keys', { publicJwk: next.publicJwk, notBefore: '2025-03-01T09:30:00.000Z' });
    expect(stolen.json()).toMatchObject({ code: 'KEY_REFUSED' });
  });
});
