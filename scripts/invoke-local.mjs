#!/usr/bin/env node
/**
 * Runs the BUNDLED Lambda handlers on this machine, the way the deployed state machine runs them,
 * against whatever AWS endpoint AWS_ENDPOINT_URL names (moto server, LocalStack, ...). See
 * docs/local-run.md.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:5000 node scripts/invoke-local.mjs --setup [--remediation]
 *
 * 1. Builds one bundle per function with esbuild, with the options of `custom.esbuild` in
 *    serverless.yml applied the way serverless-esbuild applies them (minified, cjs, node22, the AWS
 *    SDK inside), into a temporary directory.
 * 2. With --setup, creates what the stack would hold on the endpoint: the report bucket
 *    (CreateBucket), the topic (CreateTopic) and the SSM parameters (PutParameter), from
 *    serverless/resources.js.
 * 3. Walks the state machine of serverless/state-machine.js (Scan -> [Disable] -> Notify, Catch ->
 *    AlertFailure) in this process: each Lambda task requires its bundle (a cold start, with the
 *    function's environment from serverless/functions.js) and calls `handler(payload, context)`.
 *    Each step's JSON result is printed. When a step throws, the failure alert the state machine
 *    would publish is printed (and published with --publish-alert), and the script exits with 1 and
 *    the error on one line.
 *
 * Flags
 *   --setup                create the bucket, topic and SSM parameters first (idempotent)
 *   --remediation          deploy parameter remediation=true: the Disable step runs between the two
 *   --publish-alert        really publish the failure alert to the topic (as AlertFailure would)
 *   --param name=value     a deploy parameter, as with `osls deploy --param` (repeatable)
 *   --stage name           stage name (default: local)
 *   --out file             also write the run (steps, results, error, alert) as JSON to this file
 *   --build-dir dir        keep the bundles in this directory instead of a temporary one
 *   --print-build-options  print the esbuild options used for each bundle, and exit
 *   --allow-real-aws       run although AWS_ENDPOINT_URL is not set (i.e. against real AWS)
 *
 * Environment (default)
 *   AWS_ENDPOINT_URL                  required (unless --allow-real-aws); every SDK v3 client uses it.
 *                                     Use an IP address (127.0.0.1, not localhost): S3 then uses
 *                                     path-style URLs, which need no DNS.
 *   AWS_REGION                        us-east-1
 *   AWS_ACCESS_KEY_ID / _SECRET_...   test / test, when an endpoint is set and neither these nor
 *                                     AWS_PROFILE are
 *   REPORT_BUCKET                     stale-iam-<stage>-reports
 *   TOPIC_ARN                         the ARN CreateTopic returns (--setup), else the topic named
 *                                     stale-iam-<stage> found with ListTopics
 *   THRESHOLD_DAYS_PARAMETER          /stale-iam/<stage>/threshold-days
 *   REMEDIATION_MODE_PARAMETER        /stale-iam/<stage>/remediation-mode
 *   DEACTIVATE_ACCESS_KEYS_PARAMETER  /stale-iam/<stage>/deactivate-access-keys
 *   THRESHOLD_DAYS                    --setup writes this value (overwriting); unset: 90 (the
 *                                     thresholdDaysDefault deploy parameter), kept if the parameter exists
 *   REMEDIATION_MODE                  the same for the mode: dry-run unless set (enforce to act)
 *   DEACTIVATE_ACCESS_KEYS            the same for the key switch: false unless set
 *   Function settings, as in the deployed functions (defaults from serverless.yml's params):
 *   SCAN_SOURCE (credential-report), CREDENTIAL_SCOPE (all), NOTIFY_LANGUAGE (en),
 *   NOTIFY_WHEN_CLEAN (false), WARNING_DAYS (7), MAX_ACTIONS (10), MAX_PERCENT (20),
 *   EXEMPT_USER_NAMES, EXEMPT_PATH_PREFIXES, EXEMPT_GROUP_NAMES (empty), POWERTOOLS_LOG_LEVEL (INFO).
 */
