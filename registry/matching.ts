// How an enrollment finds its consumer profile (../shared/docs/sync.md, "Identity resolution"): a
// match needs a strong key, never a name alone, never the national number.
// - eID-verified enrollment (source 'eid', every verification true): the normalised name plus the
//   full birth date (YYYY-MM-DD; a year or month is no key), from `registryMatch` or the person.
// - any enrollment: the normalised name plus the same e-mail, or plus the same mobile.
// The birth date for matching travels only as ../wire/registry-match.ts allows.
// Keys are kept only as HMAC digests under the registry's secret, so the database alone does not hold
// a birth date a chain's policy dropped. Without a matching key: a new profile, never a merge.
// An enrollment with no registry purpose given ("What a no forbids") leaves no such key: the registry
// holds it for its chain only, as that chain's processor, matched only on the chain's own keys below.
//
// Chain keys: what one chain finds its customers again by ("my consents"), whatever they answered the
// registry, under that chain's consent: the name plus the birth date of a verified read, the e-mail,
// the mobile, and the withdrawal code of the receipt. Their digests name the chain, so no other
// chain's lookup nor any registry match can ever produce them.
import { createHmac, hkdfSync, type Hmac } from 'node:crypto';
import { chainConsentGiven, isFullDate, isVerifiedEid, registryConsentGiven } from '../sync/wire/registry-match.js';
import { normaliseWithdrawalCode } from '../sync/wire/withdrawal-code.js';
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
/** A chain key may also be the receipt's withdrawal code, which identifies but never matches an enrollment. */
export type ChainKeyKind = KeyKind | 'code';

/** A strong key as stored: its kind (to say what is held) and its keyed digest. */
export interface StrongKey<K extends ChainKeyKind = KeyKind> {
  kind: K;
  digest: string;
}

/** The details a lookup or an enrollment gives with the name. */
export interface Details {
  birthDate?: string | undefined;
  email?: string | undefined;
  mobile?: string | undefined;
  withdrawalCode?: string | undefined;
}

/** One detail a lookup gave, and the digests that hold it: the registry's key and the asking chain's. */
export interface DetailDigests {
  kind: ChainKeyKind;
  registry?: string;
  chain?: string;
}

/** Digests of name + detail under the registry's secret (match-secret.ts). */
export class MatchKeyer {
  constructor(private readonly secret: Buffer | undefined) {
    if (secret !== undefined && secret.length < 32) throw new RegistryError('NO_MATCH_KEY', 'the match secret must be at least 32 bytes');
  }

  /**
   * A key for another use of the same secret (the registry's signing keys sealed at rest), derived
   * with HKDF so the two uses never share bytes.
   */
  derivedKey(purpose: string): Uint8Array {
    this.hmac();
    return new Uint8Array(hkdfSync('sha256', this.secret!, new Uint8Array(0), purpose, 32));
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
    return { kind, digest: this.digest(`${kind}\u0000${nameKey}`, kind, value) };
  }

  /** A key of one chain only: the chain's id is in what is digested. */
  chainKey<K extends ChainKeyKind>(chainId: string, kind: K, nameKey: string, value: string): StrongKey<K> {
    return { kind, digest: this.digest(`chain\u0000${chainId}\u0000${kind}\u0000${nameKey}`, kind, value) };
  }

  private digest(prefix: string, kind: ChainKeyKind, value: string): string {
    const v = kind === 'email' ? value.trim().toLowerCase() : kind === 'code' ? normaliseWithdrawalCode(value) : value;
    return this.hmac().update(`${prefix}\u0000${v}`).digest('hex');
  }

  /** The registry's keys the details give (any of them identifies). */
  detailKeys(nameKey: string, d: Details): StrongKey[] {
    return this.keysOf(d).map(([kind, value]) => this.key(kind, nameKey, value));
  }

  /** One chain's keys the details give, the withdrawal code among them. */
  chainDetailKeys(chainId: string, nameKey: string, d: Details): StrongKey<ChainKeyKind>[] {
    const code = d.withdrawalCode === undefined ? [] : [this.chainKey(chainId, 'code', nameKey, d.withdrawalCode)];
    return [...this.keysOf(d).map(([kind, value]) => this.chainKey(chainId, kind, nameKey, value)), ...code];
  }

  /** A lookup's details, each with its registry digest (none for a code) and, asked by a chain's kiosk, that chain's. */
  identificationDigests(chainId: string | null, nameKey: string, d: Details): DetailDigests[] {
    const registry = new Map(this.detailKeys(nameKey, d).map((k) => [k.kind as ChainKeyKind, k.digest]));
    const chain = new Map(chainId === null ? [] : this.chainDetailKeys(chainId, nameKey, d).map((k) => [k.kind, k.digest]));
    return [...new Set([...registry.keys(), ...chain.keys()])].map((kind) => ({
      kind,
      ...(registry.has(kind) && { registry: registry.get(kind) }),
      ...(chain.has(kind) && { chain: chain.get(kind) }),
    }));
  }

  private keysOf(d: Details): Array<[KeyKind, string]> {
    const out: Array<[KeyKind, string]> = [];
    if (isFullDate(d.birthDate)) out.push(['birth', d.birthDate]);
    if (d.email !== undefined) out.push(['email', d.email]);
    if (d.mobile !== undefined) out.push(['mobile', d.mobile]);
    return out;
  }

  /** A one-time code sent to a profile (subject-proof.ts): kept only as this digest, bound to the profile. */
  oneTimeCodeDigest(profileId: string, code: string): string {
    return this.hmac().update(`otp\u0000${profileId}\u0000${code}`).digest('hex');
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

/** What an enrollment is matched on, the birth key first when it has one. */
export interface MatchingKeys {
  birth?: StrongKey;
  contacts: StrongKey[];
}

/** The keys of one enrollment: matched on the registry's keys, or for a chain-only enrollment on its chain's. */
export interface EnrollmentKeys extends MatchingKeys {
  /** Set when no registry purpose was given: the registry holds it for this chain only, as its processor. */
  chainOnly?: string;
  /** Its chain's keys, kept for that chain's lookups (none without a given chain consent). */
  chain: StrongKey<ChainKeyKind>[];
}

export function enrollmentKeys(keyer: MatchKeyer, nameKey: string, p: EnrollmentPayload): EnrollmentKeys {
  const { email, mobile } = p.person;
  const chainBirthDate = p.chainMatch?.birthDate ?? p.person.birthDate;
  const chain = chainConsentGiven(p)
    ? keyer.chainDetailKeys(p.chainId, nameKey, {
        birthDate: isVerifiedEid(p) ? chainBirthDate : undefined,
        email,
        mobile,
        withdrawalCode: p.chainMatch?.withdrawalCode,
      })
    : [];
  if (!registryConsentGiven(p)) {
    // The code is never matched on: it is one enrollment's, and finds only it.
    const matched = chain.filter((k): k is StrongKey => k.kind !== 'code');
    const birth = matched.find((k) => k.kind === 'birth');
    return { chainOnly: p.chainId, ...(birth && { birth }), contacts: matched.filter((k) => k !== birth), chain };
  }
  const birthDate = matchingBirthDate(p);
  const contacts = keyer.detailKeys(nameKey, { email, mobile });
  return birthDate === undefined ? { contacts, chain } : { birth: keyer.key('birth', nameKey, birthDate), contacts, chain };
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
export function pickProfile<T extends KeyedProfile>(candidates: readonly T[], keys: MatchingKeys): T | undefined {
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
