'use strict';

/**
 * Names and ARNs that more than one builder uses, derived once, so a role's policy and the
 * resource it talks about cannot drift apart (e.g. the log group a role may write to and the
 * function that writes there), and the functions' timeouts, which the state machine's task
 * timeouts are derived from.
 */

const { BUCKET_PREFIXES } = require('../src/settings/bucket-layout');

const SERVICE = 'stale-iam';

/** @type {import('../src/settings/table').SettingKey[]} */
const EXEMPTIONS = ['exemptUserNames', 'exemptPathPrefixes', 'exemptGroupNames'];

/**
 * What every step that plans a remediation reads from its environment: the caps, the floor, whether
 * key deactivation is deployed, the audit trail's retention and lock.
 * @type {import('../src/settings/table').SettingKey[]}
 */
const PLAN_SETTINGS = [
  'maxActionsPerRun',
  'maxPercent',
  'minEnforceDays',
  'accessKeyDeactivation',
  'auditRetentionDays',
  'auditObjectLock',
];

/**
 * Read live from SSM, without a cache, on every invocation of those steps: the threshold (it must
 * equal the report's) and the two switches (dry-run takes effect on the very next run).
 * @type {import('../src/settings/table').SettingKey[]}
 */
const LIVE_REMEDIATION_SETTINGS = ['thresholdDays', 'remediationMode', 'deactivateAccessKeys'];

/**
 * The Lambda functions, by their key in `functions:`: handler, size, time limit, the settings each
 * reads from its environment, and those it reads live from SSM (its environment names the parameters). Which of them a deployment contains depends on its settings
 * (deployedFunctions below).
 * @type {Record<FunctionKey, {
 *   handler: string,
 *   timeout: number,
 *   memorySize: number,
 *   description: string,
 *   settings: import('../src/settings/table').SettingKey[],
 *   ssm: import('../src/settings/table').SettingKey[],
 * }>}
 */
const FUNCTIONS = {
  scan: {
    handler: 'src/functions/scan/handler.handler',
    timeout: 900,
    memorySize: 1024,
    description: 'Finds IAM users and credentials unused for N days; writes the report to S3',
    // Exempt users are reported as `exempt` with or without the disable step deployed. The scan
    // does not read the remediation mode: it reports, and only disable decides what to do.
    settings: ['scanSource', 'iamConcurrency', ...EXEMPTIONS],
    ssm: ['thresholdDays'],
  },
  notify: {
    handler: 'src/functions/notify/handler.handler',
    timeout: 60,
    memorySize: 256,
    description: 'Emails the operators one summary of the latest stale-iam report',
    settings: ['notifyLanguage', 'notifyWhenClean', 'warningDays'],
    ssm: [],
  },
  findings: {
    handler: 'src/functions/findings/handler.handler',
    // GetFindings and BatchImportFindings are paced (2/s and 5/s): 300 s covers some 10,000 findings.
    timeout: 300,
    memorySize: 256,
    description: 'Imports one Security Hub finding per stale credential; resolves those no longer stale',
    settings: [],
    ssm: [],
  },
  render: {
    handler: 'src/functions/render/handler.handler',
    timeout: 120,
    // CPU grows with memory; from 1,769 MB a function has one full vCPU, which keeps vega's cold
    // load (the largest bundle) near what `npm run bench` measures on one core. One run a day.
    memorySize: 1769,
    description: 'Writes the self-contained HTML report (charts, history, changes) beside each report',
    settings: [],
    ssm: [],
  },
  disable: {
    handler: 'src/functions/disable/handler.handler',
    timeout: 900,
    memorySize: 256,
    description: 'Removes stale console passwords (and, if switched on, deactivates stale keys)',
    settings: [...PLAN_SETTINGS, ...EXEMPTIONS],
    ssm: LIVE_REMEDIATION_SETTINGS,
  },
  // Organisation mode (accountScope=organization): these instead of scan, findings, disable and notify.
  discover: {
    handler: 'src/functions/discover/handler.handler',
    timeout: 300,
    memorySize: 256,
    description: "Lists the organization's active accounts to scan and writes the list to S3",
    settings: ['includeOrganizationalUnits', 'excludeAccounts'],
    // Read once per run and handed to every account: one threshold for the whole organisation.
    ssm: ['thresholdDays'],
  },
  scanMember: {
    handler: 'src/functions/scan-member/handler.handler',
    timeout: 900,
    memorySize: 1024,
    description:
      'Scans one member account through its member role; writes its report to S3; imports its Security Hub findings',
    // securityHub: each member's findings are imported there, through its member role.
    settings: ['memberRoleName', 'scanSource', 'iamConcurrency', 'securityHub', ...EXEMPTIONS],
    ssm: [],
  },
  rollup: {
    handler: 'src/functions/rollup/handler.handler',
    timeout: 900,
    // It holds one account's report at a time, as the scan does.
    memorySize: 1024,
    description: "Streams the organization report from the accounts' reports",
    settings: ['scanSource'],
    ssm: [],
  },
  // Organisation mode with remediation=true: planned after the roll-up, then one disableMember
  // per account that may act (a second Distributed Map).
  planRemediation: {
    handler: 'src/functions/plan-remediation/handler.handler',
    timeout: 900,
    // It holds one account's report at a time, as the roll-up does.
    memorySize: 1024,
    description:
      "Plans the remediation of every completely scanned account; enforces the organization's cap on actions",
    settings: [...PLAN_SETTINGS, 'maxActionsPerOrganization'],
    ssm: LIVE_REMEDIATION_SETTINGS,
  },
  disableMember: {
    handler: 'src/functions/disable-member/handler.handler',
    timeout: 900,
    memorySize: 256,
    description:
      'Removes stale console passwords in one member account through its remediation role, within the plan',
    settings: [...PLAN_SETTINGS, ...EXEMPTIONS, 'memberRemediationRoleName'],
    ssm: LIVE_REMEDIATION_SETTINGS,
  },
  notifyOrganization: {
    handler: 'src/functions/notify-organization/handler.handler',
    timeout: 60,
    memorySize: 256,
    description: 'Emails the operators one summary of the organization run',
    settings: ['notifyLanguage', 'notifyWhenClean', 'memberRoleName', 'memberRemediationRoleName'],
    ssm: [],
  },
};