import { Buffer } from 'node:buffer';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireCjs = createRequire(import.meta.url);

/** What Step Functions allows between states (and Lambda as a response). */
const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** serverless-esbuild's own options: removed before the rest goes to esbuild (its bundle.js does the same). */
const PLUGIN_ONLY_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
];

/** Which environment variable names the SSM parameter each logical id creates, and which one overrides its value. */
const PARAMETER_SETTINGS = {
  ThresholdDaysParameter: { nameVariable: 'THRESHOLD_DAYS_PARAMETER', valueVariable: 'THRESHOLD_DAYS' },
  RemediationModeParameter: { nameVariable: 'REMEDIATION_MODE_PARAMETER', valueVariable: 'REMEDIATION_MODE' },
  DeactivateAccessKeysParameter: {
    nameVariable: 'DEACTIVATE_ACCESS_KEYS_PARAMETER',
    valueVariable: 'DEACTIVATE_ACCESS_KEYS',
  },
};

class UsageError extends Error {
  name = 'UsageError';
}

/* ------------------------------------------------------------------------------ serverless.yml */

/**
 * The plain `key: value` entries of serverless.yml, by dotted path (`custom.esbuild.minify`). Only
 * the flat blocks this script reads are interpreted (params.default, provider, custom.esbuild); a
 * value there that is not a plain scalar or a flow list of scalars is refused, never guessed.
 */
export function readServerlessYml(file = path.join(ROOT, 'serverless.yml')) {
  const entries = new Map();
  const stack = [];
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    const indent = line.length - line.trimStart().length;
    const match = /^\s*([A-Za-z0-9_$.-]+):(?:\s+(.*))?$/.exec(line);
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    if (!match) return; // list items and block-scalar lines belong to blocks this script does not read
    const [, key, rest = ''] = match;
    const value = rest.trim();
    if (value === '' || value.startsWith('#')) {
      stack.push({ indent, key });
      return;
    }
    entries.set([...stack.map((s) => s.key), key].join('.'), { raw: value, line: index + 1 });
  });
  return entries;
}

/** The flat map under a dotted path, with scalars parsed; nested blocks are refused unless `ignoreNested`. */
export function yamlMap(entries, prefix, { ignoreNested = false } = {}) {
  const map = {};
  for (const [key, { raw, line }] of entries) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const name = key.slice(prefix.length + 1);
    if (name.includes('.')) {
      if (ignoreNested) continue;
      throw new UsageError(`serverless.yml line ${line}: nested ${key} is not supported by invoke-local`);
    }
    map[name] = yamlScalar(raw, line);
  }
  return map;
}

function yamlScalar(raw, line) {
  const text = raw.trim();
  if (text.startsWith("'")) {
    const end = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(text);
    if (!end) throw new UsageError(`serverless.yml line ${line}: cannot read ${raw}`);
    return end[1].replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    const end = /^("(?:[^"\\]|\\.)*")\s*(#.*)?$/.exec(text);
    if (!end) throw new UsageError(`serverless.yml line ${line}: cannot read ${raw}`);
    return JSON.parse(end[1]);
  }
  const plain = text.replace(/\s+#.*$/, '');
  if (plain.startsWith('[')) {
    if (!plain.endsWith(']')) throw new UsageError(`serverless.yml line ${line}: cannot read ${raw}`);
    const inner = plain.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((item) => yamlScalar(item, line));
  }
  if (/^[{|>&*!]/.test(plain)) {
    throw new UsageError(`serverless.yml line ${line}: ${raw} is not supported by invoke-local`);
  }
  if (plain === 'true' || plain === 'false') return plain === 'true';
  if (plain === 'null' || plain === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(plain)) return Number(plain);
  return plain;
}

/** `${param:name}` in a serverless.yml value; any other variable source is refused. */
function resolveYmlVariables(value, params) {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{([^}]+)\}/g, (whole, address) => {
    const param = /^param:([A-Za-z0-9_]+)$/.exec(address.trim());
    if (!param || !(param[1] in params)) throw new UsageError(`cannot resolve ${whole} locally`);
    return String(params[param[1]]);
  });
}

