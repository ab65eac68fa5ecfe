import { DEFAULT_IAM_CONCURRENCY, MAX_IAM_CONCURRENCY } from '../adapters/iam/api-source';
import { formatReportCsv } from '../domain/report/report-csv';
import type { ScanReport } from '../domain/report/scan-report';
import { scanAccount } from '../domain/scan/scan-account';
import {
  CREDENTIAL_SCOPES,
  USER_STATUSES,
  type CredentialScope,
  type UserStatus,
} from '../domain/verdict/evaluate';
import {
  DEFAULT_THRESHOLD_DAYS,
  MAX_THRESHOLD_DAYS,
  MIN_THRESHOLD_DAYS,
  parseChoice,
  parseInstant,
} from '../lib/config';
import { InvalidConfigError } from '../lib/errors';
import { escapeJsonText, jsonForTerminal } from '../lib/safe-text';
import { EXEMPT_TAG_KEY } from '../settings/table';
import { cliIamClient, iamClientFor } from './aws';
import { asffRegion, formatAsff } from './format-asff';
import { formatReportHtml } from './format-html';
import { formatReportTable } from './format-table';
import { EXIT, fail, parsedCommand, printError, printWarning, type AwsFlags, type CliIo } from './io';
import {
  AWS_OPTIONS,
  DAYS_OPTION,
  EXEMPTION_OPTIONS,
  SOURCE_OPTIONS,
  parseAwsFlags,
  parseCommandLine,
  parseDaysFlag,
  parseExemptionFlags,
  parseSourceFlags,
  type ExemptionFlags,
  type ScanSourceChoice,
} from './options';
import {
  ORGANIZATION_OPTIONS,
  DEFAULT_ACCOUNT_CONCURRENCY,
  DEFAULT_MEMBER_ROLE_NAME,
  MAX_ACCOUNT_CONCURRENCY,
  parseOrganizationFlags,
  type OrganizationFlags,
} from './organization-options';
import type { OrganizationFormat } from './organization-output';
import { runOrganizationScan } from './organization-scan';
import { progressReporter } from './progress';
import { exemptionDirectory, makeSource } from './sources';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'asff', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ScanCommand {
  readonly thresholdDays: number;
  readonly source: ScanSourceChoice;
  readonly scope: CredentialScope;
  readonly format: OutputFormat;
  /** Null: evaluate as of the moment the command runs. */
  readonly now: Date | null;
  readonly aws: AwsFlags;
  readonly exemptions: ExemptionFlags;
  /** `--status`: the users listed; null lists everyone. The summary always counts everyone. */
  readonly statuses: ReadonlySet<UserStatus> | null;
  /** `--fail-on-stale`: exit 4 when a complete scan finds a stale user. */
  readonly failOnStale: boolean;
  /** Not `--organization`: one account, the credentials' own. */
  readonly organization: null;
}

/** `--organization`: every account of the organisation, each read live through its member role. */
export interface OrganizationScanCommand extends Omit<ScanCommand, 'organization' | 'source' | 'format'> {
  readonly organization: OrganizationFlags;
  readonly source: Exclude<ScanSourceChoice, { kind: 'file' }>;
  readonly format: OrganizationFormat;
}

