import { z } from 'zod';
import { ACCOUNT_FAILURE_KINDS, ACCOUNT_STATUSES } from '../domain/organization/account-outcome';
import {
  addSummaries,
  organizationPartial,
  type OrganizationReport,
  type OrganizationSummary,
} from '../domain/organization/organization-report';
import { ORGANIZATION_REPORT_KEY, organizationCompanionKeys } from '../domain/report/object-keys';
import { REPORT_SCHEMA_VERSION, summarize, type ReportSummary } from '../domain/report/scan-report';
import { CREDENTIAL_SCOPES } from '../domain/verdict/evaluate';
import { InvalidInputError } from '../lib/errors';
import { accountFindingsSchema } from './findings-outcome';
import {
  accountRefSchema,
  jsonOfRun,
  reportLocationSchema,
  skippedListSchema,
  type OrganizationRun,
  type OrganizationRunJson,
} from './organization-run';
import { SCAN_SOURCES } from '../settings/table';
import { instant, summarySchema, thresholdDays, userSchema } from './stored-report';
import { parseWith } from './validation';

/**
 * The organisation report (and its summary, the same document without `users`), validated whole
 * before anything reads it: every field well-formed, each account once, its status agreeing with
 * what it carries, the totals the sum of the accounts, `partial` what the accounts say, and, in the
 * full report, every user belonging to a scanned account whose counts it matches.
 */

const accountEntrySchema = accountRefSchema
  .extend({
    status: z.enum(ACCOUNT_STATUSES),
    error: z.string().optional(),
    errorKind: z.enum(ACCOUNT_FAILURE_KINDS).optional(),
    summary: summarySchema.nullable(),
    report: reportLocationSchema.nullable(),
    credentialReportGeneratedAt: instant.nullable(),
    findings: accountFindingsSchema.optional(),
  })
  .strict();

const summaryShape = {
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: instant,
  evaluatedAt: instant,
  thresholdDays,
  credentialScope: z.enum(CREDENTIAL_SCOPES),
  source: z.enum(SCAN_SOURCES),
  accountId: z.null(),
  credentialReportGeneratedAt: z.null(),
  partial: z.boolean(),
  summary: summarySchema,
  deletedDuringScan: z.array(z.string()),
  accounts: z.array(accountEntrySchema),
  skippedAccounts: skippedListSchema,
};

const summaryDocument = z.object(summaryShape).strict();
const reportDocument = z
  .object({
    ...summaryShape,
    users: z.array(userSchema.extend({ accountId: accountRefSchema.shape.accountId })),
  })
  .strict();

/** The summary stored at `where`, validated; throws InvalidInputError naming the first problem. */
export function parseOrganizationSummary(json: unknown, where: string): OrganizationSummary {
  const parsed = parseWith(
    summaryDocument,
    json,
    `organisation report summary ${where}`,
  ) as OrganizationSummary;
  const problem = accountsInconsistency(parsed) ?? totalsInconsistency(parsed);
  if (problem)
    throw new InvalidInputError(`organisation report summary ${where} is not consistent: ${problem}`);
  return parsed;
}

/** The full organisation report at `where`, validated with its users. */
export function parseOrganizationReport(json: unknown, where: string): OrganizationReport {
  const parsed = parseWith(reportDocument, json, `organisation report ${where}`) as OrganizationReport;
  const problem = accountsInconsistency(parsed) ?? usersInconsistency(parsed) ?? totalsInconsistency(parsed);
  if (problem) throw new InvalidInputError(`organisation report ${where} is not consistent: ${problem}`);
  return parsed;
}

/** Each account once, its status agreeing with what it carries. */
function accountsInconsistency(report: OrganizationSummary): string | null {
  const seen = new Set<string>();
  for (const account of [...report.accounts, ...report.skippedAccounts]) {
    if (seen.has(account.accountId)) return `account ${account.accountId} is listed twice`;
    seen.add(account.accountId);
  }
  for (const a of report.accounts) {
    const failed = a.status === 'failed';
    // A scanned account's own report may be unstored (null): the CLI prints and stores nothing.
    if (failed !== (a.summary === null) || (failed && a.report !== null)) {
      return `account ${a.accountId} is ${a.status}, but ${failed ? 'has' : 'lacks'} a summary or a report`;
    }
    if (failed && a.findings !== undefined) {
      return `account ${a.accountId} is failed, but has findings imported`;
    }
    if (failed !== (a.error !== undefined && a.errorKind !== undefined)) {
      return `account ${a.accountId} is ${a.status}, but ${failed ? 'lacks' : 'has'} an error`;
    }
    if (a.summary && (a.status === 'partial') !== a.summary.errors > 0) {
      return `account ${a.accountId} is ${a.status}, but ${a.summary.errors} of its users could not be evaluated`;
    }
    if (a.report && !a.report.key.startsWith(`reports/${a.accountId}/`)) {
      return `account ${a.accountId}'s report ${a.report.key} is not in its folder`;
    }
  }
  return null;
}

