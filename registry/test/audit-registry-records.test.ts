// The records the registry writes itself (issue #16): a withdrawal at its desk (/v1/consents/withdraw),
// the withdrawals an erasure writes, a registry withdrawal carried to the other chains. Each says so
// (event.recordedBy) and is signed by the registry's key, then countersigned; the audit verifies them
// on SQLite and PostgreSQL, accepts the registry's key only for them, and names one edited afterwards.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countersign, signRecord } from '../../sync/proof/signatures.js';
import type { KeySet } from '../../sync/proof/key-set.js';
import type { SigningKey } from '../../sync/proof/ed25519.js';
import { consentEventItem, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { signed } from '../../sync/test/fixtures/kiosk-keys.js';
import type { ConsentRecord, Person } from '../../sync/wire/schemas.js';
import { auditRows, auditText, type AuditReport } from '../proof/audit.js';
import { registryWithdrawal, statementRecord } from '../proof/fixtures/records.js';
import { countersignatureOf } from '../proof/proof-record.js';
import { RegistrySigningKeys } from '../signing-keys.js';
import { ENGINES, postBatch, postJson, send, twoChains, type Kiosk, type TestEnv } from './fixtures/registry-app.js';

const BORN = '1980-05-17';
const JAN: Partial<Person> = { surname: 'Peeters', firstNames: 'Jan', birthDate: undefined };
const WHO = { surname: 'PEETERS', firstNames: 'jan', birthDate: BORN };

describe.each(ENGINES)("the registry's own records on %s", (engine) => {
  let env: TestEnv, a: Kiosk, b: Kiosk;

  /** An eID enrollment at `kiosk` giving the chain's first purpose and the registry's, as the published statements word them. */
  const enrol = async (kiosk: Kiosk): Promise<{ subjectRef: string; chain: ConsentRecord; registry: ConsentRecord }> => {
    const item = enrollmentItem(kiosk, { registry: 'given', person: JAN, registryMatch: { birthDate: BORN } });
    const subjectRef = item.payload.enrollmentId;
    const [chain, registry] = (['chain', 'registry'] as const).map((party) => statementRecord({ party, type: 'given', kiosk, subjectRef }));
    await send(env, kiosk, signed({ ...item, payload: { ...item.payload, consents: [chain!, registry!] } }));
    return { subjectRef, chain: chain!, registry: registry! };
  };
  /** The gives of the enrollments at A and at B. */
  let atA: Awaited<ReturnType<typeof enrol>>, atB: Awaited<ReturnType<typeof enrol>>;

  beforeEach(async () => {
    ({ env, a, b } = await twoChains(engine));
    atA = await enrol(a);
    atB = await enrol(b);
    // At chain A's desk: the chain's first purpose withdrawn (a chain withdrawal needs no one-time code).
    const chainPurpose = statementRecord({ party: 'chain', type: 'given', kiosk: a }).purposes[0]!.id;
    const desk = { ...WHO, party: 'chain', purposes: [chainPurpose], method: 'kiosk-eid', utcOffsetMinutes: 60 };
    expect((await postJson(env, a, '/v1/consents/withdraw', desk)).statusCode).toBe(200);
    // Kiosk A queues a registry withdrawal: the registry carries it to chain B's give.
    await send(env, a, consentEventItem(a, registryWithdrawal(a, atA)));
    // At chain B: erasure, which withdraws what is still given there (B's chain purpose).
    expect((await postJson(env, b, '/v1/subject/erase', WHO)).statusCode).toBe(200);
  });
  afterEach(async () => env.dispose());

  const published = async (): Promise<KeySet> => (await env.app.inject({ method: 'GET', url: '/v1/keys' })).json<KeySet>();
  const audit = async (chainId: string): Promise<AuditReport> =>
    auditRows(await env.store.proofRows(chainId, null), env.store.rules.statements, await published());
  const failures = (report: AuditReport) =>
    report.verdicts.filter((v) => v.failures.length > 0).map((v) => ({ recordId: v.row.recordId, failures: v.failures }));
  const recordsOf = async (chainId: string): Promise<ConsentRecord[]> =>
    (await env.store.proofRows(chainId, null)).map((r) => JSON.parse(r.recordJson) as ConsentRecord);
  const ownOf = async (chainId: string): Promise<ConsentRecord[]> =>
    (await recordsOf(chainId)).filter((r) => r.event.recordedBy === 'registry');
  const registryKey = (): Promise<SigningKey> => new RegistrySigningKeys(env.store).current(env.now());
  /** Replaces a stored record and its signatures, as someone holding the registry's key could. */
  const replace = async (record: ConsentRecord, signer: SigningKey, key: SigningKey): Promise<void> => {
    const jws = signRecord(record, signer);
    await env.reader.tamper(`UPDATE consent_records SET record_json = ? WHERE record_id = ?`, JSON.stringify(record), record.recordId);
    await env.reader.tamper(
      `UPDATE consent_signatures SET kiosk_kid = ?, kiosk_jws = ?, batch_id = NULL, registry_kid = ?, registry_jws = ? WHERE record_id = ?`,
      signer.kid,
      jws,
      key.kid,
      countersign(record.recordId, jws, env.now().toISOString(), key),
      record.recordId,
    );
  };

  it('signs the desk withdrawal, the erasure and the carried withdrawal with its key, and the audit verifies every record', async () => {
    const key = await registryKey();
    const ownA = await ownOf('chain-a');
    const ownB = await ownOf('chain-b');
    // A: the desk withdrawal. B: the withdrawal carried from A's kiosk, then the erasure's.
    expect(ownA.map((r) => [r.party, r.evidence.controlsTouched])).toEqual([['chain', [`withdraw:${ownA[0]?.purposes[0]?.id}`]]]);
    expect(ownB.map((r) => [r.party, r.event.kioskId])).toEqual([
      ['registry', 'kiosk-a'],
      ['chain', 'kiosk-b'],
    ]);
    expect(ownB[1]?.evidence.controlsTouched).toEqual(['erase']);
    const rows = [...(await env.store.proofRows('chain-a', null)), ...(await env.store.proofRows('chain-b', null))];
    for (const row of rows) {
      const own = (JSON.parse(row.recordJson) as ConsentRecord).event.recordedBy === 'registry';
      expect(row.signatures?.kioskKid === key.kid).toBe(own);
      expect(countersignatureOf(row.signatures!).kid).toBe(key.kid);
    }
    for (const chain of ['chain-a', 'chain-b']) {
      const report = await audit(chain);
      expect(failures(report)).toEqual([]);
      expect(auditText(chain, report)).toMatch(/: 4 verified, 0 failed\n$/);
    }
  });

  it('names in each of its own withdrawals the records it reverses, in their chain', async () => {
    const [desk] = await ownOf('chain-a');
    const [carried, erasure] = await ownOf('chain-b');
    expect(desk?.event.withdraws).toEqual([atA.chain.recordId]);
    expect(carried?.event.withdraws).toEqual([atB.registry.recordId]);
    expect(erasure?.event.withdraws).toEqual([atB.chain.recordId]);
    for (const chain of ['chain-a', 'chain-b']) expect((await audit(chain)).verdicts.flatMap((v) => v.notes)).toEqual([]);
  });

  it('names its own record edited afterwards, a kiosk record signed by its key, and a give claimed as its own', async () => {
    const key = await registryKey();
    const [desk] = await ownOf('chain-a');
    const [give] = (await recordsOf('chain-a')).filter((r) => r.event.type === 'given' && r.party === 'chain');
    const [, erasure] = await ownOf('chain-b');
    // Behind the registry's back: one more purpose "withdrawn at the desk" in the kept JSON.
    await env.reader.tamper(
      `UPDATE consent_records SET record_json = ? WHERE record_id = ?`,
      JSON.stringify({ ...desk!, evidence: { ...desk!.evidence, controlsTouched: ['withdraw:everything'] } }),
      desk!.recordId,
    );
    // With the registry's key: a kiosk's give re-signed, and B's erasure turned into a give "by the registry".
    await replace(give!, key, key);
    const { withdraws: _named, ...erasureEvent } = erasure!.event;
    await replace(
      { ...erasure!, event: { ...erasureEvent, type: 'given' }, purposes: erasure!.purposes.map((p) => ({ ...p, status: 'given' })) },
      key,
      key,
    );
    await env.reader.tamper(`UPDATE consent_records SET event_type = 'given' WHERE record_id = ?`, erasure!.recordId);

    expect(failures(await audit('chain-a'))).toEqual([
      { recordId: give!.recordId, failures: ['its kiosk signature is by no key published for its signer'] },
      { recordId: desk!.recordId, failures: ["its registry's record signature signs something else than what is kept"] },
    ]);
    expect(failures(await audit('chain-b'))).toEqual([
      { recordId: erasure!.recordId, failures: ['the registry records only withdrawals as its own'] },
    ]);
  });

  it("refuses a kiosk's item whose record claims to be the registry's", async () => {
    const own = {
      ...statementRecord({ party: 'chain', type: 'given', kiosk: a }),
      subjectRef: (await recordsOf('chain-a'))[0]!.subjectRef,
    };
    const item = consentEventItem(a, { ...own, event: { ...own.event, type: 'withdrawn', recordedBy: 'registry' } });
    const [result] = (await postBatch(env, a, [item])).json<{ results: Array<{ reason?: { code: string } }> }>().results;
    expect(result?.reason?.code).toBe('INVALID_ITEM');
  });
});
