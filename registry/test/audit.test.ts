// The audit (registry/proof/audit.ts) on a real registry, SQLite and PostgreSQL: records received as
// kiosks send them, with their signatures, all verify; a record edited in the database behind the
// registry's back is named, and only it. (The command line around it: registry/proof/proof-cli.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import { consentEventItem, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { auditRows, auditText, type AuditReport } from '../proof/audit.js';
import { statementRecord } from '../proof/fixtures/records.js';
import { generateSigningKey } from '../../sync/proof/ed25519.js';
import { signRecord } from '../../sync/proof/signatures.js';
import { signBatch } from '../../sync/proof/batch-signature.js';
import { signed, testKioskKey } from '../../sync/test/fixtures/kiosk-keys.js';
import type { KeySet } from '../../sync/proof/key-set.js';
import { ENGINES, send, testEnv, type Kiosk, type TestEnv } from './fixtures/registry-app.js';

describe.each(ENGINES)('the audit on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  /** chain give, registry refusal, chain withdrawal: in the order sent. */
  let sent: ConsentRecord[];
  /** The registry's published keys, as an auditor fetches them (GET /v1/keys). */
  let published: KeySet;

  beforeEach(async () => {
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a', 'chain-a');
    const b = await env.kiosk('kiosk-b', 'chain-b');
    const item = enrollmentItem(a);
    const subjectRef = item.payload.enrollmentId;
    const give = statementRecord({ party: 'chain', type: 'given', kiosk: a, subjectRef, at: '2025-03-01T09:00:00.000Z' });
    const refuse = statementRecord({ party: 'registry', type: 'refused', kiosk: a, subjectRef, at: '2025-03-01T09:00:00.000Z' });
    const withdraw = statementRecord({ party: 'chain', type: 'withdrawn', kiosk: a, subjectRef, at: '2025-03-02T09:00:00.000Z' });
    await send(env, a, signed({ ...item, payload: { ...item.payload, consents: [give, refuse] } }));
    await send(env, a, consentEventItem(a, withdraw));
    // Another chain's records are not this chain's audit.
    const other = enrollmentItem(b);
    const theirs = statementRecord({ party: 'chain', type: 'given', kiosk: b, subjectRef: other.payload.enrollmentId });
    await send(env, b, signed({ ...other, payload: { ...other.payload, consents: [theirs] } }));
    sent = [give, refuse, withdraw];
    published = (await env.app.inject({ method: 'GET', url: '/v1/keys' })).json<KeySet>();
  });
  afterEach(async () => env.dispose());

  const audit = async (): Promise<AuditReport> =>
    auditRows(await env.store.proofRows('chain-a', null), env.store.rules.statements, published);
  const failures = (report: AuditReport) =>
    report.verdicts.filter((v) => v.failures.length > 0).map((v) => ({ recordId: v.row.recordId, failures: v.failures }));
  /** Rewrites one stored record's JSON, as someone with the database and no registry could. */
  const edit = async (recordId: string, change: (r: ConsentRecord) => unknown): Promise<void> => {
    const r = sent.find((x) => x.recordId === recordId)!;
    const changed = await env.reader.tamper(
      `UPDATE consent_records SET record_json = ? WHERE record_id = ?`,
      JSON.stringify(change(r)),
      recordId,
    );
    expect(changed).toBe(1);
  };

  it('verifies every record of the chain as kiosks sent them, refusals and withdrawals included', async () => {
    const report = await audit();
    expect(report.verdicts.map((v) => v.row.recordId)).toEqual(sent.map((r) => r.recordId));
    expect(failures(report)).toEqual([]);
    expect(auditText('chain-a', report)).toMatch(/\n3 records of chain-a: 3 verified, 0 failed\n$/);
  });

  it('names a record whose kept JSON was edited behind the registry’s back, and only it', async () => {
    const [give] = sent;
    await edit(give!.recordId, (r) => ({ ...r, event: { ...r.event, at: '2025-02-01T09:00:00.000Z' } }));
    const report = await audit();
    expect(failures(report)).toEqual([
      {
        recordId: give!.recordId,
        failures: ["its event time differs from the row's", 'its kiosk signature does not verify over the record as kept'],
      },
    ]);
    expect(auditText('chain-a', report)).toContain(`FAIL  seq`);
    expect(auditText('chain-a', report)).toMatch(new RegExp(`FAIL  seq \\d+  ${give!.recordId}  chain  given .*event time`));
  });

  it('names a record whose statement, purposes or legal bases are not the published ones', async () => {
    const [give, refuse, withdraw] = sent;
    await edit(give!.recordId, (r) => ({ ...r, notice: { ...r.notice, textSha256: '0'.repeat(64) } }));
    await edit(refuse!.recordId, (r) => ({ ...r, purposes: r.purposes.map((p) => ({ ...p, legalBasis: 'GDPR Art. 6(1)(f)' })) }));
    await edit(withdraw!.recordId, (r) => ({ ...r, purposes: [...r.purposes, { id: 'resale', status: 'withdrawn', legalBasis: 'none' }] }));
    const found = failures(await audit());
    expect(found.map((f) => f.recordId)).toEqual(sent.map((r) => r.recordId));
    expect(found[0]?.failures.join()).toMatch(/text hash/);
    expect(found[1]?.failures.join()).toMatch(/purpose profile-sync states another legal basis/);
    expect(found[2]?.failures.join()).toMatch(/no purpose resale/);
  });

  it('names a withdrawal of what was never given, and a record that is no JSON any more', async () => {
    const [give, , withdraw] = sent;
    await edit(give!.recordId, (r) => ({ ...r, purposes: r.purposes.map((p) => ({ ...p, status: 'refused' })) }));
    await env.reader.tamper(`UPDATE consent_records SET event_type = 'refused' WHERE record_id = ?`, give!.recordId);
    const found = failures(await audit());
    expect(found.map((f) => f.recordId)).toEqual([give!.recordId, withdraw!.recordId]);
    expect(found[1]?.failures).toEqual(['it withdraws purpose loyalty, which no earlier record of this person gave']);

    await env.reader.tamper(`UPDATE consent_records SET record_json = ? WHERE record_id = ?`, '{"recordId":', withdraw!.recordId);
    expect(failures(await audit()).find((f) => f.recordId === withdraw!.recordId)?.failures).toEqual(['the kept record is not JSON']);
  });

  it('names a record changed consistently, which only its kiosk signature tells', async () => {
    const [give] = sent;
    // "No" to offers by e-mail made a "yes": the statement, the columns and the event still agree.
    await edit(give!.recordId, (r) => ({ ...r, purposes: r.purposes.map((p) => ({ ...p, status: 'given' })) }));
    expect(failures(await audit())).toEqual([
      { recordId: give!.recordId, failures: ['its kiosk signature does not verify over the record as kept'] },
    ]);
  });

  it('names a record without signatures, one signed by another kiosk, and one moved to a batch that does not list it', async () => {
    const [give, refuse, withdraw] = sent;
    await env.reader.tamper(`DELETE FROM consent_signatures WHERE record_id = ?`, give!.recordId);
    // Kiosk B's own registered key, over kiosk A's record.
    const foreign = signRecord(refuse!, testKioskKey('kiosk-b'));
    await env.reader.tamper(`UPDATE consent_signatures SET kiosk_jws = ? WHERE record_id = ?`, foreign, refuse!.recordId);
    await env.reader.tamper(
      `UPDATE consent_signatures SET batch_id = (SELECT batch_id FROM consent_signatures WHERE record_id = ?) WHERE record_id = ?`,
      refuse!.recordId,
      withdraw!.recordId,
    );
    expect(failures(await audit())).toEqual([
      { recordId: give!.recordId, failures: ['it carries no signatures'] },
      { recordId: refuse!.recordId, failures: ['its kiosk signature is by no key published for its signer'] },
      { recordId: withdraw!.recordId, failures: ['its kiosk signature is not the one its batch lists'] },
    ]);
  });

  it("names every record of a batch whose row was edited: another batch's countersignature, or its kiosk JWS", async () => {
    const [give, refuse, withdraw] = sent;
    const batchOf = `(SELECT batch_id FROM consent_signatures WHERE record_id = ?)`;
    await env.reader.tamper(
      `UPDATE signed_batches SET registry_jws = (SELECT registry_jws FROM signed_batches WHERE batch_id = ${batchOf}) WHERE batch_id = ${batchOf}`,
      withdraw!.recordId,
      give!.recordId,
    );
    const swapped = "its batch's registry countersignature signs something else than what is kept";
    expect(failures(await audit())).toEqual([
      { recordId: give!.recordId, failures: [swapped] },
      { recordId: refuse!.recordId, failures: [swapped] },
    ]);
    // The withdrawal's batch JWS re-signed by the kiosk's key over another list: its countersignature no longer holds.
    const relisted = signBatch(
      'kiosk-a',
      '2025-03-01T10:00:00.000Z',
      [{ recordId: withdraw!.recordId, jws: 'x' }],
      testKioskKey('kiosk-a'),
    );
    await env.reader.tamper(`UPDATE signed_batches SET kiosk_jws = ? WHERE batch_id = ${batchOf}`, relisted, withdraw!.recordId);
    expect(failures(await audit()).find((f) => f.recordId === withdraw!.recordId)?.failures).toEqual([
      "its batch's registry countersignature signs something else than what is kept",
    ]);
  });

  it("names a record signed with a key that was not valid at the record's time", async () => {
    const [give] = sent;
    // Kiosk A's next key, valid from after every record: re-signing an old record with it shows.
    const next = generateSigningKey();
    await env.store.registerKioskKey({
      kid: next.kid,
      chainId: 'chain-a',
      kioskId: 'kiosk-a',
      publicJwk: next.publicJwk,
      notBefore: '2025-03-05T00:00:00.000Z',
    });
    await env.reader.tamper(
      `UPDATE consent_signatures SET kiosk_kid = ?, kiosk_jws = ? WHERE record_id = ?`,
      next.kid,
      signRecord(give!, next),
      give!.recordId,
    );
    published = (await env.app.inject({ method: 'GET', url: '/v1/keys' })).json<KeySet>();
    expect(failures(await audit())).toEqual([
      { recordId: give!.recordId, failures: ["its kiosk signature is by a key not valid at the record's time"] },
    ]);
  });
});