export const SCAN_USAGE = `Usage: stale-iam scan [options]

Find IAM users and credentials nobody has used for more than N days.

Options:
  --days N                   a credential is stale when unused for more than N days,
                             ${MIN_THRESHOLD_DAYS}..${MAX_THRESHOLD_DAYS} (default ${DEFAULT_THRESHOLD_DAYS})
  --source api|credential-report
                             read live from AWS: the credential report (default, fast)
                             or the IAM API (exact and current, 2-4 calls per user)
  --credential-report FILE   read a credential report offline, with no AWS call: the CSV
                             from the IAM console, or the JSON aws iam get-credential-report prints
  --credentials all|password|access-key
                             which credentials to judge (default all)
  --format table|json|csv|asff|html
                             output format (default table); asff: Security Hub findings
                             (docs/security-hub.md), which need a Region (--region, AWS_REGION);
                             html: one self-contained page (docs/visual-report.md)
  --status STATUS[,STATUS]   list only users with these statuses (${USER_STATUSES.join(', ')});
                             table and csv only, the summary still counts everyone
  --fail-on-stale            exit 4 when a complete scan finds a stale user (for CI jobs)
  --now ISO-8601             evaluate as of this instant (default: now)
  --concurrency N            users read in parallel with --source api, 1..${MAX_IAM_CONCURRENCY}
                             (default ${DEFAULT_IAM_CONCURRENCY})
  --exempt-users NAME        never report this user as stale: status exempt (repeat the flag,
                             or give a JSON array '["a","b"]'; IAM names may contain commas)
  --exempt-paths PATH        users under this IAM path are exempt (e.g. /breakglass/)
  --exempt-groups NAME       members of this group are exempt (live sources only)
  --ignore-exempt-tag        do not read users' tags and groups (iam:GetAccountAuthorizationDetails);
                             otherwise users tagged ${EXEMPT_TAG_KEY}=true are exempt, as in the service
  --profile NAME             AWS profile to use (default: AWS_PROFILE, then the default chain)
  --region REGION            AWS Region for the SDK (default: AWS_REGION; IAM itself is global)
                             and the findings of --format asff
  -h, --help                 show this help

Every account of an AWS organisation (docs/organization.md), with the credentials of the
management account or a delegated administrator:
  --organization             scan every active account through its member role, as the service
                             does; table, json, csv or html (asff: scan each account on its own)
  --role-name NAME           the member role assumed in each account (default ${DEFAULT_MEMBER_ROLE_NAME});
                             it must trust these credentials
  --accounts ID,...          only these accounts (12-digit ids)
  --exclude-accounts ID,...  never these accounts
  --ou OU_ID,...             only the accounts under these OUs or roots, at any depth
  --account-concurrency N    accounts scanned at the same time, 1..${MAX_ACCOUNT_CONCURRENCY} (default ${DEFAULT_ACCOUNT_CONCURRENCY})
  The report lists the accounts in account-id order, each as it is scanned; json and csv stream.

AWS settings come from the SDK's standard chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).

Exit codes: 0 complete, 1 failed (AWS or input error), 2 invalid usage,
            3 partial (report printed, some users could not be evaluated;
              with --organization, also when an account failed or was partial),
            4 stale users found (only with --fail-on-stale, on a complete scan).
`;

