import type middy from '@middy/core';
import { describeAwsError } from './errors';
import { logger } from './logger';

/**
 * First middleware of every function: request context on each log line, and one structured error
 * line for any failure (including SSM reads in later middleware) before it propagates to Step
 * Functions. The error still fails the invocation: nothing here swallows it.
 */
export function lambdaLogging(functionName: string): middy.MiddlewareObj {
  return {
    before: (request) => {
      logger.addContext(request.context);
    },
    onError: (request) => {
      logger.error(`${functionName} failed`, {
        errorName: request.error?.name,
        error: request.error ? describeAwsError(request.error) : 'unknown',
      });
    },
  };
}
