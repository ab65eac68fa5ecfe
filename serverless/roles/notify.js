'use strict';

const { LOGICAL_IDS } = require('../names');
const { lambdaRole, readReports } = require('./lambda-role');

/** @param {import('../deployment').Deployment} deployment */
function notifyRole({ names }) {
  return lambdaRole({
    functionKey: 'notify',
    names,
    statements: [
      readReports(),
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
