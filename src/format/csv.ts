/**
 * RFC 4180 CSV cells and lines, with formula neutralisation: a cell beginning with
 * = + - @, TAB or CR gets a leading ' so that a spreadsheet shows it as text instead of
 * running it (a user ID or an endpoint is data, never a formula). One writer for the
 * server's `events.csv` and the charts' "Download CSV".
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * A semicolon too: where it is the list separator (German, French… spreadsheets), an
 * unquoted `x;=cmd` is split there and its second cell begins with `=`.
 */
const NEEDS_QUOTES = /[",;\r\n]/;

/** One cell: neutralised, then quoted when it holds a quote, a comma, a semicolon or a line break. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line of cells, ended by CRLF as RFC 4180 asks. */
export function csvLine(cells: readonly (string | number)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
