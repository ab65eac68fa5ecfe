import { parseDiscoverEvent, parseRollUpEvent } from '../../src/contracts/discovery';
import { parseMapManifest, parseMapResultFile } from '../../src/contracts/map-results';
import { parseMemberScanEvent } from '../../src/contracts/member-scan';
import { runKeys } from '../../src/domain/report/object-keys';
import { checkDefinition } from '../../tools/state-machine/validate';
import { InMemoryAws } from '../tools/state-machine/in-memory-integrations';
import {
  PACKAGE_TIMEOUT_MS,
  packagedForTests,
  packageServiceExpectingFailure,
} from './support/package-service';
import {
  actionMatches,
  actionsOf,
  allPolicyStatements,
  grants,
  lambdaFunction,
  resourcesOf,
  roleStatements,
  state,
} from './support/template';
import { logsOf, parameterArn } from './support/expected-grants';
import {
  EXECUTIONS,
  ORG_REPORTS,
  REPORTS,
  RUNS,
  STATE_MACHINE,
  broadGrantsOf,
  functionArnOf,
  functionShape,
  nodeFunction,
  mapChildren,
  rolesNamed,
  walkOrganisationRun,
} from './support/organization';

// The stack deployed in the management account (or a delegated administrator) to scan the organisation.
const stack = packagedForTests({ accountScope: 'organization' });

const MEMBER_ROLES = rolesNamed('stale-iam-member');
const ORG_FUNCTIONS = ['discover', 'scanMember', 'rollup', 'render', 'notifyOrganization'];

describe('with --param accountScope=organization', () => {
  it('packages the functions of an organisation run (render included), and not the single-account scan and notify', () => {
    expect(stack.service.artifacts.filter((a) => a.endsWith('.zip')).sort()).toEqual(
      ORG_FUNCTIONS.map((f) => `${f}.zip`).sort(),
    );
    expect(stack.template.Resources.ScanLambdaFunction).toBeUndefined();
    expect(stack.template.Resources.NotifyLambdaFunction).toBeUndefined();
  });

  it.each([
    ['DiscoverLambdaFunction', 'src/functions/discover/handler.handler', 'DiscoverRole', 300, 256],
    ['ScanMemberLambdaFunction', 'src/functions/scan-member/handler.handler', 'ScanMemberRole', 900, 1024],
    ['RollupLambdaFunction', 'src/functions/rollup/handler.handler', 'RollupRole', 900, 1024],
    [
      'NotifyOrganizationLambdaFunction',
      'src/functions/notify-organization/handler.handler',
      'NotifyOrganizationRole',
      60,
      256,
    ],
  ])('runs %s under its own role', (id, handler, role, timeout, memory) => {
    expect(functionShape(stack.template, id)).toEqual(nodeFunction(handler, role, timeout, memory));
  });

  it('tells each function exactly the settings it reads', () => {
    const env = (id: string) => lambdaFunction(stack.template, id).Environment?.Variables;
    const common = {
      POWERTOOLS_SERVICE_NAME: 'stale-iam',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      REPORT_BUCKET: { Ref: 'ReportBucket' },
    };
    expect(env('DiscoverLambdaFunction')).toEqual({
      ...common,
      THRESHOLD_DAYS_PARAMETER: '/stale-iam/test/threshold-days',
      INCLUDE_ORGANIZATIONAL_UNITS: '[]',
      EXCLUDE_ACCOUNTS: '[]',
    });
    expect(env('ScanMemberLambdaFunction')).toEqual({
      ...common,
      MEMBER_ROLE_NAME: 'stale-iam-member',
      SCAN_SOURCE: 'credential-report',
      IAM_CONCURRENCY: '8',
      SECURITY_HUB: 'false',
      EXEMPT_USER_NAMES: '[]',
      EXEMPT_PATH_PREFIXES: '[]',
      EXEMPT_GROUP_NAMES: '[]',
    });
    expect(env('RollupLambdaFunction')).toEqual({ ...common, SCAN_SOURCE: 'credential-report' });
    expect(env('NotifyOrganizationLambdaFunction')).toEqual({
      ...common,
      TOPIC_ARN: { Ref: 'StaleIamTopic' },
      NOTIFY_LANGUAGE: 'en',
      NOTIFY_WHEN_CLEAN: 'false',
      MEMBER_ROLE_NAME: 'stale-iam-member',
      MEMBER_REMEDIATION_ROLE_NAME: 'stale-iam-member-remediation',
    });
    expect(env('RenderLambdaFunction')).toEqual(common);
  });

  it('deploys nothing of remediation: no plan or member disable function, role, state, switch or output, and nobody may assume a member remediation role', () => {
    for (const id of [
      'PlanRemediationLambdaFunction',
      'DisableMemberLambdaFunction',
      'PlanRemediationRole',
      'DisableMemberRole',
      'RemediationModeParameter',
      'DeactivateAccessKeysParameter',
    ]) {
      expect([id, stack.template.Resources[id]]).toEqual([id, undefined]);
    }
    expect(stack.template.Outputs?.DisableMemberRoleArn).toBeUndefined();
    for (const name of ['PlanRemediation', 'AnyAccountToRemediate', 'RemediateAccounts']) {
      expect([name, stack.definition.States[name]]).toEqual([name, undefined]);
    }
    const assumed = allPolicyStatements(stack.template)
      .filter(({ statement }) => actionsOf(statement).some((a) => actionMatches(a, 'sts:AssumeRole')))
      .map(({ owner, statement }) => [owner, resourcesOf(statement)]);
    expect(assumed).toEqual([['ScanMemberRole', [MEMBER_ROLES]]]);
    expect(
      roleStatements(stack.template, 'NotifyOrganizationRole').filter((s) =>
        actionsOf(s).includes('s3:GetObjectVersion'),
      ),
    ).toEqual([]);
  });

  it('names the scan role every member role must trust, in an output', () => {
    expect(stack.template.Outputs?.ScanMemberRoleArn?.Value).toEqual({
      'Fn::GetAtt': ['ScanMemberRole', 'Arn'],
    });
  });
});

