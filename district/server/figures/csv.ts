// CSV as RFC 4180 (comma, CRLF, quotes doubled), with a UTF-8 BOM so spreadsheet programs read
// Indonesian names right. A cell starting with = + - @ is prefixed with ' so a spreadsheet does
// not run it as a formula (station names and notes come from people).
export type Cell = string | number | boolean | null | undefined;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly Cell[][]): string {
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
