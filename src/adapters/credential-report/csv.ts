import type { AccessKeySnapshot, IamUserSnapshot, UserReading } from '../../domain/verdict/user-snapshot';
import { accountIdFromArn } from '../../domain/scan/ports';
import { InvalidInputError } from '../../lib/errors';
import { parseIsoInstant } from '../../lib/iso-instant';
import { toWholeSecond } from '../../lib/timestamps';
import { columnName, detectDelimiter, parseCsvRows, type CsvRow } from './csv-rows';
import { UsersByName } from './duplicate-users';
import { whatTheFileLooksLike } from './file-shape';

export { parseCsvRows };

/**
 * Parses an IAM credential report (the CSV from GetCredentialReport, or downloaded from the console)
 * into user readings. Columns are found by name, not position, so a report with columns added later
 * still reads. What a person's tools do to a report is read as it was meant where that is
 * unambiguous: `TRUE`/`FALSE` from a spreadsheet, a `;` or tab delimiter, a header in another
 * letter case, the header repeated where two reports were joined, a user on two rows (merged, with
 * a warning), a row of empty cells (skipped), a user name or path holding a comma written without
 * quotes (as moto does; see `unquotedCommas`). Anything that does not look like a credential
 * report, or could mean two things, is refused with the line it stopped at: a half-read report
 * would give wrong verdicts.
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

/** Words the report uses where there is no date: no password, never used, or not tracked (root). Any letter case. */
const NO_VALUE = new Set(['n/a', 'no_information', 'not_supported']);
const isNoValue = (value: string) => NO_VALUE.has(value.toLowerCase());

/** Report timestamps always carry a time and a zone; a bare date is not one of them. */
const HAS_TIME = /T\d{2}:\d{2}:\d{2}/i;

export interface ParsedCredentialReport {
  readonly users: UserReading[];
  readonly accountId: string | null;
  /** What a person should know about the file although it could be read, one line each. */
  readonly warnings: string[];
}

export function parseCredentialReport(csv: string): ParsedCredentialReport {
  const text = csv.replace(/^\uFEFF/, '');
  const rows = parseCsvRows(text, detectDelimiter(text));
  const header = rows.shift();
  if (!header || header.fields.length === 0 || header.fields.every((f) => f.trim() === '')) {
    throw new InvalidInputError('credential report is empty');
  }
  const columns = header.fields.map(columnName);
  const index = columnIndex(columns);
  if (!index.has('user') || !index.has('arn')) {
    throw new InvalidInputError(`not a credential report: ${whatTheFileLooksLike(text)}`);
  }
  // A credential report that lost some columns: say which.
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new InvalidInputError(`not a credential report: missing column(s) ${missing.join(', ')}`);
  }

  const users = new UsersByName();
  const repeatedHeaders: number[] = [];
  let accountId: string | null = null;
  let accountLine = 0;
  const rootKeys = new Set<string>();
  for (const parsedRow of rows) {
    // A blank line, or a spreadsheet's row of empty cells (`,,,,`).
    if (parsedRow.fields.every((f) => f.trim() === '')) continue;
    if (isHeader(parsedRow, columns)) {
      repeatedHeaders.push(parsedRow.line);
      continue;
    }
    const row: CsvRow =
      parsedRow.fields.length > header.fields.length
        ? (unquotedCommas(parsedRow, header.fields.length, index, accountId) ?? parsedRow)
        : parsedRow;
    if (row.fields.length !== header.fields.length) {
      throw new InvalidInputError(
        `malformed credential report: line ${row.line} has ${row.fields.length} fields, the header has ${header.fields.length}`,
      );
    }
    const cell = (column: Column): string => row.fields[index.get(column) ?? -1] ?? '';
    const field = new RowReader(cell, row.line);
    const rowAccount = accountIdFromArn(cell('arn').trim());
    if (rowAccount !== null && accountId !== null && rowAccount !== accountId) {
      throw new InvalidInputError(
        `malformed credential report: line ${row.line} is in account ${rowAccount}, line ${accountLine} in ${accountId}; a report covers one account`,
      );
    }
    if (accountId === null && rowAccount !== null) [accountId, accountLine] = [rowAccount, row.line];
    if (cell('user').trim() === ROOT_ROW) {
      // The root user is not an IAM user: never judged, but an active key of its is worth a word.
      for (const slot of [1, 2] as const) {
        if (cell(`access_key_${slot}_active`).trim().toLowerCase() === 'true')
          rootKeys.add(`access_key_${slot}`);
      }
      continue;
    }
    users.add(readUser(field), row.line);
  }
  const warnings: string[] = [];
  if (rootKeys.size > 0) warnings.push(rootKeysWarning([...rootKeys]));
  if (repeatedHeaders.length > 0) {
    warnings.push(
      `the credential report repeats its header on line ${repeatedHeaders.join(', ')} (reports joined together?); those lines were skipped`,
    );
  }
  const duplicates = users.warning();
  if (duplicates) warnings.push(duplicates);
  return { users: users.users().map((user) => ({ kind: 'read', user })), accountId, warnings };
}