describe('the roles of an organisation run', () => {
  it('lets discover list the organisation, read the threshold and write the account lists', () => {
    expect(grants(stack.template, 'DiscoverRole')).toEqual({
      'organizations:ListAccounts': ['*'],
      'ssm:GetParameters': [parameterArn('threshold-days')],
      's3:PutObject': [RUNS],
      'logs:CreateLogStream': [logsOf('discover')],
      'logs:PutLogEvents': [logsOf('discover')],
    });
  });

  it('lets scanMember assume the member role by name in any account and write reports, and read nothing in IAM itself', () => {
    expect(grants(stack.template, 'ScanMemberRole')).toEqual({
      'sts:AssumeRole': [MEMBER_ROLES],
      's3:PutObject': [REPORTS],
      'logs:CreateLogStream': [logsOf('scanMember')],
      'logs:PutLogEvents': [logsOf('scanMember')],
    });
  });

  it("lets rollup read the run's files and the reports, and write only the organisation report", () => {
    expect(grants(stack.template, 'RollupRole')).toEqual({
      's3:GetObject': [REPORTS, RUNS].sort(),
      's3:PutObject': [ORG_REPORTS],
      's3:AbortMultipartUpload': [ORG_REPORTS],
      'logs:CreateLogStream': [logsOf('rollup')],
      'logs:PutLogEvents': [logsOf('rollup')],
    });
  });

  it("lets render read the reports and history, write only the organisation page's .html and the history", () => {
    expect(grants(stack.template, 'RenderRole')).toEqual({
      's3:GetObject': [REPORTS, '${ReportBucket.Arn}/history/*'].sort(),
      's3:PutObject': ['${ReportBucket.Arn}/history/*', '${ReportBucket.Arn}/reports/*.html'].sort(),
      's3:ListBucket': ['${ReportBucket.Arn}'],
      'logs:CreateLogStream': [logsOf('render')],
      'logs:PutLogEvents': [logsOf('render')],
    });
  });

  it('lets notifyOrganization read organisation reports and publish to the topic', () => {
    expect(grants(stack.template, 'NotifyOrganizationRole')).toEqual({
      's3:GetObject': [ORG_REPORTS],
      'sns:Publish': ['${StaleIamTopic}'],
      'logs:CreateLogStream': [logsOf('notifyOrganization')],
      'logs:PutLogEvents': [logsOf('notifyOrganization')],
    });
  });

  it('gives the state machine what a Distributed Map needs, which the plugin adds only to roles it generates', () => {
    expect(grants(stack.template, 'StateMachineRole')).toEqual({
      'lambda:InvokeFunction': [
        '${DiscoverLambdaFunction.Arn}',
        '${NotifyOrganizationLambdaFunction.Arn}',
        '${RenderLambdaFunction.Arn}',
        '${RollupLambdaFunction.Arn}',
        '${ScanMemberLambdaFunction.Arn}',
      ],
      'states:StartExecution': [STATE_MACHINE],
      'states:DescribeExecution': EXECUTIONS,
      'states:StopExecution': EXECUTIONS,
      's3:GetObject': [RUNS, '${ReportBucket.Arn}/runs/map-results/*'].sort(),
      's3:PutObject': ['${ReportBucket.Arn}/runs/map-results/*'],
      's3:ListMultipartUploadParts': ['${ReportBucket.Arn}/runs/map-results/*'],
      's3:AbortMultipartUpload': ['${ReportBucket.Arn}/runs/map-results/*'],
      'sns:Publish': ['${StaleIamTopic}'],
    });
  });

  it('grants no wildcard action, and Resource * only to listing the organisation', () => {
    expect(broadGrantsOf(stack.template)).toEqual({
      onEveryResource: [['DiscoverRole', ['organizations:ListAccounts']]],
      wildcardActions: [],
    });
  });

  it('lets nothing in the stack write to IAM, in this account or any other', () => {
    const writes = allPolicyStatements(stack.template).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        actionsOf(statement).some((a) => actionMatches(a, 'iam:*') && !/^iam:(Get|List|Generate)/.test(a)),
    );
    expect(writes).toEqual([]);
  });
});

