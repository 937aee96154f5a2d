import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+32470123456', `'+32470123456`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `"'\r=1+1"`],
    ['=1,2', `"'=1,2"`],
  ])('defuses a formula: %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
    [' =1', ' =1'],
  ])('quotes per RFC 4180: %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes empty cells for missing values and numbers as they are', () => {
    expect([csvCell(null), csvCell(undefined), csvCell(42)]).toEqual(['', '', '42']);
  });
});

describe('toCsv', () => {
  it('joins rows with CRLF and ends with CRLF', () => {
    expect(toCsv(['a', 'b'], [['1', '=2'], [null, 'x,y']])).toBe(`a,b\r\n1,'=2\r\n,"x,y"\r\n`);
  });
});
