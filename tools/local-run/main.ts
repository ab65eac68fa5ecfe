import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseIsoInstant } from '../../src/settings/parsers';
import { packageService, type PackagedService } from '../package-service';
import type { Json } from '../state-machine/json-path';
import { startExecution, type Integrations, type SnsMessage, type WalkEvent } from '../state-machine/walker';
import { LAMBDA_INVOKE } from '../state-machine/validate';
import { logicalIdsOfType, properties, stateMachineDefinition } from '../template';
import { unzip } from '../unzip';
import { invokeLocally, type LocalFunction } from './lambda-host';
import {
  findTopics,
  functionEnvironment,
  localStack,
  setUp,
  UsageError,
  type LocalStack,
} from './local-stack';

/**
 * `npm run invoke-local`: packages the service with the real `osls package` (offline), unzips each
 * function's zip, and walks the compiled template's own state machine with tools/state-machine,
 * each Lambda task running the unzipped handler in a fresh process with the function's environment
 * from the template, against the endpoint AWS_ENDPOINT_URL names. See docs/local-run.md.
 */

export const USAGE = `Usage: npm run invoke-local -- [options]

Packages the service with osls (offline), then runs the compiled state machine on this machine
against the AWS endpoint AWS_ENDPOINT_URL names (moto, LocalStack, ...). See docs/local-run.md.

Options
  --setup                create the template's buckets, topics and SSM parameters first (idempotent)
  --remediation          the same as --param remediation=true: the Disable step runs between the two
  --param name=value     a deploy parameter, as with osls deploy --param (repeatable)
  --stage name           stage name (default: local)
  --start-time instant   run as if the execution started then ($$.Execution.StartTime, ISO-8601);
                         an organisation run evaluates every account at it
  --publish-alert        really publish what sns:publish tasks send (the failure alert)
  --out file             also write the run (steps, results, error, alert) as JSON to this file
  --package-dir dir      keep the package (template, zips, unzipped bundles) under this directory
  --package-only         package and unzip, print where the handlers are, and exit (no endpoint needed)
  --allow-real-aws       run although AWS_ENDPOINT_URL is not set (i.e. against real AWS)
  -h, --help             this text`;

export interface MainOptions {
  /** The repository to package (the bundled entry cannot find it through __dirname). */
  readonly repoRoot: string;
  /** The bundled lambda-process.js, forked once per invocation. */
  readonly runtimeScript: string;
}

/** One Lambda invocation, with what Lambda's REPORT line would say of it. */
export interface InvocationRecord {
  readonly functionName: string;
  /** The top-level state that was running (a Map's children report their Map). */
  readonly state: string;
  readonly startedAt: string;
  readonly durationMs: number | null;
  readonly maxRssKib: number | null;
  readonly functionError: string | null;
}

/** One distributed Map run: when it started and ended (wall clock) and how its children ended. */
export interface MapRunRecord {
  readonly state: string;
  readonly items: number;
  readonly startedAt: string;
  endedAt: string | null;
  succeeded: number | null;
  failed: number | null;
}

export interface RunRecord {
  status: 'NOT_STARTED' | 'SUCCEEDED' | 'FAILED' | 'ERROR';
  executionArn?: string;
  steps: Array<{ state: string; output?: Json; error?: string }>;
  invocations: InvocationRecord[];
  mapRuns: MapRunRecord[];
  alert: {
    state: string;
    topicArn: string;
    subject: string | null;
    message: string;
    published: boolean;
    messageId: string | null;
  } | null;
  error: string | null;
}

interface CommandLine {
  setup: boolean;
  publishAlert: boolean;
  params: Record<string, string>;
  stage: string;
  startTime?: Date;
  out?: string;
  packageDir?: string;
  packageOnly: boolean;
  allowRealAws: boolean;
  help: boolean;
}

