import type { IAMClient } from '@aws-sdk/client-iam';
import { createIamClient } from '../adapters/iam/client';
import { CredentialReportFileSource } from '../adapters/credential-report/file-source';
import { CredentialReportSource } from '../adapters/credential-report/source';
import { IamApiSource } from '../adapters/iam/api-source';
import { formatReportCsv } from '../domain/report/report-csv';
import { scanAccount } from '../domain/scan/scan-account';
import type { ScanReport } from '../domain/report/scan-report';
import type { ReadProgress, UserSource } from '../domain/scan/ports';
import { AwsReadError, InvalidConfigError, InvalidInputError, describeAwsError } from '../lib/errors';
import { asffRegion, formatAsff } from './format-asff';
import { formatReportTable } from './format-table';
import { parseScanCommand, SCAN_USAGE, type ScanCommand, type ScanSourceChoice } from './scan-command';

export const EXIT = { complete: 0, failed: 1, usage: 2, partial: 3 } as const;

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly clock: () => Date;
  /** Builds the IAM client for live sources; tests inject a mocked one. */
  readonly iamClient?: () => IAMClient;
}

const MAIN_USAGE = `Usage: stale-iam <command> [options]

Commands:
  scan     report IAM users and credentials unused for N days (stale-iam scan --help)
`;

/** The whole CLI: returns the exit code instead of exiting, so tests can run it in-process. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(MAIN_USAGE);
    return command === undefined ? EXIT.usage : EXIT.complete;
  }
  if (command !== 'scan') {
    io.stderr.write(`stale-iam: unknown command "${command}" (commands: scan)\n`);
    return EXIT.usage;
  }

  let parsed: ScanCommand | 'help';
  try {
    parsed = parseScanCommand(rest);
  } catch (error) {
    return fail(io, error);
  }
  if (parsed === 'help') {
    io.stdout.write(SCAN_USAGE);
    return EXIT.complete;
  }

  let region: string | null = null;
  if (parsed.format === 'asff') {
    // Every finding names its Region: known before a long scan, or refused.
    try {
      region = await asffRegion((io.iamClient ?? createIamClient)());
    } catch (error) {
      return fail(io, error);
    }
  }

  let report: ScanReport;
  const progress = progressReporter(io, parsed.source);
  try {
    report = await scanAccount(makeSource(parsed.source, io), {
      thresholdDays: parsed.thresholdDays,
      scope: parsed.scope,
      now: parsed.now ?? io.clock(),
      clock: io.clock,
      onProgress: progress.update,
    });
  } catch (error) {
    progress.clear();
    return fail(io, error);
  }
  progress.clear();

  try {
    io.stdout.write(render(report, parsed.format, { region: region ?? '', now: io.clock() }));
  } catch (error) {
    return fail(io, error);
  }
  const deleted = report.deletedDuringScan;
  if (deleted.length > 0) {
    io.stderr.write(`stale-iam: deleted while the scan ran, so not judged: ${deleted.join(', ')}\n`);
  }
  if (report.partial) {
    io.stderr.write(
      `stale-iam: ${report.summary.errors} of ${report.summary.users} users could not be evaluated (status "error"); the report is partial\n`,
    );
    return EXIT.partial;
  }
  return EXIT.complete;
}

function makeSource(choice: ScanSourceChoice, io: CliIo): UserSource {
  const client = () => (io.iamClient ?? createIamClient)();
  switch (choice.kind) {
    case 'file':
      return new CredentialReportFileSource(choice.path);
    case 'credential-report':
      return new CredentialReportSource({ client: client() });
    case 'api':
      return new IamApiSource({ client: client(), concurrency: choice.concurrency });
  }
}

function render(
  report: ScanReport,
  format: ScanCommand['format'],
  asff: { region: string; now: Date },
): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'csv':
      return formatReportCsv(report);
    case 'table':
      return formatReportTable(report);
    case 'asff':
      return formatAsff(report, asff);
  }
}

/** `users 120/340` on one rewritten stderr line, only when a person is watching and the scan is long. */
function progressReporter(io: CliIo, source: ScanSourceChoice) {
  const enabled = io.stderr.isTTY === true && source.kind === 'api';
  let shown = false;
  let lastDrawn = 0;
  return {
    update: enabled
      ? ({ done, total }: ReadProgress) => {
          const now = Date.now();
          if (done !== total && now - lastDrawn < 100) return;
          lastDrawn = now;
          shown = true;
          io.stderr.write(`\rstale-iam: reading users ${done}/${total}`);
        }
      : undefined,
    clear: () => {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

/** One line on stderr, never a stack trace; the exit code says which kind of failure it was. */
function fail(io: CliIo, error: unknown): number {
  if (error instanceof InvalidConfigError) {
    io.stderr.write(`stale-iam: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof InvalidInputError || error instanceof AwsReadError) {
    io.stderr.write(`stale-iam: ${explainAws(error)}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`stale-iam: unexpected error: ${explainAws(error)}\n`);
  if (process.env.STALE_IAM_DEBUG && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  return EXIT.failed;
}

/** Adds what to do about the failures people hit first: no credentials, no region. */
function explainAws(error: unknown): string {
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const text =
    error instanceof InvalidInputError || error instanceof AwsReadError
      ? error.message
      : describeAwsError(error);
  if (root instanceof Error && root.name === 'CredentialsProviderError') {
    return `${text} (no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`;
  }
  if (root instanceof Error && /region is missing/i.test(root.message)) {
    return `${text} (set AWS_REGION, e.g. AWS_REGION=us-east-1: IAM is global but the SDK needs a region)`;
  }
  return text;
}
