'use strict';

const { LOGICAL_IDS, deployedFunctions } = require('../names');

/**
 * Used by the state machine: invoke exactly the functions this deployment has, and publish the
 * failure alert.
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

module.exports = { stateMachineRole };
