import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CardError } from '../errors.js';
import { parseIdentityFile, type ParsedIdentity } from './identity.js';
import { encodeTlv } from './tlv.js';
import { join } from 'node:path';
import { SPECIMEN_DIR } from '../virtual/profiles.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(SPECIMEN_DIR, name)));
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const utf8 = (s: string) => new TextEncoder().encode(s);
const malformed = (detail: string) => expect.objectContaining({ code: 'MALFORMED_FILE', detail });

type Fields = Record<number, string | Uint8Array>;
const MINIMAL: Fields = { 0x07: 'Doe', 0x0c: '01 JAN 1971', 0x0d: 'M', 0x0f: '1' };
/** An identity file of MINIMAL plus `fields` (undefined removes one), tags in card order. */
function identityFile(fields: Record<number, string | Uint8Array | undefined> = {}): Uint8Array {
  const merged: Record<number, string | Uint8Array | undefined> = { ...MINIMAL, ...fields };
  return encodeTlv(
    Object.entries(merged)
      .filter((e): e is [string, string | Uint8Array] => e[1] !== undefined)
      .map(([tag, v]) => ({ tag: Number(tag), value: typeof v === 'string' ? utf8(v) : v }))
      .sort((a, b) => a.tag - b.tag),
  );
}
const parse = (fields: Record<number, string | Uint8Array | undefined>) => parseIdentityFile(identityFile(fields)).identity;

const SPECIMEN_NRN = '71715100070';

describe('parseIdentityFile on the specimen card', () => {
  const file = fixture('identity.tlv');
  const expectedIdentity = {
    validityBegin: '2009-07-23',
    validityEnd: '2014-07-23',
    issuingMunicipality: 'Antwerpen',
    surname: 'SPECIMEN',
    firstNames: 'Alice Geldigekaart',
    thirdNameInitial: 'A',
    nationality: 'BELG',
    birthPlace: 'Hamont-Achel',
    birthDate: '1971-01-01',
    birthDatePrecision: 'day',
    sex: 'F',
    documentType: 1,
    documentTypeLabel: 'Belgian eID card',
    specialStatus: 0,
    specialStatusFlags: { whiteCane: false, extendedMinority: false, yellowCane: false },
    memberOfFamily: false,
  };

  it('reads every field, and the photo hash as a copy', () => {
    expect(file.length).toBe(179);
    const parsed = parseIdentityFile(file);
    expect(parsed).toStrictEqual({
      identity: expectedIdentity,
      photoHash: bytes('28f3ec532102b0ccd93c7bdf58ed83400a899790'),
    });
    // A view on the file would keep the national number reachable from the result.
    expect(parsed.photoHash!.buffer.byteLength).toBe(20);
  });

  it('gives card and chip numbers only when asked', () => {
    expect(parseIdentityFile(file, { includeDocumentNumbers: true })).toStrictEqual({
      identity: expectedIdentity,
      photoHash: bytes('28f3ec532102b0ccd93c7bdf58ed83400a899790'),
      documentNumbers: { cardNumber: '000000122157', chipNumber: '534C494E336600296CFF293B2A122219' },
    });
  });

  it('never lets the national register number out', () => {
    expect(Buffer.from(file).toString('latin1')).toContain(SPECIMEN_NRN);
    for (const opts of [undefined, { includeDocumentNumbers: false }, { includeDocumentNumbers: true }]) {
      expect(json(parseIdentityFile(file, opts))).not.toContain(SPECIMEN_NRN);
    }
  });

  it('rejects every truncation with a CardError that names no value', () => {
    for (let length = 0; length < file.length; length++) {
      let error: unknown;
      try {
        parseIdentityFile(file.subarray(0, length), { includeDocumentNumbers: true });
      } catch (e) {
        error = e;
      }
      // Cut right after the document type (0x0F) or the special status (0x10), the file still
      // holds every required field; any other cut loses one or ends inside a field.
      if (length === 0x9a || length === 0x9d) {
        expect(error).toBeUndefined();
        continue;
      }
      expect(error).toBeInstanceOf(CardError);
      expect((error as CardError).message).not.toMatch(/SPECIMEN|Alice|1971|7171/);
    }
  });

  it('reads the file followed by zero padding', () => {
    const padded = Uint8Array.from([...file, ...new Uint8Array(40)]);
    expect(parseIdentityFile(padded).identity).toStrictEqual(expectedIdentity);
  });
});

