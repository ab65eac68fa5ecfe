import { setTimeout as delay } from 'node:timers/promises';
import type { FakeFault, FakeRequest } from '../tools/fakes/fake-iam-server';
import { TokenBucket } from './token-bucket';
import { count } from './units';

/** How the benchmark's IAM endpoint behaves: every answer takes `latencyMs`; above the rate, Throttling. */
export interface EndpointModel {
  readonly latencyMs: number;
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** What the endpoint saw, by action: calls it answered (successes and real errors such as NoSuchEntity), and Throttling answers. */
export interface EndpointTally {
  readonly answered: Map<string, number>;
  readonly throttled: Map<string, number>;
}

const THROTTLING: FakeFault = { status: 400, code: 'Throttling', message: 'Rate exceeded' };

export function emptyTally(): EndpointTally {
  return { answered: new Map(), throttled: new Map() };
}

/**
 * The `intercept` hook for startFakeIam. The bucket is asked when a request arrives (that is when a
 * rate limiter sees it), and both kinds of answer wait the same latency: a throttled call costs the
 * client a round trip too.
 */
export function throttledIntercept(
  model: EndpointModel,
  tally: EndpointTally,
  clock: () => number = () => performance.now(),
): (request: FakeRequest) => Promise<FakeFault | undefined> {
  const bucket = new TokenBucket(model.ratePerSecond, model.burst, clock());
  return async ({ action }) => {
    const allowed = bucket.tryTake(clock());
    const counter = allowed ? tally.answered : tally.throttled;
    counter.set(action, (counter.get(action) ?? 0) + 1);
    await delay(model.latencyMs);
    return allowed ? undefined : THROTTLING;
  };
}

export function describeEndpoint(model: EndpointModel): string {
  return (
    `${model.latencyMs} ms per answer; token bucket ${count(model.ratePerSecond)} requests/s, burst ${count(model.burst)}; ` +
    'above it HTTP 400 Throttling "Rate exceeded"'
  );
}
