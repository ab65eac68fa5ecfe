'use strict';

/**
 * `stepFunctions.stateMachines` for serverless.yml (plugin: serverless-step-functions).
 *
 *   Scan -> [Findings, only with --param securityHub=true] -> [Disable, only with --param remediation=true] -> Render -> Notify -> Done
 *   any task fails (after retries) -> AlertFailure (SNS) -> RunFailed (Fail); Findings' and
 *   Render's failures are recorded and the run goes on (insertFindingsAfterScan, insertRenderBefore)
 *
 * With --param accountScope=organization instead (see organizationStates below):
 *
 *   Discover -> ScanAccounts (Distributed Map: ScanMember per account) -> Rollup
 *     -> [PlanRemediation -> AnyAccountToRemediate? -> RemediateAccounts (Distributed Map: DisableMember
 *         per account the plan lets act), only with --param remediation=true] -> Render -> NotifyOrganization -> Done
 *
 * Data between states is small JSON: scan returns where the report is (`report.bucket/key/csvKey`)
 * and its summary, never the report itself (Lambda and Step Functions payloads stop at 256 KB).
 * Disable returns the same object plus `remediation`; notify receives the previous state's output.
 */

const { FUNCTIONS, LOGICAL_IDS, deployedFunctions } = require('./names');
const { BUCKET_PREFIXES } = require('../src/settings/bucket-layout');
const { readDeployment } = require('./deployment');

/** Transient Lambda-service errors, worth a retry. Function errors (e.g. InvalidConfigError) are not. */
const RETRYABLE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'States.Timeout',
];

const RETRY = { IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 };

/** A Lambda function's timeout plus a margin: the task gives up (States.Timeout) shortly after. */
const TIMEOUT_MARGIN_SECONDS = 60;

const SNS_SUBJECT_LIMIT = 100;

/**
 * A state that invokes one of our functions, with the retries and the Catch every task has.
 * By default the function receives the whole state (`Payload.$: $`), any error goes to
 * AlertFailure, and the state is followed by `next` (null: it ends its state machine).
 * @param {{
 *   functionKey: import('./names').FunctionKey,
 *   next: string | null,
 *   comment: string,
 *   payload?: Record<string, string>,
 *   onError?: string,
 *   retryTimeouts?: boolean,
 * }} task
 */
function lambdaTask({ functionKey, next, comment, payload, onError = 'AlertFailure', retryTimeouts = true }) {
  const retried = retryTimeouts ? RETRYABLE_ERRORS : RETRYABLE_ERRORS.filter((e) => e !== 'States.Timeout');
  return {
    Type: 'Task',
    Comment: comment,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      FunctionName: { 'Fn::GetAtt': [LOGICAL_IDS.lambdaOf(functionKey), 'Arn'] },
      ...(payload ? { Payload: payload } : { 'Payload.$': '$' }),
    },
    // The function's return value only, not the Invoke API's envelope.
    OutputPath: '$.Payload',
    TimeoutSeconds: FUNCTIONS[functionKey].timeout + TIMEOUT_MARGIN_SECONDS,
    Retry: [{ ErrorEquals: [...retried], ...RETRY }],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: onError }],
    ...(next === null ? { End: true } : { Next: next }),
  };
}

/**
 * With `--param securityHub=true`, a Findings state right after Scan: Scan -> Findings -> (what
 * followed Scan). A Security Hub failure (not enabled in the account, AccessDenied, throttled
 * beyond the retries) must not cost the operators their report email, and the findings only mirror
 * the report already in S3: its Catch records the error in `$.findingsError` and goes on to the next
 * step, and notify says in the email that the import failed. It reads the report's location
 * like every step, and passes its input on with `findings` (what it imported and resolved) added.
 * @param {Record<string, object>} states the single-account states, Scan among them
 */
function insertFindingsAfterScan(states) {
  const scan = /** @type {{ Next: string }} */ (states.Scan);
  const next = scan.Next;
  scan.Next = 'Findings';
  states.Findings = {
    ...lambdaTask({
      functionKey: 'findings',
      next,
      comment: 'One Security Hub finding per stale credential; those no longer stale resolved',
    }),
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.findingsError', Next: next }],
  };
}

/**
 * The Render state, just before the email (Notify, or NotifyOrganization): every state (and every
 * Catch, and every Choice) that went on to the email goes on to Render instead, and Render to the
 * email. Render writes the visual report and adds where it is to its input (`$.visualReport`), which
 * otherwise passes on unchanged, so that the email can link to the page. The page is not worth
 * losing the run's email for: when Render fails (after the usual retries), the run goes on to the
 * email with the error in `$.renderError`, and the email says the visual report is missing.
 * @param {Record<string, object>} states the states, the email among them
 * @param {'Notify' | 'NotifyOrganization'} notify
 */
