'use strict';

const { bucketObjectsArn, memberRoleArns } = require('../names');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');
const { lambdaRole } = require('./lambda-role');

/**
 * Organisation mode: the only thing the scanMember role may do in IAM is assume the member role,
 * by its name, in any account; what it reads there is what the member role grants
 * (member-role/stale-iam-member-role.yml). It writes each account's report to the stack's bucket.
 * @param {import('../deployment').Deployment} deployment
 */
function scanMemberRole({ settings, names }) {
  return lambdaRole({
    functionKey: 'scanMember',
    names,
    statements: [
      {
        Sid: 'AssumeMemberRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: memberRoleArns(settings.memberRoleName),
      },
      {
        Sid: 'WriteReports',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.reports),
      },
    ],
  });
}

module.exports = { scanMemberRole };
