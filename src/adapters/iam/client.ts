import { IAMClient } from '@aws-sdk/client-iam';
import { ScanRetryStrategy } from './retry-strategy';

/**
 * IAM answers bursts with HTTP 400 `Throttling` ("Rate exceeded"). The SDK default (3 attempts, and
 * a retry quota shared by the whole client) gives up too soon for a scan of thousands of users, so
 * every IAM client stale-iam makes retries each call up to 10 attempts with capped exponential
 * backoff and full jitter (see ScanRetryStrategy). The same strategy is what tests exercise, with
 * the delay injected.
 */
const IAM_MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 20_000;

/** Capped exponential backoff with full jitter: the wait before retry number `retryCount`. */
export function jitteredBackoff(retryCount: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retryCount);
  return Math.floor(random() * ceiling);
}

export interface IamClientOptions {
  readonly maxAttempts?: number;
  /** Milliseconds to wait before retry number `retryCount` (1-based). */
  readonly backoff?: (retryCount: number) => number;
  /** Everything else the SDK accepts (a request handler in tests). Region and endpoint come from the standard chain. */
  readonly overrides?: Omit<ConstructorParameters<typeof IAMClient>[0], 'retryStrategy' | 'maxAttempts'>;
  /** Fail at once when the endpoint cannot be reached at all, instead of retrying (the CLI). */
  readonly failFastWhenUnreachable?: boolean;
}

export function createIamClient(options: IamClientOptions = {}): IAMClient {
  const maxAttempts = options.maxAttempts ?? IAM_MAX_ATTEMPTS;
  const backoff = options.backoff ?? ((retryCount: number) => jitteredBackoff(retryCount));
  return new IAMClient({
    ...options.overrides,
    maxAttempts,
    retryStrategy: new ScanRetryStrategy(maxAttempts, backoff, !options.failFastWhenUnreachable),
  });
}