/**
 * The esbuild options serverless-esbuild would use for each function: its defaults, the runtime's
 * target, custom.esbuild on top (arrays replace), plugin-only keys removed, `exclude` added to
 * `external` (none here: the SDK is bundled).
 */
export function esbuildOptionsFrom(entries) {
  const custom = yamlMap(entries, 'custom.esbuild');
  for (const unsupported of ['config', 'plugins']) {
    if (unsupported in custom) {
      throw new UsageError(`custom.esbuild.${unsupported} is not supported by invoke-local`);
    }
  }
  const runtime = yamlMap(entries, 'provider', { ignoreNested: true }).runtime;
  const runtimeTarget = typeof runtime === 'string' ? /^nodejs(\d+)\.x$/.exec(runtime)?.[1] : undefined;
  const merged = {
    bundle: true,
    target: runtimeTarget ? `node${runtimeTarget}` : 'node18',
    external: [],
    exclude: ['aws-sdk'],
    platform: 'node',
    ...custom,
  };
  const exclude = [merged.exclude ?? []].flat();
  const options = Object.fromEntries(
    Object.entries(merged).filter(([key]) => !PLUGIN_ONLY_OPTIONS.includes(key)),
  );
  options.external = [...[merged.external ?? []].flat(), ...(exclude.includes('*') ? [] : exclude)];
  return options;
}

/* ------------------------------------------------------------------------------------- building */

/** `src/functions/scan/handler.handler` -> the entry file and the export, as serverless-esbuild finds them. */
function entryOf(handler) {
  const dot = handler.lastIndexOf('.');
  const base = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const extension = ['.ts', '.js', '.jsx', '.tsx'].find((ext) => existsSync(path.join(ROOT, base + ext)));
  if (!extension) throw new UsageError(`no source file for handler ${handler}`);
  return { entry: base + extension, bundle: `${base}.js`, exportName };
}

/** One esbuild run per function, each entry into `<outDir>/<its folder>`, as serverless-esbuild does. */
export async function buildBundles(functions, esbuildOptions, outDir) {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  // The bundles are CommonJS whatever a package.json further up says.
  writeFileSync(path.join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  const built = {};
  await Promise.all(
    Object.entries(functions).map(async ([key, fn]) => {
      const { entry, bundle, exportName } = entryOf(fn.handler);
      await build({
        ...esbuildOptions,
        absWorkingDir: ROOT,
        entryPoints: [entry],
        outdir: path.join(outDir, path.dirname(entry)),
        logLevel: 'warning',
      });
      built[key] = { file: path.join(outDir, bundle), exportName };
    }),
  );
  return built;
}

/* ------------------------------------------------------------------------- the service's shape */

/**
 * The deployed service as serverless.yml and serverless/*.js describe it, for one stage and set of
 * deploy parameters: functions (with environment), the state machine definition, the resources.
 */
export async function loadService({ stage, paramOverrides, remediation }) {
  const entries = readServerlessYml();
  const params = { ...yamlMap(entries, 'params.default'), ...paramOverrides };
  if (remediation) params.remediation = 'true';
  const resolveVariable = async (address) => {
    if (address === 'sls:stage') return stage;
    const param = /^param:(.+)$/.exec(address);
    if (param && param[1] in params) return params[param[1]];
    throw new UsageError(`cannot resolve \${${address}} locally`);
  };
  const serverlessDir = path.join(ROOT, 'serverless');
  const settings = requireCjs(path.join(serverlessDir, 'settings.js'));
  const functions = await requireCjs(path.join(serverlessDir, 'functions.js'))({ resolveVariable });
  const stateMachines = await requireCjs(path.join(serverlessDir, 'state-machine.js'))({ resolveVariable });
  const resources = await requireCjs(path.join(serverlessDir, 'resources.js'))({ resolveVariable });
  const provider = yamlMap(entries, 'provider', { ignoreNested: true });
  const providerEnvironment = Object.fromEntries(
    Object.entries(yamlMap(entries, 'provider.environment')).map(([k, v]) => [
      k,
      String(resolveYmlVariables(v, params)),
    ]),
  );
  const machines = Object.values(stateMachines);
  if (machines.length !== 1) throw new UsageError('expected exactly one state machine in serverless/');
  return {
    stage,
    params,
    settings,
    names: settings.namesFor(stage),
    functions,
    stateMachine: machines[0],
    resources: resources.Resources,
    provider,
    providerEnvironment,
    esbuildOptions: esbuildOptionsFrom(entries),
  };
}

/* ----------------------------------------------------------------------------------- AWS setup */

async function sdk() {
  const [s3, sns, ssm] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-sns'),
    import('@aws-sdk/client-ssm'),
  ]);
  return { s3, sns, ssm };
}

