import { describe, expect, it } from 'vitest';
import type { Person } from '../wire/schemas.js';
import { applyPolicy, DEFAULT_POLICY } from './policy.js';

const full: Person = {
  surname: 'Maes',
  firstNames: 'Sofie',
  language: 'fr',
  address: { street: 'Rue Haute 5', postalCode: '1000', municipality: 'Bruxelles' },
  birthDate: '1990-01-02',
  sex: 'F',
  email: 'sofie@example.org',
  mobile: '+32470000001',
};

describe('applyPolicy', () => {
  it('keeps the minimum by default: names, language, address, typed contact details', () => {
    expect(applyPolicy(full, DEFAULT_POLICY)).toEqual({
      surname: 'Maes',
      firstNames: 'Sofie',
      language: 'fr',
      address: full.address,
      email: 'sofie@example.org',
      mobile: '+32470000001',
    });
  });

  it('keeps birth date and sex only when the policy says so, and drops what it does not keep', () => {
    const policy = { keep: { address: false, birthDate: true, sex: true, email: false, mobile: false } };
    expect(applyPolicy(full, policy)).toEqual({ surname: 'Maes', firstNames: 'Sofie', language: 'fr', birthDate: '1990-01-02', sex: 'F' });
  });

  it('does not invent fields that were not given', () => {
    expect(applyPolicy({ surname: 'A', firstNames: 'B', language: 'nl' }, DEFAULT_POLICY)).toEqual({
      surname: 'A',
      firstNames: 'B',
      language: 'nl',
    });
  });
});
