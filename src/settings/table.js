'use strict';

/**
 * Every setting of stale-iam, once: its deploy parameter (`--param name=value`), the environment
 * variable the functions read it from, the SSM parameter that holds its live value where it has
 * one, its default and its parser. Packaging (`serverless/*.js`) validates every deploy parameter
 * through this table; the functions parse their environment through the same parsers; docs and
 * `.env.example` are checked against it by tests.
 */

const parsers = require('./parsers');

const { InvalidConfigError, wholeNumber, choice, boolean } = parsers;

/**
 * @template T
 * @typedef {object} Setting
 * @property {string | null} param deploy parameter, or null for a setting only changed in SSM
 * @property {string | null} env environment variable the functions read the value from
 * @property {{ name: string, nameEnv: string } | null} ssm the SSM parameter holding the live value:
 *   its name under `/stale-iam/<stage>/`, and the environment variable that tells the function that name
 * @property {string} default as an operator would write it
 * @property {import('./parsers').Parser<T>} parse
 * @property {(value: T) => string} format the value as an environment variable or SSM parameter holds it
 * @property {string} description one line for the docs
 * @property {{ min: number, max: number } | null} range for whole numbers: the range the parser allows
 */

/**
 * @template T
 * @param {Omit<Setting<T>, 'format' | 'env' | 'ssm' | 'range'> & Partial<Pick<Setting<T>, 'format' | 'env' | 'ssm' | 'range'>>} spec
 * @returns {Setting<T>}
 */
function define(spec) {
  return {
    env: null,
    ssm: null,
    range: null,
    format: (value) => (Array.isArray(value) ? JSON.stringify(value) : String(value)),
    ...spec,
  };
}

/** Users tagged `stale-iam:exempt` = `true` are never touched (and the disable role's IAM Deny says so too). */
const EXEMPT_TAG_KEY = 'stale-iam:exempt';

/**
 * A whole number from `min` to `max`: its parser, and the range for usage texts.
 * @param {number} min
 * @param {number} max
 */
function inRange(min, max) {
  return { range: { min, max }, parse: wholeNumber(min, max) };
}