/**
/**
 * The SSM settings a function of this deployment reads: the deactivate-access-keys switch exists
 * only when access-key deactivation is deployed (accessKeyDeactivation=true).
 * @param {FunctionKey} key
 * @param {import('../src/settings/table').SettingValues} settings
 * @returns {import('../src/settings/table').SettingKey[]}
 */
function ssmSettingsOf(key, settings) {
  return FUNCTIONS[key].ssm.filter((s) => s !== 'deactivateAccessKeys' || settings.accessKeyDeactivation);
}

/**
 * Who may write under each protected prefix of the report bucket, by function: the bucket policy
 * denies writes there to every other principal (the deployer keeps the bucket's administration).
 * Only the deployed ones count; a prefix without a deployed writer (audit/ without remediation) is
 * closed to everyone. A function that starts writing under one of these prefixes is added here.
 * @type {Readonly<Record<string, readonly FunctionKey[]>>}
 */
const BUCKET_WRITERS = Object.freeze({
  // The scan reports, the HTML page beside each (render), a member account's report (scanMember),
  // the organisation report under reports/organization/ (rollup).
  [BUCKET_PREFIXES.reports]: ['scan', 'render', 'scanMember', 'rollup'],
  // Within it, the organisation's reports (rollup) and their pages (render): no member scan can
  // write the summary the remediation plan is made from.
  [BUCKET_PREFIXES.organizationReports]: ['rollup', 'render'],
  // The disable step's trail (one account), the organisation's remediation plan under
  // audit/organization/ (planRemediation), each member's trail under audit/<member>/ (disableMember).
  [BUCKET_PREFIXES.audit]: ['disable', 'planRemediation', 'disableMember'],
  // Within it, the organisation's plans: only the plan step, so no member's disable step can write
  // the plan it is checked against.
  [BUCKET_PREFIXES.organizationAudit]: ['planRemediation'],
});

/**
 * @typedef {'scan' | 'notify' | 'disable' | 'findings' | 'render'
 *   | 'discover' | 'scanMember' | 'rollup' | 'planRemediation' | 'disableMember' | 'notifyOrganization'} FunctionKey
 */

/**
 * The functions a deployment with these settings contains, in the order the state machine runs them.
 * @param {import('../src/settings/table').SettingValues} settings
 * @returns {FunctionKey[]}
 */
function deployedFunctions(settings) {
  if (settings.accountScope === 'organization')
    return [
      'discover',
      'scanMember',
      'rollup',
      ...(settings.remediation ? /** @type {const} */ (['planRemediation', 'disableMember']) : []),
      'render',
      'notifyOrganization',
    ];
  return [
    'scan',
    ...(settings.securityHub ? /** @type {const} */ (['findings']) : []),
    ...(settings.remediation ? /** @type {const} */ (['disable']) : []),
    'render',
    'notify',
  ];
}

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
  /** @param {string} functionKey */
  roleOf: (functionKey) => `${capitalize(functionKey)}Role`,
  /**
   * The framework's own naming for `functions.<key>`: `<Key>LambdaFunction`.
   * @param {string} functionKey
   */
  lambdaOf: (functionKey) => `${capitalize(functionKey)}LambdaFunction`,
});

