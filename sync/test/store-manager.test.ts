import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { bundledStatements } from '../consent/statements.js';
import {
  discardDeadLetter,
  exportConsentReceiptsCsv,
  importPaperLines,
  listFailed,
  queueStatus,
  recordSyncAttempt,
  retryDeadLetters,
  samplePaperLines,
} from '../manager/operations.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import type { Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { PaperLine } from '../manager/paper-import.js';
import { at, enrollmentPayload, idGenerator, PERSON, T0 } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

const statements = bundledStatements();

let dir: { dir: string; cleanup: () => void };
let store: Store;
let ids: () => string;

beforeEach(() => {
  dir = tempDir();
  store = openTestStore(join(dir.dir, 'kiosk.db'), newKey());
  ids = idGenerator(2);
});
afterEach(() => {
  store.close();
  dir.cleanup();
});

const enroll = (minutes: number) =>
  commitEnrollment(store, { payload: enrollmentPayload(ids, undefined, at(minutes)), policy: DEFAULT_POLICY }, at(minutes));

function deadLetter(keys: string[], now: Date): void {
  const outbox = new SqliteOutbox(store);
  outbox.claimDue(now, 100);
  outbox.applyResults(
    keys.map((k) => ({
      idempotencyKey: k,
      status: 'rejected' as const,
      statusCode: 422 as const,
      reason: { code: 'UNKNOWN_STATEMENT', message: 'unknown statement version' },
    })),
    now,
  );
}

/** Every purpose of the published chain statement v1, only the loyalty box ticked. */
const CHAIN = { loyalty: true, 'offers-email': false, 'offers-sms': false, 'offers-post': false, profiling: false };
const chainDecision = (purposes: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  party: 'chain',
  statementId: 'demo-retail-loyalty',
  version: '1',
  language: 'fr',
  purposes,
  ...over,
});

const line = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    chainId: 'demo-chain',
    storeId: 'store-7',
    kioskId: 'kiosk-2',
    collectedAt: '2025-03-14T10:15:00+01:00',
    person: { surname: 'Dubois', firstNames: 'Camille', language: 'fr', email: 'camille@example.org' },
    consents: [
      chainDecision(CHAIN),
      { party: 'registry', statementId: 'central-registry-profile', version: '1', language: 'fr', purposes: { 'profile-sync': false } },
    ],
    ...over,
  });

describe('queueStatus', () => {
  it('counts per state, ages the oldest pending item, and reports the last known link to the registry', () => {
    expect(queueStatus(store, T0)).toMatchObject({
      counts: { pending: 0, sending: 0, acknowledged: 0, 'dead-letter': 0, discarded: 0 },
      oldestPendingAt: undefined,
      stale: false,
      registryReachable: undefined,
      lastSuccessAt: undefined,
    });
    const a = enroll(0);
    enroll(10);
    deadLetter([a.idempotencyKey], at(20));
    enroll(30);
    recordSyncAttempt(store.db, { at: at(40), ok: true });
    recordSyncAttempt(store.db, { at: at(50), ok: false, error: 'ECONNREFUSED' });

    const status = queueStatus(store, at(60));
    // the item claimed at minute 20 but never answered is still 'sending' and counts as waiting
    expect(status.counts).toEqual({ pending: 1, sending: 1, acknowledged: 0, 'dead-letter': 1, discarded: 0 });
    expect(status.oldestPendingAt).toEqual(at(10));
    expect(status.oldestPendingAgeMs).toBe(50 * 60_000);
    expect(status).toMatchObject({
      stale: false,
      registryReachable: false,
      lastError: 'ECONNREFUSED',
      lastSuccessAt: at(40),
      lastAttemptAt: at(50),
    });
    expect(queueStatus(store, at(60 + 24 * 60)).stale).toBe(true);
  });
});