/** Creates the bucket, the topic and the SSM parameters the stack would hold. Returns the topic ARN. */
async function setUp(service, local, log) {
  const { s3, sns, ssm } = await sdk();
  const region = process.env.AWS_REGION;
  let topicArn = null;
  for (const [logicalId, resource] of Object.entries(service.resources)) {
    if (resource.Type === 'AWS::S3::Bucket') {
      const client = new s3.S3Client({});
      try {
        await client.send(
          new s3.CreateBucketCommand({
            Bucket: local.bucket,
            ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }),
          }),
        );
        log(`setup: created bucket ${local.bucket}`);
      } catch (error) {
        if (error?.name !== 'BucketAlreadyOwnedByYou' && error?.name !== 'BucketAlreadyExists') throw error;
        log(`setup: bucket ${local.bucket} exists`);
      }
    } else if (resource.Type === 'AWS::SNS::Topic') {
      const client = new sns.SNSClient({});
      const name = resource.Properties.TopicName;
      ({ TopicArn: topicArn } = await client.send(new sns.CreateTopicCommand({ Name: name })));
      log(`setup: topic ${topicArn}`);
    } else if (resource.Type === 'AWS::SSM::Parameter') {
      const client = new ssm.SSMClient({});
      const variables = PARAMETER_SETTINGS[logicalId];
      const name = (variables && local.userEnv[variables.nameVariable]) || resource.Properties.Name;
      const override = variables ? local.userEnv[variables.valueVariable] : undefined;
      const value = override ?? resource.Properties.Value;
      try {
        await client.send(
          new ssm.PutParameterCommand({
            Name: name,
            Value: value,
            Type: resource.Properties.Type,
            Overwrite: override !== undefined,
          }),
        );
        log(`setup: parameter ${name} = ${JSON.stringify(value)}`);
      } catch (error) {
        if (error?.name !== 'ParameterAlreadyExists') throw error;
        log(
          `setup: parameter ${name} exists, value kept (set ${variables?.valueVariable ?? 'it'} to overwrite)`,
        );
      }
    }
  }
  return topicArn;
}

/** Without --setup: the topic the stack would have, found by name. */
async function findTopic(service) {
  const topic = Object.values(service.resources).find((r) => r.Type === 'AWS::SNS::Topic');
  const name = topic?.Properties?.TopicName;
  const { sns } = await sdk();
  const client = new sns.SNSClient({});
  let NextToken;
  do {
    const page = await client.send(new sns.ListTopicsCommand({ NextToken }));
    const found = (page.Topics ?? []).find((t) => t.TopicArn?.endsWith(`:${name}`));
    if (found) return found.TopicArn;
    NextToken = page.NextToken;
  } while (NextToken);
  throw new UsageError(
    `TOPIC_ARN is not set and the endpoint has no topic named ${name}: run with --setup, or set TOPIC_ARN`,
  );
}

