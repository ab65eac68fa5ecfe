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
  type CfnTemplate,
} from './support/template';
import { IAM_USERS, STAR_ONLY_ACTIONS, broadGrants, parameterArn } from './support/expected-grants';
import { exemptionCause, exemptionRules } from '../../src/domain/verdict/exemptions';
import { ACCOUNT, applies } from './support/iam-evaluation';

// The stack deployed with the opt-in disable step (issue 4), with an exempt IAM path, and
// access-key deactivation left off (the default).
const stack = packagedForTests({ remediation: 'true', exemptPathPrefixes: '["/breakglass/"]' });

const REMOVE_ACTIONS = ['iam:DeleteLoginProfile', 'iam:UpdateAccessKey'];
/** The roles allowed to delete a login profile or deactivate a key, by any pattern. */
function removalOwners(template: CfnTemplate): string[] {
  const owners = allPolicyStatements(template)
    .filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        actionsOf(statement).some((pattern) =>
          REMOVE_ACTIONS.some((action) => actionMatches(pattern, action)),
        ),
    )
    .map(({ owner }) => owner);
  return [...new Set(owners)];
}

/** The statements the disable role may have on `*`: counting the account's users, reading its credential report. */
const COUNT_USERS = ['iam:GetAccountSummary'];
const READ_CREDENTIAL_REPORT = ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'];

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
      THRESHOLD_DAYS_PARAMETER: '/stale-iam/test/threshold-days',
      REMEDIATION_MODE_PARAMETER: '/stale-iam/test/remediation-mode',
      MAX_ACTIONS: '10',
      MAX_PERCENT: '20',
      MIN_ENFORCE_DAYS: '30',
      ACCESS_KEY_DEACTIVATION: 'false',
      AUDIT_RETENTION_DAYS: '1827',
      AUDIT_OBJECT_LOCK: 'false',
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

  it('creates the remediation switch in dry-run, and no key switch while key deactivation is not deployed', () => {
    expect(properties(stack.template, 'RemediationModeParameter')).toEqual(
      expect.objectContaining({ Name: '/stale-iam/test/remediation-mode', Type: 'String', Value: 'dry-run' }),
    );
    expect(stack.template.Resources.DeactivateAccessKeysParameter).toBeUndefined();
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

  it('points the failure alert at the disable logs and the audit trail, promising only what exists', () => {
    const message = String(state(stack.definition, 'AlertFailure').Parameters?.['Message.$']);
    expect(message).toContain('/aws/lambda/stale-iam-test-disable');
    expect(message).toContain('s3://Ref:ReportBucket/audit/');
    expect(message).not.toContain('show what it did before it stopped');
    expect(message).toContain(
      'An intent there without an outcome is a change whose result is unknown (check CloudTrail',
    );
    expect(message).toContain('leaves no audit object and changed nothing in IAM');
  });

  it('lets scan read only the threshold parameter, not the remediation switches', () => {
    expect(grants(stack.template, 'ScanRole')['ssm:GetParameters']).toEqual([parameterArn('threshold-days')]);
  });

  it('gives scan the same IAM reads as without remediation, and no write', () => {
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
    const scan = grants(stack.template, 'ScanRole');
    for (const action of STAR_ONLY_ACTIONS) expect(scan[action]).toEqual(['*']);
  });

  it('gives the disable role the one write it may make, the re-check reads, its settings, the reports and the audit trail', () => {
    expect(allowedActions(stack.template, 'DisableRole')).toEqual([
      'iam:DeleteLoginProfile',
      'iam:GenerateCredentialReport',
      'iam:GetAccountSummary',
      'iam:GetCredentialReport',
      'iam:GetLoginProfile',
      'iam:GetUser',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:ListBucket',
      's3:PutObject',
      'ssm:GetParameters',
    ]);
    const logs =
      'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/stale-iam-test-disable:*';
    expect(grants(stack.template, 'DisableRole')).toEqual({
      'iam:DeleteLoginProfile': [IAM_USERS],
      'iam:GetLoginProfile': [IAM_USERS],
      'iam:GetUser': [IAM_USERS],
      'iam:GetAccountSummary': ['*'],
      'iam:GenerateCredentialReport': ['*'],
      'iam:GetCredentialReport': ['*'],
      'ssm:GetParameters': [parameterArn('remediation-mode'), parameterArn('threshold-days')],
      's3:GetObjectVersion': ['${ReportBucket.Arn}/reports/*'],
      's3:GetObject': ['${ReportBucket.Arn}/audit/*'],
      's3:PutObject': ['${ReportBucket.Arn}/audit/*'],
      's3:ListBucket': ['${ReportBucket.Arn}'],
      'logs:CreateLogStream': [logs],
      'logs:PutLogEvents': [logs],
    });
    const list = roleStatements(stack.template, 'DisableRole').find((s) => s.Sid === 'ListAuditTrail');
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['audit/*'] } });
  });

  it('lets no role hold iam:UpdateAccessKey while access-key deactivation is not deployed', () => {
    const mentions = allPolicyStatements(stack.template).filter(({ statement }) =>
      actionsOf(statement).some((pattern) => actionMatches(pattern, 'iam:UpdateAccessKey')),
    );
    expect(mentions).toEqual([]);
  });

  it('lets only the disable role delete login profiles or deactivate access keys', () => {
    expect(removalOwners(stack.template)).toEqual(['DisableRole']);
  });

  it('denies the disable role any change to users tagged stale-iam:exempt=true, whatever its code does', () => {
    const deny = roleStatements(stack.template, 'DisableRole').find(
      (statement) => statement.Sid === 'NeverTouchTaggedExemptUsers',
    );
    expect(deny).toEqual({
      Sid: 'NeverTouchTaggedExemptUsers',
      Effect: 'Deny',
      Action: ['iam:DeleteLoginProfile'],
      Resource: { 'Fn::Sub': IAM_USERS },
      Condition: { StringEqualsIgnoreCase: { 'aws:ResourceTag/stale-iam:exempt': 'true' } },
    });
  });

  it('denies the disable role any change to users under an exempt IAM path', () => {
    const deny = roleStatements(stack.template, 'DisableRole').find(
      (statement) => statement.Sid === 'NeverTouchExemptPaths',
    );
    expect(deny?.Effect).toBe('Deny');
    expect(deny && actionsOf(deny)).toEqual(['iam:DeleteLoginProfile']);
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
    expect(broadGrants(stack.template, STAR_ONLY_ACTIONS, [COUNT_USERS, READ_CREDENTIAL_REPORT])).toEqual([]);
    const report = roleStatements(stack.template, 'DisableRole').find(
      (s) => s.Sid === 'ReadCredentialReport',
    );
    expect(report).toEqual({
      Sid: 'ReadCredentialReport',
      Effect: 'Allow',
      Action: READ_CREDENTIAL_REPORT,
      Resource: '*',
    });
  });
});

