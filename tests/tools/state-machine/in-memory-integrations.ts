import type { Json } from '../../../tools/state-machine/json-path';
import type {
  Integrations,
  LambdaInvocation,
  SnsMessage,
  WalkEvent,
} from '../../../tools/state-machine/walker';

/**
 * The walker's AWS calls answered in memory: Lambda functions are plain async functions by ARN (a
 * thrown error becomes the Invoke API's `Unhandled` function error, as the Node runtime reports
 * it), S3 is a map of objects, SNS a list of messages. It also counts the Lambda calls in flight.
 */

export type FakeFunction = (payload: Json) => Promise<Json> | Json;

export class InMemoryAws implements Integrations {
  readonly functions = new Map<string, FakeFunction>();
  readonly objects = new Map<string, string>();
  readonly published: SnsMessage[] = [];
  readonly invocations: Array<{ functionName: string; payload: Json }> = [];
  inFlight = 0;
  maxInFlight = 0;

  addFunction(arn: string, fn: FakeFunction): this {
    this.functions.set(arn, fn);
    return this;
  }

  async invokeLambda(functionName: string, payload: Json): Promise<LambdaInvocation> {
    const fn = this.functions.get(functionName);
    if (!fn)
      throw Object.assign(new Error(`Function not found: ${functionName}`), {
        name: 'Lambda.ResourceNotFoundException',
      });
    this.invocations.push({ functionName, payload });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Let other invocations start before this one ends, as concurrent Lambda calls would.
      await new Promise((resolve) => setImmediate(resolve));
      return { payload: await fn(payload) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return {
        functionError: 'Unhandled',
        payload: { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') },
      };
    } finally {
      this.inFlight--;
    }
  }

  async publishSns(message: SnsMessage): Promise<{ MessageId: string }> {
    this.published.push(message);
    return { MessageId: `message-${this.published.length}` };
  }

  async getS3Object(bucket: string, key: string): Promise<string> {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined)
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return body;
  }

  async putS3Object(bucket: string, key: string, body: string): Promise<void> {
    this.objects.set(`${bucket}/${key}`, body);
  }

  json<T>(bucket: string, key: string): T {
    const body = this.objects.get(`${bucket}/${key}`);
    if (body === undefined) throw new Error(`no object s3://${bucket}/${key}`);
    return JSON.parse(body) as T;
  }
}

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:stale-iam-test`;
export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** Events of the walk, by type. */
export function eventsOf<T extends WalkEvent['type']>(
  events: readonly WalkEvent[],
  type: T,
): Array<Extract<WalkEvent, { type: T }>> {
  return events.filter((e): e is Extract<WalkEvent, { type: T }> => e.type === type);
}