function insertRenderBefore(states, notify) {
  for (const state of Object.values(states)) {
    const task =
      /** @type {{ Next?: string, Default?: string, Catch?: { Next: string }[], Choices?: { Next: string }[] }} */ (
        state
      );
    if (task.Next === notify) task.Next = 'Render';
    if (task.Default === notify) task.Default = 'Render';
    for (const branch of [...(task.Catch ?? []), ...(task.Choices ?? [])]) {
      if (branch.Next === notify) branch.Next = 'Render';
    }
  }
  states.Render = {
    ...lambdaTask({
      functionKey: 'render',
      next: notify,
      comment: "Write the visual report (HTML) beside the report; append this run's history entry",
    }),
    ResultSelector: { 'bucket.$': '$.Payload.bucket', 'key.$': '$.Payload.key' },
    ResultPath: '$.visualReport',
    OutputPath: '$',
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.renderError', Next: notify }],
  };
}

/**
 * The operators' failure email. In the literal text of States.Format, `'`, `{`, `}` and `\` would
 * need escaping (there are none below); each `{}` is a placeholder. `#{AWS::Region}` and
 * `#{ReportBucket}` are serverless-step-functions' notation for CloudFormation substitutions,
 * resolved at deploy time.
 */
/** @param {{ stateMachineName: string, logGroupNames: string[], remediation: boolean, organization: boolean }} run */
function failureMessage({ stateMachineName, logGroupNames, remediation, organization }) {
  const lines = [
    `A stale-iam run failed (state machine ${stateMachineName}); this run sends no report email.`,
    '',
    'Error: {}',
    'Cause: {}',
    '',
    'Execution: {}',
    'Step Functions console: https://#{AWS::Region}.console.aws.amazon.com/states/home?region=#{AWS::Region}#/v2/executions/details/{}',
    `Function logs (CloudWatch Logs, #{AWS::Region}): ${logGroupNames.join(', ')}`,
    `Reports: s3://#{${LOGICAL_IDS.bucket}}/reports/`,
    '',
    !remediation
      ? 'This deployment has no disable step: stale-iam changed nothing in IAM.'
      : organization
        ? `Remediation in member accounts writes each IAM change it is about to make under s3://#{${LOGICAL_IDS.bucket}}/audit/<account>/ before making it, and the outcome after, ` +
          `following the plan of the run under s3://#{${LOGICAL_IDS.bucket}}/audit/organization/. ` +
          'An intent there without an outcome is a change whose result is unknown (check CloudTrail; the next run reports it too).'
        : `If the Disable step failed: it writes each IAM change it is about to make under s3://#{${LOGICAL_IDS.bucket}}/audit/ before making it, and the outcome after. ` +
          'An intent there without an outcome is a change whose result is unknown (check CloudTrail; the next run reports it too). ' +
          'A failure before its first change (a refused report, setting or event, as the error above says) leaves no audit object and changed nothing in IAM.',
  ];
  return `States.Format('${lines.join('\n')}', $.error.Error, $.error.Cause, $$.Execution.Id, $$.Execution.Id)`;
}

/** The maps of an organisation run; also their Labels, which name the child executions. */
const ACCOUNTS_MAP = 'ScanAccounts';
const REMEDIATION_MAP = 'RemediateAccounts';

/**
 * A Distributed Map over accounts: its items are a JSON array in the report bucket (written by the
 * step before it, never in the payload), one STANDARD child execution per item (an EXPRESS child
 * would stop at 5 minutes, a step may take 15), at most `accountConcurrency` at a time, each
 * invoking one function. Whatever fails inside a child is caught there and becomes that account's
 * `failed` result (the `failed` Pass state), so the child succeeds and one account never fails the
 * run; the tolerance of 100% covers what no Catch can (States.Runtime), which the reader of the
 * results then reports from the FAILED result files. The ResultWriter puts the children's results
 * under `runs/map-results/`; only the map's own failures (reading the items, writing the results)
 * reach its Catch.
 * @param {{
 *   label: string,
 *   comment: string,
 *   itemsKey: string,
 *   itemSelector: Record<string, string>,
 *   task: { state: string, functionKey: import('./names').FunctionKey, comment: string },
 *   failed: { state: string, comment: string },
 *   resultPath: string,
 *   onError: { resultPath: string, next: string },
 *   next: string,
 *   settings: import('../src/settings/table').SettingValues,
 * }} map
 */
