// The audit a regulator could run on a chain's records (issue 16): every stored record re-verified
// from what is kept, never from what the registry believes. A record passes when its kept JSON is a
// consent record agreeing with its own columns; it names a published statement (id, version,
// language) whose text hash, party, controller, purposes and their legal bases it repeats; its
// purposes' statuses fit its event; a withdrawal names the records it reverses, each of this chain,
// person and party, made before it, which gave every purpose it withdraws (one kept from before
// withdrawals named them: an earlier record of the same person, party and chain gave each); and
// its signatures hold against the published
// keys: the kiosk's JWS over the record exactly as kept, by a key of that kiosk valid at the
// record's time (or the registry's, for the withdrawals it writes itself), then the registry's
// countersignature over that JWS.
import { keyValidAt, type JwsFailure } from '../../sync/proof/jws.js';
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
  /** What a verified record's verdict line adds (a record signed when sent, after it was made). */
  notes: string[];
}

export interface AuditReport {
  verdicts: Verdict[];
  failed: number;
}

export function auditRows(rows: readonly StoredProofRow[], statements: PublishedStatements, keys: KeySet): AuditReport {
  const read = rows.map((row) => ({ row, read: readRecord(row) }));
  const chain = chainOf(read.flatMap(({ row, read: r }) => (r.ok ? [{ row, record: r.record }] : [])));
  const verdicts = read.map(({ row, read: r }): Verdict => {
    if (!r.ok) return { row, failures: [r.reason], notes: [] };
    const signatures = signatureCheck(row, r.record, keys);
    const withdrawal = withdrawalCheck(row, r.record, chain);
    return {
      row,
      failures: [
        ...columnFailures(row, r.record),
        ...noticeFailures(r.record, statements),
        ...eventFailures(r.record),
        ...withdrawal.failures,
        ...signatures.failures,
      ],
      notes: [...withdrawal.notes, ...signatures.notes],
    };
  });
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

interface Kept {
  row: StoredProofRow;
  record: ConsentRecord;
}

/** The chain's readable records by id, and the earliest give (kiosk clock, ms) of each purpose per person, party and chain. */
interface ChainRecords {
  byId: ReadonlyMap<string, Kept>;
  gives: ReadonlyMap<string, number>;
}

const giveKey = (row: StoredProofRow, r: ConsentRecord, purposeId: string): string =>
  `${row.profileId}\u0000${r.party}\u0000${row.chainId}\u0000${purposeId}`;

function chainOf(records: readonly Kept[]): ChainRecords {
  const gives = new Map<string, number>();
  for (const { row, record } of records)
    for (const p of record.purposes) {
      if (p.status !== 'given') continue;
      const key = giveKey(row, record, p.id);
      gives.set(key, Math.min(gives.get(key) ?? Infinity, Date.parse(record.event.at)));
    }
  return { byId: new Map(records.map((k) => [k.record.recordId, k])), gives };
}

const withdrawnBy = (r: ConsentRecord): string[] => r.purposes.filter((p) => p.status === 'withdrawn').map((p) => p.id);

/**
 * A withdrawal reverses the records it names: each kept in this chain, the same person's and
 * party's, made before it (kiosk clocks), and together they gave every purpose it withdraws, each
 * giving one of them. One that names none was kept before withdrawals named them: it passes, with
 * a note, if an earlier record of the same person, party and chain gave each purpose it withdraws.
 */
function withdrawalCheck(row: StoredProofRow, r: ConsentRecord, chain: ChainRecords): { failures: string[]; notes: string[] } {
  if (r.event.type !== 'withdrawn') return { failures: [], notes: [] };
  const at = Date.parse(r.event.at);
  const withdrawn = withdrawnBy(r);
  if (r.event.withdraws === undefined) {
    const failures = withdrawn
      .filter((id) => (chain.gives.get(giveKey(row, r, id)) ?? Infinity) > at)
      .map((id) => `it withdraws purpose ${id}, which no earlier record of this person gave`);
    return { failures, notes: failures.length === 0 ? ['names no record: made before withdrawals named them'] : [] };
  }
  const failures: string[] = [];
  const given = new Set<string>();
  for (const id of r.event.withdraws) {
    const named = chain.byId.get(id);
    const gave = named?.record.purposes.filter((p) => p.status === 'given' && withdrawn.includes(p.id)).map((p) => p.id) ?? [];
    const failure = namedFailure(row, r, named, gave);
    if (failure === undefined) gave.forEach((p) => given.add(p));
    else failures.push(`it names record ${id}, ${failure}`);
  }
  failures.push(...withdrawn.filter((p) => !given.has(p)).map((p) => `it withdraws purpose ${p}, which no record it names gave`));
  return { failures, notes: [] };
}

/** Why a record a withdrawal names is not one it can reverse (`gave`: those of its purposes it gave); undefined when it is. */
function namedFailure(row: StoredProofRow, r: ConsentRecord, named: Kept | undefined, gave: readonly string[]): string | undefined {
  if (!named) return 'which this chain does not hold';
  if (named.row.profileId !== row.profileId) return "another person's";
  if (named.record.party !== r.party) return "another party's";
  if (Date.parse(named.record.event.at) > Date.parse(r.event.at)) return 'made after it';
  if (gave.length === 0) return 'which gave none of the purposes it withdraws';
  return undefined;
}

const SIGNATURE_FAILURES: Record<JwsFailure, string> = {
  MALFORMED: 'is not a signature of ours',
  WRONG_TYPE: 'is a signature of another kind',
  UNKNOWN_KEY: 'is by no key published for its signer',
  KEY_NOT_VALID: "is by a key not valid at the record's time",
  BAD_SIGNATURE: 'does not verify',
  PAYLOAD_MISMATCH: 'signs something else than what is kept',
};

/**
 * The record's own signature, then the registry's countersignature over it. A record's signer is its
 * recorder: the kiosk it names, by a key of that kiosk (and chain) valid at the record's time; or,
 * for a withdrawal the registry wrote itself (`event.recordedBy`), the registry, by a key valid when
 * it countersigned. A kiosk's record signed by the registry's key fails: its key must be the kiosk's.
 */
function signatureCheck(row: StoredProofRow, r: ConsentRecord, keys: KeySet): { failures: string[]; notes: string[] } {
  const failed = (...failures: string[]) => ({ failures, notes: [] });
  const s = row.signatures;
  if (s === null) return failed('it carries no signatures');
  const own = r.event.recordedBy === 'registry';
  if (own && r.event.type !== 'withdrawn') return failed('the registry records only withdrawals as its own');
  const signer = own ? "its registry's record signature" : 'its kiosk signature';
  const record = verifyRecord(s.kioskJws, r, keys, {
    accept: own
      ? (k) => k.owner === 'registry'
      : (k) => k.owner === 'kiosk' && k.kioskId === r.event.kioskId && (k.chainId === undefined || k.chainId === row.chainId),
  });
  if (!record.ok) return failed(`${signer} ${SIGNATURE_FAILURES[record.failure]}`);
  const counter = verifyCountersignature(s.registryJws, r.recordId, s.kioskJws, keys);
  const notes: string[] = [];
  // The key must have been valid when it signed: a key retired, or stolen after, dates nothing later.
  if (own) {
    if (counter.ok && !keyValidAt(record.key, counter.value.receivedAt))
      return failed(`${signer} is by a key not valid when the registry signed it`);
  } else if (!keyValidAt(record.key, r.event.at)) {
    // A record made before its kiosk had a key (an upgraded kiosk's unsent item) was signed when it
    // was sent: the key was valid when the registry received it. A kiosk clock set back before its
    // key was made looks the same, and is noted the same.
    const late = counter.ok && Date.parse(r.event.at) / 1000 < record.key.nbf && keyValidAt(record.key, counter.value.receivedAt);
    if (!late) return failed(`${signer} ${SIGNATURE_FAILURES.KEY_NOT_VALID}`);
    notes.push('signed when sent: the record predates its kiosk key');
  }
  if (!counter.ok) return failed(`its registry countersignature ${SIGNATURE_FAILURES[counter.failure]}`);
  if (record.key.kid !== s.kioskKid || counter.key.kid !== s.registryKid)
    return failed('its signatures name other keys than those that made them');
  return { failures: [], notes };
}

/** One line per record, then the summary: ids, parties, events and times only (no personal data). */
export function auditText(chainId: string, report: AuditReport): string {
  const lines = report.verdicts.map(({ row, failures, notes }) => {
    const head = `${failures.length === 0 ? 'ok  ' : 'FAIL'}  seq ${row.seq}  ${row.recordId}  ${row.party}  ${row.eventType}  ${row.eventAt}  ${row.kioskId}`;
    return failures.length === 0 ? (notes.length === 0 ? head : `${head} (${notes.join('; ')})`) : `${head}: ${failures.join('; ')}`;
  });
  const total = report.verdicts.length;
  lines.push(`${total} record${total === 1 ? '' : 's'} of ${chainId}: ${total - report.failed} verified, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}