describe('the state machine of an organisation run', () => {
  it('runs Discover, then the accounts map, then the roll-up, the visual report and one email', () => {
    const d = stack.definition;
    expect(d.StartAt).toBe('Discover');
    expect(Object.keys(d.States).sort()).toEqual(
      [
        'AlertFailure',
        'Discover',
        'Done',
        'NotifyOrganization',
        'Render',
        'Rollup',
        'RunFailed',
        'ScanAccounts',
      ].sort(),
    );
    expect(state(d, 'Discover').Next).toBe('ScanAccounts');
    expect(state(d, 'ScanAccounts').Next).toBe('Rollup');
    expect(state(d, 'Rollup').Next).toBe('Render');
    expect(state(d, 'Render').Next).toBe('NotifyOrganization');
    expect(state(d, 'NotifyOrganization').Next).toBe('Done');
  });

  it("renders the organisation report's page and goes on to the email when rendering fails", () => {
    expect(state(stack.definition, 'Render')).toMatchObject({
      Parameters: { FunctionName: 'GetAtt:RenderLambdaFunction.Arn', 'Payload.$': '$' },
      ResultSelector: { 'bucket.$': '$.Payload.bucket', 'key.$': '$.Payload.key' },
      ResultPath: '$.visualReport',
      OutputPath: '$',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.renderError', Next: 'NotifyOrganization' }],
    });
  });

  it('names the run after the execution and evaluates it at its start', () => {
    expect(state(stack.definition, 'Discover').Parameters).toEqual({
      FunctionName: 'GetAtt:DiscoverLambdaFunction.Arn',
      Payload: { 'executionName.$': '$$.Execution.Name', 'startTime.$': '$$.Execution.StartTime' },
    });
  });

  it('fans out on a Distributed Map of STANDARD children, reading the account list from S3 and writing results there', () => {
    const map = state(stack.definition, 'ScanAccounts');
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: 'Ref:ReportBucket', 'Key.$': '$.accounts.key' },
    });
    expect(map.ItemSelector).toEqual({ 'account.$': '$$.Map.Item.Value', 'run.$': '$.run' });
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'Ref:ReportBucket', Prefix: 'runs/map-results' },
    });
    expect(map.MaxConcurrency).toBe(10);
    expect(map.ResultPath).toBe('$.scan');
    expect(map.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AlertFailure' }]);
  });

  it("catches every account's failure inside its child, so one account never fails the map or the run", () => {
    const map = state(stack.definition, 'ScanAccounts');
    const children = mapChildren(stack.definition, 'ScanAccounts');
    expect(children.StartAt).toBe('ScanMember');
    expect(children.States.ScanMember).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'GetAtt:ScanMemberLambdaFunction.Arn', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      TimeoutSeconds: 960,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MemberFailed' }],
      End: true,
    });
    expect(children.retried('ScanMember')).toEqual(expect.arrayContaining(['Lambda.ServiceException']));
    expect(children.retried('ScanMember')).not.toContain('States.Timeout');
    expect(children.States.MemberFailed).toMatchObject({
      Type: 'Pass',
      Parameters: { status: 'failed', 'account.$': '$.account', 'error.$': '$.error' },
      End: true,
    });
    expect(map.ToleratedFailurePercentage).toBe(100);
  });

  it('is a definition the local walker runs as it stands', () => {
    expect(() => checkDefinition(stack.definition)).not.toThrow();
  });
});

