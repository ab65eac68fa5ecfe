import { statSync } from 'node:fs';
import { parseRollUpEvent } from '../../src/contracts/discovery';
import { parseMapManifest, readMapResultFile } from '../../src/contracts/map-results';
import { parseMemberScanEvent } from '../../src/contracts/member-scan';
import { parseNotifyOrganizationEvent } from '../../src/contracts/notify-organization-event';
import {
  MEMBER_REMEDIATIONS,
  parseDisableMemberEvent,
  parsePlanRemediationEvent,
} from '../../src/contracts/organization-remediation';
import {
  auditAccountPrefix,
  auditEntryName,
  auditRunPrefix,
  organizationPlanKey,
  organizationReportKeys,
  reportKeys,
  runKeys,
} from '../../src/domain/report/object-keys';
import { checkDefinition } from '../../tools/state-machine/validate';
import { InMemoryAws } from '../tools/state-machine/in-memory-integrations';
import { logsOf, parameterArn } from './support/expected-grants';
import { BUCKET_ARN, applies, iamMatches } from './support/iam-evaluation';
import {
  EXECUTIONS,
  MAP_RESULTS,
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
import { packagedForTests } from './support/package-service';
import {
  actionMatches,
  actionsOf,
  allPolicyStatements,
  grants,
  lambdaFunction,
  resourcesOf,
  roleStatements,
  state,
  type CfnTemplate,
} from './support/template';

/**
 * Organisation mode with remediation (`--param accountScope=organization --param remediation=true`):
 * the plan step and one member disable step per account that may act (a second Distributed Map).
 * Each role is held to exactly what its function calls, read from its handler and adapters:
 *
 * - planRemediation (src/functions/plan-remediation/handler.ts): GetObject of the organisation
 *   report's summary (reports/organization/), GetObject *with VersionId* of each account's report
 *   (S3ReportStore.loadVersion: only s3:GetObjectVersion), GetParameters of the live settings,
 *   PutObject of the plan under audit/organization/ (If-None-Match: *, with a retention when Object
 *   Lock is deployed: s3:PutObjectRetention) and of the second map's items under runs/<run>/.
 * - disableMember (src/functions/disable-member/handler.ts, src/functions/shared/disable-run.ts):
 *   GetObject with VersionId of the plan and of the account's report, GetParameters, AssumeRole
 *   into the member remediation role (and nothing of IAM itself: every IAM call, and
 *   GetCallerIdentity, is made with the member session's credentials), and the audit trail
 *   (S3AuditTrail: PutObject with If-None-Match, GetObject of an orphan intent, ListObjectsV2 under
 *   audit/<account>/).
 * - notifyOrganization, with remediation only: GetObject with VersionId of the plan and GetObject
 *   of the remediation map's manifest and result files (readMapOutcomes).
 */
const stack = packagedForTests({ accountScope: 'organization', remediation: 'true' });

const AUDIT = '${ReportBucket.Arn}/audit/*';
const PLANS = '${ReportBucket.Arn}/audit/organization/*';
const LIVE_SETTINGS = [parameterArn('remediation-mode'), parameterArn('threshold-days')];
const LIVE_SETTINGS_WITH_KEYS = [parameterArn('deactivate-access-keys'), ...LIVE_SETTINGS];
/** planRemediation's grants with the defaults: no key deactivation, no Object Lock. */
const PLAN_REMEDIATION_GRANTS = {
  's3:GetObject': [ORG_REPORTS],
  's3:GetObjectVersion': [REPORTS],
  'ssm:GetParameters': LIVE_SETTINGS,
  's3:PutObject': [PLANS, RUNS].sort(),
  'logs:CreateLogStream': [logsOf('planRemediation')],
  'logs:PutLogEvents': [logsOf('planRemediation')],
};
/** disableMember's grants with the defaults: the default remediation role name, no key deactivation, no Object Lock. */
const DISABLE_MEMBER_GRANTS = {
  'sts:AssumeRole': [rolesNamed('stale-iam-member-remediation')],
  'ssm:GetParameters': LIVE_SETTINGS,
  's3:GetObjectVersion': [PLANS, REPORTS].sort(),
  's3:GetObject': [AUDIT],
  's3:PutObject': [AUDIT],
  's3:ListBucket': ['${ReportBucket.Arn}'],
  'logs:CreateLogStream': [logsOf('disableMember')],
  'logs:PutLogEvents': [logsOf('disableMember')],
};
const REMEDIATION_FUNCTIONS = ['planRemediation', 'disableMember'];
const ORG_FUNCTIONS = [
  'discover',
  'scanMember',
  'rollup',
  ...REMEDIATION_FUNCTIONS,
  'render',
  'notifyOrganization',
];

/** The keys the code builds, for one run evaluated at midnight and one member account. */
const EVALUATED_AT = new Date('2026-11-28T00:00:00Z');
const MEMBER = '111122223333';
const REQUEST_ID = '8f5a3c1e-0000-4000-8000-000000000001';
const KEYS = {
  orgSummary: organizationReportKeys(EVALUATED_AT).summaryKey,
  memberReport: reportKeys({ accountId: MEMBER, evaluatedAt: EVALUATED_AT }).key,
  plan: organizationPlanKey(EVALUATED_AT, REQUEST_ID),
  remediationItems: runKeys('scheduled-run-1').remediationKey,
  memberIntent: `${auditRunPrefix(MEMBER, EVALUATED_AT, REQUEST_ID)}${auditEntryName(1, 'intent')}`,
  mapManifest: 'runs/map-results/0b5c7e0e-1d1a-4f7e-9a43-3c3f0b7f2f11/manifest.json',
};

/**
 * Whether `role` may make `action` on an object of the report bucket: an Allow applies and no Deny
 * does. Statements with a Condition (the ListBucket on the bucket itself) are checked on their own.
 */
function mayOnObject(template: CfnTemplate, role: string, action: string, key: string): boolean {
  const request = { action, resource: `${BUCKET_ARN}/${key}`, context: {} };
  const statements = roleStatements(template, role).filter((s) => s.Condition === undefined);
  return (
    statements.some((s) => s.Effect === 'Allow' && applies(s, request)) &&
    !statements.some((s) => s.Effect === 'Deny' && applies(s, request))
  );
}

/** Every statement, of any role or policy, that names an action of `service` (by any pattern). */
function mentionsOf(template: CfnTemplate, service: string) {
  return allPolicyStatements(template)
    .filter(({ statement }) =>
      actionsOf(statement).some((a) => a.toLowerCase().startsWith(`${service}:`) || a === '*'),
    )
    .map(({ owner, statement }) => [owner, actionsOf(statement)]);
}

/** Who may assume which role: every statement allowing sts:AssumeRole, by any pattern. */
function assumers(template: CfnTemplate): Array<[string, string[]]> {
  return allPolicyStatements(template)
    .filter(
      ({ statement }) =>
        statement.Effect === 'Allow' && actionsOf(statement).some((a) => actionMatches(a, 'sts:AssumeRole')),
    )
    .map(({ owner, statement }): [string, string[]] => [owner, resourcesOf(statement)])
    .sort(([a], [b]) => a.localeCompare(b));
}

describe('with --param accountScope=organization remediation=true', () => {
  it('packages the plan and member disable functions besides the organisation run', () => {
    expect(stack.service.artifacts.filter((a) => a.endsWith('.zip')).sort()).toEqual(
      ORG_FUNCTIONS.map((f) => `${f}.zip`).sort(),
    );
  });

  it('keeps each zip of the organisation deployment under the 1 MB budget (npm run bench measures the single-account ones)', () => {
    const sizes = Object.fromEntries(
      stack.service.functions.map((f) => [f.logicalId, statSync(f.zipFile).size]),
    );

    expect(Object.keys(sizes)).toHaveLength(ORG_FUNCTIONS.length);
    for (const [logicalId, bytes] of Object.entries(sizes)) {
      expect({ logicalId, underBudget: bytes < 1024 * 1024 }).toEqual({ logicalId, underBudget: true });
    }
  });

  it.each([
    [
      'PlanRemediationLambdaFunction',
      'src/functions/plan-remediation/handler.handler',
      'PlanRemediationRole',
      900,
      1024,
    ],
    [
      'DisableMemberLambdaFunction',
      'src/functions/disable-member/handler.handler',
      'DisableMemberRole',
      900,
      256,
    ],
  ])('runs %s under its own role', (id, handler, role, timeout, memory) => {
    expect(functionShape(stack.template, id)).toEqual(nodeFunction(handler, role, timeout, memory));
  });

  it('tells the plan and member disable steps exactly the settings they read, and the member disable step only the remediation role', () => {
    const env = (id: string) => lambdaFunction(stack.template, id).Environment?.Variables;
    const remediation = {
      POWERTOOLS_SERVICE_NAME: 'stale-iam',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      REPORT_BUCKET: { Ref: 'ReportBucket' },
      THRESHOLD_DAYS_PARAMETER: '/stale-iam/test/threshold-days',
      REMEDIATION_MODE_PARAMETER: '/stale-iam/test/remediation-mode',
      MAX_ACTIONS: '10',
      MAX_PERCENT: '20',
      MIN_ENFORCE_DAYS: '30',
      ACCESS_KEY_DEACTIVATION: 'false',
      AUDIT_RETENTION_DAYS: '1827',
      AUDIT_OBJECT_LOCK: 'false',
    };
    expect(env('PlanRemediationLambdaFunction')).toEqual({
      ...remediation,
      MAX_ACTIONS_PER_ORGANIZATION: '50',
    });
    expect(env('DisableMemberLambdaFunction')).toEqual({
      ...remediation,
      EXEMPT_USER_NAMES: '[]',
      EXEMPT_PATH_PREFIXES: '[]',
      EXEMPT_GROUP_NAMES: '[]',
      MEMBER_REMEDIATION_ROLE_NAME: 'stale-iam-member-remediation',
    });
  });

  it('creates the remediation switch, names the role every member remediation role must trust, and no key switch', () => {
    expect(stack.template.Resources.RemediationModeParameter).toBeDefined();
    expect(stack.template.Resources.DeactivateAccessKeysParameter).toBeUndefined();
    expect(stack.template.Outputs?.DisableMemberRoleArn?.Value).toEqual({
      'Fn::GetAtt': ['DisableMemberRole', 'Arn'],
    });
  });
});

describe('the roles of an organisation run with remediation', () => {
  it('lets planRemediation read the summary, the reports at their version and the live settings, and write the plan and the second map’s items', () => {
    expect(grants(stack.template, 'PlanRemediationRole')).toEqual(PLAN_REMEDIATION_GRANTS);
  });

  it('lets disableMember assume the member remediation role only, read the plan and the report at their version, and keep the audit trail', () => {
    expect(grants(stack.template, 'DisableMemberRole')).toEqual(DISABLE_MEMBER_GRANTS);
    const list = roleStatements(stack.template, 'DisableMemberRole').find((s) => s.Sid === 'ListAuditTrail');
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['audit/*'] } });
    // findOrphans lists under audit/<account>/, which that condition lets through.
    expect(iamMatches('audit/*', auditAccountPrefix(MEMBER))).toBe(true);
  });

  it('lets notifyOrganization read, besides the organisation report, the plan at its version and the remediation map’s results', () => {
    const remediationOnly = roleStatements(stack.template, 'NotifyOrganizationRole')
      .filter((s) => s.Sid === 'ReadRemediationPlan' || s.Sid === 'ReadRemediationResults')
      .map((s) => [actionsOf(s), resourcesOf(s)]);
    expect(remediationOnly).toEqual([
      [['s3:GetObjectVersion'], [PLANS]],
      [['s3:GetObject'], [MAP_RESULTS]],
    ]);
    expect(grants(stack.template, 'NotifyOrganizationRole')).toEqual({
      's3:GetObject': [MAP_RESULTS, ORG_REPORTS].sort(),
      's3:GetObjectVersion': [PLANS],
      'sns:Publish': ['${StaleIamTopic}'],
      'logs:CreateLogStream': [logsOf('notifyOrganization')],
      'logs:PutLogEvents': [logsOf('notifyOrganization')],
    });
  });

  it.each([
    ['PlanRemediationRole', 's3:GetObject', KEYS.orgSummary, true],
    ['PlanRemediationRole', 's3:GetObjectVersion', KEYS.memberReport, true],
    ['PlanRemediationRole', 's3:PutObject', KEYS.plan, true],
    ['PlanRemediationRole', 's3:PutObject', KEYS.remediationItems, true],
    // It reads a member's report only at the version the scan wrote, and writes no report.
    ['PlanRemediationRole', 's3:GetObject', KEYS.memberReport, false],
    ['PlanRemediationRole', 's3:PutObject', KEYS.memberReport, false],
    ['PlanRemediationRole', 's3:PutObject', KEYS.memberIntent, false],
    ['DisableMemberRole', 's3:GetObjectVersion', KEYS.plan, true],
    ['DisableMemberRole', 's3:GetObjectVersion', KEYS.memberReport, true],
    ['DisableMemberRole', 's3:PutObject', KEYS.memberIntent, true],
    ['DisableMemberRole', 's3:GetObject', KEYS.memberIntent, true],
    ['DisableMemberRole', 's3:GetObject', KEYS.memberReport, false],
    ['DisableMemberRole', 's3:PutObject', KEYS.memberReport, false],
    ['DisableMemberRole', 's3:PutObject', KEYS.remediationItems, false],
    ['NotifyOrganizationRole', 's3:GetObject', KEYS.orgSummary, true],
    ['NotifyOrganizationRole', 's3:GetObjectVersion', KEYS.plan, true],
    ['NotifyOrganizationRole', 's3:GetObject', KEYS.mapManifest, true],
    ['NotifyOrganizationRole', 's3:GetObject', KEYS.memberIntent, false],
    ['NotifyOrganizationRole', 's3:GetObject', KEYS.remediationItems, false],
    ['StateMachineRole', 's3:GetObject', KEYS.remediationItems, true],
  ])('%s may %s the object the code names %s: %s', (role, action, key, allowed) => {
    expect(mayOnObject(stack.template, role, action, key)).toBe(allowed);
  });

  it('lets only disableMember assume the member remediation role, and scanMember only the read-only member role', () => {
    expect(assumers(stack.template)).toEqual([
      ['DisableMemberRole', [rolesNamed('stale-iam-member-remediation')]],
      ['ScanMemberRole', [rolesNamed('stale-iam-member')]],
    ]);
  });

  it('gives no role of the stack any IAM or Security Hub action: members act through their own roles', () => {
    expect(mentionsOf(stack.template, 'iam')).toEqual([]);
    expect(mentionsOf(stack.template, 'securityhub')).toEqual([]);
  });

  it('grants no wildcard action, and Resource * only to listing the organisation', () => {
    expect(broadGrantsOf(stack.template)).toEqual({
      onEveryResource: [['DiscoverRole', ['organizations:ListAccounts']]],
      wildcardActions: [],
    });
  });

  it('lets the state machine invoke exactly the seven deployed functions, with what both Distributed Maps need', () => {
    expect(grants(stack.template, 'StateMachineRole')).toEqual({
      'lambda:InvokeFunction': [
        '${DisableMemberLambdaFunction.Arn}',
        '${DiscoverLambdaFunction.Arn}',
        '${NotifyOrganizationLambdaFunction.Arn}',
        '${PlanRemediationLambdaFunction.Arn}',
        '${RenderLambdaFunction.Arn}',
        '${RollupLambdaFunction.Arn}',
        '${ScanMemberLambdaFunction.Arn}',
      ],
      'states:StartExecution': [STATE_MACHINE],
      'states:DescribeExecution': EXECUTIONS,
      'states:StopExecution': EXECUTIONS,
      's3:GetObject': [RUNS, MAP_RESULTS].sort(),
      's3:PutObject': [MAP_RESULTS],
      's3:ListMultipartUploadParts': [MAP_RESULTS],
      's3:AbortMultipartUpload': [MAP_RESULTS],
      'sns:Publish': ['${StaleIamTopic}'],
    });
  });
});