async function publish(topicArn, subject, message) {
  const { sns } = await sdk();
  const { MessageId } = await new sns.SNSClient({}).send(
    new sns.PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }),
  );
  return MessageId ?? null;
}

/* ------------------------------------------------------------------------ Lambda and Step Functions */

/** The context object the Lambda runtime passes, for a function with this timeout (seconds). */
export function lambdaContext({ functionName, region, accountId, memorySize, timeoutSeconds }) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: String(memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Variables the Lambda runtime sets in every function (UTC clock included). */
function lambdaRuntimeEnvironment(context) {
  return {
    AWS_LAMBDA_FUNCTION_NAME: context.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: context.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: context.memoryLimitInMB,
    AWS_LAMBDA_LOG_GROUP_NAME: context.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: context.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    TZ: 'UTC',
  };
}

/** What Step Functions puts in `$.error` when a Lambda function throws (Cause as the Node runtime writes it). */
function lambdaError(error) {
  const errorType = error instanceof Error ? error.name || 'Error' : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  // The frames of this script stand in for the Lambda runtime's: leave them out.
  const trace =
    error instanceof Error && error.stack
      ? error.stack.split('\n').filter((line) => !line.includes(import.meta.url))
      : [];
  return { Error: errorType, Cause: JSON.stringify({ errorType, errorMessage, trace }) };
}

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

/** `$.a.b` / `$$.Execution.Id` against the state input and the context object. */
function readPath(pathText, input, contextObject) {
  const [root, ...keys] = pathText.startsWith('$$.')
    ? [contextObject, ...pathText.slice(3).split('.')]
    : pathText === '$'
      ? [input]
      : [input, ...pathText.slice(2).split('.')];
  return keys.reduce((value, key) => (value == null ? undefined : value[key]), root);
}

/** `States.Format('text with {} and {}', $.a, $$.b)`: the one intrinsic the alert uses. */
export function statesFormat(expression, input, contextObject) {
  const match = /^States\.Format\('((?:[^'\\]|\\.)*)'((?:\s*,\s*\$\$?[A-Za-z0-9_.]*)*)\s*\)$/s.exec(
    expression,
  );
  if (!match) throw new UsageError(`invoke-local cannot evaluate ${expression.slice(0, 60)}...`);
  const args = match[2]
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .map((a) => readPath(a, input, contextObject));
  let out = '';
  const template = match[1];
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '\\') {
      out += template[++i] ?? '';
    } else if (ch === '{' && template[i + 1] === '}') {
      const value = args.shift();
      out += typeof value === 'string' ? value : JSON.stringify(value);
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** serverless-step-functions' `#{Name}` (a CloudFormation substitution at deploy time), resolved locally. */
function substituteDeployTime(value, substitutions) {
  if (typeof value === 'string') {
    return value.replace(/#\{([^}]+)\}/g, (whole, name) => {
      if (!(name in substitutions)) throw new UsageError(`cannot resolve ${whole} locally`);
      return substitutions[name];
    });
  }
  if (Array.isArray(value)) return value.map((v) => substituteDeployTime(v, substitutions));
  if (value && typeof value === 'object') {
    if ('Ref' in value && Object.keys(value).length === 1) {
      if (!(value.Ref in substitutions)) throw new UsageError(`cannot resolve Ref ${value.Ref} locally`);
      return substitutions[value.Ref];
    }
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteDeployTime(v, substitutions)]),
    );
  }
  return value;
}

function jsonRoundTrip(value, what) {
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text, 'utf8') > PAYLOAD_LIMIT_BYTES) {
    const error = new Error(`${what} is ${Buffer.byteLength(text, 'utf8')} bytes, over the 256 KiB limit`);
    error.name = 'States.DataLimitExceeded';
    throw error;
  }
  return JSON.parse(text);
}

/**
 * Walks the definition: Task (lambda:invoke, sns:publish), Succeed, Fail; Catch by error name or
 * States.ALL with its ResultPath. Anything else in the definition is refused rather than imitated.
 */
