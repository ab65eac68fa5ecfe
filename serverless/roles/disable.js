'use strict';

const { FUNCTIONS, IAM_USERS, bucketObjectsArn, iamUsersUnderPath, parameterArn } = require('../names');
const { EXEMPT_TAG_KEY, ssmNameOf } = require('../../src/settings/table');
const { lambdaRole, readReports } = require('./lambda-role');

/**
 * The only role that may remove a credential. Besides the allows, explicit denies keep it away from
 * users tagged `stale-iam:exempt=true` and from exempt IAM paths, whatever the function's code does:
 * a second line of defence behind the handler's own exemption check. (Exempt user names and groups
 * cannot be expressed as IAM conditions; the handler enforces those.) The exempt path prefixes
 * arrive normalised by the settings table, the same normaliser the handler's check uses.
 * @param {import('../deployment').Deployment} deployment
 */
function disableRole({ settings, names }) {
  const removeActions = ['iam:DeleteLoginProfile', 'iam:UpdateAccessKey'];
  /** @type {import('./lambda-role').PolicyStatement[]} */
  const denies = [
    {
      Sid: 'NeverTouchTaggedExemptUsers',
      Effect: 'Deny',
      Action: removeActions,
      Resource: IAM_USERS,
      Condition: { StringEqualsIgnoreCase: { [`aws:ResourceTag/${EXEMPT_TAG_KEY}`]: 'true' } },
    },
  ];
  if (settings.exemptPathPrefixes.length > 0) {
    denies.push({
      Sid: 'NeverTouchExemptPaths',
      Effect: 'Deny',
      Action: removeActions,
      Resource: settings.exemptPathPrefixes.map(iamUsersUnderPath),
    });
  }
  return lambdaRole({
    functionKey: 'disable',
    names,
    statements: [
      {
        Sid: 'RemoveStaleCredentials',
        Effect: 'Allow',
        Action: removeActions,
        Resource: IAM_USERS,
      },
      {
        // The live re-check of each planned user: GetUser returns its path, tags and PasswordLastUsed;
        // the others its login profile, keys and their last use, and its groups (for exemptions).
        Sid: 'RecheckBeforeActing',
        Effect: 'Allow',
        Action: [
          'iam:GetUser',
          'iam:GetLoginProfile',
          'iam:ListAccessKeys',
          'iam:GetAccessKeyLastUsed',
          'iam:ListGroupsForUser',
        ],
        Resource: IAM_USERS,
      },
      {
        Sid: 'ReadSettings',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: FUNCTIONS.disable.ssm.map((key) => parameterArn(names.parameterName(ssmNameOf(key)))),
      },
      readReports(),
      {
        Sid: 'WriteAuditTrail',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn('audit/'),
      },
      ...denies,
    ],
  });
}

module.exports = { disableRole };
