'use strict';

const { bucketObjectsArn } = require('../names');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');
const { lambdaRole } = require('./lambda-role');

/**
 * Organisation mode: reads the run's account lists and the map's results (`runs/`) and the
 * accounts' reports (`reports/`), and writes the organisation report (`reports/organization/`,
 * multipart: PutObject covers its parts; AbortMultipartUpload cleans up after a failure).
 * @param {import('../deployment').Deployment} deployment
 */
function rollupRole({ names }) {
  return lambdaRole({
    functionKey: 'rollup',
    names,
    statements: [
      {
        Sid: 'ReadRunAndReports',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [bucketObjectsArn(BUCKET_PREFIXES.runs), bucketObjectsArn(BUCKET_PREFIXES.reports)],
      },
      {
        Sid: 'WriteOrganizationReport',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.organizationReports),
      },
    ],
  });
}

module.exports = { rollupRole };
