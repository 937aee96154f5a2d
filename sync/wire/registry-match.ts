// When an enrollment may carry the birth date for the registry's matching (schemas.ts RegistryMatch)
// and the chain's lookup keys (ChainMatch), decided in one place for the kiosk that sends them and
// the registry that checks them: RegistryMatch needs an eID read with every verification passed, a
// full birth date, and the registry consent given for some purpose; ChainMatch needs the chain
// consent given for some purpose, and carries a birth date only from such a verified read.
import { FullDate, type ChainMatch, type ConsentRecord, type EnrollmentPayload } from './schemas.js';

/** Every verification passed: only then is the enrollment "eID-verified" (the strong source). */
export function isVerifiedEid(p: Pick<EnrollmentPayload, 'source' | 'eidVerification'>): boolean {
  const v = p.eidVerification;
  return p.source === 'eid' && v !== undefined && v.identity && v.address && v.photo && v.chain;
}

const consentGiven = (p: Pick<EnrollmentPayload, 'consents'>, party: ConsentRecord['party']): boolean =>
  p.consents.some((c) => c.party === party && c.purposes.some((x) => x.status === 'given'));

/** Some registry purpose given: otherwise the registry holds the enrollment only as the chain's processor. */
export const registryConsentGiven = (p: Pick<EnrollmentPayload, 'consents'>): boolean => consentGiven(p, 'registry');

export const chainConsentGiven = (p: Pick<EnrollmentPayload, 'consents'>): boolean => consentGiven(p, 'chain');

export const isFullDate = (date: string | undefined): date is string => date !== undefined && FullDate.safeParse(date).success;

/** The full birth date of an eID-verified read (from the card, before any policy), if any. */
function verifiedBirthDate(p: EnrollmentPayload): string | undefined {
  const date = p.registryMatch?.birthDate ?? p.chainMatch?.birthDate ?? p.person.birthDate;
  return isVerifiedEid(p) && isFullDate(date) ? date : undefined;
}

/** The birth date the registry may match this enrollment on, if any. */
export function registryMatchBirthDate(p: EnrollmentPayload): string | undefined {
  return registryConsentGiven(p) ? verifiedBirthDate(p) : undefined;
}

/** What the chain finds this customer again by, under its own consent: none without one. */
export function chainMatchFor(p: EnrollmentPayload, withdrawalCode: string): ChainMatch | undefined {
  if (!chainConsentGiven(p)) return undefined;
  const birthDate = verifiedBirthDate(p);
  return birthDate === undefined ? { withdrawalCode } : { birthDate, withdrawalCode };
}
