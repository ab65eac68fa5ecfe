import type { AslDefinition, AslState } from '../../../tools/state-machine/asl';
import type { ChildExecutionRecord, MapManifest } from '../../../tools/state-machine/distributed-map';
import type { Json } from '../../../tools/state-machine/json-path';
import { startExecution, type ExecutionResult, type WalkEvent } from '../../../tools/state-machine/walker';
import { eventsOf, functionArn, InMemoryAws, STATE_MACHINE_ARN } from './in-memory-integrations';

/**
 * The organisation mode's shape (see serverless/ and docs): Discover writes the account list to S3,
 * a distributed Map scans each account in a child execution, a Rollup reads the ResultWriter's files.
 */

const BUCKET = 'stale-iam-test-reportbucket';
const LIST_KEY = 'runs/r1/accounts.json';

function scanAccounts(overrides: Partial<AslState> = {}, memberCatch = true): AslState {
  return {
    Type: 'Map',
    Label: 'ScanAccounts',
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: BUCKET, 'Key.$': '$.accounts.key' },
    },
    ItemSelector: {
      'account.$': '$$.Map.Item.Value',
      'index.$': '$$.Map.Item.Index',
      'thresholdDays.$': '$.accounts.thresholdDays',
      run: { 'executionName.$': '$$.Execution.Name', 'executionId.$': '$$.Execution.Id' },
    },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'ScanMember',
      States: {
        ScanMember: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: functionArn('scan-member'), 'Payload.$': '$' },
          OutputPath: '$.Payload',
          ...(memberCatch
            ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MemberFailed' }] }
            : {}),
          End: true,
          QueryLanguage: 'JSONPath',
        },
        MemberFailed: {
          Type: 'Pass',
          Parameters: { status: 'failed', 'account.$': '$.account', 'error.$': '$.error' },
          End: true,
        },
      },
    },
    MaxConcurrency: 3,
    ToleratedFailurePercentage: 0,
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: BUCKET, Prefix: 'map-results' },
    },
    ResultPath: '$.scan',
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MapFailed' }],
    Next: 'Rollup',
    ...overrides,
  };
}

