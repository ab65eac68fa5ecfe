import type { Context } from 'aws-lambda';
import type middy from '@middy/core';
import ssm from '@middy/ssm';
import { getInternal } from '@middy/util';
import { InvalidConfigError, describeAwsError } from './errors';

/**
 * How long SSM values are reused across warm invocations: not at all. @middy/ssm caches forever by
 * default, which would make `aws ssm put-parameter` take effect only after a cold start, and any
 * cache lets a warm function run on a value the operator has already changed (the disable step
 * refuses a report whose threshold differs from the one in SSM, so a stale one would only stop
 * it). A run reads a handful of parameters once: reading them every time costs nothing.
 */
export const SSM_CACHE_EXPIRY_MS = 0;

/** The raw value @middy/ssm put on the context for `key` (a string for String parameters). */
export function settingFrom(context: Context, key: string): unknown {
  return (context as unknown as Record<string, unknown>)[key];
}

/**
 * Reads named SSM parameters through @middy/ssm and puts their raw values on the context. A missing
 * or unreadable parameter becomes one InvalidConfigError naming the parameter, instead of middy's
 * "Failed to resolve internal values" with the real reason buried in `cause`.
 */
export function ssmSettings<K extends string>(
  parameterNames: Record<K, string | undefined>,
  options: { cacheKey: string; cacheExpiry?: number },
): middy.MiddlewareObj[] {
  const entries = Object.entries(parameterNames) as [K, string | undefined][];
  const unset = entries.filter(([, name]) => !name).map(([key]) => key);
  const fetchData = Object.fromEntries(entries.filter(([, name]) => name)) as Record<string, string>;

  const resolve: middy.MiddlewareObj = {
    before: async (request) => {
      if (unset.length > 0) {
        throw new InvalidConfigError(`no SSM parameter name configured for ${unset.join(', ')}`);
      }
      try {
        Object.assign(request.context, await getInternal(Object.keys(fetchData), request));
      } catch (error) {
        throw new InvalidConfigError(
          `SSM parameter(s) ${Object.values(fetchData).join(', ')}: ${reasonOf(error)}`,
          {
            cause: error,
          },
        );
      }
    },
  };
  if (unset.length > 0) return [resolve];
  return [
    ssm({
      fetchData,
      cacheKey: options.cacheKey,
      cacheExpiry: options.cacheExpiry ?? SSM_CACHE_EXPIRY_MS,
      // Without a cache, a read at module load would be thrown away and made again by the first
      // invocation; read once, when the invocation needs it.
      disablePrefetch: (options.cacheExpiry ?? SSM_CACHE_EXPIRY_MS) === 0,
    }),
    resolve,
  ];
}

/** middy wraps failures as `{ cause: { data: [PromiseRejectedResult...] } }`; dig out the first real reason. */
function reasonOf(error: unknown): string {
  const data = (error as { cause?: { data?: unknown } }).cause?.data;
  if (Array.isArray(data)) {
    for (const item of data) {
      // middy 6 lists the rejection errors themselves; keep reading `{ reason }` results too.
      const reason = item instanceof Error ? item : (item as { reason?: unknown } | null)?.reason;
      if (reason instanceof Error) {
        const missing = /^InvalidParameter (.+)$/.exec(reason.message);
        return missing ? `parameter ${missing[1]} does not exist` : describeAwsError(reason);
      }
    }
  }
  return describeAwsError(error);
}
