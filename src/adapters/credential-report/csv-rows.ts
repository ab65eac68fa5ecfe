import { InvalidInputError } from '../../lib/errors';

export interface CsvRow {
  /** The line the row starts on (a quoted field may span several). */
  readonly line: number;
  readonly fields: string[];
}

/** What separates fields: AWS writes commas; a spreadsheet saved in some locales writes `;` or tabs. */
export type Delimiter = ',' | ';' | '\t';

/**
 * RFC 4180: quoted fields may hold the delimiter, quotes ("") and line breaks (IAM user names may
 * contain commas). One pass, no recursion, no regular expression over the whole text: any size the
 * memory holds.
 */
export function parseCsvRows(text: string, delimiter: Delimiter = ','): CsvRow[] {
  const rows: CsvRow[] = [];
  const separator = delimiter.charCodeAt(0);
  let fields: string[] = [];
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    rows.push({ line: rowLine, fields });
    fields = [];
    rowLine = ++line;
  };
  while (i < text.length) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      // A quoted field: up to the quote that is not doubled; pieces joined once.
      const pieces: string[] = [];
      let start = i + 1;
      for (;;) {
        const close = text.indexOf('"', start);
        if (close === -1) {
          throw new InvalidInputError(
            `malformed credential report: unterminated quote starting on line ${rowLine}`,
          );
        }
        pieces.push(text.slice(start, close));
        if (text.charCodeAt(close + 1) === QUOTE) {
          pieces.push('"');
          start = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      field = pieces.join('');
      for (const piece of pieces) line += countNewlines(piece);
      // Anything between the closing quote and the next separator belongs to the field, as written.
      const rest = i;
      while (i < text.length && !isFieldEnd(text.charCodeAt(i), separator)) i++;
      field += text.slice(rest, i);
    } else {
      const start = i;
      while (i < text.length && !isFieldEnd(text.charCodeAt(i), separator)) i++;
      field = text.slice(start, i);
    }
    fields.push(field);
    if (i >= text.length) break;
    const ch = text.charCodeAt(i);
    i++;
    if (ch === separator) {
      if (i === text.length) fields.push('');
      continue;
    }
    if (ch === CR && text.charCodeAt(i) === LF) i++;
    endRow();
  }
  if (fields.length > 0) rows.push({ line: rowLine, fields });
  return rows;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

function isFieldEnd(ch: number, separator: number): boolean {
  return ch === separator || ch === LF || ch === CR;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * The delimiter that splits the header line into columns named `user` and `arn`: unambiguous,
 * because a credential report's header always has both. Commas when none does (the caller then
 * says which columns are missing).
 */
export function detectDelimiter(text: string): Delimiter {
  const end = text.search(/[\r\n]/);
  const firstLine = end === -1 ? text : text.slice(0, end);
  for (const delimiter of [',', ';', '\t'] as const) {
    const names = firstLine.split(delimiter).map(columnName);
    if (names.includes('user') && names.includes('arn')) return delimiter;
  }
  return ',';
}

/** A header cell as a column name: `User`, ` user `, `"user"` are all `user`. */
export function columnName(cell: string): string {
  return cell
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase();
}
