'use strict';

const { bucketObjectsArn, memberRoleArns } = require('../names');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');
const { lambdaRole } = require('./lambda-role');
const { keepAuditTrail, readLiveSettings, readReportVersions } = require('./remediation-statements');

/**
 * Organisation mode with remediation: the only role that may assume the member remediation role
 * (by its name, in any account: member-role/stale-iam-member-remediation-role.yml trusts this role
 * only). What it may do in an account is what that role grants, guarded there by its own Denies;
 * here it has no IAM permission of its own. It reads the live settings, the report at the version
 * the scan wrote and the run's plan at the version the plan step wrote, and keeps each member's
 * write-ahead trail under `audit/<account>/` (the bucket policy keeps it out of audit/organization/).
 * @param {import('../deployment').Deployment} deployment
 */
function disableMemberRole(deployment) {
  return lambdaRole({
    functionKey: 'disableMember',
    names: deployment.names,
    statements: [
      {
        Sid: 'AssumeMemberRemediationRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: memberRoleArns(deployment.settings.memberRemediationRoleName),
      },
      readLiveSettings('disableMember', deployment),
      readReportVersions(),
      {
        Sid: 'ReadPlan',
        Effect: 'Allow',
        Action: ['s3:GetObjectVersion'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.organizationAudit),
      },
      ...keepAuditTrail(deployment),
    ],
  });
}

module.exports = { disableMemberRole };
