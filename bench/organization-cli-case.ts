import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseOrganizationReport } from '../src/contracts/organization-report';
import type { ProxiedCall } from '../tools/aws-proxy/proxy';
import {
  managementEnvironment,
  shapeOf,
  withSeededOrganization,
  type OrganizationShape,
} from './organization-case';

/**
 * The CLI's organisation mode at scale, on the emulator: the same organisation as the service's
 * case (organization-case.ts: `accounts` accounts, `users` in all, two accounts with a quarter
 * each), seeded afresh, then `stale-iam scan --organization` (the real binary, bin/stale-iam.js)
 * run with the management account's credentials through the proxy that holds every call
 * `latencyMs`: first `--format json` (the credential reports are generated in this run, as on a
 * first run), then `--format table` (they exist by then). Each run's peak RSS is the CLI process's
 * own (a preloaded probe writes process.resourceUsage().maxRSS on exit); its stdout goes to a file,
 * which is then checked against the organisation report's contract.
 */

export interface CliRunMeasurement {
  readonly format: 'json' | 'table';
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly maxRssKib: number;
  readonly outputBytes: number;
  /** From the first AssumeRole to the last call in a member account. */
  readonly scanMs: number;
  /** Each account's time: its AssumeRole's arrival to its last call's answer. */
  readonly accountMs: readonly number[];
  readonly assumeRolePerAccount: readonly number[];
  readonly iamCallsPerAccount: readonly number[];
  readonly listAccountsCalls: number;
  /** Calls outside the accounts' budget: GetCallerIdentity (once per run). */
  readonly otherCalls: Readonly<Record<string, number>>;
  readonly stderrTail: string;
}

export interface CliCaseOutcome extends OrganizationShape {
  readonly runs: readonly CliRunMeasurement[];
  /** The json run's report, checked by the contract: accounts complete, users listed. */
  readonly complete: number;
  readonly usersListed: number;
  readonly failure: string | null;
}

export interface CliCaseOptions {
  readonly repoRoot: string;
  /** The preloaded probe (bench/cli-rss-probe.ts, bundled beside the bench). */
  readonly rssProbe: string;
  readonly accounts: number;
  readonly users: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

export async function runOrganizationCliCase(options: CliCaseOptions): Promise<CliCaseOutcome> {
  return withSeededOrganization(options, async ({ sizes, seedMs, proxy, workDir }) => {
    const runs: CliRunMeasurement[] = [];
    let checked = { complete: 0, usersListed: 0, failure: null as string | null };
    for (const format of ['json', 'table'] as const) {
      const before = proxy.calls.length;
      const out = path.join(workDir, `out.${format}`);
      const measured = await runCli(options, proxy.endpoint, workDir, format, out);
      runs.push({ ...measured, ...callFigures(proxy.calls.slice(before)) });
      if (format === 'json') checked = checkReport(out, options.accounts, measured.exitCode);
    }
    return {
      ...shapeOf(options, { sizes, seedMs }),
      runs,
      ...checked,
    };
  });
}

type ProcessFigures = Pick<
  CliRunMeasurement,
  'format' | 'exitCode' | 'wallMs' | 'maxRssKib' | 'outputBytes' | 'stderrTail'
>;

function runCli(
  options: CliCaseOptions,
  endpoint: string,
  workDir: string,
  format: 'json' | 'table',
  out: string,
): Promise<ProcessFigures> {
  const rssFile = path.join(workDir, `rss.${format}`);
  const stdout = openSync(out, 'w');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--require',
        options.rssProbe,
        path.join(options.repoRoot, 'bin', 'stale-iam.js'),
        'scan',
        '--organization',
        '--format',
        format,
        '--account-concurrency',
        String(options.concurrency),
      ],
      {
        cwd: options.repoRoot,
        stdio: ['ignore', stdout, 'pipe'],
        env: { ...managementEnvironment(endpoint), STALE_IAM_BENCH_RSS_FILE: rssFile },
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      closeSync(stdout);
      const wallMs = performance.now() - started;
      let maxRssKib = Number.NaN;
      try {
        maxRssKib = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        // The probe writes on exit; a killed process leaves nothing: the RSS is unknown then.
      }
      resolve({
        format,
        exitCode,
        wallMs,
        maxRssKib,
        outputBytes: readFileSync(out).length,
        stderrTail: stderr.slice(-1000),
      });
    });
  });
}

/** Calls per account (those that assumed a role), ListAccounts, and the rest, from what the proxy saw. */
function callFigures(calls: readonly ProxiedCall[]) {
  const accounts = [...new Set(calls.filter((c) => c.action === 'AssumeRole').map((c) => c.accountId))];
  const inAccount = (id: string) => calls.filter((c) => c.accountId === id && c.action !== 'ListAccounts');
  const accountMs = accounts.map((id) => {
    const own = inAccount(id);
    const start = Math.min(...own.filter((c) => c.action === 'AssumeRole').map((c) => c.startedAt));
    return Math.max(...own.map((c) => c.endedAt)) - start;
  });
  const memberCalls = calls.filter((c) => c.service === 'iam' || c.action === 'AssumeRole');
  const otherCalls: Record<string, number> = {};
  for (const call of calls) {
    if (call.service === 'iam' || call.action === 'AssumeRole' || call.action === 'ListAccounts') continue;
    otherCalls[call.action] = (otherCalls[call.action] ?? 0) + 1;
  }
  return {
    scanMs:
      memberCalls.length > 0
        ? Math.max(...memberCalls.map((c) => c.endedAt)) - Math.min(...memberCalls.map((c) => c.startedAt))
        : Number.NaN,
    accountMs,
    assumeRolePerAccount: accounts.map((id) => inAccount(id).filter((c) => c.action === 'AssumeRole').length),
    iamCallsPerAccount: accounts.map((id) => inAccount(id).filter((c) => c.service === 'iam').length),
    listAccountsCalls: calls.filter((c) => c.action === 'ListAccounts').length,
    otherCalls,
  };
}

/** The json run's output, validated whole by the organisation report's contract. */
function checkReport(
  out: string,
  accounts: number,
  exitCode: number | null,
): { complete: number; usersListed: number; failure: string | null } {
  try {
    const report = parseOrganizationReport(JSON.parse(readFileSync(out, 'utf8')), out);
    const complete = report.accounts.filter((a) => a.status === 'complete').length;
    const failure =
      exitCode !== 0
        ? `the CLI exited ${String(exitCode)}`
        : complete !== accounts
          ? `${complete} of ${accounts} accounts complete`
          : null;
    return { complete, usersListed: report.users.length, failure };
  } catch (error) {
    return {
      complete: 0,
      usersListed: 0,
      failure: `the CLI's JSON did not pass the contract: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
