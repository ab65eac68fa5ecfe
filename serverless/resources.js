'use strict';

/**
 * `resources:` for serverless.yml: the operators' topic, the report bucket, the run-time settings in
 * SSM Parameter Store, and one least-privilege role per function plus one for the state machine.
 *
 * With `--param remediation=false` (the default) nothing here can remove or deactivate a
 * credential: the disable role and the remediation parameters are not generated at all.
 */

const { LOGICAL_IDS } = require('./names');
const { ssmNameOf } = require('../src/settings/table');
const { readDeployment } = require('./deployment');
const { reportBucket, tlsOnlyBucketPolicy } = require('./resources/bucket');
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

/** @param {import('./deployment').FrameworkContext} context */
module.exports = async (context) => {
  const deployment = await readDeployment(context);

  /** @type {Record<string, object>} */
  const Resources = {
    [LOGICAL_IDS.topic]: topic(deployment),
    [LOGICAL_IDS.subscription]: emailSubscription(deployment),
    [LOGICAL_IDS.bucket]: reportBucket(deployment),
    [LOGICAL_IDS.bucketPolicy]: tlsOnlyBucketPolicy(),
    [LOGICAL_IDS.thresholdParameter]: thresholdParameter(deployment),
    [LOGICAL_IDS.roleOf('scan')]: scanRole(deployment),
    [LOGICAL_IDS.roleOf('notify')]: notifyRole(deployment),
    [LOGICAL_IDS.roleOf('render')]: renderRole(deployment),
    [LOGICAL_IDS.stateMachineRole]: stateMachineRole(deployment),
  };

  if (deployment.settings.securityHub) {
    Resources[LOGICAL_IDS.roleOf('findings')] = findingsRole(deployment);
  }

  if (deployment.settings.remediation) {
    Resources[LOGICAL_IDS.remediationModeParameter] = remediationModeParameter(deployment);
    Resources[LOGICAL_IDS.deactivateAccessKeysParameter] = deactivateAccessKeysParameter(deployment);
    Resources[LOGICAL_IDS.roleOf('disable')] = disableRole(deployment);
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
    },
  };
};
