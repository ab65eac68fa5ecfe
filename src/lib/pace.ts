/**
 * A client-side rate limit: `await pace()` before each call starts calls at least `intervalMs`
 * apart. Used below a service's own request quota (Security Hub's BatchImportFindings: 10 per
 * second per account and Region, shared by every tool importing there), so the SDK's retries are
 * for the rare burst, not the normal pace.
 */
export function pacer(
  intervalMs: number,
  {
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    now = () => performance.now(),
  }: { sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
): () => Promise<void> {
  let nextStart = -Infinity;
  return async () => {
    const current = now();
    const start = Math.max(current, nextStart);
    nextStart = start + intervalMs;
    if (start > current) await sleep(start - current);
  };
}