function accountsMap({
  label,
  comment,
  itemsKey,
  itemSelector,
  task,
  failed,
  resultPath,
  onError,
  next,
  settings,
}) {
  const bucket = { Ref: LOGICAL_IDS.bucket };
  return {
    Type: 'Map',
    Comment: comment,
    Label: label,
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: bucket, 'Key.$': itemsKey },
    },
    ItemSelector: itemSelector,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: task.state,
      States: {
        [task.state]: lambdaTask({
          functionKey: task.functionKey,
          next: null,
          comment: task.comment,
          onError: failed.state,
          // A step that ran 15 minutes and was cut off would likely be cut off again: the account
          // is reported `timed-out` at once, and the next run tries again.
          retryTimeouts: false,
        }),
        [failed.state]: {
          Type: 'Pass',
          Comment: failed.comment,
          Parameters: { status: 'failed', 'account.$': '$.account', 'error.$': '$.error' },
          End: true,
        },
      },
    },
    MaxConcurrency: settings.accountConcurrency,
    ToleratedFailurePercentage: 100,
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: bucket, Prefix: BUCKET_PREFIXES.mapResults },
    },
    // With a ResultWriter the map's result is { MapRunArn, ResultWriterDetails: { Bucket, Key } }.
    ResultPath: resultPath,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: onError.resultPath, Next: onError.next }],
    Next: next,
  };
}

/**
 * An organisation run. Discover writes the account list to S3 and returns where it is, with the
 * run's name, instant (the execution's start) and threshold. ScanAccounts is a Distributed Map over
 * that list, each child invoking scanMember; the roll-up reads the results and the accounts'
 * reports. Only the map's own failures go to AlertFailure.
 *
 * With remediation, after the roll-up: PlanRemediation plans every completely scanned account and
 * enforces the organisation's cap, writing the accounts that may act to S3; when there is any,
 * RemediateAccounts, a second Distributed Map, runs disableMember in each of them. A failure of
 * either (a refused plan, the map's own failure) is recorded in `$.remediationError` and the run
 * goes on to the email, which says so: the scan results are not lost for it.
 * @param {import('../src/settings/table').SettingValues} settings
 */
function organizationStates(settings) {
  const afterRollup = settings.remediation ? 'PlanRemediation' : 'NotifyOrganization';
  /** @type {Record<string, object>} */
  const states = {
    Discover: lambdaTask({
      functionKey: 'discover',
      next: ACCOUNTS_MAP,
      comment: "List the organization's active accounts; write them to S3 for the map",
      // The run is named after the execution and evaluated at its start, whatever started it.
      payload: { 'executionName.$': '$$.Execution.Name', 'startTime.$': '$$.Execution.StartTime' },
    }),
    [ACCOUNTS_MAP]: accountsMap({
      label: ACCOUNTS_MAP,
      comment: 'One child execution per account, each caught on its own',
      itemsKey: '$.accounts.key',
      // `$` is the map's input; `$$.Map.Item.Value` one entry of the list, `{ accountId, name }`.
      itemSelector: { 'account.$': '$$.Map.Item.Value', 'run.$': '$.run' },
      task: {
        state: 'ScanMember',
        functionKey: 'scanMember',
        comment: 'Assume the member role in the account; scan it; write its report under reports/<account>/',
      },
      failed: {
        state: 'MemberFailed',
        comment: 'The account failed: a result with the error, not a failed child execution',
      },
      resultPath: '$.scan',
      onError: { resultPath: '$.error', next: 'AlertFailure' },
      next: 'Rollup',
      settings,
    }),
    Rollup: lambdaTask({
      functionKey: 'rollup',
      next: afterRollup,
      comment: "Read every account's result and report; write the organization report (JSON, CSV)",
    }),
    NotifyOrganization: lambdaTask({
      functionKey: 'notifyOrganization',
      next: 'Done',
      comment: 'One email to the operators about the whole organization',
    }),
  };
  if (!settings.remediation) return states;
  const remediationFailed = {
    ErrorEquals: ['States.ALL'],
    ResultPath: '$.remediationError',
    Next: 'NotifyOrganization',
  };
  return {
    ...states,
    PlanRemediation: {
      ...lambdaTask({
        functionKey: 'planRemediation',
        next: 'AnyAccountToRemediate',
        comment:
          "Plan every completely scanned account from its report; refuse the run over the organization's cap; write the plan",
      }),
      Catch: [remediationFailed],
    },
    AnyAccountToRemediate: {
      Type: 'Choice',
      Comment: 'The second map runs only when the plan lets an account act',
      Choices: [{ Variable: '$.remediation.accounts.count', NumericGreaterThan: 0, Next: REMEDIATION_MAP }],
      Default: 'NotifyOrganization',
    },
    [REMEDIATION_MAP]: accountsMap({
      label: REMEDIATION_MAP,
      comment: 'One child execution per account the plan lets act, each caught on its own',
      itemsKey: '$.remediation.accounts.key',
      // Each item is `{ account, report }`; the run and the plan's location come from the map's input.
      itemSelector: {
        'account.$': '$$.Map.Item.Value.account',
        'report.$': '$$.Map.Item.Value.report',
        'run.$': '$.run',
        'plan.$': '$.remediation.plan',
      },
      task: {
        state: 'DisableMember',
        functionKey: 'disableMember',
        comment:
          'Assume the member remediation role; dry-run or enforce (SSM remediation-mode) within the plan and the caps',
      },
      failed: {
        state: 'DisableMemberFailed',
        comment: "The account's remediation failed: a result with the error, not a failed child execution",
      },
      resultPath: '$.remediation.results',
      onError: { resultPath: '$.remediationError', next: 'NotifyOrganization' },
      next: 'NotifyOrganization',
      settings,
    }),
  };
}

