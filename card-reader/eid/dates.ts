// Dates on the card. Birth dates are printed text in the card's language (beid.md §4): `01 JAN 1971`,
// `21 DEC  1981`, `13.AUG. 1996`, `23.SEP.1982`, or a bare year. Card dates are `DD.MM.YYYY`.
// Errors name the field and never echo the text: a birth date is personal data.
import { CardError } from '../errors.js';

export type DatePrecision = 'day' | 'month' | 'year';

// Only the spellings listed in beid.md (FR, NL, DE); anything else is a typed error, not a guess.
const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1,
  FEV: 2,
  FEB: 2,
  MARS: 3,
  MAAR: 3,
  MÄR: 3,
  AVR: 4,
  APR: 4,
  MAI: 5,
  MEI: 5,
  JUIN: 6,
  JUN: 6,
  JUIL: 7,
  JUL: 7,
  AOUT: 8,
  AUG: 8,
  SEPT: 9,
  SEP: 9,
  OCT: 10,
  OKT: 10,
  NOV: 11,
  DEC: 12,
  DEZ: 12,
};

export function parseBirthDate(text: string): { date: string; precision: DatePrecision } {
  // NFC so a decomposed Ä (A + U+0308) still matches MÄR.
  const tokens = text
    .normalize('NFC')
    .trim()
    .split(/[ .]+/)
    .filter((t) => t !== '');
  const bad = (why: string) => new CardError('MALFORMED_FILE', `identity: birth date (tag 0x0C) ${why}`);
  const year = tokens.at(-1);
  if (tokens.length < 1 || tokens.length > 3 || year === undefined) throw bad('does not have 1 to 3 parts');
  if (!/^\d{4}$/.test(year)) throw bad('has no four-digit year');
  if (tokens.length === 1) return { date: year, precision: 'year' };

  const month = MONTHS[tokens.at(-2)!.toUpperCase()];
  if (month === undefined) throw bad('has an unknown month name');
  const yearMonth = `${year}-${pad2(month)}`;
  if (tokens.length === 2) return { date: yearMonth, precision: 'month' };

  const day = tokens[0]!;
  if (!/^\d{1,2}$/.test(day) || !isDayOfMonth(Number(day), month, Number(year))) throw bad('has an impossible day');
  return { date: `${yearMonth}-${pad2(Number(day))}`, precision: 'day' };
}

/** `DD.MM.YYYY` to `YYYY-MM-DD`. `field` names the date in the error (validity end, protection date, ...). */
export function parseCardDate(text: string, field = 'card date'): string {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text.trim());
  if (!m || !isDayOfMonth(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new CardError('MALFORMED_FILE', `identity: ${field} is not a DD.MM.YYYY date`);
  }
  return `${m[3]}-${m[2]}-${m[1]}`;
}

function isDayOfMonth(day: number, month: number, year: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');
