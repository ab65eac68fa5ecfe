import type { AslDefinition, AslState } from '../../../tools/state-machine/asl';
import { UnsupportedAslError } from '../../../tools/state-machine/errors';
import type { Json } from '../../../tools/state-machine/json-path';
import { startExecution, type ExecutionResult, type WalkEvent } from '../../../tools/state-machine/walker';
import { eventsOf, functionArn, InMemoryAws, STATE_MACHINE_ARN } from './in-memory-integrations';

/** The shape of our own definition (serverless/state-machine.js): Scan -> Notify, any failure -> AlertFailure -> RunFailed. */
function lambdaTask(name: string, next: string, extra: Partial<AslState> = {}): AslState {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionArn(name), 'Payload.$': '$' },
    OutputPath: '$.Payload',
    TimeoutSeconds: 960,
    Retry: [
      {
        ErrorEquals: ['Lambda.ServiceException', 'States.Timeout'],
        IntervalSeconds: 5,
        MaxAttempts: 3,
        BackoffRate: 2,
      },
    ],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AlertFailure' }],
    Next: next,
    QueryLanguage: 'JSONPath',
    ...extra,
  };
}

const ALERT_FAILURE: AslState = {
  Type: 'Task',
  Resource: 'arn:aws:states:::sns:publish',
  Parameters: {
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:stale-iam-test',
    Subject: '[stale-iam] run failed (test)',
    'Message.$':
      "States.Format('Run failed.\n\nError: {}\nCause: {}\n\nExecution: {}', $.error.Error, $.error.Cause, $$.Execution.Id)",
  },
  ResultPath: null,
  Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.alertError', Next: 'RunFailed' }],
  Next: 'RunFailed',
};