describe('parseIdentityFile on the EC 1.7 card of beid.md §3', () => {
  // The tags beid.md shows, byte for byte. The photo hash shows only its first and last 4 bytes.
  const photoHash = bytes('476A2C40' + 'AA'.repeat(24) + '517B0801');
  const shown = ['01 0C 303030303031323431363030', '02 10 534C4790025100002239288F12920363', '03 0A 30352E30372E32303232'];
  const rest = [
    '08 0C 4E6F726120416E67C3A86C65',
    '09 00',
    '0C 0B 3033204D45492032303031',
    '0D 01 56  0E 00  0F 01 31  10 01 30',
    '11 20' + Buffer.from(photoHash).toString('hex'),
  ];
  // Tags the excerpt leaves out, with made-up values (the real file is 176 bytes).
  const NRN = '01050399864';
  const hiddenFields: [number, string][] = [
    [0x04, '05.07.2032'],
    [0x05, 'Brussel'],
    [0x06, NRN],
    [0x07, 'Specimen'],
    [0x0a, 'Belg'],
    [0x0b, 'Brussel'],
  ];
  const hidden = Buffer.from(encodeTlv(hiddenFields.map(([tag, v]) => ({ tag, value: utf8(v) })))).toString('hex');

  it('as excerpted, it has no surname', () => {
    expect(() => parseIdentityFile(bytes([...shown, ...rest].join('')))).toThrowError(malformed('identity: surname (tag 0x07) is missing'));
  });

  it('with the left-out tags it reads: Dutch V is female, MEI is May, UTF-8 è, SHA-256 photo hash', () => {
    const file = bytes([...shown, hidden, ...rest].join(''));
    expect(file.length).toBe(177);
    const parsed = parseIdentityFile(file, { includeDocumentNumbers: true });
    expect(parsed).toStrictEqual({
      identity: {
        validityBegin: '2022-07-05',
        validityEnd: '2032-07-05',
        issuingMunicipality: 'Brussel',
        surname: 'Specimen',
        firstNames: 'Nora Angèle',
        nationality: 'Belg',
        birthPlace: 'Brussel',
        birthDate: '2001-05-03',
        birthDatePrecision: 'day',
        sex: 'F',
        documentType: 1,
        documentTypeLabel: 'Belgian eID card',
        specialStatus: 0,
        specialStatusFlags: { whiteCane: false, extendedMinority: false, yellowCane: false },
        memberOfFamily: false,
      },
      photoHash,
      documentNumbers: { cardNumber: '000001241600', chipNumber: '534C4790025100002239288F12920363' },
    });
    expect(json(parsed)).not.toContain(NRN);
  });
});

describe('document types', () => {
  it.each([
    ['1', 1, 'Belgian eID card'],
    ['01', 1, 'Belgian eID card'],
    ['6', 6, 'Kids-ID'],
    ['11', 11, 'Foreigner card A'],
    ['14', 14, 'Foreigner card D'],
    ['16', 16, 'Foreigner card E+'],
    ['19', 19, 'Foreigner card H (EU Blue Card)'],
    ['33', 33, 'Foreigner card A (2021)'],
    ['61', 61, 'Kids foreigner card EU'],
    ['69', 69, 'Kids foreigner card M'],
    [' 42 ', 42, 'Unknown document type 42'],
  ])('%j is %i, %s', (code, documentType, documentTypeLabel) => {
    expect(parse({ 0x0f: code })).toMatchObject({ documentType, documentTypeLabel });
  });

  it.each(['A', '1A', '-1', '1.0'])('rejects %j', (code) => {
    expect(() => parse({ 0x0f: code })).toThrowError(malformed('identity: document type (tag 0x0F) is not a number'));
  });
});

