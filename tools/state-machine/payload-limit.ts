import { Buffer } from 'node:buffer';
import { StatesError } from './errors';
import type { Json } from './json-path';

/** What Step Functions allows as a state's input or output, a task's result and a Map child's input. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** States.DataLimitExceeded when `value` as JSON is over the limit: terminal, not matched by States.ALL. */
export function checkPayloadSize(value: Json, what: string, limitBytes = PAYLOAD_LIMIT_BYTES): void {
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > limitBytes) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `${what} of ${bytes} bytes, over the limit of ${limitBytes} bytes`,
    );
  }
}
