import { describe, expect, it } from 'vitest';
import { CardError } from '../errors.js';
import { parseBirthDate, parseCardDate } from './dates.js';

describe('parseBirthDate', () => {
  // Every form beid.md §4 lists as seen in fixtures.
  it.each([
    ['01 JAN 1971', '1971-01-01'],
    ['1 JAN 1971', '1971-01-01'],
    ['24 MAAR 1969', '1969-03-24'],
    ['07 SEPT 2003', '2003-09-07'],
    ['21 DEC  1981', '1981-12-21'],
    ['13.AUG. 1996', '1996-08-13'],
    ['22.DEZ. 1997', '1997-12-22'],
    ['23.SEP.1982', '1982-09-23'],
    ['03 MEI 2001', '2001-05-03'],
    ['13.MÄR. 1996', '1996-03-13'],
  ])('reads %j as %s, to the day', (text, date) => {
    expect(parseBirthDate(text)).toStrictEqual({ date, precision: 'day' });
  });

  it('reads a year-only date with 8 leading spaces', () => {
    expect(parseBirthDate('        1962')).toStrictEqual({ date: '1962', precision: 'year' });
  });

  it('reads month and year', () => {
    expect(parseBirthDate('JUIN 1950')).toStrictEqual({ date: '1950-06', precision: 'month' });
    expect(parseBirthDate('  OKT. 1950')).toStrictEqual({ date: '1950-10', precision: 'month' });
  });

  it.each([
    [1, ['JAN']],
    [2, ['FEV', 'FEB']],
    [3, ['MARS', 'MAAR', 'MÄR']],
    [4, ['AVR', 'APR']],
    [5, ['MAI', 'MEI']],
    [6, ['JUIN', 'JUN']],
    [7, ['JUIL', 'JUL']],
    [8, ['AOUT', 'AUG']],
    [9, ['SEPT', 'SEP']],
    [10, ['OCT', 'OKT']],
    [11, ['NOV']],
    [12, ['DEC', 'DEZ']],
  ])('knows the French, Dutch and German names of month %i, in any case', (month, names) => {
    for (const name of names) {
      for (const spelled of [name, name.toLowerCase()]) {
        expect(parseBirthDate(`15 ${spelled} 2000`).date).toBe(`2000-${String(month).padStart(2, '0')}-15`);
      }
    }
  });

  it('matches a decomposed Ä (A + combining diaeresis) too', () => {
    expect(parseBirthDate('1 MA\u0308R 1980').date).toBe('1980-03-01');
  });

  it('knows leap years', () => {
    expect(parseBirthDate('29 FEB 2000').date).toBe('2000-02-29');
    expect(parseBirthDate('29 FEV 2004').date).toBe('2004-02-29');
    expect(() => parseBirthDate('29 FEB 1900')).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_FILE', detail: expect.stringMatching(/birth date \(tag 0x0C\) has an impossible day/) }),
    );
    expect(() => parseBirthDate('29 FEB 2001')).toThrowError(CardError);
  });

  it.each([
    ['31 FEB 1999', 'has an impossible day'],
    ['31 APR 1999', 'has an impossible day'],
    ['0 JAN 1999', 'has an impossible day'],
    ['32 JAN 1999', 'has an impossible day'],
    ['001 JAN 1999', 'has an impossible day'],
    ['1 MRT 1999', 'has an unknown month name'],
    ['1 01 1999', 'has an unknown month name'],
    ['01 JAN 99', 'has no four-digit year'],
    ['1999-01-01', 'has no four-digit year'],
    ['', 'does not have 1 to 3 parts'],
    ['  . ', 'does not have 1 to 3 parts'],
    ['1 2 JAN 1999', 'does not have 1 to 3 parts'],
  ])('rejects %j with a typed error that does not echo it', (text, why) => {
    const error = catchError(() => parseBirthDate(text));
    expect(error).toBeInstanceOf(CardError);
    expect(error).toMatchObject({ code: 'MALFORMED_FILE', detail: `identity: birth date (tag 0x0C) ${why}` });
  });
});

describe('parseCardDate', () => {
  it('turns DD.MM.YYYY into YYYY-MM-DD', () => {
    expect(parseCardDate('05.07.2022')).toBe('2022-07-05');
    expect(parseCardDate(' 29.02.2024 ')).toBe('2024-02-29');
  });

  it.each(['5.7.2022', '31.02.2020', '00.01.2020', '01.13.2020', '2022-07-05', '05.07.22', ''])('rejects %j, naming the field', (text) => {
    expect(catchError(() => parseCardDate(text, 'validity end (tag 0x04)'))).toMatchObject({
      code: 'MALFORMED_FILE',
      detail: 'identity: validity end (tag 0x04) is not a DD.MM.YYYY date',
    });
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
