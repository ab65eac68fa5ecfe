'use strict';

/**
 * Names and switches shared by the builders in this folder (functions, state machine, resources).
 *
 * serverless.yml loads each builder with `${file(./serverless/<name>.js)}`; the framework calls the
 * exported function with `{ options, resolveVariable }` ("Exporting a function" in the variables
 * docs of Serverless Framework v3/v4 and osls), so the builders read the same deploy parameters as
 * the YAML does and `--param name=value` overrides them everywhere.
 *
 * Every name is derived here once, so a role's policy and the resource it talks about cannot drift
 * apart (e.g. the log group a role may write to and the function that writes there).
 */

const SERVICE = 'stale-iam';

/** The three Lambda functions, by their key in `functions:`. */
const FUNCTION_KEYS = ['scan', 'notify', 'disable'];

/** Logical ids of the resources that more than one builder refers to. */
const LOGICAL_IDS = Object.freeze({
  topic: 'StaleIamTopic',
  subscription: 'StaleIamEmailSubscription',
  bucket: 'ReportBucket',
  bucketPolicy: 'ReportBucketPolicy',
  thresholdParameter: 'ThresholdDaysParameter',
  remediationModeParameter: 'RemediationModeParameter',
  deactivateAccessKeysParameter: 'DeactivateAccessKeysParameter',
  stateMachine: 'StaleIamStateMachine',
  stateMachineRole: 'StateMachineRole',
  hasEmailCondition: 'HasNotificationEmail',
  roleOf: (functionKey) => `${capitalize(functionKey)}Role`,
  // The framework's own naming for `functions.<key>`: `<Key>LambdaFunction`.
  lambdaOf: (functionKey) => `${capitalize(functionKey)}LambdaFunction`,
});

/** `true`/`false` from a deploy parameter; anything else is a typo we refuse to guess about. */
function parseSwitch(name, raw) {
  const text = String(raw).trim().toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  throw new Error(`the deploy parameter "${name}" must be true or false, got "${raw}"`);
}

/** The scan's source of user data; each needs different IAM reads, so the role follows it. */
const SCAN_SOURCES = ['credential-report', 'api'];

function parseChoice(name, raw, choices) {
  const text = String(raw).trim();
  if (choices.includes(text)) return text;
  throw new Error(`the deploy parameter "${name}" must be one of ${choices.join(', ')}, got "${raw}"`);
}

function wholeNumber(name, raw, min, max) {
  const text = String(raw).trim();
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `the deploy parameter "${name}" must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

/**
 * What the builders need to know about this deployment.
 * @param {(address: string) => Promise<unknown>} resolveVariable
 */
async function readSettings(resolveVariable) {
  const stage = String(await resolveVariable('sls:stage'));
  const remediation = parseSwitch('remediation', await resolveVariable('param:remediation'));
  const scanSource = parseChoice('scanSource', await resolveVariable('param:scanSource'), SCAN_SOURCES);
  return { stage, remediation, scanSource, ...namesFor(stage) };
}

/** Every stage-dependent name, as plain strings. */
function namesFor(stage) {
  const functionName = (key) => `${SERVICE}-${stage}-${key}`;
  return {
    service: SERVICE,
    stateMachineName: `${SERVICE}-${stage}`,
    functionName,
    logGroupName: (key) => `/aws/lambda/${functionName(key)}`,
    parameterNames: {
      thresholdDays: `/${SERVICE}/${stage}/threshold-days`,
      remediationMode: `/${SERVICE}/${stage}/remediation-mode`,
      deactivateAccessKeys: `/${SERVICE}/${stage}/deactivate-access-keys`,
    },
  };
}

/** `Fn::Sub` for an ARN in this account and region (`${AWS::...}` stays for CloudFormation). */
function arn(service, resource, { region = true, account = true } = {}) {
  return {
    'Fn::Sub': `arn:\${AWS::Partition}:${service}:${region ? '${AWS::Region}' : ''}:${
      account ? '${AWS::AccountId}' : ''
    }:${resource}`,
  };
}

/** ARN of an SSM parameter whose name starts with `/` (the ARN has no double slash). */
function parameterArn(parameterName) {
  return arn('ssm', `parameter${parameterName}`);
}

/** `<bucket ARN>/<prefix>*`, e.g. objects under `reports/`. */
function bucketObjectsArn(prefix) {
  return { 'Fn::Sub': `\${${LOGICAL_IDS.bucket}.Arn}/${prefix}*` };
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

module.exports = {
  SERVICE,
  FUNCTION_KEYS,
  LOGICAL_IDS,
  readSettings,
  namesFor,
  parseSwitch,
  wholeNumber,
  arn,
  parameterArn,
  bucketObjectsArn,
};
