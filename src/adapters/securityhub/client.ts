import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ScanRetryStrategy } from '../iam/retry-strategy';

/**
 * Security Hub answers bursts with HTTP 429 (TooManyRequestsException, LimitExceededException),
 * which the SDK classifies as throttling. Every Security Hub client stale-iam makes retries each
 * call on its own (no retry quota shared across calls, see ScanRetryStrategy) up to 8 attempts with
 * capped exponential backoff and full jitter: about a minute of patience per call, well inside the
 * function's timeout. The store also paces its calls below the quota (adapters/securityhub/findings-store.ts).
 */
const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

export interface SecurityHubClientOptions {
  readonly maxAttempts?: number;
  /** Milliseconds to wait before retry number `retryCount` (1-based). */
  readonly backoff?: (retryCount: number) => number;
  /**
   * Everything else the SDK accepts: the credentials of an assumed role in a member account, a
   * Region, a request handler in tests. Otherwise the standard chain.
   */
  readonly overrides?: Omit<
    ConstructorParameters<typeof SecurityHubClient>[0],
    'retryStrategy' | 'maxAttempts'
  >;
}

export function createSecurityHubClient(options: SecurityHubClientOptions = {}): SecurityHubClient {
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const backoff =
    options.backoff ??
    ((retryCount: number) =>
      Math.floor(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retryCount)));
  return new SecurityHubClient({
    ...options.overrides,
    maxAttempts,
    retryStrategy: new ScanRetryStrategy(maxAttempts, backoff),
  });
}
