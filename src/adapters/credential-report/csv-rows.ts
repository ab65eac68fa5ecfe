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
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      rowLine = ++line;
    } else {
      field += ch;
    }
  }
  if (quoted)
    throw new InvalidInputError(
      `malformed credential report: unterminated quote starting on line ${rowLine}`,
    );
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
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