function ourDefinition(): AslDefinition {
  return {
    Comment: 'stale-iam: scan, then notify',
    StartAt: 'Scan',
    States: {
      Scan: lambdaTask('scan', 'Notify'),
      Notify: lambdaTask('notify', 'Done'),
      Done: { Type: 'Succeed' },
      AlertFailure: ALERT_FAILURE,
      RunFailed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

async function walk(
  definition: AslDefinition,
  aws: InMemoryAws,
  input: Json = {},
  options: { payloadLimitBytes?: number } = {},
): Promise<{ result: ExecutionResult; events: WalkEvent[] }> {
  const events: WalkEvent[] = [];
  const result = await startExecution({
    definition,
    input,
    integrations: aws,
    stateMachineArn: STATE_MACHINE_ARN,
    name: 'local-run-1',
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { result, events };
}

class InvalidConfigError extends Error {
  override name = 'InvalidConfigError';
}

describe('the step walker: tasks, data flow and errors', () => {
  it('runs Scan then Notify, handing each function the previous function result ($.Payload)', async () => {
    const aws = new InMemoryAws()
      .addFunction(functionArn('scan'), () => ({ report: { key: 'reports/r.json' }, summary: { stale: 2 } }))
      .addFunction(functionArn('notify'), (payload) => ({ published: true, got: payload }));

    const { result, events } = await walk(ourDefinition(), aws, { start: true });

    expect(aws.invocations.map((i) => i.functionName)).toEqual([functionArn('scan'), functionArn('notify')]);
    expect(aws.invocations[0]?.payload).toEqual({ start: true });
    expect(aws.invocations[1]?.payload).toEqual({ report: { key: 'reports/r.json' }, summary: { stale: 2 } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({
      published: true,
      got: { report: { key: 'reports/r.json' }, summary: { stale: 2 } },
    });
    // The task's raw result is the Invoke API's envelope; OutputPath keeps the Payload only.
    expect(eventsOf(events, 'TaskSucceeded')[0]?.result).toEqual({
      ExecutedVersion: '$LATEST',
      Payload: { report: { key: 'reports/r.json' }, summary: { stale: 2 } },
      StatusCode: 200,
    });
    expect(aws.published).toEqual([]);
  });

  it('a Catch sends the error to AlertFailure with $.error = { Error, Cause }, and the run fails with that error', async () => {
    const aws = new InMemoryAws().addFunction(functionArn('scan'), () => {
      throw new InvalidConfigError('threshold days must be a whole number, got "abc"');
    });

    const { result, events } = await walk(ourDefinition(), aws, { start: true });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidConfigError');
    const cause = JSON.parse(result.cause ?? '') as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(cause.errorType).toBe('InvalidConfigError');
    expect(cause.errorMessage).toBe('threshold days must be a whole number, got "abc"');
    expect(Array.isArray(cause.trace)).toBe(true);
    expect(eventsOf(events, 'ErrorCaught')).toEqual([
      expect.objectContaining({ state: 'Scan', error: 'InvalidConfigError', next: 'AlertFailure' }),
    ]);
    expect(aws.published).toHaveLength(1);
    expect(aws.published[0]?.Subject).toBe('[stale-iam] run failed (test)');
    expect(aws.published[0]?.Message).toBe(
      `Run failed.\n\nError: InvalidConfigError\nCause: ${result.cause}\n\nExecution: ${result.executionArn}`,
    );
    // Notify never ran.
    expect(aws.invocations.map((i) => i.functionName)).toEqual([functionArn('scan')]);
  });

  it('retries an error a retrier names, MaxAttempts times without waiting, then catches it', async () => {
    let calls = 0;
    const aws = new InMemoryAws().addFunction(functionArn('scan'), () => {
      calls++;
      throw Object.assign(new Error('rate exceeded'), { name: 'Lambda.ServiceException' });
    });

    const { result, events } = await walk(ourDefinition(), aws);

    expect(calls).toBe(4);
    expect(eventsOf(events, 'StateRetried').map((e) => [e.attempt, e.delaySeconds])).toEqual([
      [1, 5],
      [2, 10],
      [3, 20],
    ]);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Lambda.ServiceException');
  });

  it('does not retry an error no retrier names', async () => {
    let calls = 0;
    const aws = new InMemoryAws().addFunction(functionArn('scan'), () => {
      calls++;
      throw new InvalidConfigError('bad');
    });

    const { events } = await walk(ourDefinition(), aws);

    expect(calls).toBe(1);
    expect(eventsOf(events, 'StateRetried')).toHaveLength(0);
  });

  it('applies InputPath, Parameters, the task, ResultSelector, ResultPath (into the raw input) and OutputPath in that order', async () => {
    const aws = new InMemoryAws().addFunction(functionArn('discover'), (payload) => ({
      key: `runs/${String((payload as { run: string }).run)}.json`,
      count: 3,
      ignored: 'x',
    }));
    const definition: AslDefinition = {
      StartAt: 'Discover',
      States: {
        Discover: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          InputPath: '$.request',
          Parameters: { FunctionName: functionArn('discover'), Payload: { 'run.$': '$.id', fixed: 1 } },
          ResultSelector: { 'key.$': '$.Payload.key', 'count.$': '$.Payload.count' },
          ResultPath: '$.accounts',
          OutputPath: '$.accounts',
          End: true,
        },
      },
    };

    const { result } = await walk(definition, aws, { request: { id: 'r1' }, other: true });

    expect(aws.invocations[0]?.payload).toEqual({ run: 'r1', fixed: 1 });
    expect(result.output).toEqual({ key: 'runs/r1.json', count: 3 });
  });

  it('ResultPath null keeps the input; ResultPath $.x adds the result to the raw input', async () => {
    const aws = new InMemoryAws().addFunction(functionArn('f'), () => 'result');
    const task = (resultPath: string | null): AslDefinition => ({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: functionArn('f') },
          ResultSelector: { 'value.$': '$.Payload' },
          ResultPath: resultPath,
          End: true,
        },
      },
    });

    expect((await walk(task(null), aws, { a: 1 })).result.output).toEqual({ a: 1 });
    expect((await walk(task('$.x.y'), aws, { a: 1 })).result.output).toEqual({
      a: 1,
      x: { y: { value: 'result' } },
    });
  });

  it('a Parameters path that matches nothing is States.ParameterPathFailure, which a Catch handles', async () => {
    const aws = new InMemoryAws().addFunction(functionArn('f'), () => 1);
    const definition: AslDefinition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: functionArn('f'), 'Payload.$': '$.missing' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    const { result } = await walk(definition, aws, { a: 1 });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({
      Error: 'States.ParameterPathFailure',
      Cause: expect.stringContaining("'$.missing'"),
    });
    expect(aws.invocations).toHaveLength(0);
  });

  it('an OutputPath that matches nothing is States.Runtime, which States.ALL does not catch', async () => {
    const aws = new InMemoryAws().addFunction(functionArn('f'), () => ({ other: 1 }));
    const definition: AslDefinition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: functionArn('f') },
          OutputPath: '$.Payload.missing',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    };

    const { result } = await walk(definition, aws);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Runtime');
  });

  it('a result over 256 KiB fails the run with States.DataLimitExceeded, which States.ALL does not catch', async () => {
    const aws = new InMemoryAws().addFunction(functionArn('scan'), () => ({ users: 'x'.repeat(300 * 1024) }));

    const { result } = await walk(ourDefinition(), aws);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.DataLimitExceeded');
    expect(aws.published).toHaveLength(0);
  });

  it('a task slower than its TimeoutSeconds fails with States.Timeout', async () => {
    const aws = new InMemoryAws().addFunction(
      functionArn('slow'),
      () => new Promise((resolve) => setTimeout(() => resolve(1), 5_000).unref()),
    );
    const definition: AslDefinition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: functionArn('slow') },
          TimeoutSeconds: 1,
          End: true,
        },
      },
    };

    const { result } = await walk(definition, aws);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Timeout');
  });
});

