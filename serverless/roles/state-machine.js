'use strict';

const { LOGICAL_IDS, arn, bucketObjectsArn, deployedFunctions } = require('../names');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');

/**
 * Used by the state machine: invoke exactly the functions this deployment has, and publish the
 * failure alert. In organisation mode also what a Distributed Map needs, which
 * serverless-step-functions adds only to a role it generates, never to this one:
 * https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
 * @param {import('../deployment').Deployment} deployment
 */
function stateMachineRole({ settings, names }) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `Runs the ${names.stateMachineName} state machine (stale-iam)`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'states.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: names.stateMachineName,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'InvokeStaleIamFunctions',
                Effect: 'Allow',
                Action: ['lambda:InvokeFunction'],
                Resource: deployedFunctions(settings).map((key) => ({
                  'Fn::GetAtt': [LOGICAL_IDS.lambdaOf(key), 'Arn'],
                })),
              },
              ...(settings.accountScope === 'organization' ? distributedMapStatements(names) : []),
              {
                Sid: 'AlertOperatorsOnFailure',
                Effect: 'Allow',
                Action: ['sns:Publish'],
                Resource: { Ref: LOGICAL_IDS.topic },
              },
            ],
          },
        },
      ],
    },
  };
}

/**
 * The map starts one child execution of this state machine per account, describes and (when the
 * map run stops) stops them, reads its items from `runs/` and writes its results there. The state
 * machine's ARN is built from its known name: a Ref to it here would be a circular dependency.
 * @param {import('../names').Names} names
 */
function distributedMapStatements({ stateMachineName }) {
  return [
    {
      Sid: 'StartAccountExecutions',
      Effect: 'Allow',
      Action: ['states:StartExecution'],
      Resource: arn('states', `stateMachine:${stateMachineName}`),
    },
    {
      // Child executions are `execution:<name>/<map label>:<id>`; the parent's `execution:<name>:<id>`.
      Sid: 'ManageAccountExecutions',
      Effect: 'Allow',
      Action: ['states:DescribeExecution', 'states:StopExecution'],
      Resource: [
        arn('states', `execution:${stateMachineName}/*`),
        arn('states', `execution:${stateMachineName}:*`),
      ],
    },
    {
      Sid: 'ReadAccountList',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: bucketObjectsArn(BUCKET_PREFIXES.runs),
    },
    {
      Sid: 'WriteMapResults',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      Resource: bucketObjectsArn(`${BUCKET_PREFIXES.mapResults}/`),
    },
  ];
}

module.exports = { stateMachineRole };
