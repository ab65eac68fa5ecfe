'use strict';

const { SECURITY_HUB, SECURITY_HUB_DEFAULT_PRODUCT, bucketObjectsArn } = require('../names');
const { lambdaRole } = require('./lambda-role');

/**
 * Only with `--param securityHub=true`. Reads the run's report, reads back our active findings (to
 * keep each one's CreatedAt and to resolve those whose credential is no longer stale) and imports
 * into the account's own default product: nothing else in Security Hub, and nothing in IAM.
 * @param {import('../deployment').Deployment} deployment
 */
function findingsRole({ names }) {
  return lambdaRole({
    functionKey: 'findings',
    names,
    statements: [
      {
        Sid: 'ReadReports',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: bucketObjectsArn('reports/'),
      },
      {
        // GetFindings authorizes against the hub resource (arn:...:hub/default).
        Sid: 'ReadOwnActiveFindings',
        Effect: 'Allow',
        Action: ['securityhub:GetFindings'],
        Resource: SECURITY_HUB,
      },
      {
        // BatchImportFindings authorizes against the product the findings name in ProductArn.
        Sid: 'ImportIntoOwnDefaultProduct',
        Effect: 'Allow',
        Action: ['securityhub:BatchImportFindings'],
        Resource: SECURITY_HUB_DEFAULT_PRODUCT,
      },
    ],
  });
}

module.exports = { findingsRole };
