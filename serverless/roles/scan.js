'use strict';

const { FUNCTIONS, IAM_USERS, bucketObjectsArn, parameterArn } = require('../names');
const { ssmNameOf } = require('../../src/settings/table');
const { lambdaRole } = require('./lambda-role');

/**
 * The scan only reads. Exemptions (every user's path, tags and groups) come from one paged
 * GetAccountAuthorizationDetails call (Filter User), not from two calls per user. The scan reads
 * only the threshold from SSM, with or without remediation: what to do is the disable step's concern.
 * @param {import('../deployment').Deployment} deployment
 */
function scanRole({ settings, names }) {
  const readUsers =
    settings.scanSource === 'api'
      ? [
          {
            // No resource type in the IAM service authorization reference: `*` only.
            Sid: 'ListUsersAndReadExemptions',
            Effect: /** @type {const} */ ('Allow'),
            Action: ['iam:ListUsers', 'iam:GetAccountAuthorizationDetails'],
            Resource: '*',
          },
          {
            // GetUser tells a user deleted mid-scan from one without a password (see iam/reads.ts),
            // and from one GetAccountAuthorizationDetails lost (scanAccount's deletedOf).
            Sid: 'ReadUserCredentials',
            Effect: /** @type {const} */ ('Allow'),
            Action: ['iam:GetLoginProfile', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:GetUser'],
            Resource: IAM_USERS,
          },
        ]
      : [
          {
            // No resource type in the IAM service authorization reference: `*` only.
            Sid: 'ReadCredentialReportAndExemptions',
            Effect: /** @type {const} */ ('Allow'),
            Action: [
              'iam:GenerateCredentialReport',
              'iam:GetCredentialReport',
              'iam:GetAccountAuthorizationDetails',
            ],
            Resource: '*',
          },
          {
            // A user in the report (up to 4 hours old) but not in GetAccountAuthorizationDetails:
            // GetUser tells deleted since from lost (scanAccount's deletedOf).
            Sid: 'ConfirmDeletedUsers',
            Effect: /** @type {const} */ ('Allow'),
            Action: ['iam:GetUser'],
            Resource: IAM_USERS,
          },
        ];
  return lambdaRole({
    functionKey: 'scan',
    names,
    statements: [
      ...readUsers,
      {
        // @middy/ssm reads parameters with GetParameters (batches of up to 10 names).
        Sid: 'ReadSettings',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: FUNCTIONS.scan.ssm.map((key) => parameterArn(names.parameterName(ssmNameOf(key)))),
      },
      {
        Sid: 'WriteReports',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn('reports/'),
      },
    ],
  });
}

module.exports = { scanRole };