/** The totals the sum of the accounts, `partial` what they say. */
function totalsInconsistency(report: OrganizationSummary): string | null {
  const totals = addSummaries(report.accounts.map((a) => a.summary));
  const mismatch = differingField(report.summary, totals);
  if (mismatch)
    return `summary.${mismatch} is ${report.summary[mismatch]}, but the accounts add up to ${totals[mismatch]}`;
  if (report.partial !== organizationPartial(report.accounts, totals)) {
    return `partial is ${report.partial}, but the accounts say otherwise`;
  }
  return null;
}

function usersInconsistency(report: OrganizationReport): string | null {
  const byAccount = new Map<string, OrganizationReport['users'][number][]>();
  const names = new Set<string>();
  for (const user of report.users) {
    const key = `${user.accountId}/${user.userName.toLowerCase()}`;
    if (names.has(key)) return `user ${user.userName} is listed twice in account ${user.accountId}`;
    names.add(key);
    const users = byAccount.get(user.accountId);
    if (users) users.push(user);
    else byAccount.set(user.accountId, [user]);
  }
  for (const a of report.accounts) {
    const counted = summarize(byAccount.get(a.accountId) ?? []);
    byAccount.delete(a.accountId);
    if (!a.summary) {
      if (counted.users > 0)
        return `account ${a.accountId} failed, yet ${counted.users} of its users are listed`;
      continue;
    }
    const mismatch = differingField(a.summary, counted);
    if (mismatch) {
      return `account ${a.accountId}'s summary.${mismatch} is ${a.summary[mismatch]}, but its users give ${counted[mismatch]}`;
    }
  }
  const [stray] = byAccount.values();
  const user = stray?.[0];
  return user === undefined
    ? null
    : `user ${user.userName} belongs to account ${user.accountId}, which is not listed (the account is not among the accounts)`;
}

function differingField(stated: ReportSummary, counted: ReportSummary): keyof ReportSummary | null {
  const fields = Object.keys(counted) as (keyof ReportSummary)[];
  return fields.find((field) => stated[field] !== counted[field]) ?? null;
}

/** Where an organisation report is: the JSON, its CSV and its summary (the JSON without users), beside it. */
export interface OrganizationReportLocation {
  readonly bucket: string;
  readonly key: string;
  readonly csvKey: string;
  readonly summaryKey: string;
}

/**
 * What the roll-up returns to the next steps: the run it belongs to (the remediation steps name
 * their plan and sessions after it), where the report is, and its counts for the execution history.
 */
export interface RollUpResult {
  readonly run: OrganizationRunJson;
  readonly report: OrganizationReportLocation;
  readonly summary: ReportSummary;
  readonly partial: boolean;
  readonly accounts: {
    readonly scanned: number;
    readonly complete: number;
    readonly partial: number;
    readonly failed: number;
    readonly skipped: number;
  };
  readonly evaluatedAt: string;
  readonly thresholdDays: number;
}

/** The `report` field of the notify step's input, checked: an organisation report key and its companions. */
export function parseOrganizationReportLocation(event: unknown, step: string): OrganizationReportLocation {
  const report = (event as { report?: Record<string, unknown> } | null | undefined)?.report;
  const { bucket, key, csvKey, summaryKey } = report ?? {};
  if (
    typeof bucket !== 'string' ||
    !bucket ||
    typeof key !== 'string' ||
    !ORGANIZATION_REPORT_KEY.test(key)
  ) {
    throw new InvalidInputError(
      `${step} expects { report: { bucket, key, csvKey, summaryKey } } with an organisation report key (reports/organization/<yyyy>/<mm>/<dd>/organization-<stamp>.json)`,
    );
  }
  const companions = organizationCompanionKeys(key);
  if (csvKey !== companions.csvKey || summaryKey !== companions.summaryKey) {
    throw new InvalidInputError(`${step}: the CSV and summary keys are not the ones beside ${key}`);
  }
  return { bucket, key, csvKey: companions.csvKey, summaryKey: companions.summaryKey };
}

export function rollUpResultOf(
  summary: OrganizationSummary,
  report: OrganizationReportLocation,
  run: OrganizationRun,
): RollUpResult {
  const count = (status: string) => summary.accounts.filter((a) => a.status === status).length;
  return {
    run: jsonOfRun(run),
    report,
    summary: summary.summary,
    partial: summary.partial,
    accounts: {
      scanned: summary.accounts.length,
      complete: count('complete'),
      partial: count('partial'),
      failed: count('failed'),
      skipped: summary.skippedAccounts.length,
    },
    evaluatedAt: summary.evaluatedAt.toISOString(),
    thresholdDays: summary.thresholdDays,
  };
}
