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
        // The exact version the scan wrote (the step's input names it): GetObject with a VersionId
        // needs only this action.
        Sid: 'ReadReports',
        Effect: 'Allow',
        Action: ['s3:GetObjectVersion'],
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
