import {
  PACKAGE_TIMEOUT_MS,
  packagedForTests,
  packageServiceExpectingFailure,
} from './support/package-service';
import {
  conditionHolds,
  grants,
  lambdaFunction,
  properties,
  resource,
  type CfnTemplate,
} from './support/template';
import { IAM_USERS, broadGrants } from './support/expected-grants';

/** A role's IAM grants only (its logs, SSM and S3 grants are tested with the default source). */
function iamGrants(template: CfnTemplate, roleId: string): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(grants(template, roleId)).filter(([action]) => action.startsWith('iam:')),
  );
}

describe('deploy parameters given with --param', () => {
  const stack = packagedForTests({
    scheduleExpression: 'cron(30 22 ? * SUN-THU *)',
    notificationEmail: 'ops@example.com',
    reportRetentionDays: '30',
    thresholdDaysDefault: '45',
    notifyLanguage: 'ja',
    logLevel: 'DEBUG',
    scanSource: 'api',
    iamConcurrency: '16',
  });

  it('changes the schedule', () => {
    expect(
      properties<{ ScheduleExpression: string }>(stack.template, 'StaleIamStepFunctionsEventsRuleSchedule1')
        .ScheduleExpression,
    ).toBe('cron(30 22 ? * SUN-THU *)');
  });

  it("subscribes the operators' email address to the topic", () => {
    expect(conditionHolds(stack.template, 'HasNotificationEmail')).toBe(true);
    expect(resource(stack.template, 'StaleIamEmailSubscription').Properties).toEqual({
      TopicArn: { Ref: 'StaleIamTopic' },
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('sets the report expiry, the initial threshold, the email language and the log level', () => {
    const bucket = properties<{ LifecycleConfiguration: { Rules: Array<{ ExpirationInDays: number }> } }>(
      stack.template,
      'ReportBucket',
    );
    expect(bucket.LifecycleConfiguration.Rules[0]?.ExpirationInDays).toBe(30);
    expect(properties<{ Value: string }>(stack.template, 'ThresholdDaysParameter').Value).toBe('45');
    const notify = lambdaFunction(stack.template, 'NotifyLambdaFunction').Environment?.Variables;
    expect(notify?.NOTIFY_LANGUAGE).toBe('ja');
    expect(notify?.POWERTOOLS_LOG_LEVEL).toBe('DEBUG');
  });

  it('scans through the IAM API with the given concurrency, and the scan role follows the source', () => {
    const scan = lambdaFunction(stack.template, 'ScanLambdaFunction').Environment?.Variables;
    expect(scan?.SCAN_SOURCE).toBe('api');
    expect(scan?.IAM_CONCURRENCY).toBe('16');
    expect(iamGrants(stack.template, 'ScanRole')).toEqual({
      'iam:GetAccessKeyLastUsed': [IAM_USERS],
      'iam:GetAccountAuthorizationDetails': ['*'],
      'iam:GetLoginProfile': [IAM_USERS],
      'iam:GetUser': [IAM_USERS],
      'iam:ListAccessKeys': [IAM_USERS],
      'iam:ListUsers': ['*'],
    });
    expect(broadGrants(stack.template, ['iam:GetAccountAuthorizationDetails', 'iam:ListUsers'])).toEqual([]);
  });
});

describe('deploy parameters that make no sense', () => {
  it.each([
    [{ remediation: 'yes' }, 'the deploy parameter "remediation" must be true or false, got "yes"'],
    [{ thresholdDaysDefault: 'abc' }, 'the deploy parameter "thresholdDaysDefault" must be a whole number'],
    [{ thresholdDaysDefault: '0' }, 'the deploy parameter "thresholdDaysDefault" must be a whole number'],
    [{ reportRetentionDays: '-1' }, 'the deploy parameter "reportRetentionDays" must be a whole number'],
    [{ notificationEmail: 'ops' }, 'the deploy parameter "notificationEmail" must be an email address'],
    [{ scanSource: 'file' }, 'the deploy parameter "scanSource" must be one of credential-report, api'],
    [{ iamConcurrency: '0' }, 'the deploy parameter "iamConcurrency" must be a whole number from 1 to 32'],
  ])(
    'stop packaging with %j, saying what is wrong',
    async (params, message) => {
      const failure = await packageServiceExpectingFailure(params);
      expect(failure.exitCode).not.toBe(0);
      expect(failure.output).toContain(message);
    },
    PACKAGE_TIMEOUT_MS,
  );
});
