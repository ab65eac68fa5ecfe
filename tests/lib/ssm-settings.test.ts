import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import middy from '@middy/core';
import { clearCache } from '@middy/util';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidConfigError } from '../../src/lib/errors';
import type { Context } from 'aws-lambda';
import { SSM_CACHE_EXPIRY_MS, settingFrom, ssmSettings } from '../../src/lib/ssm-settings';
import { contextFor } from '../support/lambda-context';
import { rejectionOf } from '../support/rejection';

const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';
const LANGUAGE_PARAMETER = '/stale-iam/test/notify-language';
const CACHE_KEY = 'ssm-settings-test';
const ssm = mockClient(SSMClient);

/** A handler that returns what the middleware put on the context. Create it after the mocks: it prefetches. */
function settingsHandler<K extends string>(
  parameterNames: Record<K, string | undefined>,
  options: { cacheExpiry?: number } = {},
) {
  return middy<unknown, Record<string, unknown>, Error, Context>()
    .use(ssmSettings(parameterNames, { cacheKey: CACHE_KEY, ...options }))
    .handler(async (_event, context) => {
      const values: Record<string, unknown> = {};
      for (const key of Object.keys(parameterNames) as K[]) values[key] = settingFrom(context, key);
      return values;
    });
}

function accessDenied(parameter: string): Error {
  const error = new Error(
    `User: arn:aws:sts::123456789012:assumed-role/stale-iam-scan/fn is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter${parameter}\nbecause no identity-based policy allows it`,
  );
  error.name = 'AccessDeniedException';
  return error;
}

beforeEach(() => {
  ssm.reset();
  clearCache();
});

afterEach(() => {
  clearCache();
  jest.useRealTimers();
});

describe('ssmSettings', () => {
  it('caches nothing unless told otherwise: every invocation reads the values in SSM now', async () => {
    ssm
      .on(GetParametersCommand)
      .resolvesOnce({ Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '30' }] })
      .resolves({ Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '60' }] });
    const handler = settingsHandler({ thresholdDays: THRESHOLD_PARAMETER });

    expect(await handler({}, contextFor())).toEqual({ thresholdDays: '30' });
    expect(await handler({}, contextFor())).toEqual({ thresholdDays: '60' });

    expect(SSM_CACHE_EXPIRY_MS).toBe(0);
    // Read when an invocation needs the values, not once more at load time for nothing.
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 2);
  });

  it('puts the raw string value of each named parameter on the context', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [
        { Name: THRESHOLD_PARAMETER, Type: 'String', Value: '90' },
        { Name: LANGUAGE_PARAMETER, Type: 'String', Value: 'ja' },
      ],
      InvalidParameters: [],
    });
    const handler = settingsHandler({ thresholdDays: THRESHOLD_PARAMETER, language: LANGUAGE_PARAMETER });

    const values = await handler({}, contextFor());

    expect(values).toEqual({ thresholdDays: '90', language: 'ja' });
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParametersCommand, {
      Names: [THRESHOLD_PARAMETER, LANGUAGE_PARAMETER],
      WithDecryption: true,
    });
  });

  it('refuses to run when a parameter name is not configured, without calling SSM', async () => {
    const handler = settingsHandler({ thresholdDays: undefined });

    const error = await rejectionOf(handler({}, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe('no SSM parameter name configured for thresholdDays');
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 0);
  });

  it('turns a parameter that does not exist into one InvalidConfigError naming it', async () => {
    ssm.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: [THRESHOLD_PARAMETER] });
    const handler = settingsHandler({ thresholdDays: THRESHOLD_PARAMETER });

    const error = await rejectionOf(handler({}, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(
      `SSM parameter(s) ${THRESHOLD_PARAMETER}: parameter ${THRESHOLD_PARAMETER} does not exist`,
    );
  });

  it('turns a denied read into one InvalidConfigError naming the parameter and the reason, on one line', async () => {
    const denied = accessDenied(THRESHOLD_PARAMETER);
    ssm.on(GetParametersCommand).rejects(denied);
    const handler = settingsHandler({ thresholdDays: THRESHOLD_PARAMETER });

    const error = await rejectionOf(handler({}, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toMatch(
      new RegExp(
        `^SSM parameter\\(s\\) ${THRESHOLD_PARAMETER}: AccessDeniedException: User: .* ssm:GetParameters `,
      ),
    );
    expect(error.message).toContain('because no identity-based policy allows it');
    expect(error.message).not.toMatch(/\n/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reads again on the next invocation after a failed read instead of caching the failure', async () => {
    ssm
      .on(GetParametersCommand)
      .rejectsOnce(accessDenied(THRESHOLD_PARAMETER))
      .resolves({ Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '30' }] });
    const handler = settingsHandler({ thresholdDays: THRESHOLD_PARAMETER });

    await expect(handler({}, contextFor())).rejects.toThrow(InvalidConfigError);
    const values = await handler({}, contextFor());

    expect(values).toEqual({ thresholdDays: '30' });
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 2);
  });

  it('picks up a parameter created after a run found it missing, on the next invocation', async () => {
    ssm
      .on(GetParametersCommand)
      .resolvesOnce({ Parameters: [], InvalidParameters: [THRESHOLD_PARAMETER] })
      .resolves({ Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '30' }] });
    const handler = settingsHandler({ thresholdDays: THRESHOLD_PARAMETER });

    await expect(handler({}, contextFor())).rejects.toThrow(InvalidConfigError);
    const values = await handler({}, contextFor());

    expect(values).toEqual({ thresholdDays: '30' });
  });

  it('honours a cacheExpiry given by the caller', async () => {
    const start = new Date('2026-11-28T00:00:00Z');
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    ssm
      .on(GetParametersCommand)
      .resolvesOnce({ Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '30' }] })
      .resolves({ Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '60' }] });
    const handler = settingsHandler({ thresholdDays: THRESHOLD_PARAMETER }, { cacheExpiry: 10_000 });

    jest.setSystemTime(start.getTime() + 9_999);
    expect(await handler({}, contextFor())).toEqual({ thresholdDays: '30' });
    jest.setSystemTime(start.getTime() + 10_001);
    expect(await handler({}, contextFor())).toEqual({ thresholdDays: '60' });

    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 2);
  });
});
