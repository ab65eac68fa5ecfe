import type { ActionOutcome } from '../remediation/plan';
import type { RemediationSummary } from '../remediation/summary';
import type { ReportLocation } from '../../contracts/report-location';
import {
  hasStaleCredential,
  type CredentialEntry,
  type ScanReport,
  type UserEntry,
} from '../report/scan-report';
import { escapeUnsafe } from '../../lib/safe-text';
import { displayWidth, padEndDisplay, padStartDisplay } from '../../lib/text-width';
import { TEXT, type NotificationText, type NotifyLanguage } from './text';

/** SNS caps a message at 256 KiB (UTF-8 bytes); keep a margin for the transport's own framing. */
export const MAX_MESSAGE_BYTES = 250_000;
/** SNS: ASCII, no line breaks, under 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

export interface OperatorMessage {
  readonly subject: string;
  readonly body: string;
}

export interface NotificationOptions {
  readonly language: NotifyLanguage;
  readonly location: ReportLocation;
  /** Send even when nothing is stale and nothing failed (a daily "all clear"). */
  readonly notifyWhenClean: boolean;
  /** Extra sections placed before the report link (remediation results, warnings). */
  readonly extraSections?: readonly MessageSection[];
  /** Somebody is about to lose access: worth an email even when nothing is stale yet. */
  readonly hasWarnings?: boolean;
  /** Another step of the run went wrong (the Security Hub import): worth an email even when nothing is stale. */
  readonly otherStepNeedsAttention?: boolean;
  /** What the disable step did, when it is deployed: it changes the subject. */
  readonly remediation?: RemediationSummary;
  readonly maxBytes?: number;
  /** The visual report: its S3 console link, or null when it has none; absent when it was not written. */
  readonly visualReport?: { readonly url: string | null; readonly uri: string };
  /** The render step failed: say the visual report is missing. */
  readonly visualReportFailed?: boolean;
}

/** A heading and its lines; lines that do not fit are replaced by "... and N more". */
export interface MessageSection {
  readonly heading: string;
  /** A line kept with the heading, such as a table's column names. */
  readonly columns?: string;
  readonly lines: readonly string[];
  /** The cut line, when the lines are not just lines (users); default `text.more`. */
  readonly more?: (count: number) => string;
}

/** Whether the run found anything an operator must look at. */
export function needsAttention(report: ScanReport): boolean {
  const s = report.summary;
  return s.stale > 0 || s.activeWithStaleCredentials > 0 || s.errors > 0;
}

/** The one email of a run, or null when there is nothing to say and nobody asked for an all-clear. */
export function buildOperatorMessage(
  report: ScanReport,
  options: NotificationOptions,
): OperatorMessage | null {
  const acted = options.remediation !== undefined && remediationNeedsAttention(options.remediation);
  const worthSending =
    needsAttention(report) || acted || options.hasWarnings || options.otherStepNeedsAttention;
  if (!worthSending && !options.notifyWhenClean) return null;
  const text = TEXT[options.language];
  return { subject: buildSubject(report, options.remediation), body: buildBody(report, options, text) };
}

function remediationNeedsAttention(summary: RemediationSummary): boolean {
  return summary.blocked !== null || summary.items.some((i) => i.outcome !== 'exempt');
}

/** `[stale-iam] 12 of 340 users unused for more than 90 days (123456789012)`; ASCII, under 100 characters. */
export function buildSubject(report: ScanReport, remediation?: RemediationSummary): string {
  const s = report.summary;
  const days = report.thresholdDays;
  const account = `(${report.accountId ?? 'unknown account'})`;
  const errors = s.errors > 0 ? `, ${s.errors} not evaluated` : '';
  const extra = remediation ? remediationSubject(remediation) : '';
  const head =
    s.stale > 0
      ? `${s.stale} of ${s.users} users unused for more than ${days} days`
      : `no users unused for more than ${days} days`;
  const partial = report.partial ? 'PARTIAL scan: ' : '';
  const short = `${s.stale}/${s.users} users idle >${days}d${errors}${extra} ${account}`;
  // Longest first. The last drops the PARTIAL word (the "not evaluated" count still says it); if even
  // that is too long, the slice below cuts it (the tests show it fits up to 6-digit user counts).
  const candidates = [`${partial}${head}${errors}${extra} ${account}`, `${partial}${short}`, short];
  const subject =
    candidates.map((c) => `[stale-iam] ${c}`).find((c) => c.length <= MAX_SUBJECT_LENGTH) ??
    `[stale-iam] ${short}`;
  // Defensive: nothing above can contain non-ASCII, but SNS would reject the whole publish.
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_SUBJECT_LENGTH);
}

