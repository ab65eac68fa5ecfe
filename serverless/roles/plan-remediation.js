'use strict';

const { bucketObjectsArn } = require('../names');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');
const { lambdaRole } = require('./lambda-role');
const { lockAuditObjects, readLiveSettings, readReportVersions } = require('./remediation-statements');

/**
 * Organisation mode with remediation: reads the organisation report's summary and every completely
 * scanned account's report (at the version its scan wrote), the live settings, and writes the
 * run's plan under `audit/organization/` (never overwritten) and the accounts that may act under
 * `runs/` (the second map's items). Nothing in IAM or STS: it plans, members act.
 * @param {import('../deployment').Deployment} deployment
 */
function planRemediationRole(deployment) {
  return lambdaRole({
    functionKey: 'planRemediation',
    names: deployment.names,
    statements: [
      {
        Sid: 'ReadOrganizationReports',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.organizationReports),
      },
      readReportVersions(),
      readLiveSettings('planRemediation', deployment),
      {
        Sid: 'WritePlan',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.organizationAudit),
      },
      ...lockAuditObjects(deployment, BUCKET_PREFIXES.organizationAudit),
      {
        Sid: 'WriteRemediationAccounts',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.runs),
      },
    ],
  });
}

module.exports = { planRemediationRole };
