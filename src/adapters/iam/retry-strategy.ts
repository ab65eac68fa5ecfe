import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { unreachableReason } from '../../lib/unreachable';

/**
 * Retries each IAM call on its own: Throttling and transient errors (5xx, timeouts) up to
 * `maxAttempts`, waiting `backoff(retryCount)` before each retry.
 *
 * Why not the SDK's StandardRetryStrategy: it also keeps a retry quota shared by every call of the
 * client (500 tokens, 5 per throttled retry, refilled by successes). Under sustained throttling a
 * scan running 8 calls at a time drains it, and from then on the SDK refuses to retry at all: users
 * end as `Throttling` errors although a short wait would have read them. The quota exists to stop
 * retry storms from many independent callers; here the scan's concurrency limit already bounds the
 * load, and backing off per call is what lets IAM's rate limit recover.
 */
export class ScanRetryStrategy implements RetryStrategyV2 {
  /**
   * @param retryUnreachable false: an endpoint that cannot be reached at all (connection refused,
   *   unknown host) fails at once instead of after every retry. The CLI, where a person waits and
   *   the usual cause is a wrong AWS_ENDPOINT_URL, says so in seconds; the Lambda, talking to AWS,
   *   keeps retrying what is then a blip.
   */
  constructor(
    private readonly maxAttempts: number,
    private readonly backoff: (retryCount: number) => number,
    private readonly retryUnreachable = true,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return retryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retryCount = token.getRetryCount() + 1;
    const retryable =
      (errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT') &&
      (this.retryUnreachable || unreachableReason(errorInfo.error) === null);
    // The SDK rethrows the call's own error when this throws, so the message here is never shown.
    if (!retryable || retryCount >= this.maxAttempts) throw new Error('no retry');
    // The SDK's retry middleware waits getRetryDelay() before the next attempt.
    return retryToken(retryCount, Math.max(0, this.backoff(retryCount)));
  }

  recordSuccess(): void {
    // Nothing to refill: there is no shared quota (see the class comment).
  }
}

function retryToken(count: number, delayMs: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delayMs };
}
