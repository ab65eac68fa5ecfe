import type { CfnTemplate } from '../../../tools/template';
import { functionEnvironment, localStack, setUp } from '../../../tools/local-run/local-stack';
import { startFakeAws, type FakeAws } from '../../support/fake-aws-server';

/** The parts of a compiled template that --setup and the local names read. */
function template(): CfnTemplate {
  return {
    Resources: {
      ServerlessDeploymentBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      ReportBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: { VersioningConfiguration: { Status: 'Enabled' } },
      },
      StaleIamTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'stale-iam-local' } },
      ThresholdDaysParameter: {
        Type: 'AWS::SSM::Parameter',
        Properties: { Name: '/stale-iam/local/threshold-days', Type: 'String', Value: '90' },
      },
      ScanLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'stale-iam-local-scan',
          Handler: 'src/functions/scan/handler.handler',
          Code: {
            S3Bucket: { Ref: 'ServerlessDeploymentBucket' },
            S3Key: 'serverless/stale-iam/local/1/scan.zip',
          },
          Environment: {
            Variables: {
              REPORT_BUCKET: { Ref: 'ReportBucket' },
              TOPIC_ARN: { Ref: 'StaleIamTopic' },
              THRESHOLD_DAYS_PARAMETER: '/stale-iam/local/threshold-days',
              REPORTS: { 'Fn::Sub': 's3://${ReportBucket}/reports/ in ${AWS::Region}' },
            },
          },
        },
      },
    },
  };
}

const NAMES = { region: 'us-east-1', stackName: 'stale-iam-local' };
let fake: FakeAws;

beforeEach(async () => {
  fake = await startFakeAws({ users: [] });
  process.env.AWS_ENDPOINT_URL = fake.endpoint;
});

afterEach(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await fake.close();
});

describe('--setup and the local names of the template', () => {
  it('creates every bucket of the run (with the versioning the template enables), the topic and the parameters, not the deployment bucket', async () => {
    const topics = await setUp({ template: template(), ...NAMES, userEnv: {} }, () => undefined);

    expect(fake.requestsOf('s3', 'CreateBucket').map((r) => r.bucket)).toEqual([
      'stale-iam-local-reportbucket',
    ]);
    expect(fake.versioning.get('stale-iam-local-reportbucket')).toBe('Enabled');
    expect(topics).toEqual({ StaleIamTopic: 'arn:aws:sns:us-east-1:123456789012:stale-iam-local' });
    expect(fake.parameters.get('/stale-iam/local/threshold-days')?.value).toBe('90');
  });

  it('takes a name from the variable that carries it to the functions, and a value from that variable without _PARAMETER', async () => {
    const userEnv = {
      REPORT_BUCKET: 'my-reports',
      THRESHOLD_DAYS_PARAMETER: '/mine/threshold',
      THRESHOLD_DAYS: '30',
    };

    await setUp({ template: template(), ...NAMES, userEnv }, () => undefined);

    expect(fake.requestsOf('s3', 'CreateBucket').map((r) => r.bucket)).toEqual(['my-reports']);
    expect(fake.parameters.get('/mine/threshold')?.value).toBe('30');
    expect(fake.parameters.has('/stale-iam/local/threshold-days')).toBe(false);
  });

  it('keeps the value of an existing parameter unless one is given, and then overwrites it', async () => {
    fake.parameters.set('/stale-iam/local/threshold-days', { value: '45', type: 'String', version: 1 });

    await setUp({ template: template(), ...NAMES, userEnv: {} }, () => undefined);
    expect(fake.parameters.get('/stale-iam/local/threshold-days')?.value).toBe('45');

    await setUp({ template: template(), ...NAMES, userEnv: { THRESHOLD_DAYS: 'abc' } }, () => undefined);
    expect(fake.parameters.get('/stale-iam/local/threshold-days')?.value).toBe('abc');
  });

  it("maps the template's references to local values: bucket name and ARN, topic ARN, function ARN, pseudo parameters", () => {
    const stack = localStack({
      template: template(),
      ...NAMES,
      userEnv: {},
      topicArns: { StaleIamTopic: 'arn:aws:sns:us-east-1:123456789012:stale-iam-local' },
      accountId: '123456789012',
    });

    expect(functionEnvironment(stack, 'ScanLambdaFunction')).toEqual({
      REPORT_BUCKET: 'stale-iam-local-reportbucket',
      TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:stale-iam-local',
      THRESHOLD_DAYS_PARAMETER: '/stale-iam/local/threshold-days',
      REPORTS: 's3://stale-iam-local-reportbucket/reports/ in us-east-1',
    });
    expect(stack.lookup({ logicalId: 'ScanLambdaFunction', attribute: 'Arn' })).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:stale-iam-local-scan',
    );
    expect(stack.lookup({ logicalId: 'ReportBucket', attribute: 'Arn' })).toBe(
      'arn:aws:s3:::stale-iam-local-reportbucket',
    );
    expect(stack.lookup({ logicalId: 'ThresholdDaysParameter' })).toBe('/stale-iam/local/threshold-days');
    expect(() => stack.lookup({ logicalId: 'ServerlessDeploymentBucket' })).toThrow(
      'cannot map ServerlessDeploymentBucket',
    );
    expect(() => stack.lookup({ logicalId: 'ScanRole', attribute: 'Arn' })).toThrow(
      'cannot map ScanRole.Arn to a local value',
    );
  });
});
