// Consumer profiles: the current fields, and the strong keys (keyed digests) they are found by.
import type { Person } from '../../sync/wire/schemas.js';
import type { KeyKind, KeyedProfile, StrongKey } from '../matching.js';
import { all, insertRows, marks, type Work } from './sql.js';

type Address = NonNullable<Person['address']>;

export interface ProfileFields {
  surname: string;
  firstNames: string;
  language: string;
  birthDate: string | null;
  sex: string | null;
  address: Address | null;
  email: string | null;
  mobile: string | null;
  /** Names and address were read from an eID with every check passed: no typed enrollment overwrites them. */
  verified: boolean;
}

export interface ProfileRow extends ProfileFields, KeyedProfile {
  matchKey: string;
  kinds: ReadonlySet<KeyKind>;
  createdAt: string;
  updatedAt: string;
}

interface Raw {
  profile_id: string;
  match_key: string;
  surname: string;
  first_names: string;
  language: string;
  sex: string | null;
  birth_date: string | null;
  address_json: string | null;
  email: string | null;
  mobile: string | null;
  verified: number | boolean;
  created_at: string;
  updated_at: string;
  digest: string;
  kind: KeyKind;
}

const COLUMNS = `p.profile_id, p.match_key, p.surname, p.first_names, p.language, p.sex, p.birth_date, p.address_json, p.email, p.mobile,
  p.verified, p.created_at, p.updated_at, k.digest, k.kind`;

/** The live profiles holding any of these digests, each with all its keys, oldest first (one query for the lot). */
export function* profilesByDigests(digests: readonly string[]): Work<ProfileRow[]> {
  if (digests.length === 0) return [];
  const rows = yield* all<Raw>(
    `SELECT ${COLUMNS} FROM profiles p JOIN profile_keys k ON k.profile_id = p.profile_id
     WHERE p.profile_id IN (SELECT profile_id FROM profile_keys WHERE digest IN (${marks(digests.length)})) AND p.erased_at IS NULL
     ORDER BY p.created_at, p.profile_id`,
    ...digests,
  );
  return grouped(rows);
}

function grouped(rows: readonly Raw[]): ProfileRow[] {
  const out = new Map<string, ProfileRow & { digests: Set<string>; kinds: Set<KeyKind> }>();
  for (const r of rows) {
    let p = out.get(r.profile_id);
    if (!p) {
      p = {
        profileId: r.profile_id,
        matchKey: r.match_key,
        surname: r.surname,
        firstNames: r.first_names,
        language: r.language,
        sex: r.sex,
        birthDate: r.birth_date,
        address: r.address_json === null ? null : (JSON.parse(r.address_json) as Address),
        email: r.email,
        mobile: r.mobile,
        verified: Boolean(r.verified),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        digests: new Set(),
        kinds: new Set(),
        birthKeyed: false,
      };
      out.set(r.profile_id, p);
    }
    p.digests.add(r.digest);
    p.kinds.add(r.kind);
    if (r.kind === 'birth') p.birthKeyed = true;
  }
  return [...out.values()];
}

/** Inserts new profiles and rewrites changed ones in one insert (a profile's creation time is kept). */
export function* upsertProfiles(
  rows: ReadonlyArray<{ profileId: string; matchKey: string; fields: ProfileFields; at: string }>,
): Work<void> {
  if (rows.length === 0) return;
  yield* insertRows(
    `INSERT INTO profiles (profile_id, match_key, birth_date, surname, first_names, language, sex, address_json, email, mobile, verified, created_at, updated_at)`,
    13,
    rows.map(({ profileId, matchKey, fields: f, at }) => [
      profileId,
      matchKey,
      f.birthDate,
      f.surname,
      f.firstNames,
      f.language,
      f.sex,
      f.address && JSON.stringify(f.address),
      f.email,
      f.mobile,
      f.verified ? 1 : 0,
      at,
      at,
    ]),
    `ON CONFLICT (profile_id) DO UPDATE SET birth_date = excluded.birth_date, surname = excluded.surname,
       first_names = excluded.first_names, language = excluded.language, sex = excluded.sex, address_json = excluded.address_json,
       email = excluded.email, mobile = excluded.mobile, verified = excluded.verified, updated_at = excluded.updated_at`,
  );
}

/** The consumer lock keys (normalised names) of these profiles. */
export function* matchKeysOf(profileIds: readonly string[]): Work<string[]> {
  const out = new Set<string>();
  for (let i = 0; i < profileIds.length; i += 500) {
    const ids = profileIds.slice(i, i + 500);
    for (const r of yield* all<{ match_key: string }>(`SELECT match_key FROM profiles WHERE profile_id IN (${marks(ids.length)})`, ...ids))
      out.add(r.match_key);
  }
  return [...out];
}

/** Adds keys to profiles (a key already held is kept once). */
export function* insertProfileKeys(rows: ReadonlyArray<{ profileId: string; key: StrongKey }>): Work<void> {
  if (rows.length === 0) return;
  yield* insertRows(
    'INSERT INTO profile_keys (digest, profile_id, kind)',
    3,
    rows.map(({ profileId, key }) => [key.digest, profileId, key.kind]),
    'ON CONFLICT (digest, profile_id) DO NOTHING',
  );
}
