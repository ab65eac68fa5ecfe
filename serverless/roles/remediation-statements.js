'use strict';

const { LOGICAL_IDS, bucketObjectsArn, parameterArn, ssmSettingsOf } = require('../names');
const { ssmNameOf } = require('../../src/settings/table');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');

/**
 * The statements every role of a remediation step shares (disable; in organisation mode
 * planRemediation and disableMember), written once so the three cannot drift apart.
 */

/**
 * The live settings the function reads on every invocation (threshold, mode, and the key switch
 * only when key deactivation is deployed).
 * @param {import('../names').FunctionKey} functionKey
 * @param {import('../deployment').Deployment} deployment
 * @returns {import('./lambda-role').PolicyStatement}
 */
function readLiveSettings(functionKey, { settings, names }) {
  return {
    Sid: 'ReadSettings',
    Effect: 'Allow',
    Action: ['ssm:GetParameters'],
    Resource: ssmSettingsOf(functionKey, settings).map((key) =>
      parameterArn(names.parameterName(ssmNameOf(key))),
    ),
  };
}

/**
 * Reports, always at the exact version the scan wrote (GetObject with VersionId needs only this action).
 * @returns {import('./lambda-role').PolicyStatement}
 */
function readReportVersions() {
  return {
    Sid: 'ReadReports',
    Effect: 'Allow',
    Action: ['s3:GetObjectVersion'],
    Resource: bucketObjectsArn(BUCKET_PREFIXES.reports),
  };
}

/**
 * Writing an object with a retention (Object Lock, governance mode) needs s3:PutObjectRetention
 * too, under the prefix the function writes its audit objects to.
 * @param {import('../deployment').Deployment} deployment
 * @param {string} prefix
 * @returns {import('./lambda-role').PolicyStatement[]}
 */
function lockAuditObjects({ settings }, prefix) {
  return settings.auditObjectLock
    ? [
        {
          Sid: 'LockAuditTrail',
          Effect: 'Allow',
          Action: ['s3:PutObjectRetention'],
          Resource: bucketObjectsArn(prefix),
        },
      ]
    : [];
}

/**
 * The write-ahead trail of a disable step: intents and outcomes, never overwritten
 * (If-None-Match: *); reading it back (and listing it) finds the intents of a run cut off before
 * their outcome.
 * @param {import('../deployment').Deployment} deployment
 * @returns {import('./lambda-role').PolicyStatement[]}
 */
function keepAuditTrail(deployment) {
  return [
    {
      Sid: 'WriteAuditTrail',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: bucketObjectsArn(BUCKET_PREFIXES.audit),
    },
    {
      Sid: 'ListAuditTrail',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: { 'Fn::GetAtt': [LOGICAL_IDS.bucket, 'Arn'] },
      Condition: { StringLike: { 's3:prefix': [`${BUCKET_PREFIXES.audit}*`] } },
    },
    ...lockAuditObjects(deployment, BUCKET_PREFIXES.audit),
  ];
}

module.exports = { readLiveSettings, readReportVersions, lockAuditObjects, keepAuditTrail };
