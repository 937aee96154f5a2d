// Consumer profiles: the current fields, and the strong keys (keyed digests) they are found by: the
// registry's (`profile_keys`) and each chain's own (`chain_keys`, for that chain's lookups). A
// profile with a `chain_id` is held for that chain only, as its processor (no registry purpose was
// given): it has no registry key, so it never joins another profile nor is joined by one.
import type { Person } from '../../sync/wire/schemas.js';
import type { ChainKeyKind, KeyKind, KeyedProfile, StrongKey } from '../matching.js';
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
  /** The chain it is held for only; null for a profile of the registry's own. */
  chainId: string | null;
  /** The kinds of its registry keys (a chain-only profile's: of the chain keys it is matched on). */
  kinds: ReadonlySet<KeyKind>;
  createdAt: string;
  updatedAt: string;
}

interface Raw {
  profile_id: string;
  match_key: string;
  chain_id: string | null;
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
  /** Null for a profile without a key (LEFT JOIN). */
  digest: string | null;
  kind: KeyKind | null;
}

const COLUMNS = `p.profile_id, p.match_key, p.chain_id, p.surname, p.first_names, p.language, p.sex, p.birth_date, p.address_json,
  p.email, p.mobile, p.verified, p.created_at, p.updated_at, k.digest, k.kind`;

/** The live profiles holding any of these registry digests, each with all its registry keys, oldest first (one query for the lot). */
export const profilesByDigests = (digests: readonly string[]): Work<ProfileRow[]> => holders('profile_keys', digests);

/**
 * The live chain-only profiles holding any of these chain digests, each with the chain keys it is
 * matched on (not the withdrawal codes, which match nothing), oldest first.
 */
export const chainOnlyProfilesByDigests = (digests: readonly string[]): Work<ProfileRow[]> => holders('chain_keys', digests);

function* holders(table: 'profile_keys' | 'chain_keys', digests: readonly string[]): Work<ProfileRow[]> {
  if (digests.length === 0) return [];
  const chainOnly = table === 'chain_keys' ? "AND k.kind <> 'code' AND p.chain_id IS NOT NULL" : '';
  const rows = yield* all<Raw>(
    `SELECT ${COLUMNS} FROM profiles p JOIN ${table} k ON k.profile_id = p.profile_id
     WHERE p.profile_id IN (SELECT profile_id FROM ${table} WHERE digest IN (${marks(digests.length)})) AND p.erased_at IS NULL ${chainOnly}
     ORDER BY p.created_at, p.profile_id`,
    ...digests,
  );
  return grouped(rows);
}

/** These live profiles, each with its registry keys (a chain-only profile has none), oldest first. */
export function* profilesByIds(profileIds: readonly string[]): Work<ProfileRow[]> {
  if (profileIds.length === 0) return [];
  const rows = yield* all<Raw>(
    `SELECT ${COLUMNS} FROM profiles p LEFT JOIN profile_keys k ON k.profile_id = p.profile_id
     WHERE p.profile_id IN (${marks(profileIds.length)}) AND p.erased_at IS NULL ORDER BY p.created_at, p.profile_id`,
    ...profileIds,
  );
  return grouped(rows);
}

/** One chain's keys of one profile. */
export interface HeldChainKeys {
  digests: Set<string>;
  kinds: Set<ChainKeyKind>;
}

/** One chain's keys of these profiles and of the profiles holding any of these digests of that chain, by profile. */
export function* chainKeysOf(chainId: string, profileIds: readonly string[], digests: readonly string[]): Work<Map<string, HeldChainKeys>> {
  const out = new Map<string, HeldChainKeys>();
  if (profileIds.length === 0 && digests.length === 0) return out;
  const holders = [
    ...(profileIds.length > 0 ? [`profile_id IN (${marks(profileIds.length)})`] : []),
    ...(digests.length > 0
      ? [`profile_id IN (SELECT profile_id FROM chain_keys WHERE chain_id = ? AND digest IN (${marks(digests.length)}))`]
      : []),
  ];
  const rows = yield* all<{ profile_id: string; digest: string; kind: ChainKeyKind }>(
    `SELECT profile_id, digest, kind FROM chain_keys WHERE chain_id = ? AND (${holders.join(' OR ')})`,
    chainId,
    ...profileIds,
    ...(digests.length > 0 ? [chainId, ...digests] : []),
  );
  for (const r of rows) {
    const held = out.get(r.profile_id) ?? { digests: new Set(), kinds: new Set() };
    held.digests.add(r.digest);
    held.kinds.add(r.kind);
    out.set(r.profile_id, held);
  }
  return out;
}

function grouped(rows: readonly Raw[]): ProfileRow[] {
  const out = new Map<string, ProfileRow & { digests: Set<string>; kinds: Set<KeyKind> }>();
  for (const r of rows) {
    let p = out.get(r.profile_id);
    if (!p) {
      p = {
        profileId: r.profile_id,
        matchKey: r.match_key,
        chainId: r.chain_id,
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
    if (r.digest === null || r.kind === null) continue;
    p.digests.add(r.digest);
    p.kinds.add(r.kind);
    if (r.kind === 'birth') p.birthKeyed = true;
  }
  return [...out.values()];
}

/** Inserts new profiles and rewrites changed ones in one insert (a profile's creation time is kept). */
export function* upsertProfiles(
  rows: ReadonlyArray<{ profileId: string; matchKey: string; chainId: string | null; fields: ProfileFields; at: string }>,
): Work<void> {
  if (rows.length === 0) return;
  yield* insertRows(
    `INSERT INTO profiles (profile_id, match_key, chain_id, birth_date, surname, first_names, language, sex, address_json, email, mobile,
       verified, created_at, updated_at)`,
    14,
    rows.map(({ profileId, matchKey, chainId, fields: f, at }) => [
      profileId,
      matchKey,
      chainId,
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

/** Adds registry keys to profiles (a key already held is kept once). */
export function* insertProfileKeys(rows: ReadonlyArray<{ profileId: string; key: StrongKey }>): Work<void> {
  if (rows.length === 0) return;
  yield* insertRows(
    'INSERT INTO profile_keys (digest, profile_id, kind)',
    3,
    rows.map(({ profileId, key }) => [key.digest, profileId, key.kind]),
    'ON CONFLICT (digest, profile_id) DO NOTHING',
  );
}

/** Adds a chain's keys to profiles (a key already held is kept once). */
export function* insertChainKeys(rows: ReadonlyArray<{ profileId: string; chainId: string; key: StrongKey<ChainKeyKind> }>): Work<void> {
  if (rows.length === 0) return;
  yield* insertRows(
    'INSERT INTO chain_keys (digest, profile_id, chain_id, kind)',
    4,
    rows.map(({ profileId, chainId, key }) => [key.digest, profileId, chainId, key.kind]),
    'ON CONFLICT (digest, profile_id) DO NOTHING',
  );
}