describe('the state machine of an organisation run with remediation', () => {
  it('runs the roll-up, then the plan, then the remediation map when an account may act, then the visual report and one email', () => {
    const d = stack.definition;
    expect(Object.keys(d.States).sort()).toEqual(
      [
        'AlertFailure',
        'AnyAccountToRemediate',
        'Discover',
        'Done',
        'NotifyOrganization',
        'PlanRemediation',
        'RemediateAccounts',
        'Render',
        'Rollup',
        'RunFailed',
        'ScanAccounts',
      ].sort(),
    );
    expect(state(d, 'ScanAccounts').Next).toBe('Rollup');
    expect(state(d, 'Rollup').Next).toBe('PlanRemediation');
    expect(state(d, 'PlanRemediation').Next).toBe('AnyAccountToRemediate');
    expect(state(d, 'AnyAccountToRemediate')).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.remediation.accounts.count', NumericGreaterThan: 0, Next: 'RemediateAccounts' },
      ],
      Default: 'Render',
    });
    expect(state(d, 'RemediateAccounts').Next).toBe('Render');
    expect(state(d, 'Render').Next).toBe('NotifyOrganization');
    expect(state(d, 'NotifyOrganization').Next).toBe('Done');
  });

  it('invokes planRemediation like the other tasks, and on its failure goes on to the email (through Render) with the error', () => {
    const plan = state(stack.definition, 'PlanRemediation');
    expect(plan).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'GetAtt:PlanRemediationLambdaFunction.Arn', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      TimeoutSeconds: 960,
    });
    expect(plan.Retry).toEqual(state(stack.definition, 'Rollup').Retry);
    expect(plan.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.remediationError', Next: 'Render' },
    ]);
    expect(state(stack.definition, 'Render').Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.renderError', Next: 'NotifyOrganization' },
    ]);
  });

  it('remediates on a second Distributed Map: items from the plan’s list under runs/, results under runs/map-results, its own failure to the email', () => {
    const map = state(stack.definition, 'RemediateAccounts');
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor?.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: 'Ref:ReportBucket', 'Key.$': '$.remediation.accounts.key' },
    });
    expect(map.ItemSelector).toEqual({
      'account.$': '$$.Map.Item.Value.account',
      'report.$': '$$.Map.Item.Value.report',
      'run.$': '$.run',
      'plan.$': '$.remediation.plan',
    });
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'Ref:ReportBucket', Prefix: 'runs/map-results' },
    });
    expect(map.MaxConcurrency).toBe(10);
    expect(map.ToleratedFailurePercentage).toBe(100);
    expect(map.ResultPath).toBe('$.remediation.results');
    expect(map.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.remediationError', Next: 'Render' },
    ]);
  });

  it("catches each member's failure inside its child as the scan map does, and does not retry a disable step that ran out of time", () => {
    const scan = mapChildren(stack.definition, 'ScanAccounts');
    const remediate = mapChildren(stack.definition, 'RemediateAccounts');
    expect(remediate.StartAt).toBe('DisableMember');
    expect(Object.keys(remediate.States).sort()).toEqual(['DisableMember', 'DisableMemberFailed']);
    expect(remediate.States.DisableMember).toEqual({
      ...scan.States.ScanMember,
      Comment: expect.any(String),
      Parameters: { FunctionName: 'GetAtt:DisableMemberLambdaFunction.Arn', 'Payload.$': '$' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'DisableMemberFailed' }],
    });
    expect(remediate.retried('DisableMember')).not.toContain('States.Timeout');
    expect(remediate.States.DisableMemberFailed).toEqual({
      ...scan.States.MemberFailed,
      Comment: expect.any(String),
    });
  });

  it('points the failure alert at the logs of the plan and member disable steps and their audit trails', () => {
    const message = String(state(stack.definition, 'AlertFailure').Parameters?.['Message.$']);
    expect(message).toContain('/aws/lambda/stale-iam-test-planRemediation');
    expect(message).toContain('/aws/lambda/stale-iam-test-disableMember');
    expect(message).toContain('s3://Ref:ReportBucket/audit/<account>/');
    expect(message).toContain('s3://Ref:ReportBucket/audit/organization/');
  });

  it('is a definition the local walker runs as it stands', () => {
    expect(() => checkDefinition(stack.definition)).not.toThrow();
  });
});