async function runStateMachine(definition, { invokeFunction, publishAlert, contextObject, print }) {
  const steps = [];
  let alert = null;
  let stateName = definition.StartAt;
  let input = {};
  for (;;) {
    const state = definition.States[stateName];
    if (!state) throw new UsageError(`the definition has no state ${stateName}`);
    if (state.Type === 'Succeed') return { status: 'SUCCEEDED', output: input, steps, alert };
    if (state.Type === 'Fail') {
      const error = state.ErrorPath ? readPath(state.ErrorPath, input, contextObject) : state.Error;
      const cause = state.CausePath ? readPath(state.CausePath, input, contextObject) : state.Cause;
      return { status: 'FAILED', error, cause, steps, alert };
    }
    if (state.Type !== 'Task') throw new UsageError(`invoke-local does not run ${state.Type} states`);

    let output;
    try {
      if (state.Resource === 'arn:aws:states:::lambda:invoke') {
        if (state.Parameters?.['Payload.$'] !== '$' || state.OutputPath !== '$.Payload') {
          throw new UsageError(
            `state ${stateName}: only Payload.$ = $ and OutputPath $.Payload are supported`,
          );
        }
        const payload = jsonRoundTrip(input, `the input of ${stateName}`);
        try {
          const result = await invokeFunction(state.Parameters.FunctionName, payload, stateName);
          output = jsonRoundTrip(result, `the result of ${stateName}`);
          steps.push({ state: stateName, output });
          print(`=== ${stateName}: result ===\n${JSON.stringify(output, null, 2)}\n`);
        } catch (error) {
          steps.push({
            state: stateName,
            error: `${error?.name ?? 'Error'}: ${oneLine(error?.message ?? error)}`,
          });
          throw error;
        }
      } else if (state.Resource === 'arn:aws:states:::sns:publish') {
        const params = state.Parameters ?? {};
        const message =
          'Message.$' in params ? statesFormat(params['Message.$'], input, contextObject) : params.Message;
        alert = { state: stateName, topicArn: params.TopicArn, subject: params.Subject, message };
        const messageId = await publishAlert(alert);
        alert = { ...alert, published: messageId !== null, messageId };
        output = { MessageId: messageId };
      } else {
        throw new UsageError(`invoke-local does not run tasks of ${state.Resource}`);
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const name = error?.name ?? 'Error';
      const catcher = (state.Catch ?? []).find(
        (c) => c.ErrorEquals.includes('States.ALL') || c.ErrorEquals.includes(name),
      );
      if (!catcher) throw error;
      input = withResult(input, catcher.ResultPath ?? '$', lambdaError(error));
      stateName = catcher.Next;
      continue;
    }
    if (state.ResultPath !== undefined) input = withResult(input, state.ResultPath, output);
    else input = output;
    if (state.End) return { status: 'SUCCEEDED', output: input, steps, alert };
    stateName = state.Next;
  }
}

/** ResultPath: null keeps the input, `$` replaces it, `$.x` sets one field of a copy. */
function withResult(input, resultPath, result) {
  if (resultPath === null) return input;
  if (resultPath === '$') return result;
  const keys = resultPath.slice(2).split('.');
  const copy = JSON.parse(JSON.stringify(input ?? {}));
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] ??= {};
  target[keys[keys.length - 1]] = result;
  return copy;
}

/* ------------------------------------------------------------------------------------------ main */