describe('the step walker: Pass, Choice, Succeed, Fail and the context object', () => {
  it('Pass returns its Result, or its Parameters evaluated on the input, placed by ResultPath', async () => {
    const definition: AslDefinition = {
      StartAt: 'Fixed',
      States: {
        Fixed: { Type: 'Pass', Result: { mode: 'dry-run' }, ResultPath: '$.settings', Next: 'Shaped' },
        Shaped: {
          Type: 'Pass',
          Parameters: { 'mode.$': '$.settings.mode', 'who.$': '$.user', literal: [1, 2] },
          End: true,
        },
      },
    };

    const { result } = await walk(definition, new InMemoryAws(), { user: 'alice' });

    expect(result.output).toEqual({ mode: 'dry-run', who: 'alice', literal: [1, 2] });
  });

  it('a Choice takes the first matching rule (StringEquals, BooleanEquals, IsPresent, NumericGreaterThan, And, Or, Not) or its Default', async () => {
    const definition: AslDefinition = {
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Choice',
          Choices: [
            {
              And: [
                { Variable: '$.mode', StringEquals: 'enforce' },
                { Variable: '$.keys', BooleanEquals: true },
              ],
              Next: 'EnforceWithKeys',
            },
            { Not: { Variable: '$.report', IsPresent: true }, Next: 'NoReport' },
            {
              Or: [
                { Variable: '$.stale', NumericGreaterThan: 10 },
                { Variable: '$.mode', StringEquals: 'enforce' },
              ],
              Next: 'Large',
            },
          ],
          Default: 'Small',
        },
        EnforceWithKeys: { Type: 'Pass', Result: 'enforce-with-keys', End: true },
        NoReport: { Type: 'Pass', Result: 'no-report', End: true },
        Large: { Type: 'Pass', Result: 'large', End: true },
        Small: { Type: 'Pass', Result: 'small', End: true },
      },
    };
    const outcome = async (input: Json) => (await walk(definition, new InMemoryAws(), input)).result.output;

    expect(await outcome({ mode: 'enforce', keys: true, report: {} })).toBe('enforce-with-keys');
    expect(await outcome({ mode: 'dry-run', keys: true })).toBe('no-report');
    expect(await outcome({ mode: 'dry-run', report: {}, stale: 11 })).toBe('large');
    expect(await outcome({ mode: 'enforce', keys: false, report: {}, stale: 0 })).toBe('large');
    expect(await outcome({ mode: 'dry-run', report: {}, stale: '99' })).toBe('small');
  });

  it('a Choice without a matching rule or Default fails with States.NoChoiceMatched', async () => {
    const definition: AslDefinition = {
      StartAt: 'Decide',
      States: {
        Decide: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 'a', Next: 'Done' }] },
        Done: { Type: 'Succeed' },
      },
    };

    const { result } = await walk(definition, new InMemoryAws(), { x: 'b' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.NoChoiceMatched');
  });

  it('Fail ends the run with its Error and Cause, literal or from paths', async () => {
    const literal: AslDefinition = {
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'Custom', Cause: 'because' } },
    };
    const byPath: AslDefinition = {
      StartAt: 'F',
      States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } },
    };

    expect((await walk(literal, new InMemoryAws())).result).toMatchObject({
      status: 'FAILED',
      error: 'Custom',
      cause: 'because',
    });
    expect((await walk(byPath, new InMemoryAws(), { e: 'E1', c: 'C1' })).result).toMatchObject({
      error: 'E1',
      cause: 'C1',
    });
  });

  it('the $$ context object gives the execution id, name, start time and the state name', async () => {
    const definition: AslDefinition = {
      StartAt: 'Who',
      States: {
        Who: {
          Type: 'Pass',
          Parameters: {
            'id.$': '$$.Execution.Id',
            'name.$': '$$.Execution.Name',
            'start.$': '$$.Execution.StartTime',
            'state.$': '$$.State.Name',
            'machine.$': '$$.StateMachine.Name',
          },
          End: true,
        },
      },
    };

    const { result } = await walk(definition, new InMemoryAws());

    expect(result.output).toEqual({
      id: 'arn:aws:states:us-east-1:123456789012:execution:stale-iam-test:local-run-1',
      name: 'local-run-1',
      start: result.startDate.toISOString(),
      state: 'Who',
      machine: 'stale-iam-test',
    });
  });

  it('States.Format fills each {} in order: strings as they are, other values as JSON, escapes honoured', async () => {
    const definition: AslDefinition = {
      StartAt: 'Say',
      States: {
        Say: {
          Type: 'Pass',
          Parameters: {
            'text.$':
              "States.Format('{} has {} keys \\{not a placeholder\\} it\\'s {}', $.user, $.count, $.tags)",
            'json.$': 'States.JsonToString($.tags)',
            'back.$': 'States.StringToJson(\'{"a":1}\')',
          },
          End: true,
        },
      },
    };

    const { result } = await walk(definition, new InMemoryAws(), {
      user: 'alice',
      count: 2,
      tags: { team: 'ops' },
    });

    expect(result.output).toEqual({
      text: 'alice has 2 keys {not a placeholder} it\'s {"team":"ops"}',
      json: '{"team":"ops"}',
      back: { a: 1 },
    });
  });
});