/** Powertools Logger's levels. */
const LOG_LEVELS = /** @type {const} */ (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']);

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const SCAN_SOURCES = /** @type {const} */ (['credential-report', 'api']);
const NOTIFY_LANGUAGES = /** @type {const} */ (['en', 'ja']);
const REMEDIATION_MODES = /** @type {const} */ (['dry-run', 'enforce']);
const ACCOUNT_SCOPES = /** @type {const} */ (['account', 'organization']);

const SETTINGS = {
  scheduleExpression: define({
    param: 'scheduleExpression',
    default: 'cron(0 0 * * ? *)',
    parse: parsers.scheduleExpression,
    description: 'EventBridge schedule of the runs, in UTC (default: daily 00:00 UTC, 09:00 in Japan)',
  }),
  notificationEmail: define({
    param: 'notificationEmail',
    default: '',
    parse: parsers.emailOrEmpty,
    description: "the operators' email address, subscribed to the topic; empty = subscribe yourself",
  }),
  reportRetentionDays: define({
    param: 'reportRetentionDays',
    default: '400',
    ...inRange(1, 3650),
    description:
      'days before reports under reports/ (and the run history) expire; the audit trail has auditRetentionDays',
  }),
  thresholdDays: define({
    param: 'thresholdDaysDefault',
    ssm: { name: 'threshold-days', nameEnv: 'THRESHOLD_DAYS_PARAMETER' },
    default: '90',
    ...inRange(1, 3650),
    description:
      'days without use after which a credential is stale; the SSM parameter is created with this value and operators change it there',
  }),
  scanSource: define({
    param: 'scanSource',
    env: 'SCAN_SOURCE',
    default: 'credential-report',
    parse: choice(SCAN_SOURCES),
    description:
      'where the scan reads users: credential-report (a few IAM calls for the whole account, up to 4 hours old) or api (exact and current, 2 to 4 calls per user)',
  }),
  iamConcurrency: define({
    param: 'iamConcurrency',
    env: 'IAM_CONCURRENCY',
    default: '8',
    ...inRange(1, 32),
    description: 'users the api source reads in parallel; more only earns Throttling',
  }),
  remediation: define({
    param: 'remediation',
    default: 'false',
    parse: boolean,
    description:
      'true adds the disable step, its function, role and SSM switches (in organisation mode the plan and member disable steps, see docs/organization.md); false: none of them exist',
  }),
  securityHub: define({
    param: 'securityHub',
    // Only organisation mode's scanMember reads it (it imports each member's findings itself); a
    // single-account deployment has a findings function or not.
    env: 'SECURITY_HUB',
    default: 'false',
    parse: boolean,
    description:
      "true adds the findings step, its function and role (in organisation mode each member scan imports its account's findings through the member role instead, see docs/organization.md): one Security Hub finding per stale credential, resolved once it is no longer stale; false: none of them exist",
  }),
  remediationMode: define({
    param: null,
    ssm: { name: 'remediation-mode', nameEnv: 'REMEDIATION_MODE_PARAMETER' },
    default: 'dry-run',
    parse: choice(REMEDIATION_MODES),
    description:
      'dry-run (report what would be done) or enforce (remove stale console passwords within the caps)',
  }),
  deactivateAccessKeys: define({
    param: null,
    ssm: { name: 'deactivate-access-keys', nameEnv: 'DEACTIVATE_ACCESS_KEYS_PARAMETER' },
    default: 'false',
    parse: boolean,
    description: 'true also sets stale active access keys to Inactive (reversible)',
  }),
  maxActionsPerRun: define({
    param: 'maxActionsPerRun',
    env: 'MAX_ACTIONS',
    default: '10',
    ...inRange(0, 10_000),
    description: 'disable: a plan with more actions than this is refused whole',
  }),
  maxPercent: define({
    param: 'maxPercent',
    env: 'MAX_PERCENT',
    default: '20',
    ...inRange(0, 100),
    description:
      'disable: a plan that takes a credential from more of its holders than this percent (or, in a small account, than a few and never more than half) is refused whole; 0 refuses every plan that acts',
  }),
  minEnforceDays: define({
    param: 'minEnforceDays',
    env: 'MIN_ENFORCE_DAYS',
    default: '30',
    ...inRange(1, 3650),
    description:
      'disable: with a threshold under this many days an enforcing run acts on nothing and says so (a dry run still reports)',
  }),
  accessKeyDeactivation: define({
    param: 'accessKeyDeactivation',
    env: 'ACCESS_KEY_DEACTIVATION',
    default: 'false',
    parse: boolean,
    description:
      'true lets the disable step deactivate stale access keys: its role gets iam:UpdateAccessKey and the deactivate-access-keys SSM switch is created (off); false: neither exists',
  }),
  auditRetentionDays: define({
    param: 'auditRetentionDays',
    env: 'AUDIT_RETENTION_DAYS',
    default: '1827',
    ...inRange(1, 36500),
    description:
      'days before the remediation audit trail under audit/ expires; at least reportRetentionDays (default 5 years)',
  }),
  auditObjectLock: define({
    param: 'auditObjectLock',
    env: 'AUDIT_OBJECT_LOCK',
    default: 'false',
    parse: boolean,
    description:
      'true turns on S3 Object Lock for the report bucket and writes every audit object in governance mode, retained auditRetentionDays days; it can never be turned off again',
  }),
  exemptUserNames: define({
    param: 'exemptUserNames',
    env: 'EXEMPT_USER_NAMES',
    default: '',
    parse: parsers.userNames,
    description: 'JSON array of user names never touched, e.g. ["breakglass","ops-oncall"] (any letter case)',
  }),
  exemptPathPrefixes: define({
    param: 'exemptPathPrefixes',
    env: 'EXEMPT_PATH_PREFIXES',
    default: '',
    parse: parsers.pathPrefixes,
    description: 'JSON array of IAM paths whose users are never touched, e.g. ["/breakglass/"]',
  }),
  exemptGroupNames: define({
    param: 'exemptGroupNames',
    env: 'EXEMPT_GROUP_NAMES',
    default: '',
    parse: parsers.groupNames,
    description: 'JSON array of groups whose members are never touched, e.g. ["admins"] (any letter case)',
  }),
  accountScope: define({
    param: 'accountScope',
    default: 'account',
    parse: choice(ACCOUNT_SCOPES),
    description:
      'account: scan the account the stack is deployed in; organization: scan every active account of the AWS Organization, from the management account or a delegated administrator (docs/organization.md)',
  }),
  memberRoleName: define({
    param: 'memberRoleName',
    env: 'MEMBER_ROLE_NAME',
    default: 'stale-iam-member',
    parse: parsers.roleName,
    description:
      'organization: the role the scan assumes in every member account (member-role/stale-iam-member-role.yml creates it)',
  }),
  memberRemediationRoleName: define({
    param: 'memberRemediationRoleName',
    env: 'MEMBER_REMEDIATION_ROLE_NAME',
    default: 'stale-iam-member-remediation',
    parse: parsers.roleName,
    description:
      'organization with remediation: the role the disable step assumes in every member account that opts in (member-role/stale-iam-member-remediation-role.yml creates it)',
  }),
  maxActionsPerOrganization: define({
    param: 'maxActionsPerOrganization',
    env: 'MAX_ACTIONS_PER_ORGANIZATION',
    default: '50',
    ...inRange(0, 100_000),
    description:
      'organization with remediation: a run whose plans add up to more actions than this, over every account, is refused whole (no account acts); 0 refuses every run that would act',
  }),
  accountConcurrency: define({
    param: 'accountConcurrency',
    default: '10',
    // Each account is one Lambda invocation at a time; 1,000 is Lambda's default concurrency per Region.
    ...inRange(1, 1000),
    description: "organization: accounts scanned at the same time (the Distributed Map's MaxConcurrency)",
  }),
  includeOrganizationalUnits: define({
    param: 'includeOrganizationalUnits',
    env: 'INCLUDE_ORGANIZATIONAL_UNITS',
    default: '',
    parse: parsers.organizationalUnitIds,
    description:
      'organization: JSON array of OU (or root) ids whose accounts, at any depth, are scanned, e.g. ["ou-ab12-cd34ef56"]; empty = every account',
  }),
  excludeAccounts: define({
    param: 'excludeAccounts',
    env: 'EXCLUDE_ACCOUNTS',
    default: '',
    parse: parsers.accountIds,
    description: 'organization: JSON array of account ids never scanned, e.g. ["111122223333"]',
  }),
  logLevel: define({
    param: 'logLevel',
    env: 'POWERTOOLS_LOG_LEVEL',
    default: 'INFO',
    parse: choice(LOG_LEVELS),
    description: `Powertools log level of the functions (${LOG_LEVELS.join(', ')})`,
  }),
  logRetentionDays: define({
    param: 'logRetentionDays',
    default: '90',
    parse: (raw, label) => {
      const days = wholeNumber(1, 3653)(raw, label);
      if (!LOG_RETENTION_DAYS.includes(days)) {
        throw new InvalidConfigError(
          `${label} must be one of the periods CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')}), got ${parsers.show(raw)}`,
        );
      }
      return days;
    },
    description: "days the functions' CloudWatch logs are kept",
  }),
  notifyLanguage: define({
    param: 'notifyLanguage',
    env: 'NOTIFY_LANGUAGE',
    default: 'en',
    parse: choice(NOTIFY_LANGUAGES),
    description: 'email language, en or ja',
  }),
  notifyWhenClean: define({
    param: 'notifyWhenClean',
    env: 'NOTIFY_WHEN_CLEAN',
    default: 'false',
    parse: boolean,
    description: 'true sends an email even when nothing is stale (an all-clear)',
  }),
  warningDays: define({
    param: 'warningDays',
    env: 'WARNING_DAYS',
    default: '7',
    ...inRange(0, 365),
    description: 'users this close to the threshold are listed as about to lose access',
  }),
};

/** @typedef {keyof typeof SETTINGS} SettingKey */
/** @typedef {{ [K in SettingKey]: ReturnType<(typeof SETTINGS)[K]['parse']> }} SettingValues */

/** Per-stage defaults that differ from the table's (a `--param` still wins). */
const STAGE_DEFAULTS = {
  // The dev stage sends an all-clear email too, so a new deployment shows at once that it runs.
  dev: { notifyWhenClean: 'true' },
};

/** @param {string} param */
function deployLabel(param) {
  return `the deploy parameter "${param}"`;
}

/** The settings an operator sets at deploy time, by parameter name. */
function deployParameterNames() {
  return Object.values(SETTINGS)
    .map((s) => s.param)
    .filter(/** @returns {name is string} */ (name) => name !== null);
}

/**
 * Refuses a `--param` name the table does not know, naming the closest one (`maxPrecent` ->
 * `maxPercent`): a misspelt parameter would otherwise be ignored and the default used.
 * @param {readonly string[]} given
 */
function checkParameterNames(given) {
  const known = deployParameterNames();
  for (const name of given) {
    if (known.includes(name)) continue;
    const closest = closestName(name, known);
    throw new InvalidConfigError(
      `unknown deploy parameter "${name}"${closest ? `; did you mean "${closest}"?` : ''} (known: ${known.join(', ')})`,
    );
  }
}

/**
 * The known name with the smallest edit distance, ignoring case; null when none is close.
 * @param {string} name
 * @param {readonly string[]} candidates
 * @returns {string | null}
 */
function closestName(name, candidates) {
  const given = name.toLowerCase();
  let best = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const known = candidate.toLowerCase();
    const distance = editDistance(given, known);
    // A typo (a few edits), or a known name cut short or run on (`thresholdDays`).
    const close =
      distance <= Math.max(2, Math.floor(name.length / 3)) ||
      (given.length >= 4 && (known.startsWith(given) || given.startsWith(known)));
    if (close && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Levenshtein distance.
 * @param {string} a
 * @param {string} b
 */
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Parses every deploy parameter (raw values by parameter name, as the framework resolved them);
 * the first bad one throws. Settings without a deploy parameter get their defaults.
 * @param {(param: string) => unknown} rawValueOf
 * @returns {SettingValues}
 */
function parseDeployParameters(rawValueOf) {
  /** @type {Record<string, unknown>} */
  const values = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    values[key] = setting.param
      ? setting.parse(rawValueOf(setting.param), deployLabel(setting.param))
      : setting.parse(setting.default, `the default of ${key}`);
  }
  const parsed = /** @type {SettingValues} */ (values);
  checkTogether(parsed);
  return parsed;
}

/**
 * Rules between parameters, each refused with one line: the audit trail outlives the reports it
 * was made from (it is what proves what was done); in an organisation with remediation, the member
 * role the scan assumes and the one the disable step assumes are two roles (IAM compares role names
 * without regard to case): the scan side must never be able to assume a role that can write.
 * @param {SettingValues} values
 */
function checkTogether(values) {
  if (
    values.accountScope === 'organization' &&
    values.remediation &&
    values.memberRoleName.toLowerCase() === values.memberRemediationRoleName.toLowerCase()
  ) {
    throw new InvalidConfigError(
      `${deployLabel('memberRemediationRoleName')} must name another role than ${deployLabel('memberRoleName')} (${values.memberRoleName}): the scan must never assume a role that can change anything`,
    );
  }
  if (values.auditRetentionDays < values.reportRetentionDays) {
    throw new InvalidConfigError(
      `${deployLabel('auditRetentionDays')} (${values.auditRetentionDays}) must be at least ${deployLabel('reportRetentionDays')} (${values.reportRetentionDays}): the audit trail outlives the reports`,
    );
  }
}

/**
 * A function's setting, from its environment (set by the template from the deploy parameters).
 * A missing variable is an error, never a silent default: the function would run on a value
 * nobody chose.
 * @template T
 * @param {NodeJS.ProcessEnv} env
 * @param {Setting<T>} setting
 * @returns {T}
 */
function fromEnvironment(env, setting) {
  if (!setting.env) throw new Error(`${setting.param} is not read from the environment`);
  const raw = env[setting.env];
  if (raw === undefined) throw new InvalidConfigError(`${setting.env} is not set`);
  return setting.parse(raw, setting.env);
}

/**
 * The environment variables that carry `keys` to a function, formatted as `fromEnvironment` reads them.
 * @param {SettingValues} values
 * @param {readonly SettingKey[]} keys
 * @returns {Record<string, string>}
 */
function environmentFor(values, keys) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const key of keys) {
    const setting = /** @type {Setting<unknown>} */ (/** @type {unknown} */ (SETTINGS[key]));
    if (!setting.env) throw new Error(`${key} has no environment variable`);
    env[setting.env] = setting.format(values[key]);
  }
  return env;
}

