/**
 * Runs `worker` over `items` with at most `limit` calls in flight, keeping the results in input
 * order. Per-user IAM calls go through this instead of an unbounded Promise.all, which would
 * fire thousands of requests at once and turn a big account into a wall of Throttling errors.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be >= 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export interface OrderedOptions {
  /** Workers running at once. */
  readonly limit: number;
  /**
   * Items held at once, running or done and waiting for their turn (at least `limit`): an item
   * starts only while fewer are held, so at most this many results are ever in memory.
   */
  readonly window: number;
}

/**
 * Runs `worker` over `items`, at most `limit` at a time, and hands each result to `consume` in
 * input order, as soon as it and every earlier one are done: results stream out in a stable order
 * while later items keep running. A slow item holds back only the output of those after it, and
 * only up to `window` items: then no new one starts until it is consumed, so memory stays bounded
 * by `window` results however many items there are. `consume` is awaited before the next result is
 * handed over (a slow reader slows the run down instead of filling memory). The first error, from a
 * worker or from `consume`, rejects; nothing new starts after it.
 */
export function forEachInOrder<T, R>(
  items: readonly T[],
  options: OrderedOptions,
  worker: (item: T, index: number) => Promise<R>,
  consume: (result: R, index: number) => Promise<void>,
): Promise<void> {
  const { limit, window } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be >= 1, got ${limit}`);
  if (!Number.isInteger(window) || window < limit) {
    throw new RangeError(`the window must be a whole number >= the concurrency ${limit}, got ${window}`);
  }
  return new Promise<void>((resolve, reject) => {
    const done = new Map<number, R>();
    let started = 0;
    let running = 0;
    let consumed = 0;
    let consuming = false;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    const pump = (): void => {
      if (failed) return;
      while (running < limit && started < items.length && started - consumed < window) {
        const index = started++;
        running++;
        // A worker that throws instead of rejecting rejects too.
        Promise.resolve(index)
          .then((i) => worker(items[i] as T, i))
          .then((result) => {
            running--;
            done.set(index, result);
            pump();
            void flush();
          }, fail);
      }
      if (consumed === items.length) resolve();
    };
    const flush = async (): Promise<void> => {
      if (consuming || failed) return;
      consuming = true;
      try {
        while (!failed && done.has(consumed)) {
          const index = consumed;
          const result = done.get(index) as R;
          done.delete(index);
          await consume(result, index);
          consumed++;
          pump();
        }
      } catch (error) {
        fail(error);
      } finally {
        consuming = false;
      }
    };
    pump();
  });
}
