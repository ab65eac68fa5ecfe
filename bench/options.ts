import { DEFAULT_IAM_CONCURRENCY } from '../src/adapters/iam/api-source';
import type { EndpointModel } from './throttled-endpoint';

export const BENCH_PARTS = [
  'scans',
  'bundles',
  'micro',
  'visual-report',
  'organization',
  'organization-cli',
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface BenchOptions {
  readonly parts: readonly BenchPart[];
  readonly userCounts: readonly number[];
  /** The api source's concurrency limit. */
  readonly concurrency: number;
  readonly endpoint: EndpointModel;
  /** Fresh processes per bundle whose require() time is taken; the median is reported. */
  readonly loadSamples: number;
  /** The organisation run: accounts (management included), users in all, accounts scanned at once. */
  readonly organization: { readonly accounts: number; readonly users: number; readonly concurrency: number };
}

export const USAGE = `npm run bench [-- options]
  --parts ${BENCH_PARTS.join(',')}   what to run (default: all)
  --users 100,1000,5000   users in the generated account, one scan per count and source
  --concurrency N         api source: users read in parallel (default ${DEFAULT_IAM_CONCURRENCY}, DEFAULT_IAM_CONCURRENCY)
  --latency-ms 20         time the endpoint takes to answer each call
  --rate 300              token bucket: requests per second let through on average ...
  --burst 50              ... and at once, from a full bucket
  --load-samples 7        fresh processes per bundle load-time measurement
  --accounts 100          organisation run (organization: the service, organization-cli: the CLI)
                          on the emulator: accounts, the management account included
  --org-users 10000       ... IAM users in all (two accounts hold a quarter each)
  --account-concurrency 10  ... accounts scanned at once (the accountConcurrency deploy parameter;
                          the CLI's --account-concurrency in organization-cli)`;

const DEFAULTS: BenchOptions = {
  parts: BENCH_PARTS,
  userCounts: [100, 1_000, 5_000],
  concurrency: DEFAULT_IAM_CONCURRENCY,
  endpoint: { latencyMs: 20, ratePerSecond: 300, burst: 50 },
  loadSamples: 7,
  organization: { accounts: 100, users: 10_000, concurrency: 10 },
};

/** `--name value` pairs; anything unknown or out of range stops the bench before it starts. */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const given = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i] ?? '';
    const value = args[i + 1];
    if (!name.startsWith('--') || value === undefined)
      throw new Error(`expected --name value, got "${args.join(' ')}"\n${USAGE}`);
    given.set(name.slice(2), value);
  }
  const known = [
    'parts',
    'users',
    'concurrency',
    'latency-ms',
    'rate',
    'burst',
    'load-samples',
    'accounts',
    'org-users',
    'account-concurrency',
  ];
  const unknown = [...given.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown option --${unknown.join(', --')}\n${USAGE}`);

  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = given.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  const users = given.get('users');
  const parts = given.get('parts')?.split(',') ?? [...DEFAULTS.parts];
  const unknownParts = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknownParts.length > 0)
    throw new Error(`--parts takes ${BENCH_PARTS.join(', ')}, got "${unknownParts.join(',')}"`);
  return {
    parts: parts as BenchPart[],
    userCounts:
      users === undefined
        ? DEFAULTS.userCounts
        : users.split(',').map((count) => {
            const value = Number(count.replace(/_/g, ''));
            if (!Number.isInteger(value) || value < 1 || value > 20_000) {
              throw new Error(`--users takes counts from 1 to 20000, got "${count}"`);
            }
            return value;
          }),
    concurrency: number('concurrency', DEFAULTS.concurrency, 1, 256),
    endpoint: {
      latencyMs: number('latency-ms', DEFAULTS.endpoint.latencyMs, 0, 10_000),
      ratePerSecond: number('rate', DEFAULTS.endpoint.ratePerSecond, 1, 1_000_000),
      burst: number('burst', DEFAULTS.endpoint.burst, 1, 1_000_000),
    },
    loadSamples: number('load-samples', DEFAULTS.loadSamples, 1, 101),
    organization: {
      accounts: number('accounts', DEFAULTS.organization.accounts, 1, 1_000),
      users: number('org-users', DEFAULTS.organization.users, 0, 100_000),
      concurrency: number('account-concurrency', DEFAULTS.organization.concurrency, 1, 1_000),
    },
  };
}