const SCAN_OPTIONS = {
  ...DAYS_OPTION,
  ...SOURCE_OPTIONS,
  ...EXEMPTION_OPTIONS,
  ...AWS_OPTIONS,
  ...ORGANIZATION_OPTIONS,
  credentials: { type: 'string' },
  format: { type: 'string' },
  now: { type: 'string' },
  status: { type: 'string', multiple: true },
  'fail-on-stale': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Turns `scan` arguments into a validated command, or throws InvalidConfigError with one clear line. */
export function parseScanCommand(args: readonly string[]): ScanCommand | OrganizationScanCommand | 'help' {
  const values = parseCommandLine('scan', args, SCAN_OPTIONS);
  if (values.help) return 'help';
  const source = parseSourceFlags(values);
  const aws = parseAwsFlags(values, source);
  const format = parseChoice('--format', values.format ?? 'table', OUTPUT_FORMATS);
  const statuses = parseStatuses(values.status);
  if (statuses && format === 'json') {
    throw new InvalidConfigError(
      '--status filters the table and the CSV; the JSON report always lists every user (filter it with jq)',
    );
  }
  const common = {
    thresholdDays: parseDaysFlag(values),
    scope: parseChoice('--credentials', values.credentials ?? 'all', CREDENTIAL_SCOPES),
    now: values.now === undefined ? null : parseInstant('--now', values.now),
    aws,
    exemptions: parseExemptionFlags(values, source),
    statuses,
    failOnStale: values['fail-on-stale'] === true,
  };
  const organization = parseOrganizationFlags(values);
  if (!organization) return { ...common, source, format, organization: null };
  if (source.kind === 'file') {
    throw new InvalidConfigError(
      "--credential-report reads one account's report from a file; it cannot be combined with --organization",
    );
  }
  if (format === 'asff') {
    throw new InvalidConfigError(
      "--format asff cannot be combined with --organization: Security Hub takes an account's findings only from that account; scan each account with --format asff (docs/security-hub.md)",
    );
  }
  return { ...common, source, format, organization };
}

/** `--status stale,error` (or the flag repeated): statuses are fixed words, so commas are unambiguous here. */
function parseStatuses(given: readonly string[] | undefined): ReadonlySet<UserStatus> | null {
  if (given === undefined) return null;
  const statuses = new Set<UserStatus>();
  for (const word of given.flatMap((value) => value.split(','))) {
    statuses.add(parseChoice('--status', word.trim(), USER_STATUSES));
  }
  return statuses;
}

/** `stale-iam scan ...`: the exit code (see EXIT). */
export async function runScan(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parsedCommand(io, () => parseScanCommand(args), SCAN_USAGE);
  if ('exit' in parsed) return parsed.exit;
  if (parsed.organization) return runOrganizationScan(parsed, io);

  const aws = parsed.source.kind === 'file' ? null : iamClientFor(io, parsed.aws);
  let region = '';
  if (parsed.format === 'asff') {
    // Every finding names its Region: known before a long scan, or refused.
    try {
      region = await asffRegion(aws?.client ?? (io.iamClient ?? cliIamClient)(parsed.aws));
    } catch (error) {
      return fail(io, error);
    }
  }
  const warnings: string[] = [];
  const progress = progressReporter(io, parsed.source);
  const now = parsed.now ?? io.clock();
  let report: ScanReport;
  try {
    report = await scanAccount(makeSource(parsed.source, aws?.client, io, now), {
      thresholdDays: parsed.thresholdDays,
      scope: parsed.scope,
      now,
      clock: io.clock,
      onProgress: progress.onProgress,
      onWait: progress.onWait,
      onWarning: (warning) => warnings.push(warning),
      exemptions: {
        rules: parsed.exemptions.rules,
        directory: aws && parsed.exemptions.readDirectory ? exemptionDirectory(aws.client) : undefined,
      },
    });
  } catch (error) {
    progress.clear();
    return fail(io, error, aws?.endpoint() ?? null);
  }
  progress.clear();
  for (const warning of warnings) printWarning(io, warning);

  try {
    io.stdout.write(await render(report, parsed, { region, now: io.clock() }));
  } catch (error) {
    return fail(io, error);
  }
  const deleted = report.deletedDuringScan;
  if (deleted.length > 0) {
    printError(io, `deleted while the scan ran, so not judged: ${deleted.join(', ')}`);
  }
  if (report.partial) {
    printError(
      io,
      `${report.summary.errors} of ${report.summary.users} users could not be evaluated (status "error"); the report is partial`,
    );
    return EXIT.partial;
  }
  if (parsed.failOnStale && report.summary.stale > 0) {
    printError(
      io,
      `${report.summary.stale} of ${report.summary.users} users are stale (unused for more than ${report.thresholdDays} days); exit ${EXIT.staleFound} (--fail-on-stale)`,
    );
    return EXIT.staleFound;
  }
  return EXIT.complete;
}

async function render(
  report: ScanReport,
  command: ScanCommand,
  asff: { region: string; now: Date },
): Promise<string> {
  const listed = command.statuses
    ? { ...report, users: report.users.filter((u) => command.statuses?.has(u.status)) }
    : report;
  switch (command.format) {
    case 'json':
      return jsonForTerminal(report, 2) + '\n';
    case 'csv':
      return formatReportCsv(listed);
    case 'table':
      return formatReportTable(report, {
        statuses: command.statuses,
        exemptions: command.exemptions.description,
      });
    case 'asff':
      return escapeJsonText(formatAsff(report, asff));
    case 'html':
      return formatReportHtml(report);
  }
}
