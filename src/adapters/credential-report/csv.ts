import type { AccessKeySnapshot, IamUserSnapshot, UserReading } from '../../domain/verdict/user-snapshot';
import { accountIdFromArn } from '../../domain/scan/ports';
import { InvalidInputError } from '../../lib/errors';
import { parseIsoInstant } from '../../lib/iso-instant';
import { toWholeSecond } from '../../lib/timestamps';

/**
 * Parses an IAM credential report (the CSV from GetCredentialReport, or downloaded from the console)
 * into user readings. Columns are found by name, not position, so a report with columns added later
 * still reads. Anything that does not look like a credential report is refused with the line it
 * stopped at: a half-read report would give wrong verdicts.
 */

const ROOT_ROW = '<root_account>';

/** Columns the verdicts depend on; the rest of the report (MFA, certificates, regions) is ignored. */
const REQUIRED_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
] as const;
type Column = (typeof REQUIRED_COLUMNS)[number];

/** Words the report uses where there is no date: no password, never used, or not tracked (root). */
const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported']);

/** Report timestamps always carry a time and a zone; a bare date is not one of them. */
const HAS_TIME = /T\d{2}:\d{2}:\d{2}/;

export interface ParsedCredentialReport {
  readonly users: UserReading[];
  readonly accountId: string | null;
}

export function parseCredentialReport(csv: string): ParsedCredentialReport {
  const rows = parseCsvRows(csv.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  if (!header || header.fields.length === 0 || header.fields.every((f) => f === '')) {
    throw new InvalidInputError('credential report is empty');
  }
  const index = new Map(header.fields.map((name, i) => [name.trim(), i]));
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new InvalidInputError(`not a credential report: missing column(s) ${missing.join(', ')}`);
  }

  const users: UserReading[] = [];
  let accountId: string | null = null;
  for (const row of rows) {
    if (row.fields.length === 1 && row.fields[0] === '') continue; // blank line
    if (row.fields.length !== header.fields.length) {
      throw new InvalidInputError(
        `malformed credential report: line ${row.line} has ${row.fields.length} fields, the header has ${header.fields.length}`,
      );
    }
    const cell = (column: Column): string => row.fields[index.get(column) as number] ?? '';
    const field = new RowReader(cell, row.line);
    accountId ??= accountIdFromArn(cell('arn'));
    if (cell('user') === ROOT_ROW) continue; // the root user is not an IAM user
    users.push({ kind: 'read', user: readUser(field) });
  }
  return { users, accountId };
}

function readUser(field: RowReader): IamUserSnapshot {
  const userName = field.text('user');
  const passwordEnabled = field.boolean('password_enabled');
  const passwordLastChanged = field.optionalDate('password_last_changed');
  if (passwordEnabled && !passwordLastChanged) {
    throw field.error(
      'password_last_changed',
      'password_enabled is true but no date says when the password was set',
    );
  }
  const accessKeys: AccessKeySnapshot[] = [];
  for (const slot of [1, 2] as const) {
    // `last_rotated` is when the key was created; `N/A` there means the slot holds no key.
    const createdAt = field.optionalDate(`access_key_${slot}_last_rotated`);
    const active = field.boolean(`access_key_${slot}_active`);
    if (!createdAt) {
      if (active) throw field.error(`access_key_${slot}_last_rotated`, 'an active key needs a creation date');
      continue;
    }
    accessKeys.push({
      accessKeyId: null,
      slot,
      status: active ? 'Active' : 'Inactive',
      createdAt,
      lastUsedAt: field.optionalDate(`access_key_${slot}_last_used_date`),
    });
  }
  return {
    userName,
    arn: field.text('arn'),
    createdAt: field.date('user_creation_time'),
    passwordLastUsedAt: field.optionalDate('password_last_used'),
    loginProfile: passwordEnabled && passwordLastChanged ? { createdAt: passwordLastChanged } : null,
    accessKeys,
  };
}

class RowReader {
  constructor(
    private readonly cell: (column: Column) => string,
    private readonly line: number,
  ) {}

  text(column: Column): string {
    const value = this.cell(column).trim();
    if (!value) throw this.error(column, 'is empty');
    return value;
  }

  boolean(column: Column): boolean {
    const value = this.cell(column).trim();
    if (value === 'true') return true;
    if (value === 'false' || NO_VALUE.has(value)) return false;
    throw this.error(column, `expected true or false, got "${value}"`);
  }

  date(column: Column): Date {
    const date = this.optionalDate(column);
    if (!date) throw this.error(column, 'expected a date');
    return date;
  }

  optionalDate(column: Column): Date | null {
    const value = this.cell(column).trim();
    if (NO_VALUE.has(value)) return null;
    const date = HAS_TIME.test(value) ? parseIsoInstant(value) : null;
    if (!date) {
      throw this.error(
        column,
        `expected an ISO-8601 date, N/A, no_information or not_supported, got "${value}"`,
      );
    }
    // The report has whole seconds already; a fraction (a hand-edited file) is dropped like the API's.
    return toWholeSecond(date);
  }

  error(column: Column, problem: string): InvalidInputError {
    return new InvalidInputError(
      `malformed credential report: line ${this.line}, column ${column}: ${problem}`,
    );
  }
}

interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks (IAM user names may contain commas). */
export function parseCsvRows(text: string): CsvRow[] {
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
    } else if (ch === ',') {
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
