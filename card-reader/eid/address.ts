// The address file (DF01/4033): street and number, postal code, municipality, then zero padding
// (decodeTlv stops there). Every field is required: an enrollment without an address is no use.
import { CardError } from '../errors.js';
import { cardText, tagName } from './text.js';
import { decodeTlv } from './tlv.js';

export interface Address {
  street: string;
  postalCode: string;
  municipality: string;
}

const FILE = 'address';
const FIELDS = {
  street: { tag: 0x01, label: 'street' },
  postalCode: { tag: 0x02, label: 'postal code' },
  municipality: { tag: 0x03, label: 'municipality' },
} as const;

export function parseAddressFile(file: Uint8Array): Address {
  const texts = new Map<number, string | undefined>();
  for (const { tag, value } of decodeTlv(file, FILE)) {
    if (tag < 0x01 || tag > 0x03) continue; // version tag or a future field
    if (texts.has(tag)) throw new CardError('MALFORMED_FILE', `${FILE}: tag ${tagName(tag)} appears twice`);
    texts.set(tag, cardText(value, FILE, tag));
  }
  const required = (field: keyof Address): string => {
    const { tag, label } = FIELDS[field];
    const text = texts.get(tag);
    if (text === undefined) throw new CardError('MALFORMED_FILE', `${FILE}: ${label} (tag ${tagName(tag)}) is missing`);
    return text;
  };
  return { street: required('street'), postalCode: required('postalCode'), municipality: required('municipality') };
}