describe('the compiled definition with remediation, walked with in-memory functions', () => {
  const BUCKET = 'reports-bucket';
  const accounts = [
    { accountId: '111111111111', name: 'acts' },
    { accountId: '222222222222', name: 'crashes' },
  ];
  const org = organizationReportKeys(EVALUATED_AT);
  const plan = {
    bucket: BUCKET,
    key: organizationPlanKey(EVALUATED_AT, REQUEST_ID),
    versionId: 'plan-version-1',
  };

  /** Discover, the scan map and the roll-up as in a run; planRemediation as `planned` says. */
  function organisationRun(planned: 'lets two accounts act' | 'fails') {
    const aws = new InMemoryAws();
    const arn = functionArnOf;
    const notified: unknown[] = [];
    const disabled: unknown[] = [];
    aws
      .addFunction(arn('DiscoverLambdaFunction'), () => {
        const keys = runKeys('scheduled-run-1');
        aws.objects.set(`${BUCKET}/${keys.accountsKey}`, JSON.stringify(accounts));
        return {
          run: { name: 'scheduled-run-1', evaluatedAt: EVALUATED_AT.toISOString(), thresholdDays: 90 },
          accounts: { bucket: BUCKET, key: keys.accountsKey, count: accounts.length },
          skipped: { key: keys.skippedKey, count: 0 },
        };
      })
      .addFunction(arn('ScanMemberLambdaFunction'), (payload) => {
        const { accountId, name } = parseMemberScanEvent(payload).account;
        return {
          status: 'failed',
          account: { accountId, name },
          error: { kind: 'throttled', message: 'Throttling: Rate exceeded' },
        };
      })
      .addFunction(arn('RollupLambdaFunction'), (payload) => {
        const { run } = parseRollUpEvent(payload);
        return {
          run: { ...run, evaluatedAt: run.evaluatedAt.toISOString() },
          report: { bucket: BUCKET, key: org.key, csvKey: org.csvKey, summaryKey: org.summaryKey },
        };
      })
      .addFunction(arn('PlanRemediationLambdaFunction'), (payload) => {
        parsePlanRemediationEvent(payload);
        if (planned === 'fails')
          throw Object.assign(new Error('over the cap'), { name: 'InvalidInputError' });
        const items = accounts.map((account) => {
          const { key, csvKey } = reportKeys({ accountId: account.accountId, evaluatedAt: EVALUATED_AT });
          return { account, report: { bucket: BUCKET, key, csvKey, versionId: `v-${account.accountId}` } };
        });
        const itemsKey = runKeys('scheduled-run-1').remediationKey;
        aws.objects.set(`${BUCKET}/${itemsKey}`, JSON.stringify(items));
        return {
          ...(payload as Record<string, unknown>),
          remediation: {
            plan,
            mode: 'enforce',
            planned: 2,
            refused: false,
            accounts: { bucket: BUCKET, key: itemsKey, count: items.length },
          },
        };
      })
      .addFunction(arn('DisableMemberLambdaFunction'), (payload) => {
        const event = parseDisableMemberEvent(payload);
        disabled.push(event);
        if (event.account.name === 'crashes') throw new Error('Task timed out after 900.00 seconds');
        return {
          status: 'done',
          account: event.account,
          remediation: {
            mode: 'enforce',
            deactivateAccessKeys: false,
            auditKey: `${auditRunPrefix(event.account.accountId, EVALUATED_AT, REQUEST_ID)}records.jsonl`,
            blocked: null,
            belowFloor: null,
            counts: {},
            items: [],
            itemsOmitted: 0,
          },
        };
      })
      .addFunction(arn('RenderLambdaFunction'), () => ({
        bucket: BUCKET,
        key: org.key.replace(/\.json$/, '.html'),
      }))
      .addFunction(arn('NotifyOrganizationLambdaFunction'), (payload) => {
        notified.push(payload);
        return { published: true };
      });
    const run = () => walkOrganisationRun(stack.template, aws, BUCKET);
    return { aws, run, notified, disabled };
  }

  it("hands each member's disable step its item, the run and the plan, and the email every member's outcome", async () => {
    const { aws, run, notified, disabled } = organisationRun('lets two accounts act');

    const result = await run();

    expect(result.status).toBe('SUCCEEDED');
    expect(disabled).toEqual(
      accounts.map((account) =>
        expect.objectContaining({ account, plan, run: expect.objectContaining({ name: 'scheduled-run-1' }) }),
      ),
    );
    expect(notified).toHaveLength(1);
    const input = parseNotifyOrganizationEvent(notified[0]);
    expect(input.remediationFailure).toBeUndefined();
    const manifest = input.remediation?.manifest;
    expect(manifest?.key).toMatch(/^runs\/map-results\/[0-9a-f-]+\/manifest\.json$/);
    const outcomes = parseMapManifest(aws.json(BUCKET, manifest?.key ?? ''), manifest?.key ?? '').flatMap(
      (file) =>
        readMapResultFile(aws.json(BUCKET, file.key), file.key, file.status, MEMBER_REMEDIATIONS).outcomes,
    );
    expect(outcomes.map((o) => [o.account.name, o.status])).toEqual([
      ['acts', 'done'],
      ['crashes', 'failed'],
    ]);
  });

  it('goes on to the visual report and the email, with the error and no member disable step, when the plan fails', async () => {
    const { run, notified, disabled } = organisationRun('fails');

    const result = await run();

    expect(result.status).toBe('SUCCEEDED');
    expect(disabled).toEqual([]);
    expect(notified).toHaveLength(1);
    const input = parseNotifyOrganizationEvent(notified[0]);
    expect(input.remediation).toBeUndefined();
    expect(input.remediationFailure).toBeDefined();
    expect(input.visualReport?.key).toBe(org.key.replace(/\.json$/, '.html'));
  });
});

