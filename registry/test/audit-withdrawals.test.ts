// The withdrawal chain in the audit (registry/proof/audit.ts), on SQLite and PostgreSQL: each
// withdrawal names the records it reverses (event.withdraws, inside what the kiosk signs), and the
// audit checks that each is of this chain, person and party, made before it, and gave what it
// withdraws. The registry takes the names as data: a kiosk that names the wrong record is accepted,
// signed as sent, and the audit names it; so does a name changed in the database afterwards.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeySet } from '../../sync/proof/key-set.js';
import { signed } from '../../sync/test/fixtures/kiosk-keys.js';
import { consentEventItem, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import { auditRows, auditText, type AuditReport, type Verdict } from '../proof/audit.js';
import { statementRecord, type RecordOptions } from '../proof/fixtures/records.js';
import { ENGINES, send, testEnv, type Kiosk, type TestEnv } from './fixtures/registry-app.js';

const GIVEN_AT = '2025-03-01T09:00:00.000Z';
const WITHDRAWN_AT = '2025-03-02T09:00:00.000Z';
const MARIE = { surname: 'Janssens', firstNames: 'Marie', email: 'marie@example.be', birthDate: '1975-01-01' };

describe.each(ENGINES)('the withdrawal chain in the audit on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  /** Émile's enrollment: the chain's first purpose (loyalty) given, the registry refused. */
  let emile: string;
  let give: ConsentRecord, refusal: ConsentRecord;
  /** Marie's give at the same chain: another person's record. */
  let hers: ConsentRecord;

  const enrol = async (person: object | undefined, parties: ReadonlyArray<RecordOptions['party']>): Promise<ConsentRecord[]> => {
    const item = enrollmentItem(a, person ? { person } : {});
    const subjectRef = item.payload.enrollmentId;
    const consents = parties.map((party, i) =>
      statementRecord({ party, type: i === 0 ? 'given' : 'refused', kiosk: a, subjectRef, at: GIVEN_AT }),
    );
    await send(env, a, signed({ ...item, payload: { ...item.payload, consents } }));
    return consents;
  };

  beforeEach(async () => {
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a', 'chain-a');
    [give, refusal] = (await enrol(undefined, ['chain', 'registry'])) as [ConsentRecord, ConsentRecord];
    emile = give.subjectRef;
    [hers] = (await enrol(MARIE, ['chain'])) as [ConsentRecord];
  });
  afterEach(async () => env.dispose());

  /** Émile's chain withdrawal, sent as his kiosk signs it. */
  const withdraw = async (withdraws: string[] | undefined, o: Partial<RecordOptions> = {}): Promise<ConsentRecord> => {
    const w = statementRecord({
      party: 'chain',
      type: 'withdrawn',
      kiosk: a,
      subjectRef: emile,
      at: WITHDRAWN_AT,
      ...(withdraws ? { withdraws } : {}),
      ...o,
    });
    await send(env, a, consentEventItem(a, w));
    return w;
  };
  const audit = async (): Promise<AuditReport> =>
    auditRows(
      await env.store.proofRows('chain-a', null),
      env.store.rules.statements,
      (await env.app.inject({ method: 'GET', url: '/v1/keys' })).json<KeySet>(),
    );
  const verdictOf = async (r: ConsentRecord): Promise<Pick<Verdict, 'failures' | 'notes'>> => {
    const v = (await audit()).verdicts.find((x) => x.row.recordId === r.recordId)!;
    return { failures: v.failures, notes: v.notes };
  };

  it('verifies a withdrawal naming the record that gave what it withdraws', async () => {
    const w = await withdraw([give.recordId]);
    expect(await verdictOf(w)).toEqual({ failures: [], notes: [] });
    expect(auditText('chain-a', await audit())).toMatch(/\n4 records of chain-a: 4 verified, 0 failed\n$/);
  });

  it('passes a withdrawal kept from before withdrawals named what they withdraw, with a note, only if an earlier record gave it', async () => {
    const old = await withdraw(undefined);
    const note = 'names no record: made before withdrawals named them';
    expect(await verdictOf(old)).toEqual({ failures: [], notes: [note] });
    expect(auditText('chain-a', await audit())).toContain(`${old.recordId}  chain  withdrawn  ${WITHDRAWN_AT}  kiosk-a (${note})`);
    const before = await withdraw(undefined, { at: '2025-02-01T09:00:00.000Z' });
    expect(await verdictOf(before)).toEqual({
      failures: ['it withdraws purpose loyalty, which no earlier record of this person gave'],
      notes: [],
    });
  });

  it('names a withdrawal naming a record missing, of another person or party, made later, or that gave none of it', async () => {
    const unknown = randomUUID();
    const notGiven = 'it withdraws purpose loyalty, which no record it names gave';
    expect((await verdictOf(await withdraw([unknown]))).failures).toEqual([
      `it names record ${unknown}, which this chain does not hold`,
      notGiven,
    ]);
    expect((await verdictOf(await withdraw([hers.recordId]))).failures).toEqual([
      `it names record ${hers.recordId}, another person's`,
      notGiven,
    ]);
    expect((await verdictOf(await withdraw([refusal.recordId]))).failures).toEqual([
      `it names record ${refusal.recordId}, another party's`,
      notGiven,
    ]);
    // A give of his made after the withdrawal (by the kiosks' clocks): not what it reversed.
    const renewal = statementRecord({ party: 'chain', type: 'given', kiosk: a, subjectRef: emile, at: '2025-03-05T09:00:00.000Z' });
    await send(env, a, consentEventItem(a, renewal));
    expect((await verdictOf(await withdraw([renewal.recordId]))).failures).toEqual([
      `it names record ${renewal.recordId}, made after it`,
      notGiven,
    ]);
    // His give gave loyalty, not offers by e-mail (it refused those).
    expect((await verdictOf(await withdraw([give.recordId], { withdraw: ['offers-email'] }))).failures).toEqual([
      `it names record ${give.recordId}, which gave none of the purposes it withdraws`,
      'it withdraws purpose offers-email, which no record it names gave',
    ]);
    // One right name and one wrong: only the wrong one is said.
    expect((await verdictOf(await withdraw([give.recordId, unknown]))).failures).toEqual([
      `it names record ${unknown}, which this chain does not hold`,
    ]);
  });

  it('names a withdrawal whose names were changed in the database behind the registry’s back', async () => {
    const w = await withdraw([give.recordId]);
    const changed = await env.reader.tamper(
      `UPDATE consent_records SET record_json = ? WHERE record_id = ?`,
      JSON.stringify({ ...w, event: { ...w.event, withdraws: [hers.recordId] } }),
      w.recordId,
    );
    expect(changed).toBe(1);
    const report = await audit();
    expect(report.verdicts.filter((v) => v.failures.length > 0).map((v) => [v.row.recordId, v.failures])).toEqual([
      [
        w.recordId,
        [
          `it names record ${hers.recordId}, another person's`,
          'it withdraws purpose loyalty, which no record it names gave',
          'its kiosk signature does not verify over the record as kept',
        ],
      ],
    ]);
    expect(auditText('chain-a', report)).toMatch(new RegExp(`FAIL  seq \\d+  ${w.recordId}  chain  withdrawn .*another person's`));

    // Its names dropped, as if it were kept from before: the signature still tells.
    await env.reader.tamper(
      `UPDATE consent_records SET record_json = ? WHERE record_id = ?`,
      JSON.stringify({ ...w, event: { ...w.event, withdraws: undefined } }),
      w.recordId,
    );
    expect(await verdictOf(w)).toEqual({
      failures: ['its kiosk signature does not verify over the record as kept'],
      notes: ['names no record: made before withdrawals named them'],
    });
  });
});
