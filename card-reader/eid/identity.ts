// The identity file (DF01/4031, beid.md §4) as typed fields. The national register number (tag 06)
// is skipped unread: it is never decoded, copied, returned or named with its value, here or in errors.
// Card and chip numbers are read only on request. Byte fields are copied out, so a result never keeps
// a view on the raw file (which holds tag 06).
import { CardError } from '../errors.js';
import { parseBirthDate, parseCardDate, type DatePrecision } from './dates.js';
import {
  BREXIT_MENTIONS,
  CARD_A_MENTIONS,
  SPECIAL_ORGANISATIONS,
  WORK_PERMITS,
  codedValue,
  documentTypeLabel,
  specialStatusFlags,
  type CodedValue,
  type SpecialStatusFlags,
} from './document-types.js';
import { cardText, tagName } from './text.js';
import { decodeTlv } from './tlv.js';

export type Sex = 'M' | 'F';

/** Optional fields are absent when their tag is absent or empty. Dates are ISO `YYYY-MM-DD`. */
export interface Identity {
  fileVersion?: number;
  validityBegin?: string;
  validityEnd?: string;
  issuingMunicipality?: string;
  surname: string;
  firstNames?: string;
  thirdNameInitial?: string;
  /** As printed on the card (`BELG`, `Belge`, `Südafrika`): localised free text, not an ISO code. */
  nationality?: string;
  birthPlace?: string;
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as far as the card knows it. */
  birthDate: string;
  birthDatePrecision: DatePrecision;
  sex: Sex;
  nobleCondition?: string;
  documentType: number;
  documentTypeLabel: string;
  specialStatus?: number;
  /** Absent when the status code is not one of 0-5. */
  specialStatusFlags?: SpecialStatusFlags;
  duplicate?: string;
  specialOrganisation?: CodedValue;
  memberOfFamily: boolean;
  protection?: { date: string; country: string };
  workPermit?: CodedValue;
  employerVat1?: string;
  employerVat2?: string;
  regionalFileNumber?: string;
  brexitMention1?: CodedValue;
  brexitMention2?: CodedValue;
  cardAMention1?: CodedValue;
  cardAMention2?: CodedValue;
  euStartDate?: string;
}

export interface ParsedIdentity {
  identity: Identity;
  /** Tag 0x11: SHA-1, SHA-256 or SHA-384 of the photo, for verification only. */
  photoHash?: Uint8Array;
  /** Tag 0x1A: SHA-384 of the basic public key file (applet 1.8). */
  basicKeyHash?: Uint8Array;
  /** Present only with includeDocumentNumbers. */
  documentNumbers?: { cardNumber?: string; chipNumber?: string };
}

const FILE = 'identity';
const NATIONAL_NUMBER_TAG = 0x06;
const PHOTO_HASH_LENGTHS = [20, 32, 48];

type Draft = Partial<Identity>;
type TextField = (text: string, id: Draft) => void;

const malformed = (what: string) => new CardError('MALFORMED_FILE', `${FILE}: ${what}`);

// Text tags and where they go; a tag in neither this table nor the switch below is skipped unread.
const TEXT_FIELDS: ReadonlyMap<number, TextField> = new Map<number, TextField>([
  [0x03, (t, id) => (id.validityBegin = parseCardDate(t, 'validity begin (tag 0x03)'))],
  [0x04, (t, id) => (id.validityEnd = parseCardDate(t, 'validity end (tag 0x04)'))],
  [0x05, (t, id) => (id.issuingMunicipality = t)],
  [0x07, (t, id) => (id.surname = t)],
  [0x08, (t, id) => (id.firstNames = t)],
  [0x09, (t, id) => (id.thirdNameInitial = t)],
  [0x0a, (t, id) => (id.nationality = t)],
  [0x0b, (t, id) => (id.birthPlace = t)],
  [
    0x0c,
    (t, id) => {
      const { date, precision } = parseBirthDate(t);
      id.birthDate = date;
      id.birthDatePrecision = precision;
    },
  ],
  [0x0d, (t, id) => (id.sex = sexOf(t))],
  [0x0e, (t, id) => (id.nobleCondition = t)],
  [
    0x0f,
    (t, id) => {
      id.documentType = smallNumber(t, 'document type (tag 0x0F)');
      id.documentTypeLabel = documentTypeLabel(id.documentType);
    },
  ],
  [
    0x10,
    (t, id) => {
      id.specialStatus = smallNumber(t, 'special status (tag 0x10)');
      const flags = specialStatusFlags(id.specialStatus);
      if (flags) id.specialStatusFlags = flags;
    },
  ],
  [0x12, (t, id) => (id.duplicate = t)],
  [0x13, (t, id) => (id.specialOrganisation = codedValue(SPECIAL_ORGANISATIONS, t, 'special organisation'))],
  [0x15, (t, id) => (id.protection = protectionOf(t))],
  [0x16, (t, id) => (id.workPermit = codedValue(WORK_PERMITS, t, 'work permit'))],
  [0x17, (t, id) => (id.employerVat1 = t)],
  [0x18, (t, id) => (id.employerVat2 = t)],
  [0x19, (t, id) => (id.regionalFileNumber = t)],
  [0x1b, (t, id) => (id.brexitMention1 = codedValue(BREXIT_MENTIONS, t, 'Brexit mention'))],
  [0x1c, (t, id) => (id.brexitMention2 = codedValue(BREXIT_MENTIONS, t, 'Brexit mention'))],
  [0x1d, (t, id) => (id.cardAMention1 = codedValue(CARD_A_MENTIONS, t, 'card A mention'))],
  [0x1e, (t, id) => (id.cardAMention2 = codedValue(CARD_A_MENTIONS, t, 'card A mention'))],
  [0x1f, (t, id) => (id.euStartDate = parseCardDate(t, 'EU start date (tag 0x1F)'))],
]);