describe('failed, retry, discard', () => {
  it('lists dead-letter items with the reason and no more than initials', () => {
    const a = enroll(0);
    deadLetter([a.idempotencyKey], at(1));
    expect(listFailed(store)).toEqual([
      {
        idempotencyKey: a.idempotencyKey,
        state: 'dead-letter',
        sequence: 1,
        kind: 'enrollment',
        createdAt: T0,
        attempts: 0,
        reasonCode: 'UNKNOWN_STATEMENT',
        reason: 'unknown statement version',
        initials: 'J. P.',
      },
    ]);
    expect(JSON.stringify(listFailed(store))).not.toMatch(new RegExp(`${PERSON.surname}|Kerkstraat|example.org`));
  });

  it('retries one key or all of them, and refuses keys that are not dead-letter', () => {
    const [a, b, c] = [enroll(0), enroll(1), enroll(2)];
    deadLetter([a.idempotencyKey, b.idempotencyKey], at(3));
    expect(retryDeadLetters(store, [b.idempotencyKey], at(4))).toEqual([b.idempotencyKey]);
    expect(() => retryDeadLetters(store, [c.idempotencyKey], at(4))).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(() => retryDeadLetters(store, ['nope'], at(4))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(retryDeadLetters(store, 'all', at(5))).toEqual([a.idempotencyKey]);
    expect(new SqliteOutbox(store).claimDue(at(5), 10).map((i) => i.idempotencyKey)).toEqual([a.idempotencyKey, b.idempotencyKey]);
  });

  it('discards with the purge and leaves a receipt saying discarded', () => {
    const a = enroll(0);
    deadLetter([a.idempotencyKey], at(1));
    discardDeadLetter(store, a.idempotencyKey, at(2));
    // the row stays as the receipt, its personal data gone
    expect(store.db.prepare('SELECT state, payload FROM outbox').get()).toEqual({ state: 'discarded', payload: null });
    expect(store.db.prepare('SELECT purged_at FROM enrollments').get()).toEqual({ purged_at: at(2).toISOString() });
    expect(store.db.prepare('SELECT outcome, reason, closed_at FROM receipts').get()).toEqual({
      outcome: 'discarded',
      reason: 'UNKNOWN_STATEMENT',
      closed_at: at(2).toISOString(),
    });
    expect(store.db.prepare('SELECT count(*) AS n FROM consent_records').get()).toEqual({ n: 2 });
    expect(exportConsentReceiptsCsv(store)).toContain(',discarded,');
    expect(() => discardDeadLetter(store, a.idempotencyKey, at(3))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const pending = enroll(4);
    expect(() => discardDeadLetter(store, pending.idempotencyKey, at(5))).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});

describe('exportConsentReceiptsCsv', () => {
  it('writes one line per consent record with its sync state and the registry receipt', () => {
    const a = enroll(0);
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(at(1), 10);
    outbox.applyResults(
      [{ idempotencyKey: a.idempotencyKey, status: 'accepted', statusCode: 201, receiptId: 'R-77', receivedAt: at(2).toISOString() }],
      at(3),
    );
    enroll(4);
    const lines = exportConsentReceiptsCsv(store).split('\r\n');
    expect(lines[0]).toBe(
      'record_id,subject_ref,party,controller_id,statement_id,statement_version,language,text_sha256,event_type,event_at,method,store_id,kiosk_id,purposes,sync_state,queued_at,acknowledged_at,registry_receipt_id,registry_received_at',
    );
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(lines[1]).toContain(',chain,demo-retail,demo-retail-loyalty,1,nl,');
    expect(lines[1]).toContain(',"loyalty-account=given;offers-email=given",acknowledged,'); // ';' quoted for Belgian Excel
    expect(lines[1]).toMatch(/,R-77,2025-03-14T09:02:00\.000Z$/);
    expect(lines[4]).toMatch(/,pending,[^,]+,,,$/);
  });

  it('defuses formulas that came in through a paper import', () => {
    const report = importPaperLines(store, line({ storeId: '=HYPERLINK("http://evil.example","click")', kioskId: '@SUM(1)' }), {
      kioskId: '@SUM(1)',
      statements,
      policy: DEFAULT_POLICY,
      now: T0,
    });
    expect(report).toEqual({ queued: 1, errors: [] });
    const csv = exportConsentReceiptsCsv(store);
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",'@SUM(1),`);
    for (const cell of csv.split(/,|;|\r\n/)) expect(cell.replace(/^"/, '').trimStart()).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('importPaperLines', () => {
  it('queues good lines, reports bad ones by line number and reason, never quoting the values', () => {
    const bad = [
      '{"chainId": "demo-chain", "person": {"surname": "Secret',
      line({ consents: [chainDecision({ ...CHAIN, profiling: undefined })] }),
      line({ consents: [chainDecision({ ...CHAIN, loyalty: 'yes' })] }),
      line({ consents: [chainDecision(CHAIN, { version: '9' })] }),
      line({ person: { surname: 'Dubois', firstNames: 'Camille', language: 'fr', nationalNumber: '90010112345' } }),
      line({
        consents: [
          { party: 'registry', statementId: 'central-registry-profile', version: '1', language: 'fr', purposes: { 'profile-sync': true } },
        ],
      }),
      line({ person: { surname: 'Dubois', firstNames: 'Camille', language: 'fr', email: 'not-an-email' } }),
      line({ consents: [chainDecision({ ...CHAIN, 'offers-fax': true })] }),
      line({ collectedAt: '14/03/2025' }),
      line({ consents: [chainDecision({ 'profile-sync': true }, { statementId: 'central-registry-profile' })] }),
    ];
    const text = [line(), ...bad.slice(0, 4), '', ...bad.slice(4), `${line()}\r`].join('\n');
    const report = importPaperLines(store, text, { kioskId: 'kiosk-2', statements, policy: DEFAULT_POLICY, now: T0 });
    expect(report.queued).toBe(2);
    expect(report.errors).toEqual([
      { line: 2, reason: 'not valid JSON' },
      { line: 3, reason: 'consents.0.purposes: purpose profiling of statement demo-retail-loyalty v1 has no explicit decision' },
      { line: 4, reason: expect.stringMatching(/^consents\.0\.purposes\.loyalty: Invalid input: expected boolean/) },
      { line: 5, reason: 'consents.0: statement demo-retail-loyalty v9 fr is not published' },
      { line: 7, reason: 'person: Unrecognized key: "nationalNumber"' },
      { line: 8, reason: 'consents: no decision for party chain' },
      { line: 9, reason: expect.stringMatching(/^person\.email: /) },
      { line: 10, reason: 'consents.0.purposes: statement demo-retail-loyalty v1 has no purpose offers-fax' },
      { line: 11, reason: expect.stringMatching(/^collectedAt: /) },
      { line: 12, reason: 'consents.0: statement central-registry-profile belongs to the registry, not the chain' },
    ]);
    expect(JSON.stringify(report)).not.toMatch(/Secret|90010112345|not-an-email|Dubois/);
    expect(store.db.prepare('SELECT count(*) AS n FROM enrollments').get()).toEqual({ n: 2 });
  });

  it('refuses a kept field the statement shown does not name, naming the field and not its value', () => {
    const policy = { keep: { ...DEFAULT_POLICY.keep, birthDate: true } };
    const person = { surname: 'Dubois', firstNames: 'Camille', language: 'fr', birthDate: '1987-06-05' };
    const report = importPaperLines(store, line({ person }), { kioskId: 'kiosk-2', statements, policy, now: T0 });
    expect(report.errors).toEqual([
      { line: 1, reason: 'consents.0: statement demo-retail-loyalty v1 does not name birthDate from staff-paper' },
    ]);
  });

  it('builds paper records: staff-paper method, statement hash, explicit given and refused purposes', () => {
    importPaperLines(store, line(), { kioskId: 'kiosk-2', statements, policy: DEFAULT_POLICY, now: T0 });
    const [item] = new SqliteOutbox(store).claimDue(T0, 1);
    if (item?.kind !== 'enrollment') throw new Error('expected an enrollment');
    const { payload } = item;
    expect(payload).toMatchObject({ source: 'paper', enrolledAt: '2025-03-14T09:15:00.000Z', utcOffsetMinutes: 60 });
    expect(payload.consents).toHaveLength(2);
    const [chain, registry] = payload.consents;
    expect(chain).toMatchObject({
      subjectRef: payload.enrollmentId,
      party: 'chain',
      notice: {
        statementId: 'demo-retail-loyalty',
        version: '1',
        language: 'fr',
        textSha256: statements.find('demo-retail-loyalty', '1', 'fr').textSha256,
      },
      event: {
        at: '2025-03-14T09:15:00.000Z',
        type: 'given',
        method: 'staff-paper',
        storeId: 'store-7',
        kioskId: 'kiosk-2',
        utcOffsetMinutes: 60,
      },
      evidence: { allUncheckedAtStart: true, controlsTouched: ['paper:loyalty'] },
      validity: { reviewAt: '2027-03-14T09:15:00.000Z' },
    });
    expect(chain?.purposes.map((p) => `${p.id}=${p.status}`)).toEqual([
      'loyalty=given',
      'offers-email=refused',
      'offers-sms=refused',
      'offers-post=refused',
      'profiling=refused',
    ]);
    expect(chain?.dataCategories).toEqual([
      { id: 'surname', source: 'staff-paper' },
      { id: 'firstNames', source: 'staff-paper' },
      { id: 'language', source: 'staff-paper' },
      { id: 'email', source: 'staff-paper' },
    ]);
    expect(registry).toMatchObject({ party: 'registry', event: { type: 'refused' } });
  });
});

describe('samplePaperLines', () => {
  const options = { seed: 42, start: new Date('2025-01-06T08:00:00Z'), chainId: 'c', storeId: 's', kioskId: 'k' };

  it('is deterministic for a seed and different for another', () => {
    expect(samplePaperLines(20, statements, options)).toEqual(samplePaperLines(20, statements, options));
    expect(samplePaperLines(20, statements, { ...options, seed: 43 })).not.toEqual(samplePaperLines(20, statements, options));
  });

  it('produces lines that validate and re-import cleanly', () => {
    const lines = samplePaperLines(50, statements, options);
    for (const l of lines) expect(PaperLine.safeParse(l).success).toBe(true);
    const report = importPaperLines(store, lines.map((l) => JSON.stringify(l)).join('\n'), {
      kioskId: 'k',
      statements,
      policy: DEFAULT_POLICY,
      now: T0,
    });
    expect(report).toEqual({ queued: 50, errors: [] });
    expect(new SqliteOutbox(store).unsentCount()).toBe(50);
  });
});
