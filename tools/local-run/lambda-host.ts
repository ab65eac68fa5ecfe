import { fork } from 'node:child_process';
import path from 'node:path';
import type { Json } from '../state-machine/json-path';
import type { LambdaInvocation } from '../state-machine/walker';
import type { InvocationAnswer, InvocationRequest } from './lambda-process';

/**
 * Runs one function of the unzipped package per invocation in a fresh Node process, the way the
 * Lambda runtime would start it cold: the function's environment (from the template, plus the
 * Lambda runtime's own variables), its Handler, its Timeout. The process is ended after answering,
 * as Lambda freezes it; @middy/ssm's refresh timer and the SDK's sockets go with it.
 */

export interface LocalFunction {
  readonly logicalId: string;
  readonly functionName: string;
  readonly functionArn: string;
  /** The unzipped bundle, and `Handler` (`src/functions/scan/handler.handler`). */
  readonly codeDir: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, string>>;
}

/** Variables the Lambda runtime sets in every function (UTC clock included). */
function runtimeEnvironment(fn: LocalFunction, region: string): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: fn.codeDir,
    TZ: 'UTC',
  };
}

/**
 * The process environment of one invocation: PATH and HOME, the caller's AWS settings (endpoint,
 * credentials, region), the function's own variables (a variable the user set wins), the runtime's.
 */
export function invocationEnvironment(
  fn: LocalFunction,
  region: string,
  userEnv: Readonly<Record<string, string | undefined>>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(userEnv)) {
    if (value !== undefined && (name.startsWith('AWS_') || name === 'PATH' || name === 'HOME'))
      env[name] = value;
  }
  for (const [name, value] of Object.entries(fn.environment)) env[name] = userEnv[name] ?? value;
  return { ...env, ...runtimeEnvironment(fn, region) };
}

export function invokeLocally(
  fn: LocalFunction,
  payload: Json,
  options: { region: string; userEnv: Readonly<Record<string, string | undefined>>; runtimeScript: string },
): Promise<LambdaInvocation> {
  const dot = fn.handler.lastIndexOf('.');
  const request: InvocationRequest = {
    handlerFile: path.join(fn.codeDir, `${fn.handler.slice(0, dot)}.js`),
    exportName: fn.handler.slice(dot + 1),
    payload: JSON.stringify(payload),
    functionName: fn.functionName,
    invokedFunctionArn: fn.functionArn,
    memorySize: fn.memorySize,
    timeoutSeconds: fn.timeoutSeconds,
  };
  const failure = (errorType: string, errorMessage: string): LambdaInvocation => ({
    functionError: 'Unhandled',
    payload: { errorType, errorMessage, trace: [] },
  });
  return new Promise((resolve) => {
    const child = fork(options.runtimeScript, [], {
      cwd: fn.codeDir,
      env: invocationEnvironment(fn, options.region, options.userEnv),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const settle = (answer: LambdaInvocation) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(answer);
    };
    const timer = setTimeout(
      () =>
        settle(failure('Sandbox.Timedout', `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`)),
      fn.timeoutSeconds * 1000,
    );
    child.once('message', (answer: InvocationAnswer) =>
      settle(
        answer.ok
          ? { payload: JSON.parse(answer.result) as Json, report: answer.report }
          : { functionError: 'Unhandled', payload: JSON.parse(answer.error) as Json, report: answer.report },
      ),
    );
    child.once('error', (error) => settle(failure('Runtime.ExitError', error.message)));
    child.once('exit', (code, signal) =>
      settle(
        failure('Runtime.ExitError', `Runtime exited with error: ${signal ?? `exit status ${String(code)}`}`),
      ),
    );
    child.send(request);
  });
}
