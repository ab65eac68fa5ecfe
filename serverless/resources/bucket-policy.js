'use strict';

const { BUCKET_WRITERS, LOGICAL_IDS, bucketObjectsArn, deployedFunctions } = require('../names');

/** What changes an object's content or how long it is kept. */
const WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'];
/** What removes an object or one of its versions. */
const DELETE_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

/**
 * The report bucket's policy, which holds for every principal of every account whatever its own
 * IAM policies say:
 * - TLS only;
 * - under each prefix of BUCKET_WRITERS (serverless/names.js), writes only by the roles of its
 *   writers (`aws:PrincipalArn` is the role's ARN for any session of that role): nobody else can
 *   put a report the disable step would act on, or an audit line it did not write;
 * - no deletion of a report or audit object, or of any of their versions, by anyone: they expire
 *   by the lifecycle rules alone (S3 applies those without a request, so this policy does not
 *   stop them).
 * Bucket administration is not denied: the deployer can still change or delete this policy (and
 * must, to empty the bucket by hand; see docs/deploy.md).
 * @param {import('../deployment').Deployment} deployment
 */
function reportBucketPolicy({ settings }) {
  const bucketArn = { 'Fn::GetAtt': [LOGICAL_IDS.bucket, 'Arn'] };
  const deployed = deployedFunctions(settings);
  const writerStatements = Object.entries(BUCKET_WRITERS).map(([prefix, writers]) => {
    const roles = writers
      .filter((key) => deployed.includes(key))
      .map((key) => ({ 'Fn::GetAtt': [LOGICAL_IDS.roleOf(key), 'Arn'] }));
    return {
      Sid: `OnlyItsWritersWrite${sidPart(prefix)}`,
      Effect: 'Deny',
      Principal: '*',
      Action: WRITE_ACTIONS,
      Resource: bucketObjectsArn(prefix),
      // Without a deployed writer the prefix is closed to every principal.
      ...(roles.length > 0 ? { Condition: { ArnNotEquals: { 'aws:PrincipalArn': roles } } } : {}),
    };
  });
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
            Resource: [bucketArn, bucketObjectsArn('')],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          ...writerStatements,
          {
            Sid: 'NobodyDeletesReportsOrAuditLines',
            Effect: 'Deny',
            Principal: '*',
            Action: DELETE_ACTIONS,
            Resource: Object.keys(BUCKET_WRITERS).map((prefix) => bucketObjectsArn(prefix)),
          },
        ],
      },
    },
  };
}

/** `reports/` -> `Reports`, `audit/organization/` -> `AuditOrganization` (a Sid is letters and digits only). @param {string} prefix */
function sidPart(prefix) {
  return prefix
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

module.exports = { reportBucketPolicy, WRITE_ACTIONS, DELETE_ACTIONS };
