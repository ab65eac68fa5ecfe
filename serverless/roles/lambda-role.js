'use strict';

const { arn, bucketObjectsArn } = require('../names');

/**
 * @typedef {object} PolicyStatement
 * @property {string} Sid
 * @property {'Allow' | 'Deny'} Effect
 * @property {string[]} Action
 * @property {unknown} Resource
 * @property {Record<string, Record<string, unknown>>} [Condition]
 */

/**
 * The role one function runs under: its own log group, plus exactly `statements`.
 * @param {{ functionKey: string, names: import('../names').Names, statements: PolicyStatement[] }} role
 */
function lambdaRole({ functionKey, names, statements }) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `Runs the ${names.functionName(functionKey)} function (stale-iam); only what it calls`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      Policies: [
        {
          PolicyName: names.functionName(functionKey),
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [writeOwnLogs(names.logGroupName(functionKey)), ...statements],
          },
        },
      ],
    },
  };
}

/**
 * The AWSLambdaBasicExecutionRole part, narrowed to the function's own log group. The framework
 * creates that log group in the template (with its retention), so CreateLogGroup is not needed.
 * @param {string} logGroupName
 * @returns {PolicyStatement}
 */
function writeOwnLogs(logGroupName) {
  return {
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: arn('logs', `log-group:${logGroupName}:*`),
  };
}

/**
 * Reading the scan's reports (JSON, CSV, and the render function's pages beside them).
 * @returns {PolicyStatement}
 */
function readReports() {
  return {
    Sid: 'ReadReports',
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: bucketObjectsArn('reports/'),
  };
}

module.exports = { lambdaRole, readReports };
