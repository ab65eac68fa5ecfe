import type { Context } from 'aws-lambda';

/**
 * A Lambda context as the runtime would pass it, for invoking middy handlers in tests. The remaining
 * time is generous so middy's early-timeout race never wins against a mocked call.
 */
export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'stale-iam-test-scan',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:stale-iam-test-scan',
    memoryLimitInMB: '512',
    awsRequestId: '8f5a3c1e-0d4b-4c59-9b0e-6a1f2e3d4c5b',
    logGroupName: '/aws/lambda/stale-iam-test-scan',
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

/**
 * The same context, typed as what the handler declares. A middy handler whose middleware adds
 * fields to the context (SSM settings) declares them in its context type, but the runtime passes a
 * plain Context: the middleware fills the rest in.
 */
export function contextFor<C extends Context>(overrides: Partial<Context> = {}): C {
  return lambdaContext(overrides) as C;
}