describe('special status', () => {
  it.each([
    ['0', 0, false, false, false],
    ['1', 1, true, false, false],
    ['2', 2, false, true, false],
    ['3', 3, true, true, false],
    ['4', 4, false, false, true],
    ['5', 5, false, true, true],
  ])('%j means white cane %s, extended minority %s, yellow cane %s', (code, specialStatus, whiteCane, extendedMinority, yellowCane) => {
    expect(parse({ 0x10: code })).toMatchObject({
      specialStatus,
      specialStatusFlags: { whiteCane, extendedMinority, yellowCane },
    });
  });

  it('keeps an unknown status as a number without flags, and absent when empty', () => {
    const unknown = parse({ 0x10: '7' });
    expect(unknown.specialStatus).toBe(7);
    expect(unknown).not.toHaveProperty('specialStatusFlags');
    expect(parse({ 0x10: '' })).not.toHaveProperty('specialStatus');
    expect(() => parse({ 0x10: 'X' })).toThrowError(malformed('identity: special status (tag 0x10) is not a number'));
  });
});

describe('foreigner tags 0x12-0x1F', () => {
  it('reads each with its meaning', () => {
    const basicKeyHash = new Uint8Array(48).fill(0x5a);
    const parsed = parseIdentityFile(
      identityFile({
        0x0f: '16',
        0x12: '01',
        0x13: '2',
        0x14: '',
        0x15: '13.08.2014-IT',
        0x16: 'A',
        0x17: '0123.456.789',
        0x18: '0987.654.321',
        0x19: 'RF-2019-00012 ',
        0x1a: basicKeyHash,
        0x1b: 'B',
        0x1c: 'C',
        0x1d: 'D',
        0x1e: 'K',
        0x1f: '01.02.2021',
      }),
    );
    expect(parsed).toStrictEqual({
      identity: {
        surname: 'Doe',
        birthDate: '1971-01-01',
        birthDatePrecision: 'day',
        sex: 'M',
        documentType: 16,
        documentTypeLabel: 'Foreigner card E+',
        duplicate: '01',
        specialOrganisation: { code: '2', meaning: 'NATO' },
        memberOfFamily: true,
        protection: { date: '2014-08-13', country: 'IT' },
        workPermit: { code: 'A', meaning: 'Seasonal worker' },
        employerVat1: '0123.456.789',
        employerVat2: '0987.654.321',
        regionalFileNumber: 'RF-2019-00012',
        brexitMention1: { code: 'B', meaning: 'Article 18(1) of the Withdrawal Agreement' },
        brexitMention2: { code: 'C', meaning: 'Permanent stay' },
        cardAMention1: { code: 'D', meaning: 'Student' },
        cardAMention2: { code: 'K', meaning: 'Mobility programme' },
        euStartDate: '2021-02-01',
      },
      basicKeyHash,
    });
  });

  it('treats every empty one as absent, except 0x14 which means member of family', () => {
    const empty = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [0x12 + i, '']));
    expect(parseIdentityFile(identityFile(empty))).toStrictEqual({
      identity: {
        surname: 'Doe',
        birthDate: '1971-01-01',
        birthDatePrecision: 'day',
        sex: 'M',
        documentType: 1,
        documentTypeLabel: 'Belgian eID card',
        memberOfFamily: true,
      },
    });
  });

  it('reads member of family from presence alone', () => {
    expect(parse({}).memberOfFamily).toBe(false);
    expect(parseIdentityFile(bytes(Buffer.from(identityFile()).toString('hex') + '14 00')).identity.memberOfFamily).toBe(true);
    expect(parse({ 0x14: '1' }).memberOfFamily).toBe(true);
  });

  it.each([
    ['13', '1', 'specialOrganisation', { code: '1', meaning: 'SHAPE' }],
    ['13', '4', 'specialOrganisation', { code: '4', meaning: 'Former blue card holder' }],
    ['13', '5', 'specialOrganisation', { code: '5', meaning: 'Researcher' }],
    ['13', '3', 'specialOrganisation', { code: '3', meaning: 'Unknown special organisation 3' }],
    ['16', '7', 'workPermit', { code: '7', meaning: 'Unlimited access to the labour market' }],
    ['16', '8', 'workPermit', { code: '8', meaning: 'Limited access to the labour market' }],
    ['16', '9', 'workPermit', { code: '9', meaning: 'No access to the labour market' }],
    ['16', 'constructor', 'workPermit', { code: 'constructor', meaning: 'Unknown work permit constructor' }],
    ['1D', 'A', 'cardAMention1', { code: 'A', meaning: 'Seasonal worker' }],
    ['1D', 'E', 'cardAMention1', { code: 'E', meaning: 'Pupil' }],
    ['1D', 'F', 'cardAMention1', { code: 'F', meaning: 'Trainee' }],
    ['1D', 'G', 'cardAMention1', { code: 'G', meaning: 'Volunteer' }],
    ['1D', 'H', 'cardAMention1', { code: 'H', meaning: 'Au pair' }],
    ['1D', 'I', 'cardAMention1', { code: 'I', meaning: 'Researcher' }],
    ['1D', 'J', 'cardAMention1', { code: 'J', meaning: 'Job search' }],
    ['1B', 'Z', 'brexitMention1', { code: 'Z', meaning: 'Unknown Brexit mention Z' }],
  ])('tag 0x%s %j', (tag, code, field, value) => {
    expect(parse({ [parseInt(tag, 16)]: code })).toHaveProperty(field, value);
  });

  it.each([
    ['15', '13.08.2014', 'identity: protection (tag 0x15) is not a date and a country code'],
    ['15', '31.02.2014-IT', 'identity: protection date (tag 0x15) is not a DD.MM.YYYY date'],
    ['1F', '2021-02-01', 'identity: EU start date (tag 0x1F) is not a DD.MM.YYYY date'],
    ['03', '1.1.2020', 'identity: validity begin (tag 0x03) is not a DD.MM.YYYY date'],
    ['04', '31.04.2020', 'identity: validity end (tag 0x04) is not a DD.MM.YYYY date'],
  ])('rejects tag 0x%s %j, naming the field', (tag, text, detail) => {
    expect(() => parse({ [parseInt(tag, 16)]: text })).toThrowError(malformed(detail));
  });
});

