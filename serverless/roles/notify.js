'use strict';

const { LOGICAL_IDS, bucketObjectsArn } = require('../names');
const { lambdaRole } = require('./lambda-role');

/** @param {import('../deployment').Deployment} deployment */
function notifyRole({ names }) {
  return lambdaRole({
    functionKey: 'notify',
    names,
    statements: [
      {
        Sid: 'ReadReports',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: bucketObjectsArn('reports/'),
      },
      {
        Sid: 'EmailOperators',
        Effect: 'Allow',
        Action: ['sns:Publish'],
        Resource: { Ref: LOGICAL_IDS.topic },
      },
    ],
  });
}

module.exports = { notifyRole };
