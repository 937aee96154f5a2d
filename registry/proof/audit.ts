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
// countersignature: over the signed batch that brought the record (the batch's JWS by a key of the
// same kiosk, listing this record's JWS by its hash; each batch checked once), or over the record's
// own JWS for a record countersigned alone (the registry's own, and rows from before batches).
import { keyValidAt, type JwsFailure } from '../../sync/proof/jws.js';
import type { KeySet } from '../../sync/proof/key-set.js';
import { verifyBatch, verifyBatchCountersignature } from '../../sync/proof/batch-signature.js';
import { sha256Hex } from '../../sync/proof/ed25519.js';
import { verifyCountersignature, verifyRecord } from '../../sync/proof/signatures.js';
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import { ItemRejection } from '../errors.js';
import { checkPublishedNotice, type PublishedStatements } from '../published-notices.js';
import type { SignedBatchRow } from '../storage/consent-signatures.js';
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
  const batches = new Map<string, BatchVerdict>();
  const verdicts = read.map(({ row, read: r }): Verdict => {
    if (!r.ok) return { row, failures: [r.reason], notes: [] };
    const signatures = signatureCheck(row, r.record, keys, batches);
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
 * The record's own signature, then the registry's countersignature that stands for it. A record's
 * signer is its recorder: the kiosk it names, by a key of that kiosk (and chain) valid at the
 * record's time; or, for a withdrawal the registry wrote itself (`event.recordedBy`), the registry,
 * by a key valid when it countersigned. A kiosk's record signed by the registry's key fails: its key
 * must be the kiosk's.
 */
function signatureCheck(
  row: StoredProofRow,
  r: ConsentRecord,
  keys: KeySet,
  batches: Map<string, BatchVerdict>,
): { failures: string[]; notes: string[] } {
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
  // A record of a signed batch keeps its JWS detached, put back over the record as kept: an edited record then fails the signature itself.
  if (!record.ok)
    return failed(
      `${signer} ${record.failure === 'BAD_SIGNATURE' ? 'does not verify over the record as kept' : SIGNATURE_FAILURES[record.failure]}`,
    );
  const counter = countersignatureCheck(s, r, keys, batches);
  const notes: string[] = [];
  // The key must have been valid when it signed: a key retired, or stolen after, dates nothing later.
  if (own) {
    if (counter.ok && !keyValidAt(record.key, counter.receivedAt))
      return failed(`${signer} is by a key not valid when the registry signed it`);
  } else if (!keyValidAt(record.key, r.event.at)) {
    // A record made before its kiosk had a key (an upgraded kiosk's unsent item) was signed when it
    // was sent: the key was valid when the registry received it. A kiosk clock set back before its
    // key was made looks the same, and is noted the same.
    const late = counter.ok && Date.parse(r.event.at) / 1000 < record.key.nbf && keyValidAt(record.key, counter.receivedAt);
    if (!late) return failed(`${signer} ${SIGNATURE_FAILURES.KEY_NOT_VALID}`);
    notes.push('signed when sent: the record predates its kiosk key');
  }
  if (!counter.ok) return failed(counter.failure);
  if (record.key.kid !== s.kioskKid || !counter.kidsKept) return failed('its signatures name other keys than those that made them');
  return { failures: [], notes };
}

type CountersignatureCheck = { ok: true; receivedAt: string; kidsKept: boolean } | { ok: false; failure: string };

/** The countersignature over the record's batch, which must list this record's JWS, or over the record's own JWS. */
function countersignatureCheck(
  s: NonNullable<StoredProofRow['signatures']>,
  r: ConsentRecord,
  keys: KeySet,
  batches: Map<string, BatchVerdict>,
): CountersignatureCheck {
  if (s.batch === null) {
    const counter = verifyCountersignature(s.registryJws ?? '', r.recordId, s.kioskJws, keys);
    if (!counter.ok) return { ok: false, failure: `its registry countersignature ${SIGNATURE_FAILURES[counter.failure]}` };
    return { ok: true, receivedAt: counter.value.receivedAt, kidsKept: counter.key.kid === s.registryKid };
  }
  let batch = batches.get(s.batch.batchId);
  if (!batch) batches.set(s.batch.batchId, (batch = batchVerdict(s.batch, keys)));
  if (!batch.ok) return batch;
  if (r.event.recordedBy !== undefined || r.event.kioskId !== s.batch.kioskId)
    return { ok: false, failure: "its batch is another kiosk's" };
  if (batch.listed.get(r.recordId) !== sha256Hex(s.kioskJws))
    return { ok: false, failure: 'its kiosk signature is not the one its batch lists' };
  return { ok: true, receivedAt: batch.receivedAt, kidsKept: batch.kidsKept };
}

type BatchVerdict =
  { ok: true; listed: ReadonlyMap<string, string>; receivedAt: string; kidsKept: boolean } | { ok: false; failure: string };

/** A batch's JWS by a key of its kiosk, and the registry's countersignature over it: checked once for all its records. */
function batchVerdict(b: SignedBatchRow, keys: KeySet): BatchVerdict {
  const signed = verifyBatch(b.kioskJws, keys, { accept: (k) => k.owner === 'kiosk' && k.kioskId === b.kioskId });
  if (!signed.ok) return { ok: false, failure: `its batch's kiosk signature ${SIGNATURE_FAILURES[signed.failure]}` };
  if (signed.value.kioskId !== b.kioskId) return { ok: false, failure: "its batch's kiosk signature names another kiosk" };
  const counter = verifyBatchCountersignature(b.registryJws, b.kioskJws, b.kioskId, keys);
  if (!counter.ok) return { ok: false, failure: `its batch's registry countersignature ${SIGNATURE_FAILURES[counter.failure]}` };
  return {
    ok: true,
    listed: new Map(signed.value.records.map((x) => [x.recordId, x.jwsSha256])),
    receivedAt: counter.value.receivedAt,
    kidsKept: signed.key.kid === b.kioskKid && counter.key.kid === b.registryKid,
  };
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
