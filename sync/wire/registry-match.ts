// When an enrollment may carry the birth date for the registry's matching (schemas.ts RegistryMatch),
// decided in one place for the kiosk that sends it and the registry that checks it: an eID read with
// every verification passed, a full birth date, and the registry consent given for some purpose.
import { FullDate, type EnrollmentPayload } from './schemas.js';

/** Every verification passed: only then is the enrollment "eID-verified" (the strong source). */
export function isVerifiedEid(p: Pick<EnrollmentPayload, 'source' | 'eidVerification'>): boolean {
  const v = p.eidVerification;
  return p.source === 'eid' && v !== undefined && v.identity && v.address && v.photo && v.chain;
}

export function registryConsentGiven(p: Pick<EnrollmentPayload, 'consents'>): boolean {
  return p.consents.some((c) => c.party === 'registry' && c.purposes.some((x) => x.status === 'given'));
}

export const isFullDate = (date: string | undefined): date is string => date !== undefined && FullDate.safeParse(date).success;

/** The birth date the registry may match this enrollment on, if any (from the card, before any policy). */
export function registryMatchBirthDate(p: EnrollmentPayload): string | undefined {
  const date = p.registryMatch?.birthDate ?? p.person.birthDate;
  return isVerifiedEid(p) && registryConsentGiven(p) && isFullDate(date) ? date : undefined;
}
