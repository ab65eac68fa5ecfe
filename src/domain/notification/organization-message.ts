import type { OrganizationReportLocation } from '../../contracts/organization-report';
import { displayWidth, padEndDisplay, padStartDisplay } from '../../lib/text-width';
import type { OrganizationAccountEntry, OrganizationSummary } from '../organization/organization-report';
import { accountReportsPrefix } from '../report/object-keys';
import { organizationFindingsNeedAttention, organizationFindingsSection } from './findings-section';
import {
  MAX_MESSAGE_BYTES,
  MAX_SUBJECT_LENGTH,
  fitSections,
  remediationSubject,
  runLines,
  visualReportLines,
  type MessageSection,
  type NotificationOptions,
  type OperatorMessage,
} from './message';
import {
  organizationRemediationNeedsAttention,
  organizationRemediationSections,
  organizationRemediationTotals,
  type OrganizationRemediation,
} from './organization-remediation-sections';
import { accountLabel } from './account-label';
import { TEXT, type NotificationText, type NotifyLanguage } from './text';

/**
 * The one email of an organisation run: the organisation's totals, every account that failed with
 * what to do about it, the accounts scanned partially, the accounts with the most stale users, the
 * accounts skipped on purpose, with remediation what it did in each account, with findings what
 * was imported in each, and where the reports and the visual report are. Users are not listed: the details stay in
 * S3 (the organisation report, and each account's own). Cut to fit SNS like the single-account email.
 */

/** The accounts with the most stale users shown; the rest are counted. */
export const TOP_ACCOUNTS = 20;

export interface OrganizationNotificationOptions {
  readonly language: NotifyLanguage;
  readonly location: OrganizationReportLocation;
  /** The member role's name, for the advice ("member role stale-iam-member missing in ..."). */
  readonly memberRoleName: string;
  /** Send even when nothing is stale and nothing failed (a daily "all clear"). */
  readonly notifyWhenClean: boolean;
  readonly maxBytes?: number;
  /** The visual report of the organisation: its S3 console link, or null when it has none; absent when it was not written. */
  readonly visualReport?: NotificationOptions['visualReport'];
  /** The render step failed: say the visual report is missing. */
  readonly visualReportFailed?: boolean;
  /** With remediation=true: the run's plan and what each member's disable step did. */
  readonly remediation?: {
    readonly run: OrganizationRemediation;
    /** The member remediation role's name, for the advice. */
    readonly roleName: string;
  };
}

/** Whether an operator must look: something stale, a user not evaluated, an account not (fully) scanned, or no account at all. */
export function organizationNeedsAttention(summary: OrganizationSummary): boolean {
  const s = summary.summary;
  return (
    s.stale > 0 ||
    s.activeWithStaleCredentials > 0 ||
    s.errors > 0 ||
    summary.partial ||
    summary.accounts.length === 0
  );
}

export function buildOrganizationMessage(
  summary: OrganizationSummary,
  options: OrganizationNotificationOptions,
): OperatorMessage | null {
  const remediation = options.remediation?.run;
  const worthSending =
    organizationNeedsAttention(summary) ||
    organizationFindingsNeedAttention(summary.accounts) ||
    (remediation !== undefined && organizationRemediationNeedsAttention(remediation));
  if (!worthSending && !options.notifyWhenClean) return null;
  const text = TEXT[options.language];
  return {
    subject: buildOrganizationSubject(summary, remediation),
    body: buildBody(summary, options, text),
  };
}

/**
 * `[stale-iam] PARTIAL: 57 of 10000 users unused for more than 90 days in 100 accounts, 3 FAILED`,
 * and what remediation did (`; 4 credentials disabled`): ASCII, under 100 characters.
 */
export function buildOrganizationSubject(
  summary: OrganizationSummary,
  remediation?: OrganizationRemediation,
): string {
  const s = summary.summary;
  const days = summary.thresholdDays;
  const accounts = summary.accounts.length;
  const failed = summary.accounts.filter((a) => a.status === 'failed').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const failures = failed > 0 ? `, ${failed} FAILED` : '';
  const extra = !remediation
    ? ''
    : remediation.failure
      ? '; remediation FAILED'
      : remediationSubject(organizationRemediationTotals(remediation));
  const errors = s.errors > 0 ? `, ${s.errors} not evaluated` : '';
  const partial = summary.partial ? 'PARTIAL: ' : '';
  const head =
    s.stale > 0
      ? `${s.stale} of ${s.users} users unused for more than ${days} days in ${plural(accounts, 'account')}`
      : `no users unused for more than ${days} days in ${plural(accounts, 'account')}`;
  const short = `${s.stale}/${s.users} users unused >${days}d in ${accounts} accts${failures}${extra}`;
  const candidates = [`${partial}${head}${errors}${failures}${extra}`, `${partial}${short}`, short];
  const subject =
    candidates.map((c) => `[stale-iam] ${c}`).find((c) => c.length <= MAX_SUBJECT_LENGTH) ??
    `[stale-iam] ${short}`;
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_SUBJECT_LENGTH);
}

