// How an enrollment finds its consumer profile (../shared/docs/sync.md, "Identity resolution"): a
// match needs a strong key, never a name alone, never the national number.
// - eID-verified enrollment (source 'eid', every verification true): the normalised name plus the
//   full birth date (YYYY-MM-DD; a year or month is no key), from `registryMatch` or the person.
// - any enrollment: the normalised name plus the same e-mail, or plus the same mobile.
// The birth date for matching travels only as ../wire/registry-match.ts allows.
// Keys are kept only as HMAC digests under the registry's secret, so the database alone does not hold
// a birth date a chain's policy dropped. Without a matching key: a new profile, never a merge.
import { createHmac, type Hmac } from 'node:crypto';
import { isFullDate, isVerifiedEid } from '../sync/wire/registry-match.js';
import type { EnrollmentPayload } from '../sync/wire/schemas.js';
import { RegistryError } from './errors.js';
import { MATCH_KEY_ENV } from './match-secret.js';

/** NFD, diacritics stripped, case-folded, hyphens/apostrophes as spaces, whitespace collapsed. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[-‐‑‒–—'’‘`´.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The consumer lock key (one name: its matching is serialised); never enough to match on its own. */
export function matchKey(surname: string, firstNames: string): string {
  return `${normaliseName(surname)}|${normaliseName(firstNames)}`;
}

/** Both names hold a letter: names of only spaces, dashes or digits would all be the same name. */
export function namesHaveLetters(surname: string, firstNames: string): boolean {
  return /\p{L}/u.test(surname) && /\p{L}/u.test(firstNames);
}

export type KeyKind = 'birth' | 'email' | 'mobile';

/** A strong key as stored: its kind (to say what is held) and its keyed digest. */
export interface StrongKey {
  kind: KeyKind;
  digest: string;
}

/** Digests of name + detail under the registry's secret (match-secret.ts). */
export class MatchKeyer {
  constructor(private readonly secret: Buffer | undefined) {
    if (secret !== undefined && secret.length < 32) throw new RegistryError('NO_MATCH_KEY', 'the match secret must be at least 32 bytes');
  }

  /** Fails when no secret is configured: a registry that cannot match must not accept enrollments. */
  assertReady(): void {
    this.hmac();
  }

  private hmac(): Hmac {
    if (this.secret === undefined) {
      throw new RegistryError('NO_MATCH_KEY', `no matching secret: set ${MATCH_KEY_ENV} or give --match-key-file`);
    }
    return createHmac('sha256', this.secret);
  }

  key(kind: KeyKind, nameKey: string, value: string): StrongKey {
    const v = kind === 'email' ? value.trim().toLowerCase() : value;
    return { kind, digest: this.hmac().update(`${kind}\u0000${nameKey}\u0000${v}`).digest('hex') };
  }

  /** The keys a lookup's details give (any of them identifies). */
  detailKeys(nameKey: string, d: { birthDate?: string | undefined; email?: string | undefined; mobile?: string | undefined }): StrongKey[] {
    const out: StrongKey[] = [];
    if (isFullDate(d.birthDate)) out.push(this.key('birth', nameKey, d.birthDate));
    if (d.email !== undefined) out.push(this.key('email', nameKey, d.email));
    if (d.mobile !== undefined) out.push(this.key('mobile', nameKey, d.mobile));
    return out;
  }

  /** Digest of the name alone: the per-subject rate-limit counter's key, never stored. */
  nameDigest(nameKey: string): string {
    return this.hmac().update(`name\u0000${nameKey}`).digest('hex');
  }
}

/** The full birth date an eID-verified enrollment is matched on, if it carries one. */
export function matchingBirthDate(p: EnrollmentPayload): string | undefined {
  const date = p.registryMatch?.birthDate ?? p.person.birthDate;
  return isVerifiedEid(p) && isFullDate(date) ? date : undefined;
}

/** The strong keys of one enrollment: the birth key first when it has one. */
export interface EnrollmentKeys {
  birth?: StrongKey;
  contacts: StrongKey[];
}

export function enrollmentKeys(keyer: MatchKeyer, nameKey: string, p: EnrollmentPayload): EnrollmentKeys {
  const birthDate = matchingBirthDate(p);
  const contacts = keyer.detailKeys(nameKey, { email: p.person.email, mobile: p.person.mobile });
  return birthDate === undefined ? { contacts } : { birth: keyer.key('birth', nameKey, birthDate), contacts };
}

/** A profile under consideration: the digests it holds. */
export interface KeyedProfile {
  profileId: string;
  digests: ReadonlySet<string>;
  /** It holds a birth key: it is an eID-verified person with a known birth date. */
  birthKeyed: boolean;
}

/**
 * The profile an enrollment belongs to, or undefined for a new one. The birth key decides first; else
 * a profile sharing a contact key, unless its own birth key says it is someone else (a father and
 * son sharing a household e-mail stay two people once either is eID-verified). Candidates come in a
 * stable order (oldest first); the one sharing the most contact keys wins.
 */
export function pickProfile<T extends KeyedProfile>(candidates: readonly T[], keys: EnrollmentKeys): T | undefined {
  const birth = keys.birth;
  if (birth) {
    const same = candidates.find((c) => c.digests.has(birth.digest));
    if (same) return same;
  }
  let best: T | undefined;
  let bestShared = 0;
  for (const c of candidates) {
    if (birth && c.birthKeyed) continue;
    const shared = keys.contacts.filter((k) => c.digests.has(k.digest)).length;
    if (shared > bestShared) [best, bestShared] = [c, shared];
  }
  return best;
}
