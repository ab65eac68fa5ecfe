'use strict';

const { LOGICAL_IDS, bucketObjectsArn } = require('../names');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');
const { lambdaRole } = require('./lambda-role');

/**
 * Organisation mode: reads the organisation report's summary and publishes one email; with
 * remediation, it also reads the run's plan (at the version the plan step wrote) and the remediation
 * map's results, to say what each account did.
 * @param {import('../deployment').Deployment} deployment
 */
function notifyOrganizationRole({ settings, names }) {
  /** @type {import('./lambda-role').PolicyStatement[]} */
  const remediation = settings.remediation
    ? [
        {
          Sid: 'ReadRemediationPlan',
          Effect: 'Allow',
          Action: ['s3:GetObjectVersion'],
          Resource: bucketObjectsArn(BUCKET_PREFIXES.organizationAudit),
        },
        {
          Sid: 'ReadRemediationResults',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: bucketObjectsArn(`${BUCKET_PREFIXES.mapResults}/`),
        },
      ]
    : [];
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
      ...remediation,
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
