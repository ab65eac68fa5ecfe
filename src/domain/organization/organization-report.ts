import type { ReportLocation } from '../../contracts/report-location';
import { REPORT_CSV_COLUMNS, csvCell, userCsvRows } from '../report/report-csv';
import {
  REPORT_SCHEMA_VERSION,
  summarize,
  type ReportSource,
  type ReportSummary,
  type ScanReport,
  type UserEntry,
} from '../report/scan-report';
import type { CredentialScope } from '../verdict/evaluate';
import type { AccountRef, SkippedAccount } from './accounts';
import type { AccountFailure, AccountFailureKind, AccountFindings, AccountStatus } from './account-outcome';

/**
 * The organisation report: the scan report of schemaVersion 1 with fields added, never changed.
 * Every user carries its `accountId`; `accounts` lists each account the run scanned with its status
 * (`complete`, `partial`, or `failed` with the reason), its summary and where its own report is;
 * `skippedAccounts` the accounts it did not scan and why; `summary` adds up the accounts. The
 * top-level `accountId` and `credentialReportGeneratedAt` are null: each account has its own.
 * Documented in docs/report-schema.md.
 */

export interface OrganizationAccountEntry {
  readonly accountId: string;
  readonly name: string;
  readonly status: AccountStatus;
  /** `failed` only: the reason, one line. */
  readonly error?: string;
  /** `failed` only: what kind of failure (it decides the advice in the email). */
  readonly errorKind?: AccountFailureKind;
  /** The account's own report's summary; null when it failed. */
  readonly summary: ReportSummary | null;
  /**
   * The account's own report (JSON and CSV); null when it failed, and when it was not stored: the
   * CLI prints the organisation report and stores nothing.
   */
  readonly report: ReportLocation | null;
  readonly credentialReportGeneratedAt: Date | null;
  /** With securityHub=true: what importing its findings, in the account itself, came to. */
  readonly findings?: AccountFindings;
}

/** Everything but the users: what the email reads, kept beside the report as `<report>.summary.json`. */
export interface OrganizationSummary {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly generatedAt: Date;
  readonly evaluatedAt: Date;
  readonly thresholdDays: number;
  readonly credentialScope: CredentialScope;
  readonly source: ReportSource;
  readonly accountId: null;
  readonly credentialReportGeneratedAt: null;
  /** True when an account failed, was scanned partially, or a user could not be evaluated. */
  readonly partial: boolean;
  /** The organisation's totals: the sum of the accounts' summaries. */
  readonly summary: ReportSummary;
  /** `<accountId>/<userName>` of users deleted while their account was scanned (IAM names hold no `/`). */
  readonly deletedDuringScan: string[];
  readonly accounts: OrganizationAccountEntry[];
  readonly skippedAccounts: SkippedAccount[];
}

export interface OrganizationUserEntry extends UserEntry {
  readonly accountId: string;
}

export interface OrganizationReport extends OrganizationSummary {
  readonly users: OrganizationUserEntry[];
}

/** What every account's report of one run shares, and the organisation report says once. */
export interface OrganizationReportHead {
  readonly generatedAt: Date;
  readonly evaluatedAt: Date;
  readonly thresholdDays: number;
  readonly credentialScope: CredentialScope;
  readonly source: ReportSource;
}

/** Where the report's text goes, piece by piece (an S3 multipart upload in the service). */
export interface TextSink {
  write(text: string): Promise<void>;
}

export const ORGANIZATION_CSV_COLUMNS = ['account_id', 'account_name', ...REPORT_CSV_COLUMNS] as const;

/** The organisation's status of a scanned account: a partial report makes a partial account. */
export function accountStatusOf(report: Pick<ScanReport, 'partial'>): 'complete' | 'partial' {
  return report.partial ? 'partial' : 'complete';
}

/** Whether an organisation run left anything unscanned or unevaluated. */
export function organizationPartial(accounts: readonly OrganizationAccountEntry[], totals: ReportSummary) {
  return totals.errors > 0 || accounts.some((a) => a.status !== 'complete');
}

/** The sum of account summaries (failed accounts have none and add nothing). */
export function addSummaries(summaries: Iterable<ReportSummary | null>): ReportSummary {
  const total = summarize([]);
  for (const s of summaries) {
    if (!s) continue;
    for (const field of Object.keys(total) as (keyof ReportSummary)[]) total[field] += s[field];
  }
  return total;
}

