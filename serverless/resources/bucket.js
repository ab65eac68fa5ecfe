'use strict';

const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');

/**
 * How long a version of a report or audit object is kept once it is no longer the current one
 * (overwritten, or expired by the rules below): long enough to see what replaced it, short enough
 * that an expired object is really gone a month later.
 */
const NONCURRENT_DAYS = 30;

/**
 * The report bucket: reports under `reports/` (and what an organisation run hands between its steps
 * under `runs/`, the HTML report's history under `history/`) kept `reportRetentionDays`, the
 * remediation audit trail under `audit/` kept `auditRetentionDays` (it outlives the reports it was
 * made from). One rule per top-level prefix: overlapping rules would let the shorter expiry win, so
 * a prefix added to the bucket layout gets its own rule here. Versioned, so the
 * disable step reads exactly the version the scan wrote. With `auditObjectLock=true`, S3 Object
 * Lock is turned on for the bucket, with no default retention: the disable step puts each audit
 * object in governance mode itself, and reports stay unlocked.
 *
 * Reports (and the audit trail) outlive the stack: `Retain`, so removing the stack leaves the bucket
 * and its contents; delete it by hand when the audit trail is no longer needed.
 * @param {import('../deployment').Deployment} deployment
 */
function reportBucket({ settings }) {
  return {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      ...(settings.auditObjectLock
        ? { ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }
        : {}),
      LifecycleConfiguration: {
        Rules: [
          expiry('expire-reports', BUCKET_PREFIXES.reports, settings.reportRetentionDays),
          expiry('expire-runs', BUCKET_PREFIXES.runs, settings.reportRetentionDays),
          expiry('expire-history', BUCKET_PREFIXES.history, settings.reportRetentionDays),
          expiry('expire-audit-trail', BUCKET_PREFIXES.audit, settings.auditRetentionDays),
        ],
      },
    },
  };
}

/**
 * One prefix's lifecycle: the current version expires after `days` (S3 then removes the delete
 * marker it leaves once no version remains), older versions NONCURRENT_DAYS after they stop being
 * current.
 * @param {string} id
 * @param {string} prefix
 * @param {number} days
 */
function expiry(id, prefix, days) {
  return {
    Id: id,
    Status: 'Enabled',
    Prefix: prefix,
    ExpirationInDays: days,
    NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_DAYS },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
  };
}

module.exports = { reportBucket, NONCURRENT_DAYS };
