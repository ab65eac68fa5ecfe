import type { CredentialEntry, ScanReport, UserEntry } from '../domain/report/scan-report';
import { USER_STATUSES, type UserStatus } from '../domain/verdict/evaluate';
import { escapeUnsafe } from '../lib/safe-text';
import { displayWidth, padEndDisplay, padStartDisplay } from '../lib/text-width';

export interface TableOptions {
  /** Only users with these statuses are listed (`--status`); the title and the summary still count everyone. */
  readonly statuses?: ReadonlySet<UserStatus> | null;
  /** Which exemption rules applied, one line (`tag stale-iam:exempt=true; users breakglass`). */
  readonly exemptions?: string;
}

const STATUS_ORDER: Record<UserStatus, number> = Object.fromEntries(
  USER_STATUSES.map((status, i) => [status, i]),
) as Record<UserStatus, number>;

/** The marks a table can show, and what each means; the legend lists the ones that appear. */
type Mark = 'days' | 'stale' | 'active*' | 'never used' | 'unused since set' | 'inactive' | 'none';

/** The mark as it appears in the table, and what it means. */
function legend(mark: Mark, days: number): [string, string] {
  switch (mark) {
    case 'days':
      return [
        '200d',
        'whole days since the credential was last used (if never used: since it was set or created)',
      ];
    case 'stale':
      return ['*', `stale: unused for more than ${days} days`];
    case 'active*':
      return ['active*', 'the user is active, but still holds a stale credential'];
    case 'never used':
      return ['never used', 'not used since it was set or created; the days count from then'];
    case 'unused since set':
      return ['unused since set', 'the password was set again after its last use; the days count from then'];
    case 'inactive':
      return ['inactive', 'an inactive access key: it never counts'];
    case 'none':
      return ['-', 'nothing to show'];
  }
}

/**
 * A terminal table: stale users first, longest idle first, then the summary, which exemptions
 * applied and a legend of the marks shown. Text from the report (names, reasons) is shown escaped.
 * Any number of users: widths are found in one pass, never by spreading the rows into a call.
 */
export function formatReportTable(report: ScanReport, options: TableOptions = {}): string {
  const days = report.thresholdDays;
  const marks = new Set<Mark>();
  const shown = report.users.filter((u) => !options.statuses || options.statuses.has(u.status));
  const users = [...shown].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      (b.idleDays ?? -1) - (a.idleDays ?? -1) ||
      (a.userName < b.userName ? -1 : 1),
  );
  const header = ['USER', 'STATUS', 'IDLE DAYS', 'LAST ACTIVITY', 'CREDENTIALS'];
  const rows = users.map((u) => {
    const holdsStale = u.status === 'active' && u.credentials.some((c) => c.stale);
    if (holdsStale) marks.add('active*');
    if (u.idleDays === null || u.lastActivityAt === null) marks.add('none');
    return [
      escapeUnsafe(u.userName),
      holdsStale ? 'active*' : u.status,
      u.idleDays === null ? '-' : String(u.idleDays),
      u.lastActivityAt ? u.lastActivityAt.toISOString().slice(0, 10) : '-',
      describeUser(u, marks),
    ];
  });
  const widths = header.map((h) => displayWidth(h));
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === 2 ? padStartDisplay(cell, widths[i] ?? 0) : padEndDisplay(cell, widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();

  const s = report.summary;
  const title =
    `stale-iam: ${s.stale} of ${s.users} IAM users unused for more than ${days} days` +
    ` (account ${report.accountId ?? 'unknown'}, as of ${report.evaluatedAt.toISOString()}, source ${report.source},` +
    ` credentials ${report.credentialScope})`;
  const summary =
    `${s.users} users: ${s.stale} stale, ${s.active} active (${s.activeWithStaleCredentials} holding a stale credential),` +
    ` ${s.noCredentials} without credentials, ${s.exempt} exempt, ${s.errors} could not be evaluated`;
  const lines = [title, '', render(header)];
  for (const row of rows) lines.push(render(row));
  lines.push('', summary);
  if (options.statuses) {
    const wanted = USER_STATUSES.filter((status) => options.statuses?.has(status));
    lines.push(`Shown: ${users.length} of ${s.users} users (--status ${wanted.join(',')})`);
  }
  if (options.exemptions) lines.push(`Exemptions: ${escapeUnsafe(options.exemptions)}`);
  const order: Mark[] = ['days', 'stale', 'active*', 'never used', 'unused since set', 'inactive', 'none'];
  const used = order.filter((mark) => marks.has(mark));
  if (used.length > 0) {
    const entries = used.map((mark) => legend(mark, days));
    const width = entries.reduce((w, [symbol]) => Math.max(w, symbol.length), 0);
    lines.push('Legend:');
    for (const [symbol, meaning] of entries) lines.push(`  ${symbol.padEnd(width)}  ${meaning}`);
  }
  if (report.credentialReportGeneratedAt) {
    lines.push(`Credential report generated by AWS at ${report.credentialReportGeneratedAt.toISOString()}`);
  }
  return lines.join('\n') + '\n';
}

function describeUser(user: UserEntry, marks: Set<Mark>): string {
  if (user.status === 'error') return `error: ${escapeUnsafe(user.error ?? 'unknown')}`;
  const credentials = describeCredentials(user.credentials, marks);
  if (user.status === 'exempt')
    return `${credentials} (exempt: ${escapeUnsafe(user.exemptReason ?? 'exempt')})`;
  return credentials;
}

function describeCredentials(credentials: readonly CredentialEntry[], marks: Set<Mark>): string {
  if (credentials.length === 0) {
    marks.add('none');
    return '-';
  }
  return credentials
    .map((c) => {
      const name = c.type === 'password' ? 'password' : `key${c.slot ?? ''}`;
      if (c.type === 'access-key' && c.active === false) {
        marks.add('inactive');
        return `${name} inactive`;
      }
      marks.add('days');
      let never = '';
      if (c.basis === 'created') {
        const mark: Mark = c.lastUsedAt ? 'unused since set' : 'never used';
        marks.add(mark);
        never = ` ${mark}`;
      }
      if (c.stale) marks.add('stale');
      return `${name} ${c.idleDays}d${c.stale ? '*' : ''}${never}`;
    })
    .join(', ');
}