describe('organisation deploy parameters', () => {
  const tuned = packagedForTests({
    accountScope: 'organization',
    memberRoleName: 'audit-reader',
    accountConcurrency: '25',
    includeOrganizationalUnits: '["ou-ab12-cd34ef56"]',
    excludeAccounts: '["111122223333"]',
    scanSource: 'api',
  });

  it('sets the map concurrency and the member role the scan may assume', () => {
    expect(state(tuned.definition, 'ScanAccounts').MaxConcurrency).toBe(25);
    expect(grants(tuned.template, 'ScanMemberRole')['sts:AssumeRole']).toEqual([
      'arn:${AWS::Partition}:iam::*:role/audit-reader',
    ]);
    expect(lambdaFunction(tuned.template, 'ScanMemberLambdaFunction').Environment?.Variables).toMatchObject({
      MEMBER_ROLE_NAME: 'audit-reader',
      SCAN_SOURCE: 'api',
    });
  });

  it('lists only the included OUs: their accounts and sub-OUs, never the whole organisation', () => {
    expect(grants(tuned.template, 'DiscoverRole')).toMatchObject({
      'organizations:ListAccountsForParent': ['*'],
      'organizations:ListOrganizationalUnitsForParent': ['*'],
    });
    expect(grants(tuned.template, 'DiscoverRole')).not.toHaveProperty('organizations:ListAccounts');
    expect(lambdaFunction(tuned.template, 'DiscoverLambdaFunction').Environment?.Variables).toMatchObject({
      INCLUDE_ORGANIZATIONAL_UNITS: '["ou-ab12-cd34ef56"]',
      EXCLUDE_ACCOUNTS: '["111122223333"]',
    });
  });

  it.each([
    [
      { accountScope: 'organization', memberRoleName: 'a b' },
      'the deploy parameter "memberRoleName" must be an IAM role name',
    ],
    [
      { accountScope: 'organization', accountConcurrency: '0' },
      'the deploy parameter "accountConcurrency" must be a whole number from 1 to 1000',
    ],
    [
      { accountScope: 'organization', excludeAccounts: '111122223333' },
      'the deploy parameter "excludeAccounts" must be a JSON array of AWS account ids',
    ],
    [
      // The scan's role must never be able to change anything: the two names differ, whatever their case.
      { accountScope: 'organization', remediation: 'true', memberRemediationRoleName: 'Stale-IAM-Member' },
      'the deploy parameter "memberRemediationRoleName" must name another role than the deploy parameter "memberRoleName" (stale-iam-member): the scan must never assume a role that can change anything',
    ],
    [
      {
        accountScope: 'organization',
        remediation: 'true',
        memberRoleName: 'audit-reader',
        memberRemediationRoleName: 'audit-reader',
      },
      'the deploy parameter "memberRemediationRoleName" must name another role than the deploy parameter "memberRoleName" (audit-reader)',
    ],
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

describe('the compiled organisation definition, walked with in-memory functions', () => {
  it("hands each step what its contract parser accepts, and turns one account's crash into that account's failed result", async () => {
    const aws = new InMemoryAws();
    const arn = functionArnOf;
    const rollupInputs: unknown[] = [];
    const outcomes: unknown[] = [];
    const accounts = [
      { accountId: '111111111111', name: 'ok' },
      { accountId: '222222222222', name: 'crashes' },
    ];
    aws
      .addFunction(arn('DiscoverLambdaFunction'), (payload) => {
        const { executionName, startTime } = parseDiscoverEvent(payload);
        const keys = runKeys(executionName);
        aws.objects.set(`reports-bucket/${keys.accountsKey}`, JSON.stringify(accounts));
        aws.objects.set(`reports-bucket/${keys.skippedKey}`, '[]');
        return {
          run: { name: executionName, evaluatedAt: startTime.toISOString(), thresholdDays: 90 },
          accounts: { bucket: 'reports-bucket', key: keys.accountsKey, count: 2 },
          skipped: { key: keys.skippedKey, count: 0 },
        };
      })
      .addFunction(arn('ScanMemberLambdaFunction'), (payload) => {
        const { account } = parseMemberScanEvent(payload);
        if (account.name === 'crashes')
          throw Object.assign(new Error('out of memory'), { name: 'Runtime.ExitError' });
        return {
          status: 'failed',
          account: { accountId: account.accountId, name: account.name },
          error: { kind: 'throttled', message: 'Throttling: Rate exceeded' },
        };
      })
      .addFunction(arn('RollupLambdaFunction'), async (payload) => {
        const input = parseRollUpEvent(payload);
        rollupInputs.push(input);
        const files = parseMapManifest(aws.json('reports-bucket', input.manifestKey), input.manifestKey);
        for (const file of files) {
          outcomes.push(
            ...parseMapResultFile(aws.json('reports-bucket', file.key), file.key, file.status).outcomes,
          );
        }
        return { report: { bucket: 'reports-bucket' } };
      })
      .addFunction(arn('NotifyOrganizationLambdaFunction'), () => ({ published: false }));

    const result = await walkOrganisationRun(stack.template, aws, 'reports-bucket');

    expect(result.status).toBe('SUCCEEDED');
    expect(rollupInputs).toEqual([
      expect.objectContaining({
        run: expect.objectContaining({ name: 'scheduled-run-1', thresholdDays: 90 }),
        accountsKey: 'runs/scheduled-run-1/accounts.json',
        manifestKey: expect.stringMatching(/^runs\/map-results\/[0-9a-f-]+\/manifest\.json$/),
      }),
    ]);
    expect(outcomes).toEqual([
      {
        status: 'failed',
        account: accounts[0],
        error: { kind: 'throttled', message: 'Throttling: Rate exceeded' },
      },
      {
        status: 'failed',
        account: accounts[1],
        error: { kind: 'failed', message: 'Runtime.ExitError: out of memory' },
      },
    ]);
  });
});
