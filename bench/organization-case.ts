import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAwsProxy, type AwsProxy, type ProxiedCall } from '../tools/aws-proxy/proxy';
import { emulatorEnvironment } from '../tools/emulator/environment';
import { launcher, startMoto } from '../tools/emulator/moto';
import {
  MANAGEMENT_CREDENTIALS,
  seedOrganization,
  type SeedAccount,
  type SeedUser,
} from '../tools/emulator/organization';
import type { InvocationRecord, RunRecord } from '../tools/local-run/main';

/**
 * The organisation run at scale, on the emulator: moto holds an organisation of `accounts` accounts
 * (the management account and members) with `users` IAM users in all, two accounts holding a quarter
 * each; a proxy in front of moto holds every call `latencyMs` and counts them by account; the
 * packaged functions run through the compiled state machine with the local runner
 * (`npm run invoke-local`, each invocation a fresh Node process, as a cold Lambda), the map at
 * `concurrency` accounts at a time.
 */

export interface OrganizationCaseOptions {
  readonly repoRoot: string;
  readonly accounts: number;
  readonly users: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/** The organisation a case ran on, and how it was seeded. */
export interface OrganizationShape {
  readonly accounts: number;
  readonly users: number;
  readonly largeAccounts: readonly number[];
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly seedMs: number;
}

export function shapeOf(
  options: Pick<OrganizationCaseOptions, 'accounts' | 'users' | 'concurrency' | 'latencyMs'>,
  bench: Pick<SeededBench, 'sizes' | 'seedMs'>,
): OrganizationShape {
  return {
    accounts: options.accounts,
    users: options.users,
    largeAccounts: bench.sizes.filter((size) => size >= options.users / 4),
    concurrency: options.concurrency,
    latencyMs: options.latencyMs,
    seedMs: bench.seedMs,
  };
}

export interface OrganizationCaseOutcome extends OrganizationShape {
  /** From the first invocation's start to the last one's end: discover, the map, roll-up, email. */
  readonly runMs: number;
  readonly mapMs: number;
  /** scanMember invocations, one per account: handler time including loading its bundle. */
  readonly accountMs: readonly number[];
  readonly rollupMs: number;
  readonly rollupMaxRssKib: number;
  readonly scanMemberMaxRssKib: number;
  readonly assumeRolePerAccount: readonly number[];
  readonly iamCallsPerAccount: readonly number[];
  readonly listAccountsCalls: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly failure: string | null;
}

/** Users of one kind after another: passwords, keys, both, neither (moto cannot backdate them). */
function population(prefix: string, count: number): SeedUser[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 7;
    return {
      userName: `${prefix}-${String(i).padStart(5, '0')}`,
      password: kind === 0 || kind === 1 || kind === 4,
      accessKeys: kind === 2 || kind === 3 ? ['active'] : kind === 4 ? ['active', 'inactive'] : [],
    };
  });
}

/** `users` split: two accounts with a quarter each, the rest as evenly as it goes over the others. */
export function accountSizes(accounts: number, users: number): number[] {
  if (accounts < 3) return [users, ...Array(accounts - 1).fill(0)].slice(0, accounts);
  const large = Math.floor(users / 4);
  const rest = users - 2 * large;
  const others = accounts - 2;
  return [
    large,
    large,
    ...Array.from({ length: others }, (_, i) => Math.floor(rest / others) + (i < rest % others ? 1 : 0)),
  ];
}

export function emulatorAvailable(): boolean {
  return launcher !== null;
}

/** The bench's organisation on a fresh moto, the proxy in front of it, and a folder for files. */
export interface SeededBench {
  readonly sizes: readonly number[];
  readonly seedMs: number;
  readonly proxy: AwsProxy;
  readonly workDir: string;
}

/**
 * Starts moto, seeds it with `accounts` accounts and `users` users (accountSizes, population),
 * puts the proxy holding every call `latencyMs` in front, runs `body`, and stops everything.
 */
