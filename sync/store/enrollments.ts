// Enrollment rows: personal fields sealed one by one (bound to row and column), verification verdicts
// in clear, purge to NULL once the registry has the data or the manager discarded it.
import type { Database } from 'better-sqlite3';
import type { EnrollmentPayload, Person } from '../wire/schemas.js';
import type { FieldCipher } from './cipher.js';

/** Person field -> column. Every column here is personal data and is sealed. */
const PERSONAL_COLUMNS = {
  surname: 'surname',
  firstNames: 'first_names',
  language: 'language',
  address: 'address',
  birthDate: 'birth_date',
  sex: 'sex',
  email: 'email',
  mobile: 'mobile',
} as const satisfies Record<keyof Person, string>;

type PersonalColumn = (typeof PERSONAL_COLUMNS)[keyof Person];

const aad = (id: string, column: PersonalColumn): string => `enrollments/${id}/${column}`;
const flag = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);

export function insertEnrollment(db: Database, cipher: FieldCipher, payload: EnrollmentPayload, committedAt: string): void {
  const id = payload.enrollmentId;
  const sealed = {} as Record<PersonalColumn, Buffer | null>;
  for (const [field, column] of Object.entries(PERSONAL_COLUMNS) as [keyof Person, PersonalColumn][]) {
    const value = payload.person[field];
    sealed[column] = value === undefined ? null : cipher.seal(JSON.stringify(value), aad(id, column));
  }
  const v = payload.eidVerification;
  db.prepare(
    `INSERT INTO enrollments (id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes,
       surname, first_names, language, address, birth_date, sex, email, mobile,
       eid_identity_ok, eid_address_ok, eid_photo_ok, eid_chain_ok, eid_card_valid_until, committed_at)
     VALUES (@id, @chainId, @storeId, @kioskId, @source, @enrolledAt, @utcOffsetMinutes,
       @surname, @first_names, @language, @address, @birth_date, @sex, @email, @mobile,
       @identity, @address_ok, @photo, @chain, @cardValidUntil, @committedAt)`,
  ).run({
    id,
    chainId: payload.chainId,
    storeId: payload.storeId,
    kioskId: payload.kioskId,
    source: payload.source,
    enrolledAt: payload.enrolledAt,
    utcOffsetMinutes: payload.utcOffsetMinutes,
    ...sealed,
    identity: flag(v?.identity),
    address_ok: flag(v?.address),
    photo: flag(v?.photo),
    chain: flag(v?.chain),
    cardValidUntil: v?.cardValidUntil ?? null,
    committedAt,
  });
}

export function purgeEnrollment(db: Database, id: string, purgedAt: string): void {
  const nulls = Object.values(PERSONAL_COLUMNS).map((c) => `${c} = NULL`).join(', ');
  db.prepare(`UPDATE enrollments SET ${nulls}, purged_at = ? WHERE id = ? AND purged_at IS NULL`).run(purgedAt, id);
}

/** 'J. D.' from first names and surname: enough for a manager to recognise a failed item, no more. */
export function readInitials(db: Database, cipher: FieldCipher, id: string): string | undefined {
  const row = db.prepare('SELECT first_names, surname FROM enrollments WHERE id = ?').get(id) as
    | { first_names: Buffer | null; surname: Buffer | null }
    | undefined;
  if (!row?.first_names || !row.surname) return undefined;
  const initial = (column: PersonalColumn, sealed: Buffer): string =>
    `${(JSON.parse(cipher.open(sealed, aad(id, column))) as string).trim().charAt(0).toLocaleUpperCase()}.`;
  return `${initial('first_names', row.first_names)} ${initial('surname', row.surname)}`;
}
