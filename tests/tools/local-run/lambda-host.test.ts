import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { invokeLocally, type LocalFunction } from '../../../tools/local-run/lambda-host';

/**
 * One invocation of an unzipped function in a process of its own, through the bundled
 * lambda-process.js that `npm run invoke-local` forks. The handlers here are tiny CommonJS files.
 */

let dir: string;
let runtimeScript: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stale-iam-lambda-host-'));
  runtimeScript = path.join(dir, 'runtime', 'lambda-process.js');
  await build({
    entryPoints: [path.resolve(__dirname, '../../../tools/local-run/lambda-process.ts')],
    outfile: runtimeScript,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  const code = path.join(dir, 'code', 'src');
  mkdirSync(code, { recursive: true });
  writeFileSync(
    path.join(code, 'handler.js'),
    `exports.handler = async (event, context) => ({
       event,
       setting: process.env.SETTING,
       leaked: process.env.NOT_FOR_LAMBDA ?? null,
       region: process.env.AWS_REGION,
       functionName: context.functionName,
       envFunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
       tz: process.env.TZ,
       remainingMs: context.getRemainingTimeInMillis(),
     });
     class InvalidConfigError extends Error { constructor(m) { super(m); this.name = 'InvalidConfigError'; } }
     exports.fails = async () => { throw new InvalidConfigError('threshold days must be a whole number'); };
     exports.hangs = () => new Promise(() => setInterval(() => undefined, 1000));`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fn(handler: string, timeoutSeconds = 10): LocalFunction {
  return {
    logicalId: 'ScanLambdaFunction',
    functionName: 'stale-iam-local-scan',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:stale-iam-local-scan',
    codeDir: path.join(dir, 'code'),
    handler,
    timeoutSeconds,
    memorySize: 1024,
    environment: { SETTING: 'from-template', OTHER: 'x' },
  };
}

const userEnv = { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', NOT_FOR_LAMBDA: 'secret' };

describe('a local Lambda invocation', () => {
  it("runs the handler in a process of its own with the function's environment, the runtime's variables and a context", async () => {
    const result = await invokeLocally(
      fn('src/handler.handler'),
      { hello: 'world' },
      { region: 'eu-west-1', userEnv, runtimeScript },
    );

    expect(result.functionError).toBeUndefined();
    expect(result.payload).toMatchObject({
      event: { hello: 'world' },
      setting: 'from-template',
      leaked: null,
      region: 'eu-west-1',
      functionName: 'stale-iam-local-scan',
      envFunctionName: 'stale-iam-local-scan',
      tz: 'UTC',
    });
    const remaining = (result.payload as { remainingMs: number }).remainingMs;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(10_000);
  });

  it("reports, like Lambda's REPORT line, how long the handler ran and the process's peak memory", async () => {
    const result = await invokeLocally(
      fn('src/handler.handler'),
      {},
      { region: 'eu-west-1', userEnv, runtimeScript },
    );
    const failed = await invokeLocally(
      fn('src/handler.fails'),
      {},
      { region: 'eu-west-1', userEnv, runtimeScript },
    );

    for (const { report } of [result, failed]) {
      expect(report?.durationMs).toBeGreaterThanOrEqual(0);
      expect(report?.durationMs).toBeLessThan(10_000);
      // A Node process holds some tens of MiB at least, and this one far less than a GiB.
      expect(report?.maxRssKib).toBeGreaterThan(10 * 1024);
      expect(report?.maxRssKib).toBeLessThan(1024 * 1024);
    }
  });

  it("lets a variable set by the user win over the function's configured value", async () => {
    const result = await invokeLocally(
      fn('src/handler.handler'),
      {},
      { region: 'eu-west-1', userEnv: { ...userEnv, SETTING: 'mine' }, runtimeScript },
    );

    expect((result.payload as { setting: string }).setting).toBe('mine');
  });

  it('reports a thrown error as the Node runtime does: Unhandled, with errorType, errorMessage and trace', async () => {
    const result = await invokeLocally(
      fn('src/handler.fails'),
      {},
      { region: 'eu-west-1', userEnv, runtimeScript },
    );

    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({
      errorType: 'InvalidConfigError',
      errorMessage: 'threshold days must be a whole number',
      trace: expect.arrayContaining([expect.stringContaining('InvalidConfigError: threshold days')]),
    });
  });

  it('ends a handler that outlives its Timeout with Sandbox.Timedout', async () => {
    const result = await invokeLocally(
      fn('src/handler.hangs', 1),
      {},
      { region: 'eu-west-1', userEnv, runtimeScript },
    );

    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.00 seconds',
    });
  });
});
