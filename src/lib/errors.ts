/**
 * Errors a user can act on. Their messages are written to be printed as they are, on one line;
 * the underlying SDK error travels in `cause` for logs.
 */

/** A setting (flag, environment variable, SSM parameter) is missing or out of range. */
export { InvalidConfigError } from '../settings/parsers';

/** Input data (a credential report) cannot be read as what it claims to be. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

/** An AWS call failed in a way that stops the whole run (listing users, fetching the report). */
export class AwsReadError extends Error {
  override name = 'AwsReadError';
}

/** An AWS write (S3, SNS, IAM remediation) failed. */
export class AwsWriteError extends Error {
  override name = 'AwsWriteError';
}

/**
 * `AccessDenied: User ... is not authorized ...` from any SDK error, on one line. A plain `Error`
 * adds no word of its own (`connect ECONNREFUSED ...`, not `Error: connect ...`), and a message
 * that already starts with its name is not prefixed again.
 */
export function describeAwsError(error: unknown): string {
  if (error instanceof Error) {
    const message = oneLine(error.message);
    const code = error.name && error.name !== 'Error' ? error.name : '';
    if (!code) return message || 'Error';
    if (!message || message === code) return code;
    return message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
  }
  return oneLine(String(error));
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
