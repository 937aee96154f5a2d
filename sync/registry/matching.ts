// How an enrollment finds its consumer profile: normalised names plus the birth date where both
// sides keep one. Never the national number (it is not even in the wire format).

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

/** The key profiles are indexed and locked by: surname and first names, each normalised. */
export function matchKey(surname: string, firstNames: string): string {
  return `${normaliseName(surname)}|${normaliseName(firstNames)}`;
}

/** Dates of different precision (YYYY, YYYY-MM, YYYY-MM-DD) agree when they agree at the coarser one. */
export function birthDatesAgree(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return true;
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) === b.slice(0, n);
}

/** The more precise of two agreeing birth dates (the profile keeps the best one seen). */
export function finerBirthDate(a: string | undefined | null, b: string | undefined | null): string | undefined {
  if (!a) return b ?? undefined;
  if (!b) return a;
  return b.length > a.length ? b : a;
}

export interface MatchCandidate {
  profileId: string;
  birthDate: string | null;
  updatedAt: string;
}

/**
 * Picks the profile an enrollment belongs to among those with the same name key: the birth dates
 * must agree; a candidate confirmed by an actual birth date beats one that only lacks it; then the
 * most recently updated wins.
 */
export function pickProfile<T extends MatchCandidate>(candidates: readonly T[], birthDate: string | undefined): T | undefined {
  const agreeing = candidates.filter((c) => birthDatesAgree(c.birthDate, birthDate));
  const score = (c: T): number => (birthDate && c.birthDate ? Math.min(birthDate.length, c.birthDate.length) : 0);
  return agreeing.sort((x, y) => score(y) - score(x) || y.updatedAt.localeCompare(x.updatedAt))[0];
}