function parseCommandLine(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      setup: { type: 'boolean', default: false },
      remediation: { type: 'boolean', default: false },
      'publish-alert': { type: 'boolean', default: false },
      param: { type: 'string', multiple: true, default: [] },
      stage: { type: 'string', default: 'local' },
      out: { type: 'string' },
      'build-dir': { type: 'string' },
      'print-build-options': { type: 'boolean', default: false },
      'allow-real-aws': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const paramOverrides = {};
  for (const item of values.param) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects name=value, got "${item}"`);
    paramOverrides[item.slice(0, eq)] = item.slice(eq + 1);
  }
  if (!/^[A-Za-z0-9-]+$/.test(values.stage)) throw new UsageError(`invalid --stage "${values.stage}"`);
  return { ...values, paramOverrides };
}

function usage() {
  const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0] ?? '';
  return header
    .split('\n')
    .slice(2)
    .map((line) => line.replace(/^ \* ?/, ''))
    .join('\n');
}

/**
 * Sets the AWS defaults of a local run in process.env before any SDK client exists. Returns the
 * environment as the user gave it (their values win over the functions' configured ones).
 */
function prepareAwsEnvironment(allowRealAws, log) {
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
  // The Lambda runtime is Node 22; on an older local Node the SDK would warn on every client.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s3Endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? endpoint;
  if (s3Endpoint && isIP(new URL(s3Endpoint).hostname.replace(/^\[|\]$/g, '')) === 0) {
    log(
      `warning: ${s3Endpoint} is a host name, so S3 requests go to <bucket>.${new URL(s3Endpoint).host} ` +
        '(virtual-hosted style); use the IP address (http://127.0.0.1:<port>) for path-style requests',
    );
  }
  return userEnv;
}

/** Lambda functions get only their own environment: provider's, then the function's, then the user's overrides. */
function functionEnvironment(service, fn, local) {
  const configured = {
    ...service.providerEnvironment,
    ...substituteDeployTime(fn.environment ?? {}, local.substitutions),
  };
  return Object.fromEntries(
    Object.entries(configured).map(([name, value]) => [name, local.userEnv[name] ?? String(value)]),
  );
}

export async function main(argv = process.argv.slice(2)) {
  const log = (line) => process.stderr.write(`[invoke-local] ${line}\n`);
  const print = (text) => process.stdout.write(`${text}\n`);
  let options;
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${usage()}\n`);
    return 2;
  }
  if (options.help) {
    print(usage());
    return 0;
  }

  const record = { status: 'NOT_STARTED', steps: [], alert: null, error: null };
  const buildDir = options['build-dir']
    ? path.resolve(options['build-dir'])
    : mkdtempSync(path.join(tmpdir(), 'stale-iam-invoke-local-'));
  let code;
  try {
    code = await run(options, { log, print, record, buildDir });
  } catch (error) {
    const line = `${error?.name ?? 'Error'}: ${oneLine(error?.message ?? error)}`;
    record.status = 'ERROR';
    record.error = line;
    process.stderr.write(`${line}\n`);
    code = error instanceof UsageError ? 2 : 1;
  } finally {
    if (!options['build-dir']) rmSync(buildDir, { recursive: true, force: true });
  }
  if (options.out) writeFileSync(options.out, `${JSON.stringify(record, null, 2)}\n`);
  return code;
}

