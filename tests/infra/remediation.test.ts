import { packagedForTests } from './support/package-service';
import {
  actionMatches,
  actionsOf,
  allPolicyStatements,
  allowedActions,
  grants,
  lambdaFunction,
  properties,
  resourcesOf,
  roleStatements,
  state,
} from './support/template';
import { IAM_USERS, STAR_ONLY_ACTIONS, broadGrants, parameterArn } from './support/expected-grants';

// The stack deployed with the opt-in disable step (issue 4), with an exempt IAM path.
const stack = packagedForTests({ remediation: 'true', exemptPathPrefixes: '["/breakglass/"]' });

const REMOVE_ACTIONS = ['iam:DeleteLoginProfile', 'iam:UpdateAccessKey'];

describe('with --param remediation=true', () => {
  it('packages the disable function into its own zip', () => {
    expect(stack.service.artifacts).toEqual(
      expect.arrayContaining(['scan.zip', 'notify.zip', 'disable.zip']),
    );
  });

  it('adds the disable function on nodejs22.x arm64 under its own role', () => {
    const fn = lambdaFunction(stack.template, 'DisableLambdaFunction');
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe('src/functions/disable/handler.handler');
    expect(fn.FunctionName).toBe('stale-iam-test-disable');
    expect(fn.Role).toEqual({ 'Fn::GetAtt': ['DisableRole', 'Arn'] });
    expect(fn.Timeout).toBe(900);
  });

  it('tells disable where its switches, caps, exemptions and the bucket are', () => {
    expect(lambdaFunction(stack.template, 'DisableLambdaFunction').Environment?.Variables).toEqual({
      REPORT_BUCKET: { Ref: 'ReportBucket' },
      REMEDIATION_MODE_PARAMETER: '/stale-iam/test/remediation-mode',
      DEACTIVATE_ACCESS_KEYS_PARAMETER: '/stale-iam/test/deactivate-access-keys',
      MAX_ACTIONS: '10',
      MAX_PERCENT: '20',
      EXEMPT_USER_NAMES: '[]',
      EXEMPT_PATH_PREFIXES: '["/breakglass/"]',
      EXEMPT_GROUP_NAMES: '[]',
      POWERTOOLS_SERVICE_NAME: 'stale-iam',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('tells scan its threshold and the exemptions, and not the remediation mode: scan only reports', () => {
    expect(lambdaFunction(stack.template, 'ScanLambdaFunction').Environment?.Variables).toEqual({
      THRESHOLD_DAYS_PARAMETER: '/stale-iam/test/threshold-days',
      REPORT_BUCKET: { Ref: 'ReportBucket' },
      SCAN_SOURCE: 'credential-report',
      IAM_CONCURRENCY: '8',
      EXEMPT_USER_NAMES: '[]',
      EXEMPT_PATH_PREFIXES: '["/breakglass/"]',
      EXEMPT_GROUP_NAMES: '[]',
      POWERTOOLS_SERVICE_NAME: 'stale-iam',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('creates the remediation switches in dry-run with access keys left alone', () => {
    expect(properties(stack.template, 'RemediationModeParameter')).toEqual(
      expect.objectContaining({ Name: '/stale-iam/test/remediation-mode', Type: 'String', Value: 'dry-run' }),
    );
    expect(properties(stack.template, 'DeactivateAccessKeysParameter')).toEqual(
      expect.objectContaining({
        Name: '/stale-iam/test/deactivate-access-keys',
        Type: 'String',
        Value: 'false',
      }),
    );
  });

  it('runs Scan, then Disable, then Render (so the page shows what was disabled), then Notify', () => {
    expect(stack.definition.StartAt).toBe('Scan');
    expect(state(stack.definition, 'Scan').Next).toBe('Disable');
    expect(state(stack.definition, 'Disable').Next).toBe('Render');
    expect(state(stack.definition, 'Render').Next).toBe('Notify');
    expect(state(stack.definition, 'Notify').Next).toBe('Done');
  });

  it('invokes Disable like the other tasks: retried on transient errors, caught into the alert', () => {
    const disable = state(stack.definition, 'Disable');
    expect(disable.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(disable.Parameters).toEqual({
      FunctionName: 'GetAtt:DisableLambdaFunction.Arn',
      'Payload.$': '$',
    });
    expect(disable.OutputPath).toBe('$.Payload');
    expect(disable.Retry).toEqual(state(stack.definition, 'Scan').Retry);
    expect(disable.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AlertFailure' },
    ]);
  });

  it('points the failure alert at the disable logs and the audit trail too', () => {
    const message = String(state(stack.definition, 'AlertFailure').Parameters?.['Message.$']);
    expect(message).toContain('/aws/lambda/stale-iam-test-disable');
    expect(message).toContain('s3://Ref:ReportBucket/audit/');
  });

  it('lets scan read only the threshold parameter, not the remediation switches', () => {
    expect(grants(stack.template, 'ScanRole')['ssm:GetParameters']).toEqual([parameterArn('threshold-days')]);
  });

  it('gives scan the same IAM reads as without remediation, and no write', () => {
    expect(allowedActions(stack.template, 'ScanRole')).toEqual([
      'iam:GenerateCredentialReport',
      'iam:GetAccountAuthorizationDetails',
      'iam:GetCredentialReport',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'ssm:GetParameters',
    ]);
    const scan = grants(stack.template, 'ScanRole');
    for (const action of STAR_ONLY_ACTIONS) expect(scan[action]).toEqual(['*']);
  });

  it('gives the disable role exactly the two write actions, the re-check reads, its switches, reports and audit', () => {
    expect(allowedActions(stack.template, 'DisableRole')).toEqual([
      'iam:DeleteLoginProfile',
      'iam:GetAccessKeyLastUsed',
      'iam:GetLoginProfile',
      'iam:GetUser',
      'iam:ListAccessKeys',
      'iam:ListGroupsForUser',
      'iam:UpdateAccessKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:PutObject',
      'ssm:GetParameters',
    ]);
    const logs =
      'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/stale-iam-test-disable:*';
    expect(grants(stack.template, 'DisableRole')).toEqual({
      'iam:DeleteLoginProfile': [IAM_USERS],
      'iam:UpdateAccessKey': [IAM_USERS],
      'iam:GetLoginProfile': [IAM_USERS],
      'iam:ListAccessKeys': [IAM_USERS],
      'iam:GetAccessKeyLastUsed': [IAM_USERS],
      'iam:GetUser': [IAM_USERS],
      'iam:ListGroupsForUser': [IAM_USERS],
      'ssm:GetParameters': [parameterArn('deactivate-access-keys'), parameterArn('remediation-mode')],
      's3:GetObject': ['${ReportBucket.Arn}/reports/*'],
      's3:PutObject': ['${ReportBucket.Arn}/audit/*'],
      'logs:CreateLogStream': [logs],
      'logs:PutLogEvents': [logs],
    });
  });

  it('lets only the disable role delete login profiles or deactivate access keys', () => {
    const owners = allPolicyStatements(stack.template)
      .filter(
        ({ statement }) =>
          statement.Effect === 'Allow' &&
          actionsOf(statement).some((pattern) =>
            REMOVE_ACTIONS.some((action) => actionMatches(pattern, action)),
          ),
      )
      .map(({ owner }) => owner);
    expect([...new Set(owners)]).toEqual(['DisableRole']);
  });

  it('denies the disable role any change to users tagged stale-iam:exempt=true, whatever its code does', () => {
    const deny = roleStatements(stack.template, 'DisableRole').find(
      (statement) => statement.Sid === 'NeverTouchTaggedExemptUsers',
    );
    expect(deny).toEqual({
      Sid: 'NeverTouchTaggedExemptUsers',
      Effect: 'Deny',
      Action: REMOVE_ACTIONS,
      Resource: { 'Fn::Sub': IAM_USERS },
      Condition: { StringEqualsIgnoreCase: { 'aws:ResourceTag/stale-iam:exempt': 'true' } },
    });
  });

  it('denies the disable role any change to users under an exempt IAM path', () => {
    const deny = roleStatements(stack.template, 'DisableRole').find(
      (statement) => statement.Sid === 'NeverTouchExemptPaths',
    );
    expect(deny?.Effect).toBe('Deny');
    expect(deny && actionsOf(deny)).toEqual(REMOVE_ACTIONS);
    expect(deny && resourcesOf(deny)).toEqual([
      'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/breakglass/*',
    ]);
  });

  it('lets the state machine invoke disable as well, and nothing more', () => {
    expect(grants(stack.template, 'StateMachineRole')).toEqual({
      'lambda:InvokeFunction': [
        '${DisableLambdaFunction.Arn}',
        '${NotifyLambdaFunction.Arn}',
        '${RenderLambdaFunction.Arn}',
        '${ScanLambdaFunction.Arn}',
      ],
      'sns:Publish': ['${StaleIamTopic}'],
    });
  });

  it('still grants no wildcard actions and Resource * only to the IAM actions that have no resource type', () => {
    expect(broadGrants(stack.template)).toEqual([]);
  });
});
