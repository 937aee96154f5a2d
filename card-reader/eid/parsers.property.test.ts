// Property tests of the eID file parsers: whatever bytes a card (or a broken reader) hands over,
// a parser returns or throws a CardError, and a valid file parses back to what was written.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../errors.js';
import { parseAddressFile } from './address.js';
import { parseCardData } from './card-data.js';
import { documentTypeLabel, specialStatusFlags } from './document-types.js';
import { parseIdentityFile, type Identity } from './identity.js';
import { encodeTlv, type TlvField } from './tlv.js';
import { join } from 'node:path';
import { SPECIMEN_DIR } from '../virtual/profiles.js';
import { mutate, mutationsArb, tlvLengthOffsets } from '../test/byte-mutations.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(SPECIMEN_DIR, name)));
const specimenIdentity = fixture('identity.tlv');
const specimenAddress = fixture('address.tlv');
const SPECIMEN_NRN = '71715100070';
const utf8 = (s: string) => new TextEncoder().encode(s);

const PARSERS: [string, (file: Uint8Array) => unknown][] = [
  ['identity', (f) => parseIdentityFile(f)],
  ['identity with document numbers', (f) => parseIdentityFile(f, { includeDocumentNumbers: true })],
  ['address', parseAddressFile],
  ['card data', parseCardData],
];

/** Runs every parser; anything thrown must be a CardError whose message holds no national number. */
function parseAll(file: Uint8Array, nrn: string): void {
  for (const [, parse] of PARSERS) {
    try {
      parse(file);
    } catch (e) {
      if (!(e instanceof CardError)) throw e;
      expect(e.message).not.toContain(nrn);
    }
  }
}

