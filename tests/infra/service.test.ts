import { packagedForTests } from './support/package-service';
import {
  actionMatches,
  actionsOf,
  allPolicyStatements,
  allowedActions,
  conditionHolds,
  grants,
  lambdaFunction,
  logicalIdsOfType,
  properties,
  resource,
  resourcesOf,
  roleStatements,
  state,
} from './support/template';
import { IAM_USERS, broadGrants, logsOf, parameterArn } from './support/expected-grants';

// The stack as `npm run package` builds it with no deploy parameters: remediation off, no email.
const stack = packagedForTests();

const RETRYABLE = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'States.Timeout',
];

describe('packaging', () => {
  it('bundles scan, render and notify into one zip each, offline and without AWS credentials', () => {
    expect(stack.service.artifacts).toEqual(expect.arrayContaining(['scan.zip', 'render.zip', 'notify.zip']));
    expect(stack.service.artifacts).not.toContain('disable.zip');
  });

  it("does not create the framework's shared Lambda role: every function brings its own", () => {
    expect(stack.template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });
});

describe('functions', () => {
  it.each([
    [
      'ScanLambdaFunction',
      'src/functions/scan/handler.handler',
      'stale-iam-test-scan',
      'ScanRole',
      900,
      1024,
    ],
    [
      'NotifyLambdaFunction',
      'src/functions/notify/handler.handler',
      'stale-iam-test-notify',
      'NotifyRole',
      60,
      256,
    ],
    [
      'RenderLambdaFunction',
      'src/functions/render/handler.handler',
      'stale-iam-test-render',
      'RenderRole',
      120,
      1769,
    ],
  ])('runs %s on nodejs22.x arm64 under its own role', (id, handler, name, role, timeout, memory) => {
    const fn = lambdaFunction(stack.template, id);
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe(handler);
    expect(fn.FunctionName).toBe(name);
    expect(fn.Role).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
    expect(fn.Timeout).toBe(timeout);
    expect(fn.MemorySize).toBe(memory);
  });

  it('tells scan the name of its threshold parameter, the report bucket, its source and the exemptions', () => {
    expect(lambdaFunction(stack.template, 'ScanLambdaFunction').Environment?.Variables).toEqual({
      THRESHOLD_DAYS_PARAMETER: '/stale-iam/test/threshold-days',
      REPORT_BUCKET: { Ref: 'ReportBucket' },
      SCAN_SOURCE: 'credential-report',
      IAM_CONCURRENCY: '8',
      EXEMPT_USER_NAMES: '[]',
      EXEMPT_PATH_PREFIXES: '[]',
      EXEMPT_GROUP_NAMES: '[]',
      POWERTOOLS_SERVICE_NAME: 'stale-iam',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('tells notify the topic, the report bucket and the email settings', () => {
    expect(lambdaFunction(stack.template, 'NotifyLambdaFunction').Environment?.Variables).toEqual({
      TOPIC_ARN: { Ref: 'StaleIamTopic' },
      REPORT_BUCKET: { Ref: 'ReportBucket' },
      NOTIFY_LANGUAGE: 'en',
      NOTIFY_WHEN_CLEAN: 'false',
      WARNING_DAYS: '7',
      POWERTOOLS_SERVICE_NAME: 'stale-iam',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('keeps each function log group for a bounded time', () => {
    for (const id of ['ScanLogGroup', 'NotifyLogGroup']) {
      expect(properties<{ RetentionInDays: number }>(stack.template, id).RetentionInDays).toBe(90);
    }
  });
});

describe('schedule', () => {
  it('starts the state machine every day at 00:00 UTC by default', () => {
    const [ruleId, ...others] = logicalIdsOfType(stack.template, 'AWS::Events::Rule');
    expect(others).toEqual([]);
    const rule = properties<{
      ScheduleExpression: string;
      State: string;
      Targets: Array<Record<string, unknown>>;
    }>(stack.template, ruleId ?? '');
    expect(rule.ScheduleExpression).toBe('cron(0 0 * * ? *)');
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0]?.Arn).toEqual({ Ref: 'StaleIamStateMachine' });
  });

  it('lets the schedule do nothing but start this state machine', () => {
    const rule = properties<{ Targets: Array<{ RoleArn: unknown }> }>(
      stack.template,
      'StaleIamStepFunctionsEventsRuleSchedule1',
    );
    const roleId = (rule.Targets[0]?.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(grants(stack.template, roleId)).toEqual({ 'states:StartExecution': ['${StaleIamStateMachine}'] });
  });
});

describe('state machine', () => {
  it('is named after the stage and runs under its own role', () => {
    const machine = properties<{ StateMachineName: string; RoleArn: unknown }>(
      stack.template,
      'StaleIamStateMachine',
    );
    expect(machine.StateMachineName).toBe('stale-iam-test');
    expect(machine.RoleArn).toEqual({ 'Fn::GetAtt': ['StateMachineRole', 'Arn'] });
  });

  it('runs Scan, then Render, then Notify, and has no Disable step', () => {
    expect(stack.definition.StartAt).toBe('Scan');
    expect(Object.keys(stack.definition.States).sort()).toEqual([
      'AlertFailure',
      'Done',
      'Notify',
      'Render',
      'RunFailed',
      'Scan',
    ]);
    expect(state(stack.definition, 'Scan').Next).toBe('Render');
    expect(state(stack.definition, 'Render').Next).toBe('Notify');
    expect(state(stack.definition, 'Notify').Next).toBe('Done');
  });

  it('adds where Render wrote the page to the input notify gets, and goes on to Notify when Render fails', () => {
    const render = state(stack.definition, 'Render');
    expect(render.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(render.Parameters).toEqual({ FunctionName: 'GetAtt:RenderLambdaFunction.Arn', 'Payload.$': '$' });
    expect(render.ResultSelector).toEqual({ 'bucket.$': '$.Payload.bucket', 'key.$': '$.Payload.key' });
    expect(render.ResultPath).toBe('$.visualReport');
    expect(render.OutputPath).toBe('$');
    expect(render.TimeoutSeconds).toBe(180);
    expect(render.Retry).toEqual([
      { ErrorEquals: RETRYABLE, IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 },
    ]);
    expect(render.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.renderError', Next: 'Notify' },
    ]);
    expect(state(stack.definition, 'Done').Type).toBe('Succeed');
  });

  it.each([
    ['Scan', 'ScanLambdaFunction', 960],
    ['Notify', 'NotifyLambdaFunction', 120],
  ])(
    'invokes %s through lambda:invoke, hands over the whole input and keeps only the Payload',
    (name, fn, timeout) => {
      const task = state(stack.definition, name);
      expect(task.Type).toBe('Task');
      expect(task.Resource).toBe('arn:aws:states:::lambda:invoke');
      expect(task.Parameters).toEqual({ FunctionName: `GetAtt:${fn}.Arn`, 'Payload.$': '$' });
      expect(task.OutputPath).toBe('$.Payload');
      expect(task.TimeoutSeconds).toBe(timeout);
    },
  );

  it.each(['Scan', 'Notify'])(
    'retries %s on transient Lambda errors with backoff, not on its own errors',
    (name) => {
      const task = state(stack.definition, name);
      expect(task.Retry).toEqual([
        { ErrorEquals: RETRYABLE, IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 },
      ]);
      const retried = (task.Retry ?? []).flatMap((retry) => retry.ErrorEquals as string[]);
      for (const notRetried of ['States.ALL', 'States.TaskFailed', 'InvalidConfigError']) {
        expect(retried).not.toContain(notRetried);
      }
    },
  );

  it.each(['Scan', 'Notify'])(
    'sends any failure of %s to AlertFailure, with the error under $.error',
    (name) => {
      expect(state(stack.definition, name).Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AlertFailure' },
      ]);
    },
  );

  it('alerts the operators by SNS with the error, its cause, the execution and where to look', () => {
    const alert = state(stack.definition, 'AlertFailure');
    expect(alert.Type).toBe('Task');
    expect(alert.Resource).toBe('arn:aws:states:::sns:publish');
    expect(alert.Parameters?.TopicArn).toBe('Ref:StaleIamTopic');
    const subject = String(alert.Parameters?.Subject);
    expect(subject).toBe('[stale-iam] run failed (test)');
    expect(subject.length).toBeLessThanOrEqual(100);
    const message = String(alert.Parameters?.['Message.$']);
    expect(message).toMatch(/^States\.Format\('/);
    expect(message).toContain("', $.error.Error, $.error.Cause, $$.Execution.Id, $$.Execution.Id)");
    expect(message).toContain('states/home?region=Ref:AWS::Region#/v2/executions/details/{}');
    expect(message).toContain(
      '/aws/lambda/stale-iam-test-scan, /aws/lambda/stale-iam-test-render, /aws/lambda/stale-iam-test-notify',
    );
    expect(message).toContain('s3://Ref:ReportBucket/reports/');
    // The literal text of States.Format may not contain its special characters unescaped.
    const literal = message.slice("States.Format('".length, message.indexOf("', $.error.Error"));
    expect(literal.replace(/\{\}/g, '')).not.toMatch(/['{}\\]/);
    expect(literal.match(/\{\}/g)).toHaveLength(4);
  });

  it('keeps the error for the Fail state and still fails when even the alert cannot be sent', () => {
    const alert = state(stack.definition, 'AlertFailure');
    expect(alert.ResultPath).toBeNull();
    expect(alert.Next).toBe('RunFailed');
    expect(alert.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.alertError', Next: 'RunFailed' },
    ]);
  });

  it('ends a failed run in a Fail state carrying the error of the step that failed', () => {
    const failed = state(stack.definition, 'RunFailed');
    expect(failed.Type).toBe('Fail');
    expect(failed.ErrorPath).toBe('$.error.Error');
    expect(failed.CausePath).toBe('$.error.Cause');
  });
});

describe('topic and email', () => {
  it('creates the operators topic', () => {
    expect(properties(stack.template, 'StaleIamTopic')).toEqual({
      TopicName: 'stale-iam-test',
      DisplayName: 'stale-iam',
    });
  });

  it('subscribes no email address when none is given', () => {
    expect(resource(stack.template, 'StaleIamEmailSubscription').Condition).toBe('HasNotificationEmail');
    expect(conditionHolds(stack.template, 'HasNotificationEmail')).toBe(false);
  });
});

describe('report bucket', () => {
  it('encrypts every object with SSE-S3', () => {
    expect(
      properties<{ BucketEncryption: unknown }>(stack.template, 'ReportBucket').BucketEncryption,
    ).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('blocks all public access and disables ACLs', () => {
    const bucket = properties<{ PublicAccessBlockConfiguration: unknown; OwnershipControls: unknown }>(
      stack.template,
      'ReportBucket',
    );
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('refuses every request that does not use TLS', () => {
    const policy = properties<{ Bucket: unknown; PolicyDocument: { Statement: unknown[] } }>(
      stack.template,
      'ReportBucketPolicy',
    );
    expect(policy.Bucket).toEqual({ Ref: 'ReportBucket' });
    expect(policy.PolicyDocument.Statement).toContainEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [{ 'Fn::GetAtt': ['ReportBucket', 'Arn'] }, { 'Fn::Sub': '${ReportBucket.Arn}/*' }],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('expires reports after 400 days, and the audit trail after its own, longer retention', () => {
    const bucket = properties<{ LifecycleConfiguration: { Rules: Array<Record<string, unknown>> } }>(
      stack.template,
      'ReportBucket',
    );
    expect(bucket.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', Prefix: 'reports/', ExpirationInDays: 400 }),
      expect.objectContaining({ Status: 'Enabled', Prefix: 'runs/', ExpirationInDays: 400 }),
      expect.objectContaining({ Status: 'Enabled', Prefix: 'history/', ExpirationInDays: 400 }),
      expect.objectContaining({ Status: 'Enabled', Prefix: 'audit/', ExpirationInDays: 1827 }),
    ]);
  });

  it('is kept, with its reports and audit trail, when the stack is removed', () => {
    expect(resource(stack.template, 'ReportBucket').DeletionPolicy).toBe('Retain');
    expect(resource(stack.template, 'ReportBucket').UpdateReplacePolicy).toBe('Retain');
  });
});

describe('settings in SSM', () => {
  it('creates the threshold parameter with 90 days and says how to change it', () => {
    const parameter = properties<{ Name: string; Type: string; Value: string; Description: string }>(
      stack.template,
      'ThresholdDaysParameter',
    );
    expect(parameter).toEqual(
      expect.objectContaining({ Name: '/stale-iam/test/threshold-days', Type: 'String', Value: '90' }),
    );
    expect(parameter.Description).toContain(
      'aws ssm put-parameter --name /stale-iam/test/threshold-days --value 60 --type String --overwrite',
    );
    expect(parameter.Description.length).toBeLessThanOrEqual(1024);
  });
});

describe('outputs', () => {
  it('names the report bucket, the topic and the state machine', () => {
    expect(stack.template.Outputs?.ReportBucketName?.Value).toEqual({ Ref: 'ReportBucket' });
    expect(stack.template.Outputs?.NotificationTopicArn?.Value).toEqual({ Ref: 'StaleIamTopic' });
    expect(stack.template.Outputs?.StaleIamStateMachineArn?.Value).toEqual({ Ref: 'StaleIamStateMachine' });
  });
});

describe('without remediation', () => {
  it('has no disable function, no disable role and no remediation switches', () => {
    for (const id of [
      'DisableLambdaFunction',
      'DisableRole',
      'RemediationModeParameter',
      'DeactivateAccessKeysParameter',
    ]) {
      expect(stack.template.Resources[id]).toBeUndefined();
    }
    expect(lambdaFunction(stack.template, 'ScanLambdaFunction').Environment?.Variables).not.toHaveProperty(
      'REMEDIATION_MODE_PARAMETER',
    );
  });

  it('lets no statement anywhere delete a login profile or deactivate an access key', () => {
    const dangerous = allPolicyStatements(stack.template).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        actionsOf(statement).some(
          (pattern) =>
            actionMatches(pattern, 'iam:DeleteLoginProfile') || actionMatches(pattern, 'iam:UpdateAccessKey'),
        ),
    );
    expect(dangerous).toEqual([]);
  });
});

describe('without Security Hub (securityHub=false, the default)', () => {
  it('has no findings function, role or state, and no statement naming Security Hub anywhere', () => {
    expect(stack.template.Resources.FindingsLambdaFunction).toBeUndefined();
    expect(stack.template.Resources.FindingsRole).toBeUndefined();
    expect(stack.service.artifacts).not.toContain('findings.zip');
    expect(Object.keys(stack.definition.States)).not.toContain('Findings');
    expect(JSON.stringify(stack.template)).not.toMatch(/securityhub/i);
  });
});

describe('roles', () => {
  it('lets scan read the credential report and the exemptions in one paged call, its own parameter, and write reports', () => {
    expect(allowedActions(stack.template, 'ScanRole')).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetAccountAuthorizationDetails',
      'iam:GetCredentialReport',
      'iam:GetUser',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'ssm:GetParameters',
    ]);
    expect(grants(stack.template, 'ScanRole')).toEqual({
      'iam:GenerateCredentialReport': ['*'],
      'iam:GetCredentialReport': ['*'],
      'iam:GetAccountAuthorizationDetails': ['*'],
      // Only on the account's users: a user in the report but not in the directory, deleted or lost?
      'iam:GetUser': [IAM_USERS],
      'ssm:GetParameters': [parameterArn('threshold-days')],
      's3:PutObject': ['${ReportBucket.Arn}/reports/*'],
      'logs:CreateLogStream': [logsOf('scan')],
      'logs:PutLogEvents': [logsOf('scan')],
    });
  });

  it('lets notify read reports and publish to the topic, and nothing else', () => {
    expect(grants(stack.template, 'NotifyRole')).toEqual({
      's3:GetObject': ['${ReportBucket.Arn}/reports/*'],
      'sns:Publish': ['${StaleIamTopic}'],
      'logs:CreateLogStream': [logsOf('notify')],
      'logs:PutLogEvents': [logsOf('notify')],
    });
  });

  it('lets render read reports, read and append the history, list only the history, and write only .html pages', () => {
    expect(grants(stack.template, 'RenderRole')).toEqual({
      's3:GetObject': ['${ReportBucket.Arn}/history/*', '${ReportBucket.Arn}/reports/*'],
      's3:PutObject': ['${ReportBucket.Arn}/history/*', '${ReportBucket.Arn}/reports/*.html'],
      's3:ListBucket': ['${ReportBucket.Arn}'],
      'logs:CreateLogStream': [logsOf('render')],
      'logs:PutLogEvents': [logsOf('render')],
    });
    const list = roleStatements(stack.template, 'RenderRole').find((s) =>
      actionsOf(s).includes('s3:ListBucket'),
    );
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['history/*'] } });
  });

  it('lets the state machine invoke exactly scan, render and notify and publish the failure alert', () => {
    expect(grants(stack.template, 'StateMachineRole')).toEqual({
      'lambda:InvokeFunction': [
        '${NotifyLambdaFunction.Arn}',
        '${RenderLambdaFunction.Arn}',
        '${ScanLambdaFunction.Arn}',
      ],
      'sns:Publish': ['${StaleIamTopic}'],
    });
  });

  it.each([
    ['ScanRole', 'lambda.amazonaws.com'],
    ['NotifyRole', 'lambda.amazonaws.com'],
    ['RenderRole', 'lambda.amazonaws.com'],
    ['StateMachineRole', 'states.amazonaws.com'],
  ])('lets only %s be assumed by %s', (roleId, service) => {
    const trust = properties<{ AssumeRolePolicyDocument: { Statement: Array<Record<string, unknown>> } }>(
      stack.template,
      roleId,
    ).AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toEqual(expect.objectContaining({ Effect: 'Allow', Principal: { Service: service } }));
  });

  it('has no Organizations or STS permission at all in the default account scope', () => {
    const crossAccount = allPolicyStatements(stack.template).flatMap(({ owner, statement }) =>
      actionsOf(statement)
        .filter((action) => /^(organizations|sts):/.test(action) && action !== 'sts:AssumeRole')
        .map((action) => `${owner}: ${action}`),
    );
    // sts:AssumeRole appears only in trust policies (lambda and states assuming their own roles), never in a grant.
    const assumeGrants = allPolicyStatements(stack.template).filter(({ statement }) =>
      actionsOf(statement).some((action) => actionMatches(action, 'sts:AssumeRole')),
    );
    expect(crossAccount).toEqual([]);
    expect(assumeGrants).toEqual([]);
  });

  it('grants no wildcard actions, and Resource * only to the IAM actions that have no resource type', () => {
    expect(allPolicyStatements(stack.template).length).toBeGreaterThan(0);
    expect(broadGrants(stack.template)).toEqual([]);
  });

  it("writes each function's logs only to its own log group", () => {
    for (const [roleId, fn] of [
      ['ScanRole', 'scan'],
      ['NotifyRole', 'notify'],
      ['RenderRole', 'render'],
    ] as const) {
      const logs = roleStatements(stack.template, roleId).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('logs:')),
      );
      expect(logs.map((statement) => [actionsOf(statement), resourcesOf(statement)])).toEqual([
        [['logs:CreateLogStream', 'logs:PutLogEvents'], [logsOf(fn)]],
      ]);
    }
  });
});
