import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * One Lambda invocation in a process of its own (a cold start, with only the function's
 * environment): receives what to run over IPC, loads the handler from the unzipped bundle, calls
 * `handler(event, context)` and answers with the result as JSON text, or with the error as the Node
 * runtime reports it (`{ errorType, errorMessage, trace }`). The host ends the process afterwards.
 */

export interface InvocationRequest {
  readonly handlerFile: string;
  readonly exportName: string;
  /** The event, as JSON text. */
  readonly payload: string;
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
}

/** What Lambda's REPORT log line says of an invocation: how long the handler ran, the process's peak memory. */
export interface InvocationReport {
  readonly durationMs: number;
  /** Peak resident set size of the process, in KiB (`process.resourceUsage().maxRSS`). */
  readonly maxRssKib: number;
}

export type InvocationAnswer = (
  { readonly ok: true; readonly result: string } | { readonly ok: false; readonly error: string }
) & { readonly report: InvocationReport };

/** What the Lambda runtime's context object offers a Node handler. */
function lambdaContext(request: InvocationRequest) {
  const deadline = Date.now() + request.timeoutSeconds * 1000;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: request.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: request.invokedFunctionArn,
    memoryLimitInMB: String(request.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${request.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function errorPayload(error: unknown): string {
  const errorType = error instanceof Error ? error.name || 'Error' : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
  return JSON.stringify({ errorType, errorMessage, trace });
}

async function invoke(request: InvocationRequest): Promise<InvocationAnswer> {
  const started = performance.now();
  const outcome = await run(request);
  return {
    ...outcome,
    report: { durationMs: performance.now() - started, maxRssKib: process.resourceUsage().maxRSS },
  };
}

async function run(
  request: InvocationRequest,
): Promise<{ ok: true; result: string } | { ok: false; error: string }> {
  try {
    const loaded = createRequire(request.handlerFile)(request.handlerFile) as Record<string, unknown>;
    const handler = loaded[request.exportName];
    if (typeof handler !== 'function') {
      return {
        ok: false,
        error: JSON.stringify({
          errorType: 'Runtime.HandlerNotFound',
          errorMessage: `${request.handlerFile} exports no function ${request.exportName}`,
          trace: [],
        }),
      };
    }
    const result: unknown = await handler(JSON.parse(request.payload) as unknown, lambdaContext(request));
    return { ok: true, result: JSON.stringify(result ?? null) };
  } catch (error) {
    return { ok: false, error: errorPayload(error) };
  }
}

process.once('message', (request: InvocationRequest) => {
  void invoke(request).then((answer) => process.send?.(answer));
});
