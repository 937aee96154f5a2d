// The manual form's rules: names need a letter, e-mail is optional but must be an address, a mobile
// is optional, parsed with Belgium as the default region, kept as E.164, and a fixed line is refused.
import { describe, expect, it } from 'vitest';
import { HostError } from './errors.js';
import { validateContact, validateManual } from './manual-form.js';

const fields = (run: () => unknown): Record<string, string> | undefined => {
  try {
    run();
    return undefined;
  } catch (e) {
    if (e instanceof HostError) return e.extra.fields;
    throw e;
  }
};

describe('validateManual', () => {
  it('trims and keeps names, and normalises a Belgian mobile to E.164', () => {
    expect(validateManual({ surname: '  Van den  Broeck ', firstNames: 'Éloïse', mobile: '0470/12.34.56' })).toEqual({
      surname: 'Van den Broeck',
      firstNames: 'Éloïse',
      mobile: '+32470123456',
    });
    expect(validateContact({ mobile: '+33 6 12 34 56 78', email: 'a.b@example.fr' })).toEqual({
      mobile: '+33612345678',
      email: 'a.b@example.fr',
    });
    expect(validateContact({ email: '', mobile: ' ' })).toEqual({});
  });

  it('names each failing field with a code, never its value', () => {
    expect(fields(() => validateManual({ surname: '', firstNames: '---', email: 'nope@', mobile: '02 123 45 67' }))).toEqual({
      surname: 'REQUIRED',
      firstNames: 'NAME_INVALID',
      email: 'EMAIL_INVALID',
      mobile: 'MOBILE_INVALID', // a Brussels fixed line cannot take an SMS
    });
    expect(fields(() => validateManual({ surname: 'x'.repeat(201), firstNames: 'A' }))).toEqual({ surname: 'TOO_LONG' });
    expect(fields(() => validateContact({ mobile: '12345' }))).toEqual({ mobile: 'MOBILE_INVALID' });
  });

  it('refuses what the store would refuse: control characters and bidi overrides in a name', () => {
    for (const bad of ['Pee\u0000ters', 'Pee\u001bters', 'Peeters\u202e', 'Pee\u0085ters', 'Pee\u2066ters']) {
      expect(fields(() => validateManual({ surname: bad, firstNames: 'Jan' }))).toEqual({ surname: 'NAME_INVALID' });
      expect(fields(() => validateManual({ surname: 'Jan', firstNames: bad }))).toEqual({ firstNames: 'NAME_INVALID' });
    }
    expect(fields(() => validateContact({ email: 'jan\u0000@example.be' }))).toEqual({ email: 'EMAIL_INVALID' });
  });
});