/**
 * The root user should have no access keys (CIS AWS Foundations "Ensure no 'root' user account access
 * key exists", Security Hub IAM.4). Not a verdict: the root user is not an IAM user, and stale-iam
 * never touches it.
 */
function rootKeysWarning(slots: readonly string[]): string {
  const keys = slots.length === 1 ? 'an active access key' : 'active access keys';
  return (
    `the root user has ${keys} (${slots.join(', ')} of the ${ROOT_ROW} row): it should have none ` +
    '(CIS AWS Foundations, Security Hub IAM.4); stale-iam never judges or changes the root user, so sign in as root to delete it'
  );
}

/** Column positions by name; a name twice would leave it to chance which copy is read, so it is refused. */
function columnIndex(columns: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  columns.forEach((name, i) => {
    const first = index.get(name);
    if (first !== undefined && name !== '') {
      throw new InvalidInputError(
        `malformed credential report: the header names column "${name}" twice (columns ${first + 1} and ${i + 1})`,
      );
    }
    index.set(name, i);
  });
  return index;
}

/**
 * A row with more fields than the header, read as moto writes a user whose name or path holds a
 * comma: `",".join(fields)`, no quotes (IAM allows `,` in names, `[\w+=,.@-]+`, and in paths). It
 * is repaired only when that is the one reading: the `user` and `arn` columns are adjacent; the ARN
 * starts at the first field beginning with `arn:` (a name cannot hold a `:`); the name is the
 * fields before it, joined with commas; the ARN takes as many fields as the surplus leaves; and the
 * ARN ends with `/<name>`, is in the report's account, and is followed by a field that reads as
 * `user_creation_time`. Anything else is null: the caller refuses the row as before.
 */
function unquotedCommas(
  row: CsvRow,
  headerLength: number,
  index: ReadonlyMap<string, number>,
  reportAccount: string | null,
): CsvRow | null {
  const userAt = index.get('user');
  const arnAt = index.get('arn');
  const createdAt = index.get('user_creation_time');
  if (userAt === undefined || arnAt !== userAt + 1) return null;
  const surplus = row.fields.length - headerLength;
  // The name holds 1 to surplus + 1 fields; the ARN the rest of the surplus, at least one.
  let arnStart = -1;
  for (let i = userAt + 1; i <= userAt + 1 + surplus && arnStart === -1; i++) {
    if ((row.fields[i] ?? '').startsWith('arn:')) arnStart = i;
  }
  if (arnStart === -1) return null;
  const arnEnd = userAt + 2 + surplus; // exclusive: the name's extra fields and the ARN's add up to the surplus
  const name = row.fields.slice(userAt, arnStart).join(',');
  const arn = row.fields.slice(arnStart, arnEnd).join(',');
  const fields = [...row.fields.slice(0, userAt), name, arn, ...row.fields.slice(arnEnd)];
  const account = accountIdFromArn(arn);
  const next = createdAt === arnAt + 1 ? (fields[createdAt] ?? '').trim() : '';
  if (
    !arn.endsWith(`/${name}`) ||
    account === null ||
    (reportAccount !== null && account !== reportAccount) ||
    !(HAS_TIME.test(next) && parseIsoInstant(next))
  ) {
    return null;
  }
  return { line: row.line, fields };
}

function isHeader(row: CsvRow, columns: readonly string[]): boolean {
  return row.fields.length === columns.length && row.fields.every((f, i) => columnName(f) === columns[i]);
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

  /** `true`/`false` in any letter case (a spreadsheet writes `TRUE`); the no-value words mean false. */
  boolean(column: Column): boolean {
    const value = this.cell(column).trim();
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false' || isNoValue(value)) return false;
    throw this.error(column, `expected true or false, got "${value}"`);
  }

  date(column: Column): Date {
    const date = this.optionalDate(column);
    if (!date) throw this.error(column, 'expected a date');
    return date;
  }

  optionalDate(column: Column): Date | null {
    const value = this.cell(column).trim();
    if (isNoValue(value)) return null;
    const date = HAS_TIME.test(value) ? parseIsoInstant(value) : null;
    if (!date) {
      throw this.error(
        column,
        `expected an ISO-8601 date with a time zone as AWS writes it (2026-04-11T18:45:05+00:00), N/A, no_information or not_supported, got "${value}"`,
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
