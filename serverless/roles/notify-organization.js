'use strict';

const { LOGICAL_IDS, bucketObjectsArn } = require('../names');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');
const { lambdaRole } = require('./lambda-role');

/**
 * Organisation mode: reads the organisation report's summary and publishes one email.
 * @param {import('../deployment').Deployment} deployment
 */
function notifyOrganizationRole({ names }) {
  return lambdaRole({
    functionKey: 'notifyOrganization',
    names,
    statements: [
      {
        Sid: 'ReadOrganizationReports',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.organizationReports),
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

module.exports = { notifyOrganizationRole };
