import { parseArgs } from 'node:util';
import { DEFAULT_IAM_CONCURRENCY, MAX_IAM_CONCURRENCY } from '../adapters/iam/api-source';
import { CREDENTIAL_SCOPES, type CredentialScope } from '../domain/verdict/evaluate';
import {
  DEFAULT_THRESHOLD_DAYS,
  parseChoice,
  parseInstant,
  parseThresholdDays,
  parseWholeNumber,
} from '../lib/config';
import { InvalidConfigError } from '../lib/errors';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'asff'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const LIVE_SOURCES = ['api', 'credential-report'] as const;

export type ScanSourceChoice =
  | { readonly kind: 'api'; readonly concurrency: number }
  | { readonly kind: 'credential-report' }
  | { readonly kind: 'file'; readonly path: string };

export interface ScanCommand {
  readonly thresholdDays: number;
  readonly source: ScanSourceChoice;
  readonly scope: CredentialScope;
  readonly format: OutputFormat;
  /** Null: evaluate as of the moment the command runs. */
  readonly now: Date | null;
}

export const SCAN_USAGE = `Usage: stale-iam scan [options]

Find IAM users and credentials nobody has used for N days.

Options:
  --days N                   idle threshold in whole days, 1..3650 (default ${DEFAULT_THRESHOLD_DAYS})
  --source api|credential-report
                             read live from AWS: the credential report (default, fast)
                             or the IAM API (exact and current, 2-4 calls per user)
  --credential-report FILE   read a credential report CSV offline, with no AWS call
  --credentials all|password|access-key
                             which credentials to judge (default all)
  --format table|json|csv|asff
                             output format (default table); asff: Security Hub findings
                             (docs/security-hub.md), which need a Region (AWS_REGION)
  --now ISO-8601             evaluate as of this instant (default: now)
  --concurrency N            users read in parallel with --source api, 1..${MAX_IAM_CONCURRENCY}
                             (default ${DEFAULT_IAM_CONCURRENCY})
  -h, --help                 show this help

AWS settings come from the SDK's standard chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...).

Exit codes: 0 complete, 1 failed (AWS or input error), 2 invalid usage,
            3 partial (report printed, some users could not be evaluated).
`;

/** Turns `scan` arguments into a validated command, or throws InvalidConfigError with one clear line. */
export function parseScanCommand(args: readonly string[]): ScanCommand | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        days: { type: 'string' },
        source: { type: 'string' },
        'credential-report': { type: 'string' },
        credentials: { type: 'string' },
        format: { type: 'string' },
        now: { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // node:util's messages are one sentence; keep the first line and point at --help.
    const raw = error instanceof Error ? error.message : String(error);
    const firstSentence = (raw.replace(/^\w*Error \[[A-Z_]+\]: /, '').split(/\.( |$)|\n/)[0] ?? '').trim();
    throw new InvalidConfigError(`${firstSentence} (see stale-iam scan --help)`);
  }
  if (values.help) return 'help';

  const file = values['credential-report'];
  if (file !== undefined && values.source !== undefined) {
    throw new InvalidConfigError('use either --source or --credential-report, not both');
  }
  if (file === '') throw new InvalidConfigError('--credential-report needs a file path');
  const liveSource =
    file === undefined ? parseChoice('--source', values.source ?? 'credential-report', LIVE_SOURCES) : null;
  if (values.concurrency !== undefined && liveSource !== 'api') {
    throw new InvalidConfigError('--concurrency applies to --source api only');
  }
  const source: ScanSourceChoice =
    file !== undefined
      ? { kind: 'file', path: file }
      : liveSource === 'api'
        ? {
            kind: 'api',
            concurrency: parseWholeNumber(
              '--concurrency',
              values.concurrency ?? String(DEFAULT_IAM_CONCURRENCY),
              1,
              MAX_IAM_CONCURRENCY,
            ),
          }
        : { kind: 'credential-report' };

  return {
    thresholdDays: parseThresholdDays(values.days ?? String(DEFAULT_THRESHOLD_DAYS), '--days'),
    source,
    scope: parseChoice('--credentials', values.credentials ?? 'all', CREDENTIAL_SCOPES),
    format: parseChoice('--format', values.format ?? 'table', OUTPUT_FORMATS),
    now: values.now === undefined ? null : parseInstant('--now', values.now),
  };
}
