// The enrollment as it is queued: the person minimised by the chain's policy, and the birth date for
// the registry's matching kept apart (wire RegistryMatch) only when the registry needs it and may
// have it (../wire/registry-match.ts). It is sealed with the person and purged with it.
import { registryMatchBirthDate } from '../wire/registry-match.js';
import type { EnrollmentPayload } from '../wire/schemas.js';
import { applyPolicy, type ChainPolicy } from './policy.js';

export function queuedEnrollment(full: EnrollmentPayload, policy: ChainPolicy): EnrollmentPayload {
  const { registryMatch: _given, ...rest } = full;
  const birthDate = registryMatchBirthDate(full);
  const person = applyPolicy(full.person, policy);
  return birthDate === undefined ? { ...rest, person } : { ...rest, person, registryMatch: { birthDate } };
}
