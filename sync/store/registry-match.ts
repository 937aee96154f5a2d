// The enrollment as it is queued: the person minimised by the chain's policy, the birth date for
// the registry's matching kept apart (wire RegistryMatch) only when the registry needs it and may
// have it, and what the chain finds the customer again by (wire ChainMatch: the withdrawal code,
// and the birth date of a verified read) only under a given chain consent (../wire/registry-match.ts).
// They are sealed with the person and purged with it.
import { chainMatchFor, registryMatchBirthDate } from '../wire/registry-match.js';
import type { EnrollmentPayload } from '../wire/schemas.js';
import { applyPolicy, type ChainPolicy } from './policy.js';

export function queuedEnrollment(full: EnrollmentPayload, policy: ChainPolicy, withdrawalCode: string): EnrollmentPayload {
  const { registryMatch: _given, chainMatch: _chain, ...rest } = full;
  const birthDate = registryMatchBirthDate(full);
  const chainMatch = chainMatchFor(full, withdrawalCode);
  return {
    ...rest,
    person: applyPolicy(full.person, policy),
    ...(birthDate !== undefined && { registryMatch: { birthDate } }),
    ...(chainMatch && { chainMatch }),
  };
}
