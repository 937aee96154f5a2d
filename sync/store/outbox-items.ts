// The journal (table `outbox`): one row per committed decision, never deleted. The row is the item
// the sync client sends (the person sealed and bound to the idempotency key, the consent records as
// JSON), the per-kiosk sequence (its rowid), the state machine pending -> sending -> acknowledged |
// dead-letter (-> discarded by the manager), and, once the item left, its receipt.
// Callers wrap writes in an immediate transaction; these functions join it.
import type { Database } from 'better-sqlite3';
import { ItemReasonCode } from '../wire/error-codes.js';
import { type ChainMatch, type ConsentRecord, type EnrollmentPayload, type Person, type RegistryMatch, WireItem } from '../wire/schemas.js';
import type { FieldCipher } from './cipher.js';
import { prepared } from '../db/prepared.js';

const MAX_ERROR_CHARS = 500;

const payloadAad = (idempotencyKey: string): string => `outbox/${idempotencyKey}/payload`;
export const clip = (text: string): string => text.slice(0, MAX_ERROR_CHARS);

/** Where a journal row is in the queue, as the sync client sees it. */
export type OutboxState = 'pending' | 'sending' | 'acknowledged' | 'dead-letter';
export type JournalState = OutboxState | 'discarded';
export type ReceiptOutcome = 'accepted' | 'duplicate' | 'discarded';

export interface OutboxRow {
  readonly sequence: number;
  readonly idempotency_key: string;
  readonly kind: WireItem['kind'];
  readonly subject_ref: string;
  readonly chain_id: string | null;
  readonly store_id: string | null;
  readonly kiosk_id: string | null;
  readonly source: EnrollmentPayload['source'] | null;
  readonly enrolled_at: string | null;
  readonly utc_offset_minutes: number | null;
  readonly created_at: string;
  readonly state: JournalState;
  readonly attempts: number;
  readonly next_attempt_at: string;
  readonly last_error: string | null;
  readonly reason_code: string | null;
  readonly payload: Buffer | null;
  readonly eid_identity_ok: number | null;
  readonly eid_address_ok: number | null;
  readonly eid_photo_ok: number | null;
  readonly eid_chain_ok: number | null;
  readonly eid_card_valid_until: string | null;
  readonly consents: string;
}

const flag = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);

/**
 * What an enrollment row seals: the person alone, or with what the registry matches on and the chain
 * finds it by, and the customer's ask for a confirmation by e-mail (it goes with the address).
 */
interface SealedPerson {
  person: Person;
  registryMatch?: RegistryMatch;
  chainMatch?: ChainMatch;
  confirmationEmail?: boolean;
}

/**
 * The `consents` column: each record with the kiosk's JWS over it (made at commit) beside its
 * fields as `kioskJws`, so the views of migration 005 read the records as before. Rows written
 * before signing have none: they are read as unsigned.
 */
type StoredConsent = ConsentRecord & { kioskJws?: string };
const storedConsents = (records: readonly ConsentRecord[], signatures: readonly string[]): string =>
  JSON.stringify(records.map((record, i): StoredConsent => ({ ...record, kioskJws: signatures[i]! })));
function readConsents(column: string): { records: ConsentRecord[]; signatures: string[] | undefined } {
  const stored = JSON.parse(column) as StoredConsent[];
  const records = stored.map(({ kioskJws: _jws, ...record }) => record);
  const signatures = stored.map((c) => c.kioskJws);
  return { records, signatures: signatures.every((j): j is string => j !== undefined) ? signatures : undefined };
}

/** Appends an enrollment: only the person (with the registry's matching date and the chain's lookup keys, the withdrawal code
 *  among them) is sealed, everything else is plain columns (no personal data). Returns its sequence. */
