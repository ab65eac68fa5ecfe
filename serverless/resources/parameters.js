'use strict';

const { SETTINGS, ssmNameOf } = require('../../src/settings/table');

/**
 * The run-time settings operators change in SSM Parameter Store. CloudFormation writes `Value` on
 * create and whenever the template's value changes, so a redeploy keeps an operator's change
 * unless the deploy parameter behind it changed.
 * @param {import('../deployment').Deployment} deployment
 * @param {'thresholdDays' | 'remediationMode' | 'deactivateAccessKeys'} key
 * @param {{ value: string, example: string, description: string }} parameter
 */
function settingParameter({ names }, key, { value, example, description }) {
  const name = names.parameterName(ssmNameOf(key));
  return {
    Type: 'AWS::SSM::Parameter',
    Properties: {
      Name: name,
      Type: 'String',
      Value: value,
      Description:
        `stale-iam: ${description} ` +
        `Change it with: aws ssm put-parameter --name ${name} --value ${example} --type String --overwrite`,
    },
  };
}

/** @param {import('../deployment').Deployment} deployment */
function thresholdParameter(deployment) {
  return settingParameter(deployment, 'thresholdDays', {
    value: String(deployment.settings.thresholdDays),
    example: '60',
    description:
      'days without use after which a credential is stale (whole number, 1 to 3650). The next run uses ' +
      'a new value; a redeploy overwrites it only if the thresholdDaysDefault deploy parameter changes.',
  });
}

/** @param {import('../deployment').Deployment} deployment */
function remediationModeParameter(deployment) {
  return settingParameter(deployment, 'remediationMode', {
    value: SETTINGS.remediationMode.default,
    example: 'enforce',
    description: `remediation mode: ${SETTINGS.remediationMode.description}.`,
  });
}

/** @param {import('../deployment').Deployment} deployment */
function deactivateAccessKeysParameter(deployment) {
  return settingParameter(deployment, 'deactivateAccessKeys', {
    value: SETTINGS.deactivateAccessKeys.default,
    example: 'true',
    description: `when the mode is enforce, ${SETTINGS.deactivateAccessKeys.description}.`,
  });
}

module.exports = { thresholdParameter, remediationModeParameter, deactivateAccessKeysParameter };
