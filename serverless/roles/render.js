'use strict';

const { LOGICAL_IDS, bucketObjectsArn } = require('../names');
const { lambdaRole, readReports } = require('./lambda-role');

/**
 * The render function reads reports (this run's and the previous run's, for the comparison),
 * reads and appends the history under `history/`, and writes the HTML page beside the report.
 * It may write `.html` objects only: it can never overwrite a report or the audit trail.
 * @param {import('../deployment').Deployment} deployment
 */
function renderRole({ names }) {
  return lambdaRole({
    functionKey: 'render',
    names,
    statements: [
      readReports(),
      {
        Sid: 'WriteVisualReports',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn('reports/', '.html'),
      },
      {
        Sid: 'ReadAndAppendHistory',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: bucketObjectsArn('history/'),
      },
      {
        // ListObjectsV2 is authorised on the bucket; the condition keeps it to the history prefix.
        Sid: 'ListHistory',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: { 'Fn::GetAtt': [LOGICAL_IDS.bucket, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['history/*'] } },
      },
    ],
  });
}

module.exports = { renderRole };
