'use strict';

const { FUNCTIONS, bucketObjectsArn, parameterArn } = require('../names');
const { ssmNameOf } = require('../../src/settings/table');
const { BUCKET_PREFIXES } = require('../../src/settings/bucket-layout');
const { lambdaRole } = require('./lambda-role');

/**
 * Organisation mode: lists the organisation's accounts (ListAccounts, or only the included OUs'
 * accounts and OUs when includeOrganizationalUnits is set, never both), reads the threshold once for
 * the run, and writes the account lists under `runs/`. Organizations' list actions are granted on
 * `*`, as AWS's own delegation examples do: the caller sees the whole organisation or nothing.
 * @param {import('../deployment').Deployment} deployment
 */
function discoverRole({ settings, names }) {
  const listActions =
    settings.includeOrganizationalUnits.length > 0
      ? ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent']
      : ['organizations:ListAccounts'];
  return lambdaRole({
    functionKey: 'discover',
    names,
    statements: [
      { Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: listActions, Resource: '*' },
      {
        Sid: 'ReadSettings',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: FUNCTIONS.discover.ssm.map((key) => parameterArn(names.parameterName(ssmNameOf(key)))),
      },
      {
        Sid: 'WriteAccountLists',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn(BUCKET_PREFIXES.runs),
      },
    ],
  });
}

module.exports = { discoverRole };