describe('with --param remediation=true accessKeyDeactivation=true exemptGroupNames=["admins"]', () => {
  const withKeys = packagedForTests({
    remediation: 'true',
    accessKeyDeactivation: 'true',
    exemptGroupNames: '["admins"]',
  });

  it('creates the key switch off: deployed, keys are still left alone until an operator turns it on', () => {
    expect(properties(withKeys.template, 'DeactivateAccessKeysParameter')).toEqual(
      expect.objectContaining({
        Name: '/stale-iam/test/deactivate-access-keys',
        Type: 'String',
        Value: 'false',
      }),
    );
    expect(lambdaFunction(withKeys.template, 'DisableLambdaFunction').Environment?.Variables).toEqual(
      expect.objectContaining({
        ACCESS_KEY_DEACTIVATION: 'true',
        DEACTIVATE_ACCESS_KEYS_PARAMETER: '/stale-iam/test/deactivate-access-keys',
      }),
    );
  });

  it('grants iam:UpdateAccessKey, the key and group reads of the re-check and the key switch, to the disable role only', () => {
    const disable = grants(withKeys.template, 'DisableRole');
    expect(disable['iam:UpdateAccessKey']).toEqual([IAM_USERS]);
    expect(disable['iam:ListAccessKeys']).toEqual([IAM_USERS]);
    expect(disable['iam:GetAccessKeyLastUsed']).toEqual([IAM_USERS]);
    expect(disable['iam:ListGroupsForUser']).toEqual([IAM_USERS]);
    expect(disable['ssm:GetParameters']).toEqual([
      parameterArn('deactivate-access-keys'),
      parameterArn('remediation-mode'),
      parameterArn('threshold-days'),
    ]);
    expect(removalOwners(withKeys.template)).toEqual(['DisableRole']);
  });

  it('denies key deactivation too on users tagged exempt', () => {
    const deny = roleStatements(withKeys.template, 'DisableRole').find(
      (statement) => statement.Sid === 'NeverTouchTaggedExemptUsers',
    );
    expect(deny && actionsOf(deny)).toEqual(REMOVE_ACTIONS);
  });
});

