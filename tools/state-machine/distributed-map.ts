import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { AslDefinition, AslState } from './asl';
import { StatesError, UnsupportedAslError } from './errors';
import { evaluateTemplate, preview, readPath, type DataScope, type Json } from './json-path';
import { checkPayloadSize } from './payload-limit';
import type { ExecutionOptions, ExecutionResult, ExecutionScope } from './walker';

/**
 * A distributed Map (`ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`), as Step Functions runs one:
 *
 * 1. Items: a JSON array read from S3 by the `ItemReader` (`s3:getObject`, `InputType: JSON`,
 *    `MaxItems`), or the array at `ItemsPath` of the Map's input.
 * 2. Each item runs the `ItemProcessor` as a child execution of its own (`$$.Execution` is the
 *    child's), with the `ItemSelector` output as input (`$` the Map's input, `$$.Map.Item.Index`
 *    and `.Value` the item), at most `MaxConcurrency` at a time (0 or absent: the service's 10,000).
 * 3. More failed children than `ToleratedFailurePercentage` / `ToleratedFailureCount` allow:
 *    no new child starts, and the Map fails with States.ExceedToleratedFailureThreshold.
 * 4. With a `ResultWriter` (`s3:putObject`): `<Prefix>/<map run id>/SUCCEEDED_0.json` and
 *    `FAILED_0.json` (one JSON array of execution records per status that has any) and
 *    `manifest.json`; the Map's result is `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`.
 *    Without one, the result is the children's outputs in item order.
 */

/** Child executions in parallel when MaxConcurrency is 0 or absent (the service's limit). */
export const DISTRIBUTED_MAP_CONCURRENCY_LIMIT = 10_000;

/** One child execution as the ResultWriter exports it (Transformation NONE, OutputType JSON). */
export interface ChildExecutionRecord {
  readonly ExecutionArn: string;
  readonly Input: string;
  readonly InputDetails: { readonly Included: boolean };
  readonly Name: string;
  readonly Output?: string;
  readonly OutputDetails?: { readonly Included: boolean };
  readonly Error?: string;
  readonly Cause?: string;
  readonly StartDate: string;
  readonly StateMachineArn: string;
  readonly Status: 'SUCCEEDED' | 'FAILED';
  readonly StopDate: string;
}

export interface MapManifest {
  readonly DestinationBucket: string;
  readonly MapRunArn: string;
  readonly ResultFiles: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', Array<{ Key: string; Size: number }>>;
}

export interface DistributedMapRun {
  readonly name: string;
  readonly state: AslState;
  /** The Map's effective input (after InputPath). */
  readonly input: Json;
  readonly dataScope: DataScope;
  readonly scope: ExecutionScope;
  readonly runChild: (options: ExecutionOptions, parentArn: string) => Promise<ExecutionResult>;
}

function bucketAndKeyOf(
  parameters: Json,
  fields: readonly [string, string],
  where: string,
): [string, string] {
  const object = parameters as Record<string, Json> | null;
  const [first, second] = fields.map((field) => object?.[field]);
  if (typeof first !== 'string' || (typeof second !== 'string' && second !== undefined)) {
    throw new StatesError(
      'States.Runtime',
      `${where} needs ${fields.join(' and ')} strings, got ${preview(parameters)}`,
    );
  }
  return [first, second ?? ''];
}

async function readItems(run: DistributedMapRun): Promise<Json[]> {
  const { state, input, dataScope, scope } = run;
  const reader = state.ItemReader;
  if (reader === undefined) {
    const items = readPath(typeof state.ItemsPath === 'string' ? state.ItemsPath : '$', {
      ...dataScope,
      data: input,
    });
    if (!Array.isArray(items))
      throw new StatesError('States.Runtime', `the items of ${run.name} are not an array`);
    return items;
  }
  const parameters = evaluateTemplate(reader.Parameters ?? {}, { ...dataScope, data: input });
  const [bucket, key] = bucketAndKeyOf(parameters, ['Bucket', 'Key'], `the ItemReader of ${run.name}`);
  let items: unknown;
  try {
    items = JSON.parse(await scope.options.integrations.getS3Object(bucket, key));
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new StatesError('States.ItemReaderFailed', `reading s3://${bucket}/${key} failed: ${message}`);
  }
  if (!Array.isArray(items)) {
    throw new StatesError('States.ItemReaderFailed', `s3://${bucket}/${key} does not hold a JSON array`);
  }
  const maxItems = (reader.ReaderConfig as { MaxItems?: number } | undefined)?.MaxItems;
  return (maxItems ? items.slice(0, maxItems) : items) as Json[];
}