/**
 * The name, under `/stale-iam/<stage>/`, of the SSM parameter holding a setting's live value.
 * @param {SettingKey} key
 */
function ssmNameOf(key) {
  const { ssm } = SETTINGS[key];
  if (!ssm) throw new Error(`${key} has no SSM parameter`);
  return ssm.name;
}

/**
 * The environment variables that tell a function the names of the SSM parameters holding `keys`.
 * @param {(name: string) => string} parameterName the full name of a parameter, e.g. `/stale-iam/prod/<name>`
 * @param {readonly SettingKey[]} keys
 * @returns {Record<string, string>}
 */
function ssmNameEnvironment(parameterName, keys) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const key of keys) {
    const { ssm } = SETTINGS[key];
    if (!ssm) throw new Error(`${key} has no SSM parameter`);
    env[ssm.nameEnv] = parameterName(ssm.name);
  }
  return env;
}

/**
 * The full name of the SSM parameter holding `key` that a function was given in its environment,
 * or undefined when it was not given one.
 * @param {NodeJS.ProcessEnv} env
 * @param {SettingKey} key
 * @returns {string | undefined}
 */
function ssmParameterNameIn(env, key) {
  const { ssm } = SETTINGS[key];
  if (!ssm) throw new Error(`${key} has no SSM parameter`);
  return env[ssm.nameEnv];
}

module.exports = {
  SETTINGS,
  STAGE_DEFAULTS,
  EXEMPT_TAG_KEY,
  SCAN_SOURCES,
  NOTIFY_LANGUAGES,
  REMEDIATION_MODES,
  ACCOUNT_SCOPES,
  deployLabel,
  deployParameterNames,
  checkParameterNames,
  closestName,
  parseDeployParameters,
  fromEnvironment,
  environmentFor,
  ssmNameEnvironment,
  ssmNameOf,
  ssmParameterNameIn,
};
