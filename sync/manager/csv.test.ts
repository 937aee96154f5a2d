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
    // Issue 8: a leading space (Excel skips it), and ';' (the separator of Belgian Excel).
    [' =1+1', `' =1+1`],
    ['  @SUM(1)', `'  @SUM(1)`],
    ['\u00a0-1+1', `'\u00a0-1+1`],
    ['a;=1+1', `"a;=1+1"`],
    ['x; +2', `"x; +2"`],
  ])('defuses a formula: %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
    ['a;b', '"a;b"'],
    [' leading space', ' leading space'],
  ])('quotes per RFC 4180: %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes empty cells for missing values and numbers as they are', () => {
    expect([csvCell(null), csvCell(undefined), csvCell(42)]).toEqual(['', '', '42']);
  });
});

describe('csvCell read back by a spreadsheet splitting on , or ;', () => {
  // A naive reader of either separator (quotes respected) never sees a cell starting a formula.
  const cells = (line: string, sep: string): string[] => {
    const out = [''];
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === sep && !quoted) out.push('');
      else out[out.length - 1] += ch;
    }
    return out;
  };
  it.each([',', ';'])('separator %j', (sep) => {
    const line = toCsv(['h'], [[' =1', 'a;=2', '@x', 'k=v;m=n', '\t-3']]).split('\r\n')[1] ?? '';
    for (const cell of cells(line, sep)) expect(cell.trimStart()).not.toMatch(/^[=+\-@]/);
  });
});

describe('toCsv', () => {
  it('joins rows with CRLF and ends with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['1', '=2'],
          [null, 'x,y'],
        ],
      ),
    ).toBe(`a,b\r\n1,'=2\r\n,"x,y"\r\n`);
  });
});
