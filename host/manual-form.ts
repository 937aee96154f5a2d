// The manual form (and the optional contact details): names need at least one letter, an e-mail
// must be an address, a mobile is parsed with Belgium as the default region and kept as E.164.
// Errors are per field codes the renderer words; values never appear in them.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { Text } from '../sync/wire/schemas.js';
import { HostError } from './errors.js';

export type FieldCode = 'REQUIRED' | 'TOO_LONG' | 'NAME_INVALID' | 'EMAIL_INVALID' | 'MOBILE_INVALID';

export interface Contact {
  email?: string;
  mobile?: string;
}

export interface ManualIdentity extends Contact {
  surname: string;
  firstNames: string;
}

const NAME_MAX = 200;
const LETTER = /\p{L}/u;
const Email = z.email().max(254);

function name(value: string, field: string, errors: Record<string, FieldCode>): string {
  const v = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (v === '') errors[field] = 'REQUIRED';
  else if (v.length > NAME_MAX) errors[field] = 'TOO_LONG';
  // The store refuses what its wire schema refuses (a NUL, ESC, a bidi override): refused here first,
  // while the customer can still correct it, instead of a commit that fails every time.
  else if (!LETTER.test(v) || !Text.safeParse(v).success) errors[field] = 'NAME_INVALID';
  return v;
}

function contact(input: Contact, errors: Record<string, FieldCode>): Contact {
  const out: Contact = {};
  const email = input.email?.trim();
  if (email) {
    if (Email.safeParse(email).success) out.email = email;
    else errors.email = 'EMAIL_INVALID';
  }
  const mobile = input.mobile?.trim();
  if (mobile) {
    const parsed = parsePhoneNumberFromString(mobile, 'BE');
    const type = parsed?.getType();
    // A fixed line cannot take an SMS; a number whose type is unknown is let through when valid.
    if (parsed?.isValid() && type !== 'FIXED_LINE') out.mobile = parsed.number;
    else errors.mobile = 'MOBILE_INVALID';
  }
  return out;
}

function check<T>(value: T, errors: Record<string, FieldCode>): T {
  if (Object.keys(errors).length > 0) throw new HostError('INVALID_REQUEST', { fields: errors });
  return value;
}

export function validateManual(input: ManualIdentity): ManualIdentity {
  const errors: Record<string, FieldCode> = {};
  const surname = name(input.surname, 'surname', errors);
  const firstNames = name(input.firstNames, 'firstNames', errors);
  return check({ surname, firstNames, ...contact(input, errors) }, errors);
}

export function validateContact(input: Contact): Contact {
  const errors: Record<string, FieldCode> = {};
  return check(contact(input, errors), errors);
}