function organisationDefinition(map: AslState): AslDefinition {
  return {
    StartAt: 'ScanAccounts',
    States: {
      ScanAccounts: map,
      Rollup: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: {
          FunctionName: functionArn('rollup'),
          Payload: { 'manifest.$': '$.scan.ResultWriterDetails', 'mapRunArn.$': '$.scan.MapRunArn' },
        },
        OutputPath: '$.Payload',
        End: true,
      },
      MapFailed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

interface MemberInput {
  account: { accountId: string };
  index: number;
  thresholdDays: number;
  run: { executionName: string; executionId: string };
}

function accounts(count: number): Array<{ accountId: string }> {
  return Array.from({ length: count }, (_, i) => ({ accountId: String(100000000000 + i) }));
}

async function run(
  definition: AslDefinition,
  aws: InMemoryAws,
): Promise<{ result: ExecutionResult; events: WalkEvent[] }> {
  const events: WalkEvent[] = [];
  const input: Json = { accounts: { key: LIST_KEY, thresholdDays: 90 } };
  const result = await startExecution({
    definition,
    input,
    integrations: aws,
    stateMachineArn: STATE_MACHINE_ARN,
    name: 'parent-run',
    onEvent: (event) => events.push(event),
  });
  return { result, events };
}

function awsWith(list: Json, scanMember: (input: MemberInput) => Json | Promise<Json>): InMemoryAws {
  const aws = new InMemoryAws()
    .addFunction(functionArn('scan-member'), (payload) => scanMember(payload as unknown as MemberInput))
    .addFunction(functionArn('rollup'), (payload) => payload);
  aws.objects.set(`${BUCKET}/${LIST_KEY}`, JSON.stringify(list));
  return aws;
}

describe('the step walker: a distributed Map', () => {
  it('a distributed Map runs every item of the S3 array with at most MaxConcurrency in flight and writes the manifest', async () => {
    const aws = awsWith(accounts(10), (input) => ({
      accountId: input.account.accountId,
      stale: input.index,
    }));

    const { result, events } = await run(organisationDefinition(scanAccounts()), aws);

    expect(result.status).toBe('SUCCEEDED');
    expect(aws.invocations.filter((i) => i.functionName === functionArn('scan-member'))).toHaveLength(10);
    expect(aws.maxInFlight).toBe(3);

    const mapRun = eventsOf(events, 'MapRunStarted')[0];
    expect(mapRun?.items).toBe(10);
    const mapRunArn = mapRun?.mapRunArn ?? '';
    expect(mapRunArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:mapRun:stale-iam-test\/ScanAccounts:[0-9a-f-]{36}$/,
    );
    const mapRunId = mapRunArn.split(':').pop() ?? '';
    const manifestKey = `map-results/${mapRunId}/manifest.json`;
    // The Map's result, placed at $.scan, is what Rollup receives.
    expect(result.output).toEqual({ manifest: { Bucket: BUCKET, Key: manifestKey }, mapRunArn });

    const succeededKey = `map-results/${mapRunId}/SUCCEEDED_0.json`;
    const manifest = aws.json<MapManifest>(BUCKET, manifestKey);
    expect(manifest).toEqual({
      DestinationBucket: BUCKET,
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [],
        PENDING: [],
        SUCCEEDED: [
          { Key: succeededKey, Size: Buffer.byteLength(aws.objects.get(`${BUCKET}/${succeededKey}`) ?? '') },
        ],
      },
    });
    const records = aws.json<ChildExecutionRecord[]>(BUCKET, succeededKey);
    expect(records).toHaveLength(10);
    expect(
      records.map((r) => JSON.parse(r.Output ?? 'null') as { stale: number }).map((o) => o.stale),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const record of records) {
      expect(record.Status).toBe('SUCCEEDED');
      expect(record.StateMachineArn).toBe(`${STATE_MACHINE_ARN}/ScanAccounts`);
      expect(record.ExecutionArn).toBe(
        `arn:aws:states:us-east-1:123456789012:execution:stale-iam-test/ScanAccounts:${record.Name}`,
      );
      expect(typeof record.Input).toBe('string');
      expect(Date.parse(record.StopDate)).toBeGreaterThanOrEqual(Date.parse(record.StartDate));
    }
    expect(aws.objects.has(`${BUCKET}/map-results/${mapRunId}/FAILED_0.json`)).toBe(false);
  });

  it('builds each child input with the ItemSelector: $ is the Map input, $$.Map.Item the item, $$.Execution the parent', async () => {
    const seen: MemberInput[] = [];
    const aws = awsWith(accounts(2), (input) => {
      seen.push(input);
      return {};
    });

    await run(organisationDefinition(scanAccounts({ MaxConcurrency: 1 })), aws);

    expect(seen).toEqual([
      {
        account: { accountId: '100000000000' },
        index: 0,
        thresholdDays: 90,
        run: {
          executionName: 'parent-run',
          executionId: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:parent-run`,
        },
      },
      expect.objectContaining({ account: { accountId: '100000000001' }, index: 1 }),
    ]);
  });

  it('runs each item as its own child execution with its own $$.Execution', async () => {
    const aws = awsWith(accounts(2), () => ({}));
    const map = scanAccounts();
    const processor = map.ItemProcessor as { States: Record<string, AslState> };
    processor.States.ScanMember = {
      Type: 'Pass',
      Parameters: { 'id.$': '$$.Execution.Id', 'name.$': '$$.Execution.Name' },
      End: true,
    };

    const { events } = await run(organisationDefinition(map), aws);

    const children = eventsOf(events, 'ExecutionStarted').filter((e) => e.parentArn !== undefined);
    expect(children).toHaveLength(2);
    const outputs = eventsOf(events, 'ExecutionSucceeded')
      .filter((e) => children.some((c) => c.executionArn === e.executionArn))
      .map((e) => e.output as { id: string; name: string });
    expect(outputs.map((o) => o.id).sort()).toEqual(children.map((c) => c.executionArn).sort());
    for (const output of outputs) expect(output.id.endsWith(`/ScanAccounts:${output.name}`)).toBe(true);
  });

  it('a member failure caught inside the child is a SUCCEEDED child, so the Map succeeds at 0% tolerance', async () => {
    const aws = awsWith(accounts(4), (input) => {
      if (input.index === 2)
        throw Object.assign(new Error('AccessDenied on AssumeRole'), { name: 'AccessDenied' });
      return { ok: true };
    });

    const { result } = await run(organisationDefinition(scanAccounts()), aws);

    expect(result.status).toBe('SUCCEEDED');
    const { manifest } = result.output as { manifest: { Key: string } };
    const succeeded = aws.json<MapManifest>(BUCKET, manifest.Key).ResultFiles.SUCCEEDED[0]?.Key ?? '';
    const failedMember = aws
      .json<ChildExecutionRecord[]>(BUCKET, succeeded)
      .map((r) => JSON.parse(r.Output ?? 'null') as { status?: string; error?: { Error: string } })
      .find((o) => o.status === 'failed');
    expect(failedMember?.error?.Error).toBe('AccessDenied');
  });

  it('more failed children than ToleratedFailurePercentage allows fail the Map with States.ExceedToleratedFailureThreshold', async () => {
    const aws = awsWith(accounts(10), (input) => {
      if (input.index < 2) throw new Error('boom');
      return {};
    });

    const { result, events } = await run(
      organisationDefinition(scanAccounts({ ToleratedFailurePercentage: 10 }, false)),
      aws,
    );

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(eventsOf(events, 'MapRunFailed')).toHaveLength(1);
    // The Map's Catch took the run to MapFailed: Rollup never ran.
    expect(aws.invocations.filter((i) => i.functionName === functionArn('rollup'))).toHaveLength(0);
  });

  it('within ToleratedFailurePercentage the Map succeeds and FAILED_0.json lists each failed child with its Error and Cause', async () => {
    const aws = awsWith(accounts(10), (input) => {
      if (input.index === 7) throw Object.assign(new Error('no such role'), { name: 'NoSuchEntity' });
      return {};
    });

    const { result } = await run(
      organisationDefinition(scanAccounts({ ToleratedFailurePercentage: 10 }, false)),
      aws,
    );

    expect(result.status).toBe('SUCCEEDED');
    const { manifest } = result.output as { manifest: { Key: string } };
    const files = aws.json<MapManifest>(BUCKET, manifest.Key).ResultFiles;
    expect(files.SUCCEEDED).toHaveLength(1);
    expect(files.FAILED).toHaveLength(1);
    const failed = aws.json<ChildExecutionRecord[]>(BUCKET, files.FAILED[0]?.Key ?? '');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.Status).toBe('FAILED');
    expect(failed[0]?.Error).toBe('NoSuchEntity');
    expect(JSON.parse(failed[0]?.Cause ?? '{}')).toMatchObject({
      errorType: 'NoSuchEntity',
      errorMessage: 'no such role',
    });
    expect(failed[0]?.Output).toBeUndefined();
    expect((JSON.parse(failed[0]?.Input ?? '{}') as MemberInput).index).toBe(7);
    expect(aws.json<ChildExecutionRecord[]>(BUCKET, files.SUCCEEDED[0]?.Key ?? '')).toHaveLength(9);
  });

  it("a child input over 256 KiB fails the Map with States.DataLimitExceeded, which the Map's Catch does not handle", async () => {
    const aws = awsWith([{ accountId: '1', notes: 'x'.repeat(300 * 1024) }], () => ({}));

    const { result } = await run(organisationDefinition(scanAccounts()), aws);

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.DataLimitExceeded');
    expect(aws.invocations).toHaveLength(0);
  });

  it('an item list that is not a JSON array fails the Map with States.ItemReaderFailed', async () => {
    const aws = awsWith({ accounts: [] }, () => ({}));

    const { result } = await run(organisationDefinition(scanAccounts()), aws);

    expect(result.error).toBe('States.ItemReaderFailed');
  });

  it('without a ResultWriter the result is the children outputs, in item order', async () => {
    const aws = awsWith(accounts(5), (input) => input.index * 10);
    const definition: AslDefinition = {
      StartAt: 'ScanAccounts',
      States: {
        ScanAccounts: scanAccounts({
          ResultWriter: undefined,
          ResultPath: '$.scan',
          Next: undefined,
          End: true,
          Catch: undefined,
        }),
      },
    };
    const map = definition.States.ScanAccounts as Record<string, unknown>;
    for (const key of ['ResultWriter', 'Next', 'Catch']) delete map[key];

    const { result } = await run(definition, aws);

    expect((result.output as { scan: Json }).scan).toEqual([0, 10, 20, 30, 40]);
  });
});
