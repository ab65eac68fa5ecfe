'use strict';

/**
 * `stepFunctions.stateMachines` for serverless.yml (plugin: serverless-step-functions).
 *
 *   Scan -> [Findings, only with --param securityHub=true] -> [Disable, only with --param remediation=true] -> Render -> Notify -> Done
 *   any task fails (after retries) -> AlertFailure (SNS) -> RunFailed (Fail); Findings' and
 *   Render's failures are recorded and the run goes on (insertFindingsAfterScan, insertRenderBeforeNotify)
 *
 * Data between states is small JSON: scan returns where the report is (`report.bucket/key/csvKey`)
 * and its summary, never the report itself (Lambda and Step Functions payloads stop at 256 KB).
 * Disable returns the same object plus `remediation`; notify receives the previous state's output.
 */

const { FUNCTIONS, LOGICAL_IDS, deployedFunctions } = require('./names');
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
 * @param {{ functionKey: import('./names').FunctionKey, next: string, comment: string }} task
 */
function lambdaTask({ functionKey, next, comment }) {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      FunctionName: { 'Fn::GetAtt': [LOGICAL_IDS.lambdaOf(functionKey), 'Arn'] },
      'Payload.$': '$',
    },
    // The function's return value only, not the Invoke API's envelope.
    OutputPath: '$.Payload',
    TimeoutSeconds: FUNCTIONS[functionKey].timeout + TIMEOUT_MARGIN_SECONDS,
    Retry: [{ ErrorEquals: [...RETRYABLE_ERRORS], ...RETRY }],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AlertFailure' }],
    Next: next,
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
 * The Render state, just before Notify: every state (and every Catch) that went on to Notify goes
 * on to Render instead, and Render to Notify. Render writes the visual report and adds where it is
 * to its input (`$.visualReport`), which otherwise passes on unchanged, so that the email can link
 * to the page. The page is not worth losing the run's email for: when Render fails (after the
 * usual retries), the run goes on to Notify with the error in `$.renderError`, and the email says
 * the visual report is missing.
 * @param {Record<string, object>} states the single-account states, Notify among them
 */
function insertRenderBeforeNotify(states) {
  for (const state of Object.values(states)) {
    const task = /** @type {{ Next?: string, Catch?: { Next: string }[] }} */ (state);
    if (task.Next === 'Notify') task.Next = 'Render';
    for (const catcher of task.Catch ?? []) if (catcher.Next === 'Notify') catcher.Next = 'Render';
  }
  states.Render = {
    ...lambdaTask({
      functionKey: 'render',
      next: 'Notify',
      comment: "Write the visual report (HTML) beside the report; append this run's history entry",
    }),
    ResultSelector: { 'bucket.$': '$.Payload.bucket', 'key.$': '$.Payload.key' },
    ResultPath: '$.visualReport',
    OutputPath: '$',
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.renderError', Next: 'Notify' }],
  };
}

/**
 * The operators' failure email. In the literal text of States.Format, `'`, `{`, `}` and `\` would
 * need escaping (there are none below); each `{}` is a placeholder. `#{AWS::Region}` and
 * `#{ReportBucket}` are serverless-step-functions' notation for CloudFormation substitutions,
 * resolved at deploy time.
 */
/** @param {{ stateMachineName: string, logGroupNames: string[], remediation: boolean }} run */
function failureMessage({ stateMachineName, logGroupNames, remediation }) {
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
    remediation
      ? `If the Disable step failed, the audit lines under s3://#{${LOGICAL_IDS.bucket}}/audit/ show what it did before it stopped.`
      : 'This deployment has no disable step: stale-iam changed nothing in IAM.',
  ];
  return `States.Format('${lines.join('\n')}', $.error.Error, $.error.Cause, $$.Execution.Id, $$.Execution.Id)`;
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

  /** @type {Record<string, object>} */
  const states = {
    Scan: lambdaTask({
      functionKey: 'scan',
      next: remediation ? 'Disable' : 'Notify',
      comment: 'Evaluate every IAM user; write the report to S3; return where it is and the summary',
    }),
  };
  if (remediation) {
    states.Disable = lambdaTask({
      functionKey: 'disable',
      next: 'Notify',
      comment: 'Dry-run or enforce (SSM remediation-mode): remove stale console passwords within the caps',
    });
  }
  states.Notify = lambdaTask({
    functionKey: 'notify',
    next: 'Done',
    comment: 'One email to the operators about this run',
  });
  if (settings.securityHub) insertFindingsAfterScan(states);
  insertRenderBeforeNotify(states);
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
        Comment: remediation
          ? 'stale-iam: scan, then disable (dry-run unless enforced), then render the visual report, then notify'
          : 'stale-iam: scan, then render the visual report, then notify',
        StartAt: 'Scan',
        States: states,
      },
    },
  };
};