function parseCommandLine(argv: string[]): CommandLine {
  const { values } = parseArgs({
    args: argv,
    options: {
      setup: { type: 'boolean', default: false },
      remediation: { type: 'boolean', default: false },
      'publish-alert': { type: 'boolean', default: false },
      param: { type: 'string', multiple: true, default: [] },
      stage: { type: 'string', default: 'local' },
      'start-time': { type: 'string' },
      out: { type: 'string' },
      'package-dir': { type: 'string' },
      'package-only': { type: 'boolean', default: false },
      'allow-real-aws': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const params: Record<string, string> = {};
  for (const item of values.param) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects name=value, got "${item}"`);
    params[item.slice(0, eq)] = item.slice(eq + 1);
  }
  if (values.remediation) params.remediation = 'true';
  if (!/^[A-Za-z0-9-]+$/.test(values.stage)) throw new UsageError(`invalid --stage "${values.stage}"`);
  const startTime = values['start-time'] === undefined ? undefined : parseIsoInstant(values['start-time']);
  if (startTime === null) {
    throw new UsageError(
      `--start-time expects an ISO-8601 instant such as 2026-11-28T00:00:00Z, got "${values['start-time'] ?? ''}"`,
    );
  }
  return {
    setup: values.setup,
    publishAlert: values['publish-alert'],
    params,
    stage: values.stage,
    ...(startTime ? { startTime } : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values['package-dir'] ? { packageDir: path.resolve(values['package-dir']) } : {}),
    packageOnly: values['package-only'],
    allowRealAws: values['allow-real-aws'],
    help: values.help,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The AWS defaults of a local run, set before any SDK client exists. Returns the environment as the
 * user gave it (their values win over the functions' configured ones).
 */
function prepareAwsEnvironment(
  allowRealAws: boolean,
  log: (line: string) => void,
): Record<string, string | undefined> {
  const userEnv = { ...process.env };
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint && !allowRealAws) {
    throw new UsageError(
      'AWS_ENDPOINT_URL is not set: point it at a local AWS emulator (e.g. http://127.0.0.1:5000), ' +
        'or pass --allow-real-aws to run against the real account your credentials reach',
    );
  }
  process.env.AWS_REGION ??= process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (endpoint && !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) {
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
  }
  // The Lambda runtime is Node 22; on an older local Node the SDK would warn in every process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s3Endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? endpoint;
  if (s3Endpoint && isIP(new URL(s3Endpoint).hostname.replace(/^\[|\]$/g, '')) === 0) {
    log(
      `warning: ${s3Endpoint} is a host name, so S3 requests go to <bucket>.${new URL(s3Endpoint).host} ` +
        '(virtual-hosted style); use the IP address (http://127.0.0.1:<port>) for path-style requests',
    );
  }
  return {
    ...userEnv,
    ...pick(process.env, [
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
    ]),
  };
}

function pick(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name] as string]])),
  );
}

/** Each function of the package, unzipped next to it. */
async function unzipFunctions(
  packaged: PackagedService,
): Promise<Array<{ logicalId: string; codeDir: string; files: string[] }>> {
  const root = path.join(path.dirname(packaged.packageDir), 'functions');
  return Promise.all(
    packaged.functions.map(async (fn) => {
      const codeDir = path.join(root, fn.logicalId);
      return { logicalId: fn.logicalId, codeDir, files: await unzip(fn.zipFile, codeDir) };
    }),
  );
}

function serviceName(packaged: PackagedService): string {
  const state = JSON.parse(readFileSync(path.join(packaged.packageDir, 'serverless-state.json'), 'utf8')) as {
    service?: { service?: unknown };
  };
  if (typeof state.service?.service !== 'string') throw new Error('serverless-state.json names no service');
  return state.service.service;
}

export async function main(argv: string[], options: MainOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`[invoke-local] ${line}\n`);
  const print = (text: string) => process.stdout.write(`${text}\n`);
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (commandLine.help) {
    print(USAGE);
    return 0;
  }

  const record: RunRecord = {
    status: 'NOT_STARTED',
    steps: [],
    invocations: [],
    mapRuns: [],
    alert: null,
    error: null,
  };
  let packaged: PackagedService | undefined;
  let code: number;
  try {
    const userEnv = commandLine.packageOnly
      ? { ...process.env }
      : prepareAwsEnvironment(commandLine.allowRealAws, log);
    const started = Date.now();
    if (commandLine.packageDir) mkdirSync(commandLine.packageDir, { recursive: true });
    packaged = await packageService({
      repoRoot: options.repoRoot,
      stage: commandLine.stage,
      params: commandLine.params,
      ...(commandLine.packageDir ? { parentDir: commandLine.packageDir } : {}),
    });
    const unzipped = await unzipFunctions(packaged);
    log(
      `osls packaged ${packaged.artifacts.filter((a) => a.endsWith('.zip')).join(', ')} in ${Date.now() - started} ms (${packaged.packageDir})`,
    );
    if (commandLine.packageOnly) {
      print(JSON.stringify({ packageDir: packaged.packageDir, functions: unzipped }, null, 2));
      code = 0;
    } else {
      code = await run(commandLine, {
        packaged,
        unzipped,
        userEnv,
        record,
        log,
        print,
        runtimeScript: options.runtimeScript,
      });
    }
  } catch (error) {
    const line = error instanceof Error ? `${error.name}: ${oneLine(error.message)}` : oneLine(String(error));
    record.status = 'ERROR';
    record.error = line;
    process.stderr.write(`${line}\n`);
    code = error instanceof UsageError ? 2 : 1;
  } finally {
    if (packaged && !commandLine.packageDir) packaged.cleanUp();
  }
  if (commandLine.out) writeFileSync(commandLine.out, `${JSON.stringify(record, null, 2)}\n`);
  return code;
}

interface RunContext {
  readonly packaged: PackagedService;
  readonly unzipped: ReadonlyArray<{ logicalId: string; codeDir: string }>;
  readonly userEnv: Record<string, string | undefined>;
  readonly record: RunRecord;
  readonly log: (line: string) => void;
  readonly print: (text: string) => void;
  readonly runtimeScript: string;
}

async function run(commandLine: CommandLine, context: RunContext): Promise<number> {
  const { packaged, userEnv, record, log, print } = context;
  const { template } = packaged;
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const names = { template, region, stackName: `${serviceName(packaged)}-${commandLine.stage}`, userEnv };
  const topicArns = commandLine.setup ? await setUp(names, log) : await findTopics(names);
  const accountId =
    /^arn:[^:]+:sns:[^:]*:(\d{12}):/.exec(Object.values(topicArns)[0] ?? '')?.[1] ?? '000000000000';
  const stack = localStack({ ...names, topicArns, accountId });
  const functions = localFunctions(stack, context.unzipped);

  const [machineId, ...others] = logicalIdsOfType(template, 'AWS::StepFunctions::StateMachine');
  if (!machineId || others.length > 0)
    throw new UsageError('the template must hold exactly one state machine');
  const machineName = properties<{ StateMachineName?: unknown }>(template, machineId).StateMachineName;
  if (typeof machineName !== 'string') throw new UsageError(`${machineId} has no StateMachineName`);
  const definition = stateMachineDefinition(template, machineId, stack.lookup);
  log(
    `endpoint ${process.env.AWS_ENDPOINT_URL ?? '(real AWS)'}, region ${region}, stage ${commandLine.stage}, ` +
      `buckets ${Object.values(stack.bucketNames).join(', ')}, topics ${Object.values(topicArns).join(', ')}`,
  );

  let currentState = '';
  const integrations = localIntegrations({
    functions,
    region,
    userEnv,
    runtimeScript: context.runtimeScript,
    record,
    log,
    print,
    publish: commandLine.publishAlert,
    currentState: () => currentState,
  });
  // --start-time moves the execution's clock, not the machine's: time still passes from there.
  const offsetMs = commandLine.startTime ? commandLine.startTime.getTime() - Date.now() : 0;
  const now = () => new Date(Date.now() + offsetMs);
  const name = `local-${now().toISOString().replace(/[:.]/g, '')}`;
  const stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${machineName}`;
  let topExecution: string | undefined;
  const onEvent = (event: WalkEvent) => {
    if (event.type === 'ExecutionStarted' && event.parentArn === undefined) topExecution = event.executionArn;
    if (event.type === 'StateEntered' && event.executionArn === topExecution) currentState = event.state;
    recordEvent(event, event.executionArn === topExecution, { record, log, print });
  };
  const result = await startExecution({
    definition,
    input: {},
    integrations,
    stateMachineArn,
    name,
    onEvent,
    now,
  });
  record.executionArn = result.executionArn;
  record.status = result.status;
  if (result.status === 'SUCCEEDED') {
    log(`run succeeded: ${record.steps.map((s) => s.state).join(' -> ')}`);
    return 0;
  }
  const failedStep = record.steps.find((s) => s.error !== undefined);
  record.error = failedStep?.error ?? `${result.error ?? ''}: ${oneLine(result.cause ?? '')}`;
  process.stderr.write(`${failedStep ? `${failedStep.state} failed: ` : ''}${record.error}\n`);
  return 1;
}

function localFunctions(stack: LocalStack, unzipped: RunContext['unzipped']): Map<string, LocalFunction> {
  const functions = new Map<string, LocalFunction>();
  for (const { logicalId, codeDir } of unzipped) {
    const props = properties<{
      FunctionName: string;
      Handler: string;
      Timeout?: number;
      MemorySize?: number;
    }>(stack.template, logicalId);
    const functionArn = stack.lookup({ logicalId, attribute: 'Arn' });
    functions.set(functionArn, {
      logicalId,
      functionName: props.FunctionName,
      functionArn,
      codeDir,
      handler: props.Handler,
      // CloudFormation's defaults when the template leaves them out.
      timeoutSeconds: props.Timeout ?? 3,
      memorySize: props.MemorySize ?? 128,
      environment: functionEnvironment(stack, logicalId),
    });
  }
  return functions;
}

function localIntegrations(options: {
  functions: Map<string, LocalFunction>;
  region: string;
  userEnv: Record<string, string | undefined>;
  runtimeScript: string;
  record: RunRecord;
  log: (line: string) => void;
  print: (text: string) => void;
  publish: boolean;
  /** The state being run (the walker tells through its events): it names the alert in the record. */
  currentState: () => string;
}): Integrations {
  const s3 = new S3Client({});
  const sns = new SNSClient({});
  return {
    invokeLambda: async (functionName, payload) => {
      const fn = options.functions.get(functionName);
      if (!fn)
        throw Object.assign(new Error(`Function not found: ${functionName}`), {
          name: 'Lambda.ResourceNotFoundException',
        });
      options.log(`invoking ${fn.functionName}`);
      const startedAt = new Date().toISOString();
      const invocation = await invokeLocally(fn, payload, {
        region: options.region,
        userEnv: options.userEnv,
        runtimeScript: options.runtimeScript,
      });
      const { report } = invocation;
      options.record.invocations.push({
        functionName: fn.functionName,
        state: options.currentState(),
        startedAt,
        durationMs: report?.durationMs ?? null,
        maxRssKib: report?.maxRssKib ?? null,
        functionError: invocation.functionError ?? null,
      });
      if (report) {
        options.log(
          `REPORT ${fn.functionName} Duration: ${report.durationMs.toFixed(2)} ms ` +
            `Max Memory Used: ${Math.round(report.maxRssKib / 1024)} MB`,
        );
      }
      return invocation;
    },
    publishSns: async (message: SnsMessage) => {
      const alertState = options.currentState();
      options.print(
        `=== ${alertState}: SNS message to ${message.TopicArn} ` +
          `${options.publish ? 'published' : 'NOT published; --publish-alert sends it'} ===\n` +
          `Subject: ${message.Subject ?? ''}\n\n${message.Message}\n`,
      );
      const messageId = options.publish
        ? ((
            await sns.send(
              new PublishCommand({
                TopicArn: message.TopicArn,
                Subject: message.Subject,
                Message: message.Message,
              }),
            )
          ).MessageId ?? null)
        : null;
      options.record.alert = {
        state: alertState,
        topicArn: message.TopicArn,
        subject: message.Subject ?? null,
        message: message.Message,
        published: messageId !== null,
        messageId,
      };
      return { MessageId: messageId };
    },
    getS3Object: async (bucket, key) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    },
    putS3Object: async (bucket, key, body) => {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
    },
  };
}

/** What the run prints and records: each Lambda step's result or error, Map runs, retries, caught errors. */
function recordEvent(
  event: WalkEvent,
  topLevel: boolean,
  out: { record: RunRecord; log: (line: string) => void; print: (text: string) => void },
) {
  const { record, log, print } = out;
  switch (event.type) {
    case 'TaskSucceeded':
      if (event.resource === LAMBDA_INVOKE) {
        const output = (event.result as { Payload?: Json } | null)?.Payload ?? null;
        if (topLevel) {
          record.steps.push({ state: event.state, output });
          print(`=== ${event.state}: result ===\n${JSON.stringify(output, null, 2)}\n`);
        } else {
          log(`${event.state} (map item ${event.executionArn.split(':').pop() ?? ''}) succeeded`);
        }
      }
      break;
    case 'TaskFailed': {
      const detail = functionErrorMessage(event.cause);
      const line = `${event.error}: ${oneLine(detail ?? event.cause)}`;
      if (topLevel && event.resource === LAMBDA_INVOKE)
        record.steps.push({ state: event.state, error: line });
      else log(`${event.state} failed: ${line}`);
      break;
    }
    case 'StateRetried':
      log(
        `${event.state}: ${event.error}, retry ${event.attempt} (Step Functions would wait ${event.delaySeconds} s)`,
      );
      break;
    case 'ErrorCaught':
      log(`${event.state}: ${event.error} caught, next ${event.next}`);
      break;
    case 'MapRunStarted':
      record.mapRuns.push({
        state: event.state,
        items: event.items,
        startedAt: new Date().toISOString(),
        endedAt: null,
        succeeded: null,
        failed: null,
      });
      log(`${event.state}: map run ${event.mapRunArn} over ${event.items} items`);
      break;
    case 'MapRunSucceeded':
    case 'MapRunFailed': {
      const run = record.mapRuns.findLast((r) => r.state === event.state && r.endedAt === null);
      if (run)
        Object.assign(run, {
          endedAt: new Date().toISOString(),
          succeeded: event.succeeded,
          failed: event.failed,
        });
      if (topLevel) {
        record.steps.push({
          state: event.state,
          ...(event.type === 'MapRunSucceeded'
            ? { output: { mapRunArn: event.mapRunArn, succeeded: event.succeeded, failed: event.failed } }
            : { error: `States.ExceedToleratedFailureThreshold: ${event.failed} child executions failed` }),
        });
      }
      log(
        `${event.state}: map run ${event.type === 'MapRunSucceeded' ? 'succeeded' : 'failed'}, ${event.succeeded} succeeded, ${event.failed} failed`,
      );
      break;
    }
    default:
      break;
  }
}

/** A Lambda function error's Cause is `{ errorType, errorMessage, trace }`: the message is the readable part. */
function functionErrorMessage(cause: string): string | undefined {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
  } catch {
    return undefined;
  }
}
