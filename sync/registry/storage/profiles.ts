// Consumer profiles: the current fields, found by normalised name key.
import type { Person } from '../../wire/schemas.js';
import { all, run, type Work } from './sql.js';

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

export function* profilesByMatchKey(matchKey: string): Work<ProfileRow[]> {
  const rows = yield* all<Raw>(
    'SELECT profile_id, match_key, surname, first_names, sex, birth_date, address_json, email, mobile, updated_at FROM profiles WHERE match_key = ?',
    matchKey,
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

export function* insertProfile(profileId: string, matchKey: string, f: ProfileFields, now: string): Work<void> {
  yield* run(
    `INSERT INTO profiles (profile_id, match_key, birth_date, surname, first_names, language, sex, address_json, email, mobile, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    profileId, matchKey, f.birthDate, f.surname, f.firstNames, f.language, f.sex,
    f.address && JSON.stringify(f.address), f.email, f.mobile, now, now,
  );
}

export function* updateProfile(profileId: string, f: ProfileFields, now: string): Work<void> {
  yield* run(
    `UPDATE profiles SET birth_date = ?, surname = ?, first_names = ?, language = ?, sex = ?, address_json = ?,
       email = ?, mobile = ?, updated_at = ? WHERE profile_id = ?`,
    f.birthDate, f.surname, f.firstNames, f.language, f.sex, f.address && JSON.stringify(f.address), f.email, f.mobile, now, profileId,
  );
}

export function* profileMatchKey(profileId: string): Work<string | undefined> {
  const rows = yield* all<{ match_key: string }>('SELECT match_key FROM profiles WHERE profile_id = ?', profileId);
  return rows[0]?.match_key;
}
