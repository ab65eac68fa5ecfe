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

describe('ScanRetryStrategy for a person waiting (the CLI)', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });
  const unreachable: RetryErrorInfo = { errorType: 'TRANSIENT', error: refused as RetryErrorInfo['error'] };

  it('gives up at once when nothing listens at the endpoint', async () => {
    const strategy = new ScanRetryStrategy(10, () => 0, false);

    const first = await strategy.acquireInitialRetryToken();

    expect(await rejectionOf(strategy.refreshRetryTokenForRetry(first, unreachable))).toBeInstanceOf(Error);
  });

  it('still retries Throttling and other transient errors', async () => {
    const strategy = new ScanRetryStrategy(3, () => 0, false);

    const { token } = await retryChain(strategy, throttling, 2);

    expect(token.getRetryCount()).toBe(2);
  });

  it('keeps retrying a refused connection by default (the Lambda, where it is a blip)', async () => {
    const strategy = new ScanRetryStrategy(3, () => 0);

    const { token } = await retryChain(strategy, unreachable, 2);

    expect(token.getRetryCount()).toBe(2);
  });
});