export async function withSeededOrganization<T>(
  options: Pick<OrganizationCaseOptions, 'accounts' | 'users' | 'latencyMs'>,
  body: (bench: SeededBench) => Promise<T>,
): Promise<T> {
  const sizes = accountSizes(options.accounts, options.users);
  const moto = await startMoto();
  const workDir = mkdtempSync(path.join(tmpdir(), 'stale-iam-bench-org-'));
  try {
    const seedStarted = performance.now();
    const [management, ...members] = sizes.map((size, i): SeedAccount => ({
      name: `account-${String(i).padStart(3, '0')}`,
      users: population(`u${i}`, size),
    }));
    await seedOrganization({
      endpoint: moto.endpoint,
      management: management as SeedAccount,
      members,
      concurrency: 16,
    });
    const seedMs = performance.now() - seedStarted;
    const proxy = await startAwsProxy({ target: moto.endpoint, latencyMs: options.latencyMs });
    try {
      return await body({ sizes, seedMs, proxy, workDir });
    } finally {
      await proxy.close();
    }
  } finally {
    await moto.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** What a child process needs to act as the management account through `endpoint`, with PATH and HOME. */
export function managementEnvironment(endpoint: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...emulatorEnvironment(endpoint, MANAGEMENT_CREDENTIALS),
  };
}

export async function runOrganizationCase(
  options: OrganizationCaseOptions,
): Promise<OrganizationCaseOutcome> {
  return withSeededOrganization(options, async ({ sizes, seedMs, proxy, workDir }) => {
    const { record, failure } = await invokeLocal(options, proxy.endpoint, workDir);
    return summarize(options, sizes, seedMs, record, failure, proxy.calls);
  });
}

function invokeLocal(
  options: OrganizationCaseOptions,
  endpoint: string,
  workDir: string,
): Promise<{ record: RunRecord; failure: string | null }> {
  const out = path.join(workDir, 'run.json');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        path.join(options.repoRoot, 'scripts', 'invoke-local.mjs'),
        '--setup',
        '--param',
        'accountScope=organization',
        '--param',
        `accountConcurrency=${options.concurrency}`,
        '--out',
        out,
      ],
      {
        cwd: options.repoRoot,
        timeout: options.timeoutMs,
        maxBuffer: 256 * 1024 * 1024,
        env: {
          ...managementEnvironment(endpoint),
          POWERTOOLS_LOG_LEVEL: 'ERROR',
        },
      },
      (error, _stdout, stderr) => {
        try {
          const record = JSON.parse(readFileSync(out, 'utf8')) as RunRecord;
          resolve({
            record,
            failure: error ? `invoke-local exited ${String(error.code)}: ${stderr.slice(-2000)}` : null,
          });
        } catch (cause) {
          reject(new Error(`invoke-local wrote no record: ${stderr.slice(-2000)}`, { cause }));
        }
      },
    );
  });
}

function endOf(invocation: InvocationRecord): number {
  return Date.parse(invocation.startedAt) + (invocation.durationMs ?? 0);
}

function summarize(
  options: OrganizationCaseOptions,
  sizes: readonly number[],
  seedMs: number,
  record: RunRecord,
  failure: string | null,
  calls: readonly ProxiedCall[],
): OrganizationCaseOutcome {
  const of = (name: string) => record.invocations.filter((i) => i.functionName.endsWith(`-${name}`));
  const scans = of('scanMember');
  const rollup = of('rollup')[0];
  const starts = record.invocations.map((i) => Date.parse(i.startedAt));
  const map = record.mapRuns[0];
  const accounts = new Set(calls.filter((c) => c.action === 'AssumeRole').map((c) => c.accountId));
  const perAccount = (match: (c: ProxiedCall) => boolean) =>
    [...accounts].map((id) => calls.filter((c) => c.accountId === id && match(c)).length);
  const rollupOutput = record.steps.find((s) => s.state === 'Rollup')?.output as
    { accounts?: Record<string, number> } | undefined;
  return {
    ...shapeOf(options, { sizes, seedMs }),
    runMs: starts.length > 0 ? Math.max(...record.invocations.map(endOf)) - Math.min(...starts) : Number.NaN,
    mapMs: map?.endedAt ? Date.parse(map.endedAt) - Date.parse(map.startedAt) : Number.NaN,
    accountMs: scans.map((s) => s.durationMs ?? Number.NaN),
    rollupMs: rollup?.durationMs ?? Number.NaN,
    rollupMaxRssKib: rollup?.maxRssKib ?? Number.NaN,
    scanMemberMaxRssKib: Math.max(...scans.map((s) => s.maxRssKib ?? 0)),
    assumeRolePerAccount: perAccount((c) => c.action === 'AssumeRole'),
    iamCallsPerAccount: perAccount((c) => c.service === 'iam'),
    listAccountsCalls: calls.filter((c) => c.action === 'ListAccounts').length,
    statuses: rollupOutput?.accounts ?? {},
    failure:
      failure ??
      (record.status === 'SUCCEEDED' ? null : `the run ended ${record.status}: ${record.error ?? ''}`),
  };
}
