'use strict';

const { LOGICAL_IDS } = require('../names');

/**
 * Reports (and the remediation audit trail) outlive the stack: `Retain`, so removing the stack
 * leaves the bucket and its contents; delete it by hand when the audit trail is no longer needed.
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
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-reports-and-audit',
            Status: 'Enabled',
            ExpirationInDays: settings.reportRetentionDays,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    },
  };
}

function tlsOnlyBucketPolicy() {
  const bucketArn = { 'Fn::GetAtt': [LOGICAL_IDS.bucket, 'Arn'] };
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: LOGICAL_IDS.bucket },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucketArn, { 'Fn::Sub': `\${${LOGICAL_IDS.bucket}.Arn}/*` }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  };
}

module.exports = { reportBucket, tlsOnlyBucketPolicy };
