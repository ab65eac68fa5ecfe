'use strict';

/**
 * `stepFunctions.stateMachines` for serverless.yml (plugin: serverless-step-functions).
 *
 *   Scan -> [Disable, only with --param remediation=true] -> Render -> Notify -> Done
 *   any task fails (after retries) -> AlertFailure (SNS) -> RunFailed (Fail)
 *   Render fails -> Notify all the same (the email says the visual report is missing)
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
 * The Render state: writes the visual report and adds where it is to the input (`$.visualReport`),
 * which otherwise passes on unchanged, so the next state can link to the page. The page is not
 * worth losing the run's email for: when Render fails (after the usual retries), the run goes on
 * to `next` with the error in `$.renderError`, and the email says the page is missing.
 * @param {{ next: string }} where
 */
function renderTask({ next }) {
  return {
    ...lambdaTask({
      functionKey: 'render',
      next,
      comment: "Write the visual report (HTML) beside the report; append this run's history entry",
    }),
    ResultSelector: { 'bucket.$': '$.Payload.bucket', 'key.$': '$.Payload.key' },
    ResultPath: '$.visualReport',
    OutputPath: '$',
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.renderError', Next: next }],
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
      next: remediation ? 'Disable' : 'Render',
      comment: 'Evaluate every IAM user; write the report to S3; return where it is and the summary',
    }),
  };
  if (remediation) {
    states.Disable = lambdaTask({
      functionKey: 'disable',
      next: 'Render',
      comment: 'Dry-run or enforce (SSM remediation-mode): remove stale console passwords within the caps',
    });
  }
  states.Render = renderTask({ next: 'Notify' });
  states.Notify = lambdaTask({
    functionKey: 'notify',
    next: 'Done',
    comment: 'One email to the operators about this run',
  });
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
