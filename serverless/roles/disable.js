'use strict';

const { IAM_USERS, iamUsersUnderPath } = require('../names');
const { EXEMPT_TAG_KEY } = require('../../src/settings/table');
const { lambdaRole } = require('./lambda-role');
const { keepAuditTrail, readLiveSettings, readReportVersions } = require('./remediation-statements');

/**
 * The only role that may remove a credential, and only the kinds this deployment removes:
 * `iam:UpdateAccessKey` (and the key reads of the re-check) exist only with
 * `accessKeyDeactivation=true`. IAM defines no condition key on UpdateAccessKey's `Status`, so the
 * role cannot be held to setting keys Inactive; the function only ever sends `Inactive`.
 *
 * Besides the allows, explicit denies keep it away from users tagged `stale-iam:exempt=true` and
 * from exempt IAM paths, whatever the function's code does: a second line of defence behind the
 * handler's own exemption check. (Exempt user names and groups cannot be expressed as IAM
 * conditions; the handler enforces those.) IAM compares the tag key of a user without regard to
 * case, and condition key names are not case-sensitive either, so the Deny matches
 * `Stale-IAM:Exempt` as the code does. The exempt path prefixes arrive normalised by the settings
 * table, the same normaliser the handler's check uses.
 * @param {import('../deployment').Deployment} deployment
 */
function disableRole(deployment) {
  const { settings, names } = deployment;
  const keys = settings.accessKeyDeactivation;
  const removeActions = ['iam:DeleteLoginProfile', ...(keys ? ['iam:UpdateAccessKey'] : [])];
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
  const recheck = [
    'iam:GetUser',
    'iam:GetLoginProfile',
    ...(keys ? ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'] : []),
    ...(settings.exemptGroupNames.length > 0 ? ['iam:ListGroupsForUser'] : []),
  ];
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
        // the others its login profile, and, when this deployment acts on them, its keys and their
        // last use, and its groups (for group exemptions).
        Sid: 'RecheckBeforeActing',
        Effect: 'Allow',
        Action: recheck,
        Resource: IAM_USERS,
      },
      {
        // The number of users in the account (SummaryMap.Users): a report listing more users than
        // exist has been padded, and its caps cannot be trusted. IAM defines no resource type for
        // this action (`*` only); it reveals counts and quotas, nothing about any one user.
        Sid: 'CountUsers',
        Effect: 'Allow',
        Action: ['iam:GetAccountSummary'],
        Resource: '*',
      },
      {
        // The account's credential report, read once per run: its password_last_changed is IAM's
        // only record of an administrator's password reset (LoginProfile.CreateDate is the
        // profile's creation). IAM defines no resource type for these actions (`*` only).
        Sid: 'ReadCredentialReport',
        Effect: 'Allow',
        Action: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
        Resource: '*',
      },
      readLiveSettings('disable', deployment),
      readReportVersions(),
      ...keepAuditTrail(deployment),
      ...denies,
    ],
  });
}

module.exports = { disableRole };