function buildBody(
  summary: OrganizationSummary,
  options: OrganizationNotificationOptions,
  text: NotificationText,
): string {
  const org = text.organization;
  const byStatus = (status: OrganizationAccountEntry['status']) =>
    summary.accounts.filter((a) => a.status === status);
  const failed = byStatus('failed');
  const partial = byStatus('partial');
  const header = [
    org.title(summary.accounts.length),
    ...(failed.length + partial.length > 0
      ? [org.partialRun(failed.length, partial.length, summary.accounts.length)]
      : []),
    ...(summary.accounts.length === 0 ? [org.noAccounts] : []),
    '',
    ...runLines(summary, text),
    org.accounts({
      scanned: summary.accounts.length,
      complete: byStatus('complete').length,
      partial: partial.length,
      failed: failed.length,
      skipped: summary.skippedAccounts.length,
    }),
  ];

  const sections: MessageSection[] = [];
  if (failed.length > 0) {
    sections.push({
      heading: org.failedHeading(failed.length),
      lines: failed.map((a) => {
        const advice = org.advice[a.errorKind ?? 'failed']({
          account: a.accountId,
          role: options.memberRoleName,
        });
        return `${accountLabel(a)}: ${advice} (${org.reason(a.error ?? '')})`;
      }),
    });
  }
  if (partial.length > 0) {
    sections.push({
      heading: org.partialHeading(partial.length),
      lines: partial.map(
        (a) => `${accountLabel(a)}: ${org.partialAccount(a.summary?.errors ?? 0, a.summary?.users ?? 0)}`,
      ),
    });
  }
  sections.push(staleAccountsSection(summary, text));
  if (summary.skippedAccounts.length > 0) {
    sections.push({
      heading: org.skippedHeading(summary.skippedAccounts.length),
      lines: summary.skippedAccounts.map((a) => `${accountLabel(a)}: ${org.skipped[a.reason](a.state)}`),
    });
  }
  if (options.remediation) {
    sections.push(
      ...organizationRemediationSections(options.remediation.run, {
        language: options.language,
        bucket: options.location.bucket,
        memberRemediationRoleName: options.remediation.roleName,
      }),
    );
  }
  const findings = organizationFindingsSection(summary.accounts, options.language);
  if (findings) sections.push(findings);

  const { bucket, key, csvKey } = options.location;
  const footer = [
    ...visualReportLines(options, text),
    `${text.fullReport}: s3://${bucket}/${key}`,
    `CSV: s3://${bucket}/${csvKey}`,
    `${org.accountReports}: s3://${bucket}/${accountReportsPrefix('<account>')}`,
  ];
  return fitSections(header, sections, footer, text, options.maxBytes ?? MAX_MESSAGE_BYTES);
}

/** The accounts holding stale users or stale credentials, most stale first, as a fixed-width table. */
function staleAccountsSection(summary: OrganizationSummary, text: NotificationText): MessageSection {
  const org = text.organization;
  const days = summary.thresholdDays;
  const ranked = summary.accounts
    .flatMap((a) =>
      a.summary && (a.summary.stale > 0 || a.summary.activeWithStaleCredentials > 0)
        ? [{ a, s: a.summary }]
        : [],
    )
    .sort(
      (x, y) =>
        y.s.stale - x.s.stale ||
        y.s.activeWithStaleCredentials - x.s.activeWithStaleCredentials ||
        (x.a.accountId < y.a.accountId ? -1 : 1),
    );
  if (ranked.length === 0) return { heading: org.noneStale(days), lines: [] };
  const shown = ranked.slice(0, TOP_ACCOUNTS);
  const head = [
    org.columns.account,
    org.columns.name,
    org.columns.stale,
    org.columns.activeWithStale,
    org.columns.users,
  ];
  const rows = shown.map(({ a, s }) => [
    a.accountId,
    a.name,
    String(s.stale),
    String(s.activeWithStaleCredentials),
    String(s.users),
  ]);
  const widths = head.map((h, i) =>
    Math.min(
      40,
      rows.reduce((w, r) => Math.max(w, displayWidth(r[i] ?? '')), displayWidth(h)),
    ),
  );
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 ? padStartDisplay(c, widths[i] ?? 0) : padEndDisplay(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rest = ranked.length - shown.length;
  return {
    heading: org.staleHeading(days, ranked.length),
    columns: render(head),
    lines: [...rows.map(render), ...(rest > 0 ? [org.moreAccounts(rest)] : [])],
  };
}
