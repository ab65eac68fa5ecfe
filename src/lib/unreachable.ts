/**
 * "Nothing answers at that address": Node's network error codes for a connection that could not be
 * made at all, and the SDK's timeout for one that was never established. Retrying these inside one
 * CLI run only makes a person wait (10 attempts with backoff took 38 to 53 s) for the same answer.
 */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

/** Why the endpoint could not be reached, from the error or any error in its `cause` chain; null if it could. */
export function unreachableReason(error: unknown): string | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code !== undefined && REASONS[code]) return REASONS[code] ?? null;
    if (current.name === 'TimeoutError' && /without establishing a connection/i.test(current.message)) {
      return 'no connection established in time';
    }
    current = current.cause;
  }
  return null;
}
