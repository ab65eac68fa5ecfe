'use strict';

/**
 * `resources:` for serverless.yml: the operators' topic, the report bucket, the run-time settings in
 * SSM Parameter Store, and one least-privilege role per function plus one for the state machine.
 *
 * With `--param remediation=false` (the default) nothing here can remove or deactivate a
 * credential: the disable role and the remediation parameters are not generated at all.
 */

const { LOGICAL_IDS, deployedFunctions } = require('./names');
const { ssmNameOf } = require('../src/settings/table');
const { readDeployment } = require('./deployment');
const { reportBucket } = require('./resources/bucket');
const { reportBucketPolicy } = require('./resources/bucket-policy');
const { topic, emailSubscription } = require('./resources/topic');
const {
  thresholdParameter,
  remediationModeParameter,
  deactivateAccessKeysParameter,
} = require('./resources/parameters');
const { scanRole } = require('./roles/scan');
const { notifyRole } = require('./roles/notify');
const { renderRole } = require('./roles/render');
const { disableRole } = require('./roles/disable');
const { findingsRole } = require('./roles/findings');
const { stateMachineRole } = require('./roles/state-machine');
const { discoverRole } = require('./roles/discover');
const { scanMemberRole } = require('./roles/scan-member');
const { rollupRole } = require('./roles/rollup');
const { notifyOrganizationRole } = require('./roles/notify-organization');
const { planRemediationRole } = require('./roles/plan-remediation');
const { disableMemberRole } = require('./roles/disable-member');

/** Each function's role, by function key: a deployment has the roles of its functions only. */
const ROLES = {
  scan: scanRole,
  notify: notifyRole,
  disable: disableRole,
  findings: findingsRole,
  render: renderRole,
  discover: discoverRole,
  scanMember: scanMemberRole,
  rollup: rollupRole,
  planRemediation: planRemediationRole,
  disableMember: disableMemberRole,
  notifyOrganization: notifyOrganizationRole,
};

/** @param {import('./deployment').FrameworkContext} context */
module.exports = async (context) => {
  const deployment = await readDeployment(context);

  /** @type {Record<string, object>} */
  const Resources = {
    [LOGICAL_IDS.topic]: topic(deployment),
    [LOGICAL_IDS.subscription]: emailSubscription(deployment),
    [LOGICAL_IDS.bucket]: reportBucket(deployment),
    [LOGICAL_IDS.bucketPolicy]: reportBucketPolicy(deployment),
    [LOGICAL_IDS.thresholdParameter]: thresholdParameter(deployment),
    [LOGICAL_IDS.stateMachineRole]: stateMachineRole(deployment),
  };
  for (const key of deployedFunctions(deployment.settings)) {
    Resources[LOGICAL_IDS.roleOf(key)] = ROLES[key](deployment);
  }

  if (deployment.settings.remediation) {
    Resources[LOGICAL_IDS.remediationModeParameter] = remediationModeParameter(deployment);
    if (deployment.settings.accessKeyDeactivation) {
      Resources[LOGICAL_IDS.deactivateAccessKeysParameter] = deactivateAccessKeysParameter(deployment);
    }
  }

  return {
    Conditions: {
      [LOGICAL_IDS.hasEmailCondition]: {
        'Fn::Not': [{ 'Fn::Equals': [deployment.settings.notificationEmail, ''] }],
      },
    },
    Resources,
    Outputs: {
      ReportBucketName: {
        Description: 'S3 bucket with the reports (reports/) and the remediation audit trail (audit/)',
        Value: { Ref: LOGICAL_IDS.bucket },
      },
      NotificationTopicArn: {
        Description: 'SNS topic the operators subscribe to (reports and failure alerts)',
        Value: { Ref: LOGICAL_IDS.topic },
      },
      ThresholdDaysParameterName: {
        Description: 'SSM parameter holding the threshold in days',
        Value: deployment.names.parameterName(ssmNameOf('thresholdDays')),
      },
      ...(deployment.settings.accountScope === 'organization'
        ? {
            ScanMemberRoleArn: {
              Description:
                'The role every member role must trust: the ScanRoleArn parameter of member-role/stale-iam-member-role.yml',
              Value: { 'Fn::GetAtt': [LOGICAL_IDS.roleOf('scanMember'), 'Arn'] },
            },
          }
        : {}),
      ...(deployment.settings.accountScope === 'organization' && deployment.settings.remediation
        ? {
            DisableMemberRoleArn: {
              Description:
                'The role every member remediation role must trust: the RemediationRoleArn parameter of member-role/stale-iam-member-remediation-role.yml',
              Value: { 'Fn::GetAtt': [LOGICAL_IDS.roleOf('disableMember'), 'Arn'] },
            },
          }
        : {}),
    },
  };
};