async function run(options, { log, print, record, buildDir }) {
  const service = await loadService({
    stage: options.stage,
    paramOverrides: options.paramOverrides,
    remediation: options.remediation,
  });
  if (options['print-build-options']) {
    print(JSON.stringify(service.esbuildOptions, null, 2));
    return 0;
  }

  const userEnv = prepareAwsEnvironment(options['allow-real-aws'], log);
  const region = process.env.AWS_REGION;
  const bucket = userEnv.REPORT_BUCKET || `${service.names.service}-${options.stage}-reports`;
  const local = { userEnv, bucket, substitutions: {} };

  const started = Date.now();
  const bundles = await buildBundles(service.functions, service.esbuildOptions, buildDir);
  log(`built ${Object.keys(bundles).join(', ')} in ${Date.now() - started} ms into ${buildDir}`);

  const createdTopic = options.setup ? await setUp(service, local, log) : null;
  const topicArn = userEnv.TOPIC_ARN || createdTopic || (await findTopic(service));
  const accountId = /^arn:[^:]+:sns:[^:]*:(\d{12}):/.exec(topicArn)?.[1] ?? '000000000000';
  const { LOGICAL_IDS } = service.settings;
  local.substitutions = {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::Partition': 'aws',
    [LOGICAL_IDS.bucket]: bucket,
    [LOGICAL_IDS.topic]: topicArn,
  };
  log(
    `endpoint ${process.env.AWS_ENDPOINT_URL ?? '(real AWS)'}, region ${region}, stage ${options.stage}, ` +
      `bucket ${bucket}, topic ${topicArn}, remediation ${options.remediation ? 'deployed' : 'off'}`,
  );

  const lambdaIdToKey = Object.fromEntries(
    Object.keys(service.functions).map((key) => [LOGICAL_IDS.lambdaOf(key), key]),
  );
  // Refs and #{...} resolved; a task's FunctionName stays { Fn::GetAtt: [<Key>LambdaFunction, Arn] }.
  const definition = substituteDeployTime(service.stateMachine.definition, local.substitutions);
  const executionId =
    `arn:aws:states:${region}:${accountId}:execution:${service.stateMachine.name}:` +
    `local-${new Date().toISOString().replace(/[:.]/g, '')}`;
  const contextObject = { Execution: { Id: executionId, Name: executionId.split(':').pop() } };

  let previousEnv = {};
  const invokeFunction = async (functionName, payload, stateName) => {
    const lambdaId = functionName?.['Fn::GetAtt']?.[0];
    const key = lambdaIdToKey[lambdaId];
    const fn = service.functions[key];
    if (!fn)
      throw new UsageError(`state ${stateName} calls ${JSON.stringify(functionName)}, not a function here`);
    // This function's environment only (a Lambda function sees its own variables, not its neighbours').
    for (const name of Object.keys(previousEnv)) {
      if (userEnv[name] === undefined) delete process.env[name];
      else process.env[name] = userEnv[name];
    }
    const context = lambdaContext({
      functionName: fn.name,
      region,
      accountId,
      memorySize: fn.memorySize ?? service.provider.memorySize ?? 1024,
      timeoutSeconds: fn.timeout ?? service.provider.timeout ?? 6,
    });
    const env = { ...functionEnvironment(service, fn, local), ...lambdaRuntimeEnvironment(context) };
    Object.assign(process.env, env);
    previousEnv = env;
    log(`${stateName}: invoking ${fn.name}`);
    // A cold start: the bundle is loaded now, with its environment in place (@middy/ssm prefetches on load).
    const bundle = requireCjs(bundles[key].file);
    const handler = bundle[bundles[key].exportName];
    if (typeof handler !== 'function')
      throw new UsageError(`${bundles[key].file} exports no ${bundles[key].exportName}`);
    return handler(payload, context);
  };

  const publishAlert = async (alert) => {
    print(
      `=== ${alert.state}: failure alert (SNS ${alert.topicArn}) ` +
        `${options['publish-alert'] ? 'published' : 'NOT published; --publish-alert sends it'} ===\n` +
        `Subject: ${alert.subject}\n\n${alert.message}\n`,
    );
    return options['publish-alert'] ? publish(alert.topicArn, alert.subject, alert.message) : null;
  };

  const outcome = await runStateMachine(definition, { invokeFunction, publishAlert, contextObject, print });
  record.status = outcome.status;
  record.steps = outcome.steps;
  record.alert = outcome.alert;
  record.executionId = executionId;
  if (outcome.status === 'SUCCEEDED') {
    log(`run succeeded: ${outcome.steps.map((s) => s.state).join(' -> ')}`);
    return 0;
  }
  const failedStep = outcome.steps.find((s) => s.error);
  record.error = failedStep?.error ?? `${outcome.error}: ${outcome.cause}`;
  process.stderr.write(`${failedStep ? `${failedStep.state} failed: ` : ''}${record.error}\n`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const code = await main();
  // @middy/ssm keeps a refresh timer and the SDK keeps sockets: a Lambda process would be frozen
  // here, this one exits.
  process.exit(code);
}