/**
 * What the disable step did, in the subject: counts of credentials (the rest of the subject counts
 * users), a refused plan, failures and unknown outcomes first among equals.
 */
export function remediationSubject(summary: Pick<RemediationSummary, 'blocked' | 'counts'>): string {
  switch (summary.blocked?.code) {
    case 'cap-actions':
    case 'cap-share':
    case 'cap-organization':
    case 'over-allowance':
      return '; remediation BLOCKED by cap';
    case 'below-floor':
      return '; remediation BLOCKED by floor';
    case 'scan-errors':
      return '; remediation skipped';
    case undefined:
      break;
  }
  const count = (...outcomes: ActionOutcome[]) => outcomes.reduce((n, o) => n + (summary.counts[o] ?? 0), 0);
  const credentials = (n: number) => `${n} credential${n === 1 ? '' : 's'}`;
  const done = count('deleted', 'deactivated');
  const would = count('would-delete', 'would-deactivate');
  const failed = count('failed');
  const unknown = count('outcome-unknown');
  const parts = [
    ...(done > 0 ? [`${credentials(done)} disabled`] : []),
    ...(would > 0 ? [`${credentials(would)} would be disabled`] : []),
    ...(failed > 0 ? [`${failed} FAILED`] : []),
    ...(unknown > 0 ? [`${unknown} outcome${unknown === 1 ? '' : 's'} UNKNOWN`] : []),
  ];
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}

function buildBody(report: ScanReport, options: NotificationOptions, text: NotificationText): string {
  const s = report.summary;
  const days = report.thresholdDays;
  const header = [
    text.title(escapeUnsafe(report.accountId ?? 'unknown')),
    ...(report.partial ? [text.partialScan(s.errors, s.users)] : []),
    '',
    ...runLines(report, text),
  ];
  const { bucket, key, csvKey } = options.location;
  const footer = [
    ...visualReportLines(options, text),
    `${text.fullReport}: s3://${bucket}/${key}`,
    `CSV: s3://${bucket}/${csvKey}`,
  ];

  const stale = byIdleDays(report.users.filter((u) => u.status === 'stale'));
  const activeWithStale = byIdleDays(
    report.users.filter((u) => u.status === 'active' && hasStaleCredential(u)),
  );
  const errors = report.users.filter((u) => u.status === 'error');

  const sections: MessageSection[] = [];
  sections.push(
    stale.length > 0
      ? {
          heading: text.staleHeading(days, stale.length),
          ...userTable(stale, text, false),
          more: text.moreUsers,
        }
      : { heading: text.noneStale(days), lines: [] },
  );
  if (activeWithStale.length > 0) {
    sections.push({
      heading: text.activeWithStaleHeading(days, activeWithStale.length),
      ...userTable(activeWithStale, text, true),
      more: text.moreUsers,
    });
  }
  if (errors.length > 0) {
    sections.push({
      heading: text.errorsHeading(errors.length),
      lines: errors.map((u) => escapeUnsafe(`${u.userName}: ${u.error ?? ''}`)),
      more: text.moreUsers,
    });
  }
  if (report.deletedDuringScan.length > 0) {
    sections.push({
      heading: text.deletedHeading(report.deletedDuringScan.length),
      lines: report.deletedDuringScan.map(escapeUnsafe),
      more: text.moreUsers,
    });
  }
  sections.push(...(options.extraSections ?? []));
  return fitSections(header, sections, footer, text, options.maxBytes ?? MAX_MESSAGE_BYTES);
}

/** The visual report's line(s) at the top of the footer: the link, or why there is none. */
export function visualReportLines(
  options: Pick<NotificationOptions, 'visualReport' | 'visualReportFailed'>,
  text: NotificationText,
): string[] {
  if (options.visualReport)
    return [`${text.visualReport}: ${options.visualReport.url ?? options.visualReport.uri}`];
  return options.visualReportFailed ? [text.visualReportMissing] : [];
}