/**
 * The disable role's Deny on exempt paths and the code's exemption rule read the same list through
 * the same normaliser; these prove they agree, by evaluating the compiled Deny's resource patterns
 * with IAM's wildcard matching against user ARNs and comparing with exemptionCause, for every form
 * an operator may write a prefix in.
 */
describe('the Deny on exempt paths and the code agree on every prefix form', () => {
  const PREFIXES = [
    '/a/',
    '/b',
    'c',
    'd/',
    '/e/f/',
    '/Case/',
    '/x$y/',
    '/odd!"#$%&\'()+,-.:;<=>@[\\]^_`{|}~/',
  ];
  const forms = packagedForTests({ remediation: 'true', exemptPathPrefixes: JSON.stringify(PREFIXES) });
  const everything = packagedForTests({ remediation: 'true', exemptPathPrefixes: '["/"]' });

  const USER_PATHS = [
    '/',
    '/a/',
    '/a/b/',
    '/ab/',
    '/b/',
    '/b/x/',
    '/bb/',
    '/c/',
    '/cc/',
    '/d/',
    '/e/',
    '/e/f/',
    '/e/f/g/',
    '/e/fg/',
    '/case/',
    '/Case/',
    '/CASE/x/',
    '/x$y/',
    '/x/',
    '/xy/',
    '/odd!"#$%&\'()+,-.:;<=>@[\\]^_`{|}~/',
    '/odd!"#$%&\'()+,-.:;<=>@[\\]^_`{|}~/deeper/',
    '/odd/',
  ];

  function policyDenies(template: typeof forms.template, userPath: string): boolean {
    const deny = roleStatements(template, 'DisableRole').find((s) => s.Sid === 'NeverTouchExemptPaths');
    if (!deny) throw new Error('no NeverTouchExemptPaths statement');
    return applies(deny, {
      action: 'iam:DeleteLoginProfile',
      resource: `arn:aws:iam::${ACCOUNT}:user${userPath}alice`,
      context: {},
    });
  }

  function codeExempts(prefixes: readonly string[], userPath: string): boolean {
    const cause = exemptionCause(
      { userName: 'alice', path: userPath, tags: new Map(), groupNames: null },
      exemptionRules({ pathPrefixes: prefixes }),
    );
    return cause?.kind === 'path';
  }

  it('exempt exactly the same users, for prefixes written with and without slashes, nested, and with odd characters', () => {
    const verdicts = USER_PATHS.map((path) => [
      path,
      policyDenies(forms.template, path),
      codeExempts(PREFIXES, path),
    ]);

    expect(verdicts.filter(([, policy, code]) => policy !== code)).toEqual([]);
    // Not agreement by saying nothing: these are exempt, and these are not.
    expect(verdicts.filter(([, policy]) => policy).map(([path]) => path)).toEqual([
      '/a/',
      '/a/b/',
      '/b/',
      '/b/x/',
      '/c/',
      '/d/',
      '/e/f/',
      '/e/f/g/',
      '/Case/',
      '/x$y/',
      '/odd!"#$%&\'()+,-.:;<=>@[\\]^_`{|}~/',
      '/odd!"#$%&\'()+,-.:;<=>@[\\]^_`{|}~/deeper/',
    ]);
  });

  it('exempt every user for the prefix "/", both of them', () => {
    for (const path of USER_PATHS) {
      expect([path, policyDenies(everything.template, path)]).toEqual([path, true]);
      expect([path, codeExempts(['/'], path)]).toEqual([path, true]);
    }
  });
});
