import type { RetryErrorInfo, RetryToken } from '@smithy/types';
import { ScanRetryStrategy } from '../../../src/adapters/iam/retry-strategy';
import { rejectionOf } from '../../support/rejection';

const throttling: RetryErrorInfo = { errorType: 'THROTTLING' };

async function retryChain(strategy: ScanRetryStrategy, error: RetryErrorInfo, times: number) {
  let token: RetryToken = await strategy.acquireInitialRetryToken();
  const delays: number[] = [];
  for (let i = 0; i < times; i++) {
    token = await strategy.refreshRetryTokenForRetry(token, error);
    delays.push(token.getRetryDelay());
  }
  return { token, delays };
}

describe('ScanRetryStrategy', () => {
  it('retries Throttling until the attempts run out, waiting the backoff for each retry number', async () => {
    const strategy = new ScanRetryStrategy(4, (retry) => retry * 100);

    const { token, delays } = await retryChain(strategy, throttling, 3);

    expect(delays).toEqual([100, 200, 300]);
    expect(await rejectionOf(strategy.refreshRetryTokenForRetry(token, throttling))).toBeInstanceOf(Error);
  });

  it('retries transient errors (timeouts, 5xx) too', async () => {
    const strategy = new ScanRetryStrategy(3, () => 0);

    const { token } = await retryChain(strategy, { errorType: 'TRANSIENT' }, 2);

    expect(token.getRetryCount()).toBe(2);
  });

  it.each(['CLIENT_ERROR', 'SERVER_ERROR'] as const)(
    'does not retry a %s such as AccessDenied',
    async (type) => {
      const strategy = new ScanRetryStrategy(10, () => 0);
      const first = await strategy.acquireInitialRetryToken();

      await expect(strategy.refreshRetryTokenForRetry(first, { errorType: type })).rejects.toThrow();
    },
  );

  it('lets each call retry fully however many retries other calls spent', async () => {
    const strategy = new ScanRetryStrategy(10, () => 0);
    for (let call = 0; call < 200; call++) await retryChain(strategy, throttling, 9);

    const { token } = await retryChain(strategy, throttling, 9);

    expect(token.getRetryCount()).toBe(9);
  });
});
