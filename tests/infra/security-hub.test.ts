import { startExecution } from '../../tools/state-machine/walker';
import type { Json } from '../../tools/state-machine/json-path';
import { InMemoryAws } from '../tools/state-machine/in-memory-integrations';
import { packagedForTests } from './support/package-service';
import {
  actionsOf,
  allPolicyStatements,
  grants,
  lambdaFunction,
  properties,
  state,
  type AslDefinition,
} from './support/template';
import { broadGrants, logsOf } from './support/expected-grants';

// The stack deployed with Security Hub findings (issue 13), and with the disable step as well.
const withFindings = packagedForTests({ securityHub: 'true' });
const withFindingsAndRemediation = packagedForTests({ securityHub: 'true', remediation: 'true' });

const PRODUCT =
  'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default';
const HUB = 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default';
const fn = (logicalId: string) => `GetAtt:${logicalId}.Arn`;
const VISUAL_REPORT = { bucket: 'b', key: 'reports/r.html' };

/** The compiled state machine walked in memory: `findings` answers for the Findings function; Render writes its page. */
async function run(definition: AslDefinition, findings: (payload: Json) => Json) {
  const scanResult = { report: { bucket: 'b', key: 'reports/r.json', csvKey: 'reports/r.csv' } };
  const aws = new InMemoryAws()
    .addFunction(fn('ScanLambdaFunction'), () => scanResult)
    .addFunction(fn('FindingsLambdaFunction'), findings)
    .addFunction(fn('RenderLambdaFunction'), () => VISUAL_REPORT)
    .addFunction(fn('NotifyLambdaFunction'), (payload) => ({ published: true, got: payload }));
  const result = await startExecution({
    definition,
    input: {},
    integrations: aws,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:stale-iam-test',
  });
  return { result, aws, scanResult };
}

describe('with --param securityHub=true', () => {
  it('packages the findings function into its own zip, under its own role, with only the bucket to read', () => {
    expect(withFindings.service.artifacts).toEqual(expect.arrayContaining(['findings.zip']));
    const findings = lambdaFunction(withFindings.template, 'FindingsLambdaFunction');
    expect(findings.Handler).toBe('src/functions/findings/handler.handler');
    expect(findings.FunctionName).toBe('stale-iam-test-findings');
    expect(findings.Role).toEqual({ 'Fn::GetAtt': ['FindingsRole', 'Arn'] });
    expect(findings.Timeout).toBe(300);
    expect(findings.Environment?.Variables).toEqual({
      REPORT_BUCKET: { Ref: 'ReportBucket' },
      POWERTOOLS_SERVICE_NAME: 'stale-iam',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('lets the findings role read reports, read findings from its own hub and import into its own default product, and nothing else', () => {
    expect(grants(withFindings.template, 'FindingsRole')).toEqual({
      's3:GetObject': ['${ReportBucket.Arn}/reports/*'],
      'securityhub:GetFindings': [HUB],
      'securityhub:BatchImportFindings': [PRODUCT],
      'logs:CreateLogStream': [logsOf('findings')],
      'logs:PutLogEvents': [logsOf('findings')],
    });
    expect(
      properties<{ AssumeRolePolicyDocument: { Statement: unknown[] } }>(
        withFindings.template,
        'FindingsRole',
      ).AssumeRolePolicyDocument.Statement,
    ).toEqual([expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' } })]);
    expect(broadGrants(withFindings.template)).toEqual([]);
  });

  it('gives Security Hub permissions to no other role', () => {
    const owners = allPolicyStatements(withFindingsAndRemediation.template)
      .filter(({ statement }) => actionsOf(statement).some((a) => a.toLowerCase().startsWith('securityhub:')))
      .map(({ owner }) => owner);
    expect([...new Set(owners)]).toEqual(['FindingsRole']);
  });

  it('lets the state machine invoke the findings function', () => {
    expect(grants(withFindings.template, 'StateMachineRole')['lambda:InvokeFunction']).toEqual([
      '${FindingsLambdaFunction.Arn}',
      '${NotifyLambdaFunction.Arn}',
      '${RenderLambdaFunction.Arn}',
      '${ScanLambdaFunction.Arn}',
    ]);
  });

  it('runs Scan, then Findings, then Render and Notify; and Findings before Disable when both are deployed', () => {
    expect(state(withFindings.definition, 'Scan').Next).toBe('Findings');
    expect(state(withFindings.definition, 'Findings').Next).toBe('Render');
    expect(state(withFindings.definition, 'Render').Next).toBe('Notify');
    expect(state(withFindingsAndRemediation.definition, 'Scan').Next).toBe('Findings');
    expect(state(withFindingsAndRemediation.definition, 'Findings').Next).toBe('Disable');
    expect(state(withFindingsAndRemediation.definition, 'Disable').Next).toBe('Render');
  });

  it('invokes Findings like the other tasks, but catches its failure into $.findingsError and goes on', () => {
    const findings = state(withFindings.definition, 'Findings');
    expect(findings.Parameters).toEqual({ FunctionName: fn('FindingsLambdaFunction'), 'Payload.$': '$' });
    expect(findings.OutputPath).toBe('$.Payload');
    expect(findings.TimeoutSeconds).toBe(360);
    expect(findings.Retry).toEqual(state(withFindings.definition, 'Scan').Retry);
    expect(findings.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.findingsError', Next: 'Render' },
    ]);
  });

  it('still emails the operators, with the error, when the Security Hub import fails', async () => {
    const { result, aws, scanResult } = await run(withFindings.definition, () => {
      throw Object.assign(new Error('Account 123456789012 is not subscribed to AWS Security Hub'), {
        name: 'AwsReadError',
      });
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(aws.published).toEqual([]);
    const notified = aws.invocations.find((i) => i.functionName === fn('NotifyLambdaFunction'))?.payload;
    expect(notified).toEqual({
      ...scanResult,
      findingsError: {
        Error: 'AwsReadError',
        Cause: expect.stringContaining('not subscribed to AWS Security Hub'),
      },
      visualReport: VISUAL_REPORT,
    });
  });

  it("hands notify the findings step's outcome when it succeeds", async () => {
    const outcome = { status: 'skipped', reason: 'partial-scan', productArn: 'arn' };

    const { aws, scanResult } = await run(withFindings.definition, (payload) => ({
      ...(payload as Record<string, Json>),
      findings: outcome,
    }));

    const notified = aws.invocations.find((i) => i.functionName === fn('NotifyLambdaFunction'))?.payload;
    expect(notified).toEqual({ ...scanResult, findings: outcome, visualReport: VISUAL_REPORT });
  });
});