/** Runs `work(i)` for i in 0..count-1 with at most `limit` in flight; stops starting new ones once `stop()` says so. */
async function boundedPool(
  count: number,
  limit: number,
  stop: () => boolean,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) {
      const i = next++;
      await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

export async function runDistributedMap(run: DistributedMapRun): Promise<Json> {
  const { name, state, input, dataScope, scope } = run;
  const items = await readItems(run);
  const label = typeof state.Label === 'string' ? state.Label : name;
  const mapRunId = randomUUID();
  const childStateMachineArn = `${scope.options.stateMachineArn}/${label}`;
  const mapRunArn = `${childStateMachineArn.replace(':stateMachine:', ':mapRun:')}:${mapRunId}`;
  scope.emit({
    type: 'MapRunStarted',
    executionArn: scope.executionArn,
    state: name,
    mapRunArn,
    items: items.length,
  });

  const processor = state.ItemProcessor as unknown as AslDefinition;
  const results: Array<ExecutionResult | undefined> = new Array(items.length);
  let failed = 0;
  const toleratedPercentage = state.ToleratedFailurePercentage ?? 0;
  const toleratedCount = state.ToleratedFailureCount;
  const exceeded = () =>
    items.length > 0 &&
    ((failed / items.length) * 100 > toleratedPercentage ||
      (toleratedCount !== undefined && failed > toleratedCount));

  await boundedPool(
    items.length,
    state.MaxConcurrency || DISTRIBUTED_MAP_CONCURRENCY_LIMIT,
    exceeded,
    async (index) => {
      const item = items[index] ?? null;
      const itemScope: DataScope = {
        data: input,
        context: {
          ...(dataScope.context as Record<string, Json>),
          Map: { Item: { Index: index, Value: item } },
        },
      };
      const childInput =
        state.ItemSelector !== undefined ? evaluateTemplate(state.ItemSelector, itemScope) : item;
      checkPayloadSize(childInput, `The input of item ${index} of ${name}`, scope.options.payloadLimitBytes);
      const result = await run.runChild(
        {
          ...scope.options,
          definition: processor,
          input: childInput,
          stateMachineArn: childStateMachineArn,
          name: randomUUID(),
        },
        scope.executionArn,
      );
      results[index] = result;
      if (result.status === 'FAILED') failed++;
    },
  );

  const finished = results.filter((r): r is ExecutionResult => r !== undefined);
  const succeeded = finished.length - failed;
  if (exceeded()) {
    scope.emit({
      type: 'MapRunFailed',
      executionArn: scope.executionArn,
      state: name,
      mapRunArn,
      succeeded,
      failed,
    });
    throw new StatesError(
      'States.ExceedToleratedFailureThreshold',
      `The specified tolerated failure threshold was exceeded: ${failed} of ${items.length} child executions of ${name} failed`,
    );
  }
  scope.emit({
    type: 'MapRunSucceeded',
    executionArn: scope.executionArn,
    state: name,
    mapRunArn,
    succeeded,
    failed,
  });

  if (state.ResultWriter === undefined) {
    if (failed > 0) {
      throw new UnsupportedAslError(
        `${name}: a tolerated child failure without a ResultWriter: what Step Functions puts in the result array for it is not implemented`,
      );
    }
    return finished.map((r) => r.output ?? null);
  }
  return writeResults(run, mapRunArn, mapRunId, finished);
}

function recordOf(result: ExecutionResult): ChildExecutionRecord {
  const common = {
    ExecutionArn: result.executionArn,
    Input: JSON.stringify(result.input),
    InputDetails: { Included: true },
    Name: result.name,
  };
  const dates = {
    StartDate: result.startDate.toISOString(),
    StateMachineArn: result.stateMachineArn,
    Status: result.status,
    StopDate: result.stopDate.toISOString(),
  };
  return result.status === 'SUCCEEDED'
    ? {
        ...common,
        Output: JSON.stringify(result.output ?? null),
        OutputDetails: { Included: true },
        ...dates,
      }
    : { ...common, Error: result.error ?? '', Cause: result.cause ?? '', ...dates };
}

async function writeResults(
  run: DistributedMapRun,
  mapRunArn: string,
  mapRunId: string,
  finished: readonly ExecutionResult[],
): Promise<Json> {
  const { name, state, input, dataScope, scope } = run;
  const parameters = evaluateTemplate(state.ResultWriter?.Parameters ?? {}, { ...dataScope, data: input });
  const [bucket, prefix] = bucketAndKeyOf(parameters, ['Bucket', 'Prefix'], `the ResultWriter of ${name}`);
  const folder = `${prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`}${mapRunId}`;
  const put = async (key: string, body: string) => {
    try {
      await scope.options.integrations.putS3Object(bucket, key, body);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new StatesError('States.ResultWriterFailed', `writing s3://${bucket}/${key} failed: ${message}`);
    }
    return { Key: key, Size: Buffer.byteLength(body, 'utf8') };
  };
  const files: MapManifest['ResultFiles'] = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const records = finished.filter((r) => r.status === status).map(recordOf);
    if (records.length > 0)
      files[status].push(await put(`${folder}/${status}_0.json`, JSON.stringify(records)));
  }
  const manifest: MapManifest = { DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: files };
  const manifestKey = `${folder}/manifest.json`;
  await put(manifestKey, JSON.stringify(manifest));
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}