/**
 * Writes the organisation report as it goes, one account at a time: the JSON (users first, the
 * accounts and totals once they are known; key order means nothing in JSON) and the CSV (one row
 * per credential, prefixed with the account). Only the accounts' entries are kept, never their
 * users: memory stays what one account's report needs, whatever the size of the organisation.
 */
export class OrganizationReportWriter {
  private readonly entries: OrganizationAccountEntry[] = [];
  private readonly deleted: string[] = [];
  private usersWritten = 0;
  private state: 'new' | 'open' | 'ended' = 'new';

  constructor(
    private readonly head: OrganizationReportHead,
    private readonly sinks: { readonly json: TextSink; readonly csv: TextSink },
  ) {}

  async begin(): Promise<void> {
    this.expect('new');
    this.state = 'open';
    const opening = JSON.stringify({
      schemaVersion: REPORT_SCHEMA_VERSION,
      generatedAt: this.head.generatedAt,
      evaluatedAt: this.head.evaluatedAt,
      thresholdDays: this.head.thresholdDays,
      credentialScope: this.head.credentialScope,
      source: this.head.source,
      accountId: null,
      credentialReportGeneratedAt: null,
    });
    await this.sinks.json.write(`${opening.slice(0, -1)},"users":[`);
    await this.sinks.csv.write(`${ORGANIZATION_CSV_COLUMNS.join(',')}\n`);
  }

  /**
   * A scanned account: its users go out now; only its entry is kept. `location`: where its own
   * report is stored, or null when it is not (the CLI); `findings`: what importing its Security Hub
   * findings came to, when the run imports them.
   */
  async addReport(
    account: AccountRef,
    report: ScanReport,
    location: ReportLocation | null,
    findings?: AccountFindings,
  ): Promise<void> {
    this.expect('open');
    const prefix = `${csvCell(account.accountId)},${csvCell(account.name)},`;
    for (const user of report.users) {
      const entry: OrganizationUserEntry = { accountId: account.accountId, ...user };
      await this.sinks.json.write(`${this.usersWritten === 0 ? '' : ','}${JSON.stringify(entry)}`);
      this.usersWritten++;
      await this.sinks.csv.write(
        userCsvRows(user)
          .map((row) => `${prefix}${row}\n`)
          .join(''),
      );
    }
    this.deleted.push(...report.deletedDuringScan.map((name) => `${account.accountId}/${name}`));
    this.entries.push({
      accountId: account.accountId,
      name: account.name,
      status: accountStatusOf(report),
      summary: report.summary,
      report: location,
      credentialReportGeneratedAt: report.credentialReportGeneratedAt,
      ...(findings ? { findings } : {}),
    });
  }

  addFailure(account: AccountRef, failure: AccountFailure): void {
    this.expect('open');
    this.entries.push({
      accountId: account.accountId,
      name: account.name,
      status: 'failed',
      error: failure.message,
      errorKind: failure.kind,
      summary: null,
      report: null,
      credentialReportGeneratedAt: null,
    });
  }

  /** Closes the JSON with the accounts and the totals; returns the report without its users. */
  async end(skippedAccounts: readonly SkippedAccount[]): Promise<OrganizationSummary> {
    this.expect('open');
    this.state = 'ended';
    const totals = addSummaries(this.entries.map((e) => e.summary));
    const summary: OrganizationSummary = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      ...this.head,
      accountId: null,
      credentialReportGeneratedAt: null,
      partial: organizationPartial(this.entries, totals),
      summary: totals,
      deletedDuringScan: this.deleted,
      accounts: this.entries,
      skippedAccounts: [...skippedAccounts],
    };
    const closing = JSON.stringify({
      deletedDuringScan: summary.deletedDuringScan,
      accounts: summary.accounts,
      skippedAccounts: summary.skippedAccounts,
      partial: summary.partial,
      summary: summary.summary,
    });
    await this.sinks.json.write(`],${closing.slice(1)}`);
    return summary;
  }

  private expect(state: 'new' | 'open'): void {
    if (this.state !== state) throw new Error(`the organisation report is ${this.state}, expected ${state}`);
  }
}
