/**
 * The two ways a walk goes wrong. A `StatesError` is an error *inside* the execution, with the name
 * and cause Step Functions would give it (`States.Timeout`, a Lambda function's `errorType`, ...):
 * Retry and Catch see it, and an uncaught one fails the execution. An `UnsupportedAslError` means the
 * definition uses something the walker does not implement: it is never caught, the walk stops.
 */

export class StatesError extends Error {
  /** The error name, as `ErrorEquals` matches it and `$.error.Error` carries it. */
  readonly error: string;
  /** `$.error.Cause`: a human-readable text, or a JSON string for a Lambda function error. */
  readonly causeText: string;

  constructor(error: string, causeText: string) {
    super(`${error}: ${causeText}`);
    this.name = 'StatesError';
    this.error = error;
    this.causeText = causeText;
  }
}

export class UnsupportedAslError extends Error {
  override name = 'UnsupportedAslError';
}

/** Errors that `States.ALL` does not match, and that no Retry or Catch can handle by that wildcard. */
export const NOT_MATCHED_BY_STATES_ALL: readonly string[] = ['States.Runtime', 'States.DataLimitExceeded'];
