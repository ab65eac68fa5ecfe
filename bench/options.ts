import { DEFAULT_IAM_CONCURRENCY } from '../src/adapters/iam/api-source';
import type { EndpointModel } from './throttled-endpoint';

export interface BenchOptions {
  readonly userCounts: readonly number[];
  /** The api source's concurrency limit. */
  readonly concurrency: number;
  readonly endpoint: EndpointModel;
  /** Fresh processes per bundle whose require() time is taken; the median is reported. */
  readonly loadSamples: number;
}

export const USAGE = `npm run bench [-- options]
  --users 100,1000,5000   users in the generated account, one scan per count and source
  --concurrency N         api source: users read in parallel (default ${DEFAULT_IAM_CONCURRENCY}, DEFAULT_IAM_CONCURRENCY)
  --latency-ms 20         time the endpoint takes to answer each call
  --rate 300              token bucket: requests per second let through on average ...
  --burst 50              ... and at once, from a full bucket
  --load-samples 7        fresh processes per bundle load-time measurement`;

const DEFAULTS: BenchOptions = {
  userCounts: [100, 1_000, 5_000],
  concurrency: DEFAULT_IAM_CONCURRENCY,
  endpoint: { latencyMs: 20, ratePerSecond: 300, burst: 50 },
  loadSamples: 7,
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
  const known = ['users', 'concurrency', 'latency-ms', 'rate', 'burst', 'load-samples'];
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
  return {
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
  };
}