describe('with --param accountScope=organization remediation=true and key deactivation, Object Lock, Security Hub and other role names', () => {
  const tuned = packagedForTests({
    accountScope: 'organization',
    remediation: 'true',
    accessKeyDeactivation: 'true',
    auditObjectLock: 'true',
    securityHub: 'true',
    memberRoleName: 'audit-reader',
    memberRemediationRoleName: 'audit-fixer',
    accountConcurrency: '3',
  });

  it('lets planRemediation read the key switch too and lock its plans, and nothing more', () => {
    expect(grants(tuned.template, 'PlanRemediationRole')).toEqual({
      ...PLAN_REMEDIATION_GRANTS,
      'ssm:GetParameters': LIVE_SETTINGS_WITH_KEYS,
      's3:PutObjectRetention': [PLANS],
    });
  });

  it('lets disableMember assume the named remediation role, read the key switch and lock its audit trail, and nothing more', () => {
    expect(grants(tuned.template, 'DisableMemberRole')).toEqual({
      ...DISABLE_MEMBER_GRANTS,
      'sts:AssumeRole': [rolesNamed('audit-fixer')],
      'ssm:GetParameters': LIVE_SETTINGS_WITH_KEYS,
      's3:PutObjectRetention': [AUDIT],
    });
  });

  it('lets each step read exactly the SSM parameters its environment names', () => {
    for (const fn of ['PlanRemediation', 'DisableMember']) {
      const env = lambdaFunction(tuned.template, `${fn}LambdaFunction`).Environment?.Variables ?? {};
      const named = Object.entries(env)
        .filter(([name]) => name.endsWith('_PARAMETER'))
        .map(([, value]) => parameterArn(String(value).replace('/stale-iam/test/', '')))
        .sort();
      expect([fn, grants(tuned.template, `${fn}Role`)['ssm:GetParameters']]).toEqual([fn, named]);
    }
  });

  it('leaves notifyOrganization as without those options', () => {
    expect(grants(tuned.template, 'NotifyOrganizationRole')).toEqual(
      grants(stack.template, 'NotifyOrganizationRole'),
    );
  });

  it('lets scanMember assume only the read-only member role, and only disableMember the remediation role', () => {
    expect(assumers(tuned.template)).toEqual([
      ['DisableMemberRole', [rolesNamed('audit-fixer')]],
      ['ScanMemberRole', [rolesNamed('audit-reader')]],
    ]);
  });

  it('gives no role any IAM or Security Hub action with Security Hub on: findings are imported through the member roles', () => {
    expect(tuned.service.artifacts.filter((a) => a.endsWith('.zip')).sort()).toEqual(
      ORG_FUNCTIONS.map((f) => `${f}.zip`).sort(),
    );
    expect(mentionsOf(tuned.template, 'iam')).toEqual([]);
    expect(mentionsOf(tuned.template, 'securityhub')).toEqual([]);
  });

  it('runs both maps at most accountConcurrency accounts at a time', () => {
    expect(state(tuned.definition, 'ScanAccounts').MaxConcurrency).toBe(3);
    expect(state(tuned.definition, 'RemediateAccounts').MaxConcurrency).toBe(3);
  });
});