/** When and how the run judged, and its counts: the lines under an email's title. */
export function runLines(
  run: Pick<ScanReport, 'evaluatedAt' | 'thresholdDays' | 'credentialScope' | 'source' | 'summary'> & {
    readonly credentialReportGeneratedAt?: Date | null;
  },
  text: NotificationText,
): string[] {
  const s = run.summary;
  const generatedAt = run.credentialReportGeneratedAt
    ? ` ${text.reportGeneratedAt(run.credentialReportGeneratedAt.toISOString())}`
    : '';
  return [
    `${text.evaluatedAt}: ${run.evaluatedAt.toISOString()}`,
    `${text.thresholdLabel}: ${text.threshold(run.thresholdDays)}`,
    `${text.scope}: ${run.credentialScope}`,
    `${text.source}: ${run.source}${generatedAt}`,
    text.summary({
      users: s.users,
      stale: s.stale,
      active: s.active,
      activeWithStale: s.activeWithStaleCredentials,
      noCredentials: s.noCredentials,
      exempt: s.exempt,
      errors: s.errors,
    }),
  ];
}

/**
 * Lays the sections out in order and cuts list lines, not headings, once the byte budget runs out:
 * every section keeps its heading and says how many lines it left out.
 */
export function fitSections(
  header: readonly string[],
  sections: readonly MessageSection[],
  footer: readonly string[],
  text: NotificationText,
  maxBytes: number,
): string {
  const bytes = (line: string) => Buffer.byteLength(line, 'utf8') + 1;
  const fixed = [
    ...header,
    ...footer,
    ...sections.flatMap((s) => [
      '',
      s.heading,
      ...(s.columns ? [s.columns] : []),
      (s.more ?? text.more)(999_999),
    ]),
  ];
  let budget = maxBytes - fixed.reduce((sum, line) => sum + bytes(line), 0) - 2;
  const out = [...header];
  for (const section of sections) {
    out.push('', section.heading);
    if (section.columns) out.push(section.columns);
    let shown = 0;
    for (const line of section.lines) {
      if (bytes(line) > budget) break;
      budget -= bytes(line);
      out.push(line);
      shown++;
    }
    if (shown < section.lines.length) out.push((section.more ?? text.more)(section.lines.length - shown));
  }
  out.push('', ...footer);
  return out.join('\n') + '\n';
}

function byIdleDays(users: UserEntry[]): UserEntry[] {
  return [...users].sort(
    (a, b) => (b.idleDays ?? 0) - (a.idleDays ?? 0) || (a.userName < b.userName ? -1 : 1),
  );
}

/** Fixed-width columns so the list reads as a table in a plain-text mail client. */
function userTable(
  users: readonly UserEntry[],
  text: NotificationText,
  onlyStaleCredentials: boolean,
): { columns: string; lines: string[] } {
  const rows = users.map((u) => [
    escapeUnsafe(u.userName),
    u.idleDays === null ? '-' : String(u.idleDays),
    describe(
      u.credentials.filter((c) =>
        onlyStaleCredentials ? c.stale : c.type === 'password' || c.active !== false,
      ),
      text,
    ),
    u.lastActivityAt ? u.lastActivityAt.toISOString().slice(0, 10) : '-',
  ]);
  const head = [
    text.columns.user,
    text.columns.idleDays,
    text.columns.credentials,
    text.columns.lastActivity,
  ];
  // Widths in display columns (Japanese text is double width), capped so one long name cannot
  // push every other row off the screen.
  const widths = head.map((h, i) =>
    Math.min(
      64,
      rows.reduce((w, r) => Math.max(w, displayWidth(r[i] ?? '')), displayWidth(h)),
    ),
  );
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? padStartDisplay(c, widths[i] ?? 0) : padEndDisplay(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return { columns: render(head), lines: rows.map(render) };
}

function describe(credentials: readonly CredentialEntry[], text: NotificationText): string {
  return credentials
    .map((c) => {
      const name = c.type === 'password' ? text.password : text.key(c.slot);
      const never = c.lastUsedAt === null ? `, ${text.never}` : '';
      return `${name} (${text.days(c.idleDays)}${never})`;
    })
    .join(', ');
}
