// The chain's data-minimisation policy: the one place that decides which person fields are kept.
// Applied before the enrollment is stored and before it is queued, so a dropped field never reaches
// the disk or the wire. Surname, first names and language are always kept (the Person schema needs
// them); the rest is listed here.
import type { Person } from '../wire/schemas.js';

export interface ChainPolicy {
  readonly keep: {
    readonly address: boolean;
    readonly birthDate: boolean;
    readonly sex: boolean;
    /** Contact details the customer typed; kept when given unless the chain opts out. */
    readonly email: boolean;
    readonly mobile: boolean;
  };
  /**
   * Who vouches for the face check on the eID path: `code` (the default) = a staff member's code,
   * named in the records; `off` = a button, and the records say the policy switched codes off.
   */
  readonly staffCheck?: 'code' | 'off';
}

/** The minimum (product.md): name, first names, address, language and typed contact details. */
export const DEFAULT_POLICY: ChainPolicy = {
  keep: { address: true, birthDate: false, sex: false, email: true, mobile: true },
};

type OptionalField = keyof ChainPolicy['keep'];
const OPTIONAL_FIELDS: readonly OptionalField[] = ['address', 'birthDate', 'sex', 'email', 'mobile'];

export function applyPolicy(person: Person, policy: ChainPolicy): Person {
  const kept: Person = { surname: person.surname, firstNames: person.firstNames, language: person.language };
  for (const field of OPTIONAL_FIELDS) {
    if (policy.keep[field] && person[field] !== undefined) Object.assign(kept, { [field]: person[field] });
  }
  return kept;
}