describe('required fields and bad values', () => {
  it.each([
    ['07', 'identity: surname (tag 0x07) is missing'],
    ['0C', 'identity: birth date (tag 0x0C) is missing'],
    ['0D', 'identity: sex (tag 0x0D) is missing'],
    ['0F', 'identity: document type (tag 0x0F) is missing'],
  ])('tag 0x%s absent or empty is an error', (tag, detail) => {
    for (const value of [undefined, '', '   ']) {
      expect(() => parse({ [parseInt(tag, 16)]: value })).toThrowError(malformed(detail));
    }
  });

  it('has no first names when tag 0x08 is empty', () => {
    expect(parse({ 0x08: '' })).not.toHaveProperty('firstNames');
    expect(parse({ 0x08: ' Jan  Piet ' }).firstNames).toBe('Jan  Piet');
  });

  it.each([
    ['M', 'M'],
    ['F', 'F'],
    ['V', 'F'],
    ['W', 'F'],
    ['v', 'F'],
  ])('sex %j is %s', (code, sex) => {
    expect(parse({ 0x0d: code }).sex).toBe(sex);
  });

  it('rejects an unknown sex code without echoing it', () => {
    expect(() => parse({ 0x0d: 'Q' })).toThrowError(malformed('identity: sex (tag 0x0D) is not M, F, V or W'));
  });

  it('reads every birth date form of beid.md §4', () => {
    const forms: [string, string, string][] = [
      ['01 JAN 1971', '1971-01-01', 'day'],
      ['1 JAN 1971', '1971-01-01', 'day'],
      ['24 MAAR 1969', '1969-03-24', 'day'],
      ['07 SEPT 2003', '2003-09-07', 'day'],
      ['21 DEC  1981', '1981-12-21', 'day'],
      ['13.AUG. 1996', '1996-08-13', 'day'],
      ['22.DEZ. 1997', '1997-12-22', 'day'],
      ['23.SEP.1982', '1982-09-23', 'day'],
      ['        1962', '1962', 'year'],
      ['MAI 1962', '1962-05', 'month'],
    ];
    for (const [text, birthDate, birthDatePrecision] of forms) {
      expect(parse({ 0x0c: text })).toMatchObject({ birthDate, birthDatePrecision });
    }
  });

  it('reads a German MÄR in UTF-8 (C3 84), and rejects it in Latin-1', () => {
    expect(parse({ 0x0c: bytes('31 2E 4D C3 84 52 2E 20 31 39 38 30') }).birthDate).toBe('1980-03-01');
    expect(() => parse({ 0x0c: bytes('31 2E 4D C4 52 2E 20 31 39 38 30') })).toThrowError(
      malformed('identity: tag 0x0C is not valid UTF-8'),
    );
  });

  it('rejects an impossible birth date without echoing it', () => {
    expect(() => parse({ 0x0c: '31 FEV 1999' })).toThrowError(malformed('identity: birth date (tag 0x0C) has an impossible day'));
  });

  it('rejects invalid UTF-8 naming the tag', () => {
    expect(() => parse({ 0x07: bytes('44 6F C3') })).toThrowError(malformed('identity: tag 0x07 is not valid UTF-8'));
    expect(() => parse({ 0x08: bytes('ED A0 80') })).toThrowError(malformed('identity: tag 0x08 is not valid UTF-8'));
    expect(() => parse({ 0x01: bytes('FF') })).not.toThrow(); // card number: not read unless asked
    expect(() => parseIdentityFile(identityFile({ 0x01: bytes('FF') }), { includeDocumentNumbers: true })).toThrowError(
      malformed('identity: tag 0x01 is not valid UTF-8'),
    );
  });

  it('never reads the national number, even when it is not text', () => {
    expect(parse({ 0x06: bytes('FF FE 00') })).not.toHaveProperty('nationalNumber');
  });

  it('skips unknown tags unread', () => {
    expect(parse({ 0x20: bytes('FF'), 0x7f: bytes('C3'), 0xfe: '' })).toStrictEqual(parse({}));
  });

  it('rejects a tag that appears twice', () => {
    const twice = Uint8Array.from([...identityFile(), ...encodeTlv([{ tag: 0x07, value: utf8('Roe') }])]);
    expect(() => parseIdentityFile(twice)).toThrowError(malformed('identity: tag 0x07 appears twice'));
  });

  it('accepts photo hashes of 20, 32 and 48 bytes only', () => {
    for (const n of [20, 32, 48]) {
      expect(parseIdentityFile(identityFile({ 0x11: new Uint8Array(n).fill(n) })).photoHash).toStrictEqual(new Uint8Array(n).fill(n));
    }
    expect(() => parse({ 0x11: new Uint8Array(19) })).toThrowError(
      malformed('identity: photo hash (tag 0x11) has 19 bytes, not 20, 32 or 48'),
    );
  });

  it('reads the file version as a byte or a digit', () => {
    expect(parse({ 0x00: Uint8Array.of(2) }).fileVersion).toBe(2);
    expect(parse({ 0x00: '2' }).fileVersion).toBe(2);
    expect(parse({ 0x00: '' })).not.toHaveProperty('fileVersion');
    expect(() => parse({ 0x00: Uint8Array.of(1, 2) })).toThrowError(malformed('identity: file version (tag 0x00) is not a number'));
  });

  it('gives an empty documentNumbers when asked and the card has none', () => {
    expect(parseIdentityFile(identityFile(), { includeDocumentNumbers: true }).documentNumbers).toStrictEqual({});
  });
});

const json = (p: ParsedIdentity) => JSON.stringify(p, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