describe('the step walker refuses what it does not implement, before anything runs', () => {
  const runs = async (definition: AslDefinition) => {
    const aws = new InMemoryAws().addFunction(functionArn('scan'), () => ({}));
    await expect(walk(definition, aws)).rejects.toThrow(UnsupportedAslError);
    expect(aws.invocations).toHaveLength(0);
    return walk(definition, aws).catch((error: Error) => error.message);
  };
  const withState = (state: AslState): AslDefinition => ({
    StartAt: 'Scan',
    States: {
      Scan: lambdaTask('scan', 'Odd'),
      Odd: state,
      Done: { Type: 'Succeed' },
      AlertFailure: ALERT_FAILURE,
      RunFailed: { Type: 'Fail' },
    },
  });

  it('an unknown state type is refused', async () => {
    expect(await runs(withState({ Type: 'Wait', Seconds: 5, Next: 'Done' }))).toMatch(
      /state Odd: the walker does not implement states of Type Wait/,
    );
  });

  it('an unknown field of a known state is refused', async () => {
    expect(await runs(withState({ Type: 'Pass', Assign: { x: 1 }, Next: 'Done' }))).toMatch(
      /state Odd: the walker does not implement Assign/,
    );
  });

  it('an unknown task resource is refused', async () => {
    expect(
      await runs(withState({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true })),
    ).toMatch(/does not implement the resource arn:aws:states:::sqs:sendMessage/);
  });

  it('an unknown intrinsic function is refused', async () => {
    expect(
      await runs(withState({ Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.a, 1)' }, End: true })),
    ).toMatch(/does not implement the intrinsic States.MathAdd/);
  });

  it('an unknown Choice operator is refused', async () => {
    expect(
      await runs(
        withState({
          Type: 'Choice',
          Choices: [{ Variable: '$.t', TimestampEquals: '2026-01-01T00:00:00Z', Next: 'Done' }],
        }),
      ),
    ).toMatch(/does not implement the Choice operator TimestampEquals/);
  });

  it('a JSONata state and an inline Map are refused', async () => {
    expect(await runs(withState({ Type: 'Pass', QueryLanguage: 'JSONata', End: true }))).toMatch(
      /only the JSONPath query language/,
    );
    expect(
      await runs(
        withState({
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          End: true,
        }),
      ),
    ).toMatch(/only distributed Maps/);
  });

  it('a path with a wildcard or filter is refused', async () => {
    expect(await runs(withState({ Type: 'Pass', InputPath: '$.users[*].name', End: true }))).toMatch(
      /only plain paths/,
    );
  });

  it('a transition to a state that does not exist is refused', async () => {
    expect(await runs(withState({ Type: 'Pass', Next: 'Nowhere' }))).toMatch(/Next "Nowhere" is not a state/);
  });
});