/**
 * Every stage-dependent name, as plain strings.
 * @param {string} stage
 */
function namesFor(stage) {
  /** @param {string} key */
  const functionName = (key) => `${SERVICE}-${stage}-${key}`;
  return {
    service: SERVICE,
    stage,
    stateMachineName: `${SERVICE}-${stage}`,
    functionName,
    /** @param {string} key */
    logGroupName: (key) => `/aws/lambda/${functionName(key)}`,
    /**
     * `/stale-iam/<stage>/<name>`: where the SSM parameter of a setting lives.
     * @param {string} name
     */
    parameterName: (name) => `/${SERVICE}/${stage}/${name}`,
  };
}

/** @typedef {ReturnType<typeof namesFor>} Names */

/**
 * `Fn::Sub` for an ARN in this account and region (`${AWS::...}` stays for CloudFormation). Only
 * for names this code controls: a `${` in the resource part would be read as a substitution.
 * @param {string} service
 * @param {string} resource
 * @param {{ region?: boolean, account?: boolean }} [where]
 */
function arn(service, resource, { region = true, account = true } = {}) {
  return {
    'Fn::Sub': `arn:\${AWS::Partition}:${service}:${region ? '${AWS::Region}' : ''}:${
      account ? '${AWS::AccountId}' : ''
    }:${resource}`,
  };
}

/**
 * ARN of an SSM parameter whose name starts with `/` (the ARN has no double slash).
 * @param {string} parameterName
 */
function parameterArn(parameterName) {
  return arn('ssm', `parameter${parameterName}`);
}

/**
 * `<bucket ARN>/<prefix>*<suffix>`, e.g. objects under `reports/`, or only the `.html` ones.
 * @param {string} prefix
 * @param {string} [suffix]
 */
function bucketObjectsArn(prefix, suffix = '') {
  return { 'Fn::Sub': `\${${LOGICAL_IDS.bucket}.Arn}/${prefix}*${suffix}` };
}

/**
 * The account's own Security Hub product, which findings are imported into (the product resource
 * of BatchImportFindings), and its hub (the resource of GetFindings). The runtime builds the same
 * product ARN in src/domain/findings/asff.ts (productArnOf); a test holds the two together.
 */
const SECURITY_HUB_DEFAULT_PRODUCT = arn('securityhub', 'product/${AWS::AccountId}/default');
const SECURITY_HUB = arn('securityhub', 'hub/default');

/** Every IAM user of the account. */
const IAM_USERS = arn('iam', 'user/*', { region: false });

/**
 * A role of this name in every account (`arn:<partition>:iam::*:role/<name>`): what the scanMember
 * role may assume (the member role), and the disableMember role (the member remediation role). The
 * name comes from the settings table's role-name parser (no `${`, `*` or `?`).
 * @param {string} roleName
 */
function memberRoleArns(roleName) {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/${roleName}` };
}

/**
 * IAM users under a path prefix (`/breakglass/` -> `...:user/breakglass/*`). Built with
 * `Fn::Join`, not `Fn::Sub`: an IAM path may contain `${`, which `Fn::Sub` would substitute. IAM
 * itself reads `${...}` in a Resource as a policy variable, so every `$` is written as IAM's literal
 * `${$}`: the pattern then means exactly the characters of the prefix. (`*` and `?`, IAM's
 * wildcards, are refused in a prefix by the settings' parser.)
 * @param {string} normalisedPrefix a prefix from the settings' path normaliser (`/.../`)
 */
function iamUsersUnderPath(normalisedPrefix) {
  const literal = normalisedPrefix.replace(/\$/g, () => '${$}');
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:user${literal}*`],
    ],
  };
}

/** @param {string} text */
function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

module.exports = {
  SERVICE,
  FUNCTIONS,
  deployedFunctions,
  ssmSettingsOf,
  BUCKET_WRITERS,
  LOGICAL_IDS,
  IAM_USERS,
  memberRoleArns,
  SECURITY_HUB_DEFAULT_PRODUCT,
  SECURITY_HUB,
  namesFor,
  arn,
  parameterArn,
  bucketObjectsArn,
  iamUsersUnderPath,
};
