// Consumer profiles: the current fields, found by normalised name key.
import type { Person } from '../../wire/schemas.js';
import { all, marks, run, valueRows, type Work } from './sql.js';

type Address = NonNullable<Person['address']>;

export interface ProfileRow {
  profileId: string;
  matchKey: string;
  surname: string;
  firstNames: string;
  sex: string | null;
  birthDate: string | null;
  address: Address | null;
  email: string | null;
  mobile: string | null;
  updatedAt: string;
}

export interface ProfileFields {
  surname: string;
  firstNames: string;
  language: string;
  birthDate: string | null;
  sex: string | null;
  address: Address | null;
  email: string | null;
  mobile: string | null;
}

interface Raw {
  profile_id: string;
  match_key: string;
  surname: string;
  first_names: string;
  sex: string | null;
  birth_date: string | null;
  address_json: string | null;
  email: string | null;
  mobile: string | null;
  updated_at: string;
}

/** The profiles under these name keys (one query for the lot). */
export function* profilesByMatchKeys(matchKeys: readonly string[]): Work<ProfileRow[]> {
  if (matchKeys.length === 0) return [];
  const rows = yield* all<Raw>(
    `SELECT profile_id, match_key, surname, first_names, sex, birth_date, address_json, email, mobile, updated_at FROM profiles
     WHERE match_key IN (${marks(matchKeys.length)}) ORDER BY profile_id`,
    ...matchKeys,
  );
  return rows.map((r) => ({
    profileId: r.profile_id,
    matchKey: r.match_key,
    surname: r.surname,
    firstNames: r.first_names,
    sex: r.sex,
    birthDate: r.birth_date,
    address: r.address_json === null ? null : (JSON.parse(r.address_json) as Address),
    email: r.email,
    mobile: r.mobile,
    updatedAt: r.updated_at,
  }));
}

/** Inserts new profiles and rewrites changed ones in one statement (a profile's creation time is kept). */
export function* upsertProfiles(rows: ReadonlyArray<{ profileId: string; matchKey: string; fields: ProfileFields }>, now: string): Work<void> {
  if (rows.length === 0) return;
  yield* run(
    `INSERT INTO profiles (profile_id, match_key, birth_date, surname, first_names, language, sex, address_json, email, mobile, created_at, updated_at)
     VALUES ${valueRows(rows.length, 12)}
     ON CONFLICT (profile_id) DO UPDATE SET birth_date = excluded.birth_date, surname = excluded.surname,
       first_names = excluded.first_names, language = excluded.language, sex = excluded.sex, address_json = excluded.address_json,
       email = excluded.email, mobile = excluded.mobile, updated_at = excluded.updated_at`,
    ...rows.flatMap(({ profileId, matchKey, fields: f }) => [
      profileId, matchKey, f.birthDate, f.surname, f.firstNames, f.language, f.sex,
      f.address && JSON.stringify(f.address), f.email, f.mobile, now, now,
    ]),
  );
}
