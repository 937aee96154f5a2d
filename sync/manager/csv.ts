// CSV for spreadsheets, RFC 4180 quoting, and safe against formula injection (OWASP): a cell that a
// spreadsheet would run as a formula (= + - @ TAB CR first, also after leading spaces, which Excel
// skips) is prefixed with a single quote. A cell holding ';' is quoted too: Excel set to a Belgian
// locale splits on ';', and each piece would be a cell of its own, formula included.

const FORMULA_START = /^[\s\u00a0]*[=+\-@]|^[\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows joined with CRLF, as RFC 4180 has it, ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