/** @param {import('./deployment').FrameworkContext} context */
module.exports = async (context) => {
  const { stage, settings, names } = await readDeployment(context);
  const { remediation, scheduleExpression } = settings;
  const { stateMachineName, logGroupName } = names;

  const subject = `[stale-iam] run failed (${stage})`;
  if (subject.length > SNS_SUBJECT_LIMIT) {
    throw new Error(`the stage name "${stage}" makes the failure email subject longer than 100 characters`);
  }

  const functionKeys = deployedFunctions(settings);
  const organization = settings.accountScope === 'organization';

  /** @type {Record<string, object>} */
  const states = organization
    ? organizationStates(settings)
    : {
        Scan: lambdaTask({
          functionKey: 'scan',
          next: remediation ? 'Disable' : 'Notify',
          comment: 'Evaluate every IAM user; write the report to S3; return where it is and the summary',
        }),
      };
  if (remediation && !organization) {
    states.Disable = lambdaTask({
      functionKey: 'disable',
      next: 'Notify',
      comment: 'Dry-run or enforce (SSM remediation-mode): remove stale console passwords within the caps',
    });
  }
  if (!organization) {
    states.Notify = lambdaTask({
      functionKey: 'notify',
      next: 'Done',
      comment: 'One email to the operators about this run',
    });
    if (settings.securityHub) insertFindingsAfterScan(states);
    insertRenderBefore(states, 'Notify');
  } else {
    insertRenderBefore(states, 'NotifyOrganization');
  }
  states.Done = { Type: 'Succeed' };
  states.AlertFailure = {
    Type: 'Task',
    Comment: 'Tell the operators that the run failed, what failed and where to look',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: {
      TopicArn: { Ref: LOGICAL_IDS.topic },
      Subject: subject,
      'Message.$': failureMessage({
        stateMachineName,
        logGroupNames: functionKeys.map((key) => logGroupName(key)),
        remediation,
        organization,
      }),
    },
    // Keep `$.error` for RunFailed; the publish result is not needed.
    ResultPath: null,
    Retry: [{ ErrorEquals: ['States.ALL'], ...RETRY }],
    // If even the alert cannot be sent, still fail with the original error.
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.alertError', Next: 'RunFailed' }],
    Next: 'RunFailed',
  };
  states.RunFailed = {
    Type: 'Fail',
    Comment: 'The execution shows as failed, with the error of the step that failed',
    ErrorPath: '$.error.Error',
    CausePath: '$.error.Cause',
  };

  return {
    staleIam: {
      id: LOGICAL_IDS.stateMachine,
      name: stateMachineName,
      role: { 'Fn::GetAtt': [LOGICAL_IDS.stateMachineRole, 'Arn'] },
      events: [
        {
          schedule: {
            rate: scheduleExpression,
            description: `Starts the ${stateMachineName} state machine`,
          },
        },
      ],
      definition: {
        Comment: organization
          ? remediation
            ? 'stale-iam: discover the organization, scan every account, roll up, plan and remediate (dry-run unless enforced), render, then notify'
            : 'stale-iam: discover the organization, scan every account, roll up, render the visual report, then notify'
          : remediation
            ? 'stale-iam: scan, then disable (dry-run unless enforced), then render the visual report, then notify'
            : 'stale-iam: scan, then render the visual report, then notify',
        StartAt: organization ? 'Discover' : 'Scan',
        States: states,
      },
    },
  };
};
