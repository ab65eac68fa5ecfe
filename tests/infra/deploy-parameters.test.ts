import { readFileSync } from 'node:fs';
import path from 'node:path';
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
    [{ notifyLanguage: 'fr' }, 'the deploy parameter "notifyLanguage" must be one of en, ja, got "fr"'],
    [{ notifyWhenClean: 'yes' }, 'the deploy parameter "notifyWhenClean" must be true or false, got "yes"'],
    [
      { warningDays: 'abc' },
      'the deploy parameter "warningDays" must be a whole number from 0 to 365, got "abc"',
    ],
    [
      { maxPercent: '500' },
      'the deploy parameter "maxPercent" must be a whole number from 0 to 100, got "500"',
    ],
    [
      { logLevel: 'LOUD' },
      'the deploy parameter "logLevel" must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT, got "LOUD"',
    ],
    [
      { scheduleExpression: 'daily' },
      'the deploy parameter "scheduleExpression" must be an EventBridge schedule such as cron(0 0 * * ? *) or rate(1 day), got "daily"',
    ],
    [{ maxPrecent: '50' }, 'unknown deploy parameter "maxPrecent"; did you mean "maxPercent"?'],
  ])(
    'stop packaging with %j on one line that names the parameter, before bundling anything',
    async (params, message) => {
      const failure = await packageServiceExpectingFailure(params);
      expect(failure.exitCode).not.toBe(0);
      expect(failure.output).toContain(message);
      expect(outputLines(failure.output)).toEqual([expect.stringMatching(/^stale-iam: /)]);
      expect(outputLines(failure.output)[0]).toContain(message);
      // One line means no stack trace and no bundling: it stops before esbuild starts.
      expect(failure.elapsedMs).toBeLessThan(PACKAGE_FAILS_WITHIN_MS);
    },
    PACKAGE_TIMEOUT_MS,
  );
});

/** Bundling takes several seconds; refusing a value takes one or two. A loose bound for slow CI. */
const PACKAGE_FAILS_WITHIN_MS = 20_000;

function outputLines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '');
}

describe('deploy parameters and the region from .env (useDotenv)', () => {
  const stack = packagedForTests(
    { iamConcurrency: '16' },
    {
      files: {
        // The stage's own file wins over .env, which is then not read at all.
        '.env.test': "AWS_REGION='eu-west-1'\nnotifyLanguage='ja'\nwarningDays='3'\niamConcurrency='12'\n",
        '.env': "notifyLanguage='en'\nmaxPrecent='1'\n",
      },
      // Nothing in the shell: the file decides the region.
      env: { AWS_REGION: undefined },
    },
  );

  it('deploys to the region the file names', () => {
    const state = JSON.parse(
      readFileSync(path.join(stack.service.packageDir, 'serverless-state.json'), 'utf8'),
    ) as { service: { provider: { region: string } } };
    expect(state.service.provider.region).toBe('eu-west-1');
  });

  it("reads deploy parameters by their own names from the stage's file", () => {
    const notify = lambdaFunction(stack.template, 'NotifyLambdaFunction').Environment?.Variables;
    expect(notify?.NOTIFY_LANGUAGE).toBe('ja');
    expect(notify?.WARNING_DAYS).toBe('3');
  });

  it('lets --param win over the file', () => {
    const scan = lambdaFunction(stack.template, 'ScanLambdaFunction').Environment?.Variables;
    expect(scan?.IAM_CONCURRENCY).toBe('16');
  });
});

describe('a .env file that makes no sense', () => {
  it.each([
    [
      "maxPrecent='50'\n",
      '.env sets "maxPrecent", which is not a deploy parameter; did you mean "maxPercent"?',
    ],
    [
      "MAX_PERCENT='50'\n",
      '.env sets "MAX_PERCENT", which is not a deploy parameter; did you mean "maxPercent"?',
    ],
    ["notifyLanguage='fr'\n", 'the deploy parameter "notifyLanguage" must be one of en, ja, got "fr"'],
    [
      "AWS_REGION='eu-west-1'\nAWS_DEFAULT_REGION='us-east-1'\n",
      '.env sets AWS_REGION=eu-west-1 but AWS_DEFAULT_REGION=us-east-1: the stack and the aws commands would use different regions',
    ],
  ])(
    'stops packaging with %j on one line',
    async (dotenv, message) => {
      const failure = await packageServiceExpectingFailure({}, { files: { '.env': dotenv } });
      expect(failure.exitCode).not.toBe(0);
      expect(outputLines(failure.output)).toEqual([expect.stringContaining(message)]);
    },
    PACKAGE_TIMEOUT_MS,
  );
});
