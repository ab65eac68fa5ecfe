import { render, stateMachineDefinition, substitute, type CfnTemplate } from '../../tools/template';

/** What serverless-step-functions writes: the definition as Fn::Sub, intrinsics pulled out into variables. */
const TEMPLATE: CfnTemplate = {
  Resources: {
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Sub': [
            JSON.stringify({
              StartAt: 'Scan',
              States: {
                Scan: { Type: 'Task', Parameters: { FunctionName: '${abc}' }, Next: 'Alert' },
                Alert: {
                  Type: 'Task',
                  Parameters: {
                    TopicArn: '${def}',
                    Text: 'https://${AWS::Region}.example s3://${ReportBucket}/',
                  },
                  End: true,
                },
              },
            }),
            { abc: { 'Fn::GetAtt': ['ScanLambdaFunction', 'Arn'] }, def: { Ref: 'StaleIamTopic' } },
          ],
        },
      },
    },
  },
};

const LOCAL: Record<string, string> = {
  'ScanLambdaFunction.Arn': 'arn:aws:lambda:eu-west-1:123456789012:function:stale-iam-local-scan',
  StaleIamTopic: 'arn:aws:sns:eu-west-1:123456789012:stale-iam-local',
  'AWS::Region': 'eu-west-1',
  ReportBucket: 'stale-iam-local-reportbucket',
};

describe('the template reader: one substitution of Ref, Fn::GetAtt and Fn::Sub', () => {
  it('maps every reference in the state machine definition through the lookup it is given', () => {
    const definition = stateMachineDefinition(TEMPLATE, 'Machine', ({ logicalId, attribute }) => {
      const value = LOCAL[attribute ? `${logicalId}.${attribute}` : logicalId];
      if (value === undefined) throw new Error(`no local value for ${logicalId}`);
      return value;
    });

    expect(definition.States.Scan?.Parameters?.FunctionName).toBe(LOCAL['ScanLambdaFunction.Arn']);
    expect(definition.States.Alert?.Parameters).toEqual({
      TopicArn: LOCAL.StaleIamTopic,
      Text: 'https://eu-west-1.example s3://stale-iam-local-reportbucket/',
    });
  });

  it('renders references for the infra tests by default', () => {
    const definition = stateMachineDefinition(TEMPLATE, 'Machine');

    expect(definition.States.Scan?.Parameters?.FunctionName).toBe('GetAtt:ScanLambdaFunction.Arn');
    expect(definition.States.Alert?.Parameters?.Text).toBe(
      'https://Ref:AWS::Region.example s3://Ref:ReportBucket/',
    );
  });

  it('reads a value as Fn::Sub notation, and refuses an intrinsic it does not know', () => {
    expect(render({ Ref: 'ReportBucket' })).toBe('${ReportBucket}');
    expect(render({ 'Fn::Sub': '${ReportBucket.Arn}/reports/*' })).toBe('${ReportBucket.Arn}/reports/*');
    expect(
      substitute({ 'Fn::Sub': ['a-${x}-${!Literal}', { x: { Ref: 'Y' } }] }, ({ logicalId }) =>
        logicalId.toLowerCase(),
      ),
    ).toBe('a-y-${Literal}');
    expect(substitute({ 'Fn::Join': ['', ['a', { Ref: 'X' }]] }, () => 'x')).toBe('ax');
    expect(() => substitute({ 'Fn::Select': [0, ['a']] }, () => '')).toThrow('cannot substitute');
  });
});