// ---- A generator of valid identity files, with the identity each must parse to.
// Month spellings from beid.md §4, kept apart from dates.ts so the test is an independent oracle.
const MONTH_NAMES: readonly (readonly string[])[] = [
  ['JAN'],
  ['FEV', 'FEB'],
  ['MARS', 'MAAR', 'MÄR'],
  ['AVR', 'APR'],
  ['MAI', 'MEI'],
  ['JUIN', 'JUN'],
  ['JUIL', 'JUL'],
  ['AOUT', 'AUG'],
  ['SEPT', 'SEP'],
  ['OCT', 'OKT'],
  ['NOV'],
  ['DEC', 'DEZ'],
];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateArb = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true });
const iso = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const cardDate = (d: Date) => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCFullYear(), 4)}`;

const birthArb = fc
  .record({
    date: dateArb,
    precision: fc.constantFrom('day' as const, 'month' as const, 'year' as const),
    spelling: fc.nat(),
    lowerCase: fc.boolean(),
    zeroPadDay: fc.boolean(),
    seps: fc.tuple(...[0, 1].map(() => fc.constantFrom(' ', '  ', '.', '. ', ' .'))),
    lead: fc.constantFrom('', ' ', '        '),
  })
  .map(({ date, precision, spelling, lowerCase, zeroPadDay, seps, lead }) => {
    const names = MONTH_NAMES[date.getUTCMonth()]!;
    const month = names[spelling % names.length]!;
    const day = zeroPadDay ? pad(date.getUTCDate()) : String(date.getUTCDate());
    const year = pad(date.getUTCFullYear(), 4);
    const parts = { day: [day, month, year], month: [month, year], year: [year] }[precision];
    const text = lead + parts.map((p, i) => (i === 0 ? p : seps[i - 1] + p)).join('');
    return { text: lowerCase ? text.toLowerCase() : text, date: iso(date).slice(0, { day: 10, month: 7, year: 4 }[precision]), precision };
  });

const textArb = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 30 })
  .map((s) => s.trim())
  .filter((s) => s !== '');
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const validIdentityArb = fc
  .record({
    surname: textArb,
    firstNames: optional(textArb),
    birthPlace: optional(textArb),
    nationality: optional(textArb),
    birth: birthArb,
    sexCode: fc.constantFrom('M', 'F', 'V', 'W'),
    documentType: fc.integer({ min: 0, max: 99 }),
    twoDigitType: fc.boolean(),
    specialStatus: optional(fc.integer({ min: 0, max: 9 })),
    validity: optional(fc.tuple(dateArb, dateArb)),
    photoHash: optional(fc.constantFrom(20, 32, 48).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))),
    memberOfFamily: fc.boolean(),
    nrn: fc.stringMatching(/^\d{11}$/),
    unknown: fc.uniqueArray(fc.record({ tag: fc.integer({ min: 0x20, max: 0xff }), value: fc.uint8Array({ maxLength: 40 }) }), {
      selector: (f) => f.tag,
      maxLength: 4,
    }),
    padding: fc.nat({ max: 60 }),
  })
  .map((m) => {
    const fields: TlvField[] = [...m.unknown];
    const put = (tag: number, value: string | Uint8Array | undefined) => {
      if (value !== undefined) fields.push({ tag, value: typeof value === 'string' ? utf8(value) : value });
    };
    put(0x03, m.validity && cardDate(m.validity[0]));
    put(0x04, m.validity && cardDate(m.validity[1]));
    put(0x06, m.nrn);
    put(0x07, m.surname);
    put(0x08, m.firstNames);
    put(0x0a, m.nationality);
    put(0x0b, m.birthPlace);
    put(0x0c, m.birth.text);
    put(0x0d, m.sexCode);
    put(0x0f, m.twoDigitType ? pad(m.documentType) : String(m.documentType));
    put(0x10, m.specialStatus?.toString());
    put(0x11, m.photoHash);
    put(0x14, m.memberOfFamily ? new Uint8Array(0) : undefined);
    fields.sort((a, b) => a.tag - b.tag);
    const file = Uint8Array.from([...encodeTlv(fields), ...new Uint8Array(m.padding)]);

    const flags = m.specialStatus === undefined ? undefined : specialStatusFlags(m.specialStatus);
    const identity: Identity = {
      ...(m.validity && { validityBegin: iso(m.validity[0]), validityEnd: iso(m.validity[1]) }),
      surname: m.surname,
      ...(m.firstNames !== undefined && { firstNames: m.firstNames }),
      ...(m.nationality !== undefined && { nationality: m.nationality }),
      ...(m.birthPlace !== undefined && { birthPlace: m.birthPlace }),
      birthDate: m.birth.date,
      birthDatePrecision: m.birth.precision,
      sex: m.sexCode === 'M' ? 'M' : 'F',
      documentType: m.documentType,
      documentTypeLabel: documentTypeLabel(m.documentType),
      ...(m.specialStatus !== undefined && { specialStatus: m.specialStatus }),
      ...(flags && { specialStatusFlags: flags }),
      memberOfFamily: m.memberOfFamily,
    };
    return { file, identity, photoHash: m.photoHash, nrn: m.nrn };
  });

describe('eID parsers under arbitrary input', () => {
  it('throw nothing but CardError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (file) => parseAll(file, SPECIMEN_NRN)));
  });

  it('throw nothing but CardError on random TLV fields with identity and address tags', () => {
    const field = fc.record({ tag: fc.integer({ min: 0, max: 0x21 }), value: fc.uint8Array({ maxLength: 60 }) });
    fc.assert(fc.property(fc.array(field, { maxLength: 30 }), (fields) => parseAll(encodeTlv(fields), SPECIMEN_NRN)));
  });

  it('throw nothing but CardError on mutations of the specimen identity file', () => {
    fc.assert(
      fc.property(mutationsArb, (ms) => parseAll(mutate(specimenIdentity, ms, tlvLengthOffsets), SPECIMEN_NRN)),
      { numRuns: 300 },
    );
  });

  it('throw nothing but CardError on mutations of the specimen address file', () => {
    fc.assert(
      fc.property(mutationsArb, (ms) => parseAll(mutate(specimenAddress, ms, tlvLengthOffsets), SPECIMEN_NRN)),
      { numRuns: 300 },
    );
  });

  it('throw nothing but CardError on mutations of generated valid identity files', () => {
    fc.assert(
      fc.property(validIdentityArb, mutationsArb, (v, ms) => parseAll(mutate(v.file, ms, tlvLengthOffsets), v.nrn)),
      { numRuns: 300 },
    );
  });
});

describe('a generated valid identity file', () => {
  it('parses back to the fields written, without the national number', () => {
    fc.assert(
      fc.property(validIdentityArb, ({ file, identity, photoHash, nrn }) => {
        const parsed = parseIdentityFile(file);
        expect(parsed).toStrictEqual({ identity, ...(photoHash && { photoHash }) });
        expect(JSON.stringify(parsed)).not.toContain(nrn);
      }),
      { numRuns: 300 },
    );
  });
});