export function parseIdentityFile(file: Uint8Array, opts: { includeDocumentNumbers?: boolean } = {}): ParsedIdentity {
  const id: Draft = {};
  const result: Omit<ParsedIdentity, 'identity'> = {};
  const numbers: NonNullable<ParsedIdentity['documentNumbers']> = {};
  let memberOfFamily = false;
  const seen = new Set<number>();

  for (const { tag, value } of decodeTlv(file, FILE)) {
    if (seen.has(tag)) throw malformed(`tag ${tagName(tag)} appears twice`);
    seen.add(tag);
    if (tag === NATIONAL_NUMBER_TAG) continue;
    switch (tag) {
      case 0x00:
        if (value.length > 0) id.fileVersion = fileVersionOf(value);
        break;
      case 0x01: {
        const cardNumber = opts.includeDocumentNumbers ? cardText(value, FILE, tag) : undefined;
        if (cardNumber !== undefined) numbers.cardNumber = cardNumber;
        break;
      }
      case 0x02:
        if (opts.includeDocumentNumbers && value.length > 0) {
          numbers.chipNumber = Buffer.from(value).toString('hex').toUpperCase();
        }
        break;
      case 0x11:
        if (value.length === 0) break;
        if (!PHOTO_HASH_LENGTHS.includes(value.length)) {
          throw malformed(`photo hash (tag 0x11) has ${value.length} bytes, not 20, 32 or 48`);
        }
        result.photoHash = value.slice();
        break;
      case 0x14: // member of family: presence is the value, the length is 0
        memberOfFamily = true;
        break;
      case 0x1a:
        if (value.length > 0) result.basicKeyHash = value.slice();
        break;
      default: {
        const apply = TEXT_FIELDS.get(tag);
        if (!apply) break;
        const text = cardText(value, FILE, tag);
        if (text !== undefined) apply(text, id);
      }
    }
  }

  const { surname, birthDate, birthDatePrecision, sex, documentType, documentTypeLabel: label } = id;
  if (surname === undefined) throw malformed('surname (tag 0x07) is missing');
  if (birthDate === undefined || birthDatePrecision === undefined) throw malformed('birth date (tag 0x0C) is missing');
  if (sex === undefined) throw malformed('sex (tag 0x0D) is missing');
  if (documentType === undefined || label === undefined) throw malformed('document type (tag 0x0F) is missing');
  const identity: Identity = {
    ...id,
    surname,
    birthDate,
    birthDatePrecision,
    sex,
    documentType,
    documentTypeLabel: label,
    memberOfFamily,
  };
  return { identity, ...result, ...(opts.includeDocumentNumbers ? { documentNumbers: numbers } : {}) };
}

function sexOf(code: string): Sex {
  switch (code.toUpperCase()) {
    case 'M':
      return 'M';
    case 'F': // French and English
    case 'V': // Dutch
    case 'W': // German
      return 'F';
    default:
      throw malformed('sex (tag 0x0D) is not M, F, V or W');
  }
}

function smallNumber(text: string, field: string): number {
  if (!/^\d{1,3}$/.test(text)) throw malformed(`${field} is not a number`);
  return Number(text);
}

// `dd.MM.yyyy-A2`, e.g. 13.08.2014-IT.
function protectionOf(text: string): { date: string; country: string } {
  const m = /^(.+)-([A-Za-z]{2})$/.exec(text);
  if (!m) throw malformed('protection (tag 0x15) is not a date and a country code');
  return { date: parseCardDate(m[1]!, 'protection date (tag 0x15)'), country: m[2]!.toUpperCase() };
}

// The spec does not say whether the version is a byte or an ASCII digit; accept both.
function fileVersionOf(value: Uint8Array): number {
  if (value.every((b) => b >= 0x30 && b <= 0x39) && value.length <= 3) return Number(Buffer.from(value).toString('ascii'));
  if (value.length === 1) return value[0]!;
  throw malformed('file version (tag 0x00) is not a number');
}
