// The audit a regulator could run on a chain's records (issue 16): every stored record re-verified
// from what is kept, never from what the registry believes. A record passes when its kept JSON is a
// consent record agreeing with its own columns; it names a published statement (id, version,
// language) whose text hash, party, controller, purposes and their legal bases it repeats; its
// purposes' statuses fit its event; a withdrawal withdraws at least one purpose that an earlier
// record of the same person, party and chain gave; and its signatures hold against the published
// keys: the kiosk's JWS over the record exactly as kept, by a key of that kiosk valid at the
// record's time, then the registry's countersignature over that JWS.
import type { JwsFailure } from '../../sync/proof/jws.js';
import type { KeySet } from '../../sync/proof/key-set.js';
import { verifyCountersignature, verifyRecord } from '../../sync/proof/signatures.js';
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import { ItemRejection } from '../errors.js';
import { checkPublishedNotice, type PublishedStatements } from '../published-notices.js';
import type { StoredProofRow } from '../storage/proof-records.js';
import { readRecord } from './proof-record.js';

export interface Verdict {
  row: StoredProofRow;
  /** Empty when the record verifies. */
  failures: string[];
}

export interface AuditReport {
  verdicts: Verdict[];
  failed: number;
}

export function auditRows(rows: readonly StoredProofRow[], statements: PublishedStatements, keys: KeySet): AuditReport {
  const read = rows.map((row) => ({ row, read: readRecord(row) }));
  const gives = givesOf(read.flatMap(({ row, read: r }) => (r.ok ? [{ row, record: r.record }] : [])));
  const verdicts = read.map(({ row, read: r }) => ({
    row,
    failures: r.ok
      ? [
          ...columnFailures(row, r.record),
          ...noticeFailures(r.record, statements),
          ...eventFailures(r.record),
          ...withdrawalFailures(row, r.record, gives),
          ...signatureFailures(row, r.record, keys),
        ]
      : [r.reason],
  }));
  return { verdicts, failed: verdicts.filter((v) => v.failures.length > 0).length };
}

/** The columns the registry finds records by must say what the kept record says. */
function columnFailures(row: StoredProofRow, r: ConsentRecord): string[] {
  const pairs: Array<[string, string, string]> = [
    ['record id', row.recordId, r.recordId],
    ['subject', row.subjectRef, r.subjectRef],
    ['party', row.party, r.party],
    ['event type', row.eventType, r.event.type],
    ['event time', row.eventAt, r.event.at],
    ['kiosk', row.kioskId, r.event.kioskId],
  ];
  return pairs.filter(([, column, kept]) => column !== kept).map(([what]) => `its ${what} differs from the row's`);
}

function noticeFailures(r: ConsentRecord, statements: PublishedStatements): string[] {
  try {
    checkPublishedNotice(statements, r);
  } catch (e) {
    if (e instanceof ItemRejection) return [e.message];
    throw e;
  }
  const statement = statements.get(r.notice.statementId, r.notice.version, r.notice.language);
  if (!statement) return [];
  const failures: string[] = [];
  const c = statement.controller;
  if (r.controller.id !== c.id || r.controller.name !== c.name || r.controller.contact !== c.contact)
    failures.push(`its controller is not that of statement ${statement.id} v${statement.version}`);
  for (const p of r.purposes) {
    const basis = statement.purposes.find((s) => s.id === p.id)?.legalBasis;
    if (basis !== p.legalBasis)
      failures.push(`purpose ${p.id} states another legal basis than statement ${statement.id} v${statement.version}`);
  }
  if (new Set(r.purposes.map((p) => p.id)).size !== r.purposes.length) failures.push('a purpose is listed twice');
  return failures;
}

/** A give or renewal gives something, a refusal refuses everything, a withdrawal withdraws something. */
function eventFailures(r: ConsentRecord): string[] {
  const statuses = new Set(r.purposes.map((p) => p.status));
  switch (r.event.type) {
    case 'given':
    case 'renewed':
      return statuses.has('given') && !statuses.has('withdrawn') ? [] : [`a ${r.event.type} record must give a purpose and withdraw none`];
    case 'refused':
      return [...statuses].every((s) => s === 'refused') ? [] : ['a refusal may only refuse'];
    case 'withdrawn':
      return statuses.has('withdrawn') ? [] : ['a withdrawal names no purpose it withdraws'];
  }
}

const giveKey = (row: StoredProofRow, r: ConsentRecord, purposeId: string): string =>
  `${row.profileId}\u0000${r.party}\u0000${row.chainId}\u0000${purposeId}`;

/** The earliest give (kiosk clock, ms) of each purpose per person, party and chain. */
function givesOf(records: ReadonlyArray<{ row: StoredProofRow; record: ConsentRecord }>): Map<string, number> {
  const gives = new Map<string, number>();
  for (const { row, record } of records)
    for (const p of record.purposes) {
      if (p.status !== 'given') continue;
      const key = giveKey(row, record, p.id);
      gives.set(key, Math.min(gives.get(key) ?? Infinity, Date.parse(record.event.at)));
    }
  return gives;
}

function withdrawalFailures(row: StoredProofRow, r: ConsentRecord, gives: ReadonlyMap<string, number>): string[] {
  const at = Date.parse(r.event.at);
  return r.purposes
    .filter((p) => p.status === 'withdrawn')
    .filter((p) => (gives.get(giveKey(row, r, p.id)) ?? Infinity) > at)
    .map((p) => `it withdraws purpose ${p.id}, which no earlier record of this person gave`);
}

const SIGNATURE_FAILURES: Record<JwsFailure, string> = {
  MALFORMED: 'is not a signature of ours',
  WRONG_TYPE: 'is a signature of another kind',
  UNKNOWN_KEY: 'is by no key published for its signer',
  KEY_NOT_VALID: "is by a key not valid at the record's time",
  BAD_SIGNATURE: 'does not verify',
  PAYLOAD_MISMATCH: 'signs something else than what is kept',
};

function signatureFailures(row: StoredProofRow, r: ConsentRecord, keys: KeySet): string[] {
  const s = row.signatures;
  if (s === null) return ['it carries no signatures'];
  // The key must have been valid at the record's own (kiosk) time: a key retired, or stolen after, dates nothing later.
  const kiosk = verifyRecord(s.kioskJws, r, keys, {
    at: r.event.at,
    accept: (k) => k.owner === 'kiosk' && k.kioskId === r.event.kioskId && (k.chainId === undefined || k.chainId === row.chainId),
  });
  if (!kiosk.ok) return [`its kiosk signature ${SIGNATURE_FAILURES[kiosk.failure]}`];
  const counter = verifyCountersignature(s.registryJws, r.recordId, s.kioskJws, keys);
  if (!counter.ok) return [`its registry countersignature ${SIGNATURE_FAILURES[counter.failure]}`];
  return kiosk.key.kid === s.kioskKid && counter.key.kid === s.registryKid
    ? []
    : ['its signatures name other keys than those that made them'];
}

/** One line per record, then the summary: ids, parties, events and times only (no personal data). */
export function auditText(chainId: string, report: AuditReport): string {
  const lines = report.verdicts.map(({ row, failures }) => {
    const head = `${failures.length === 0 ? 'ok  ' : 'FAIL'}  seq ${row.seq}  ${row.recordId}  ${row.party}  ${row.eventType}  ${row.eventAt}  ${row.kioskId}`;
    return failures.length === 0 ? head : `${head}: ${failures.join('; ')}`;
  });
  const total = report.verdicts.length;
  lines.push(`${total} record${total === 1 ? '' : 's'} of ${chainId}: ${total - report.failed} verified, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}