export function insertEnrollmentItem(db: Database, cipher: FieldCipher, idempotencyKey: string, p: EnrollmentPayload, at: string): number {
  const v = p.eidVerification;
  const result = prepared(
    db,
    `INSERT INTO outbox (idempotency_key, kind, subject_ref, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes,
       created_at, next_attempt_at, payload, eid_identity_ok, eid_address_ok, eid_photo_ok, eid_chain_ok, eid_card_valid_until, consents)
     VALUES (?, 'enrollment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    idempotencyKey,
    p.enrollmentId,
    p.chainId,
    p.storeId,
    p.kioskId,
    p.source,
    p.enrolledAt,
    p.utcOffsetMinutes,
    at,
    at,
    cipher.seal(JSON.stringify(sealedPerson(p)), payloadAad(idempotencyKey)),
    flag(v?.identity),
    flag(v?.address),
    flag(v?.photo),
    flag(v?.chain),
    v?.cardValidUntil ?? null,
    storedConsents(p.consents, p.signatures ?? []),
  );
  return Number(result.lastInsertRowid);
}

/** The person alone when nothing travels beside it (the shape rows had before registryMatch). */
function sealedPerson({ person, registryMatch, chainMatch, confirmationEmail }: EnrollmentPayload): Person | SealedPerson {
  return registryMatch || chainMatch || confirmationEmail
    ? {
        person,
        ...(registryMatch && { registryMatch }),
        ...(chainMatch && { chainMatch }),
        ...(confirmationEmail && { confirmationEmail }),
      }
    : person;
}

/** Appends a later decision on a subject; it holds no personal data, so nothing is sealed. */
export function insertConsentEventItem(db: Database, idempotencyKey: string, consent: ConsentRecord, jws: string, at: string): number {
  const result = prepared(
    db,
    `INSERT INTO outbox (idempotency_key, kind, subject_ref, created_at, next_attempt_at, consents)
     VALUES (?, 'consent-event', ?, ?, ?, ?)`,
  ).run(idempotencyKey, consent.subjectRef, at, at, storedConsents([consent], [jws]));
  return Number(result.lastInsertRowid);
}

/** The item a row holds. Rows written before version 5 sealed the whole item (their consent records
 *  inside, or left out and read from the row). Throws (StoreError BAD_KEY, a parse error) when its
 *  bytes are damaged. */
export function openPayload(cipher: FieldCipher, row: OutboxRow): WireItem {
  const { records: consents, signatures } = readConsents(row.consents);
  const envelope = { idempotencyKey: row.idempotency_key, sequence: row.sequence, createdAt: row.created_at };
  if (row.kind === 'consent-event' && row.payload === null) {
    return WireItem.parse({
      kind: 'consent-event',
      ...envelope,
      payload: { consent: consents[0], ...(signatures && { signature: signatures[0] }) },
    });
  }
  const sealed = JSON.parse(cipher.open(row.payload ?? Buffer.alloc(0), payloadAad(row.idempotency_key))) as
    WireItem | Person | SealedPerson;
  if ('kind' in sealed) {
    if (sealed.kind === 'enrollment') sealed.payload.consents ??= consents;
    return WireItem.parse(sealed);
  }
  const { person, registryMatch, chainMatch, confirmationEmail }: SealedPerson = 'person' in sealed ? sealed : { person: sealed };
  const verified = row.eid_identity_ok !== null;
  return WireItem.parse({
    kind: 'enrollment',
    ...envelope,
    payload: {
      enrollmentId: row.subject_ref,
      chainId: row.chain_id,
      storeId: row.store_id,
      kioskId: row.kiosk_id,
      source: row.source,
      enrolledAt: row.enrolled_at,
      utcOffsetMinutes: row.utc_offset_minutes,
      person,
      ...(registryMatch && { registryMatch }),
      ...(chainMatch && { chainMatch }),
      ...(confirmationEmail && { confirmationEmail }),
      ...(verified && {
        eidVerification: {
          identity: row.eid_identity_ok === 1,
          address: row.eid_address_ok === 1,
          photo: row.eid_photo_ok === 1,
          chain: row.eid_chain_ok === 1,
          ...(row.eid_card_valid_until !== null && { cardValidUntil: row.eid_card_valid_until }),
        },
      }),
      consents,
      ...(signatures && { signatures }),
    },
  });
}

export function getOutboxRow(db: Database, idempotencyKey: string): OutboxRow | undefined {
  return prepared(db, 'SELECT * FROM outbox WHERE idempotency_key = ?').get(idempotencyKey) as OutboxRow | undefined;
}

/** Marks up to `limit` due pending rows 'sending' and returns them, oldest sequence first. */
export function claimDueRows(db: Database, nowIso: string, limit: number): OutboxRow[] {
  return prepared(
    db,
    `UPDATE outbox SET state = 'sending'
      WHERE sequence IN (SELECT sequence FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY sequence LIMIT ?)
      RETURNING *`,
  )
    .all(nowIso, limit)
    .sort((a, b) => (a as OutboxRow).sequence - (b as OutboxRow).sequence) as OutboxRow[];
}

export interface Receipt {
  readonly outcome: ReceiptOutcome;
  readonly closedAt: string;
  readonly registryReceiptId: string | null;
  readonly registryReceivedAt: string | null;
}

/** The item left the kiosk (accepted, duplicate) or was given up (discarded): its personal data (the
 *  withdrawal code with it) are purged and the row becomes its receipt, in one statement. A discarded item
 *  keeps its reason code. */
export function closeItem(db: Database, idempotencyKey: string, r: Receipt): void {
  prepared(
    db,
    `UPDATE outbox SET state = CASE WHEN @outcome = 'discarded' THEN 'discarded' ELSE 'acknowledged' END, payload = NULL,
       last_error = CASE WHEN @outcome = 'discarded' THEN last_error END,
       reason_code = CASE WHEN @outcome = 'discarded' THEN reason_code END,
       closed_at = @closedAt, outcome = @outcome, registry_receipt_id = @registryReceiptId, registry_received_at = @registryReceivedAt
      WHERE idempotency_key = @idempotencyKey`,
  ).run({ ...r, idempotencyKey });
}

/** Why an item is in dead-letter: the reason the registry (or the client) gave it, or the kiosk's own.
 *  Rows written before the codes were one style may hold kebab-case: read them with `currentCode`. */
export const DEAD_LETTER_CODES = [...ItemReasonCode.options, 'CONFLICT', 'REJECTED', 'UNREADABLE_PAYLOAD'] as const;
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number];

export function markDeadLetter(db: Database, idempotencyKey: string, reasonCode: DeadLetterCode, reason: string): void {
  prepared(db, `UPDATE outbox SET state = 'dead-letter', reason_code = ?, last_error = ? WHERE idempotency_key = ?`).run(
    reasonCode,
    clip(reason),
    idempotencyKey,
  );
}

/** A transport failure: the attempt counts, the item waits until `nextAttemptAt`. */
export function releaseRows(db: Database, keys: readonly string[], error: string, nextAttemptAtIso: string): void {
  const stmt = prepared(
    db,
    `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?
      WHERE idempotency_key = ? AND state IN ('pending', 'sending')`,
  );
  for (const key of keys) stmt.run(nextAttemptAtIso, clip(error), key);
}

/** The manager's retry of an item that is not moving: pending, due now; the failure stays readable in last_error. */
export function requeueStuckItem(db: Database, idempotencyKey: string, nowIso: string): void {
  prepared(
    db,
    `UPDATE outbox SET state = 'pending', next_attempt_at = ?, reason_code = NULL
      WHERE idempotency_key = ? AND (state = 'dead-letter' OR (state = 'pending' AND attempts >= ?))`,
  ).run(nowIso, idempotencyKey, STUCK_AFTER_ATTEMPTS);
}

/** Items a crash left 'sending' go back to 'pending' (their idempotency keys make the resend safe). */
export function recoverSending(db: Database): number {
  return prepared(db, `UPDATE outbox SET state = 'pending' WHERE state = 'sending'`).run().changes;
}

/**
 * A pending item whose attempts failed this many times is not moving either (a registry that always
 * fails on it, a token long refused): the manager sees, retries and discards it with the dead-letter ones.
 */
export const STUCK_AFTER_ATTEMPTS = 10;

export const isStuck = (row: Pick<OutboxRow, 'state' | 'attempts'>): boolean =>
  row.state === 'dead-letter' || (row.state === 'pending' && row.attempts >= STUCK_AFTER_ATTEMPTS);

/** Every item that is not moving: dead-letter, and pending past STUCK_AFTER_ATTEMPTS failed attempts. */
export function listStuckRows(db: Database): OutboxRow[] {
  return prepared(db, `SELECT * FROM outbox WHERE state = 'dead-letter' OR (state = 'pending' AND attempts >= ?) ORDER BY sequence`).all(
    STUCK_AFTER_ATTEMPTS,
  ) as OutboxRow[];
}

export function nextDueAt(db: Database): string | undefined {
  const row = prepared(db, `SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`).get() as { at: string | null };
  return row.at ?? undefined;
}

export function countUnsent(db: Database): number {
  return (prepared(db, `SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`).get() as { n: number }).n;
}

/** Items per journal state, discarded ones too: the manager sees what was given up. */
export function countByState(db: Database): Record<JournalState, number> {
  const counts: Record<JournalState, number> = { pending: 0, sending: 0, acknowledged: 0, 'dead-letter': 0, discarded: 0 };
  const rows = prepared(db, `SELECT state, count(*) AS n FROM outbox GROUP BY state`).all() as {
    state: JournalState;
    n: number;
  }[];
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

/** The creation time of the oldest item waiting to be sent (pending, or sending when a sync runs). */
export function oldestPendingAt(db: Database): string | undefined {
  const row = prepared(db, `SELECT min(created_at) AS at FROM outbox WHERE state IN ('pending', 'sending')`).get() as { at: string | null };
  return row.at ?? undefined;
}
