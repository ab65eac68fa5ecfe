import { forEachInOrder, mapWithConcurrency } from '../../src/lib/concurrency';

/** A task that ends when the test says so. */
function deferred() {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachInOrder', () => {
  it('hands results over in input order whatever order they finish in', async () => {
    const delays = [30, 5, 20, 1, 10];
    const consumed: number[] = [];

    await forEachInOrder(
      delays,
      { limit: 3, window: 6 },
      async (ms, i) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return i;
      },
      async (result) => {
        consumed.push(result);
      },
    );

    expect(consumed).toEqual([0, 1, 2, 3, 4]);
  });

  it('runs at most `limit` at once and holds at most `window` (running or waiting) behind a slow first item', async () => {
    const tasks = Array.from({ length: 10 }, () => deferred());
    const started: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const consumed: number[] = [];

    const all = forEachInOrder(
      tasks,
      { limit: 2, window: 4 },
      async (task, i) => {
        started.push(i);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await task.promise;
        running--;
        return i;
      },
      async (i) => {
        consumed.push(i);
      },
    );
    // Items 1, 2, 3 finish while item 0 is still running: the window (4) is then full.
    for (const i of [1, 2, 3]) {
      await tick();
      tasks[i]?.resolve();
    }
    await tick();
    await tick();
    const heldBehindTheSlowOne = [...started];
    const consumedBefore = [...consumed];
    tasks[0]?.resolve();
    for (const task of tasks.slice(4)) {
      await tick();
      await tick();
      task.resolve();
    }
    await all;

    expect(heldBehindTheSlowOne).toEqual([0, 1, 2, 3]);
    expect(consumedBefore).toEqual([]);
    expect(maxRunning).toBe(2);
    expect(consumed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('waits for each hand-over before the next one (a slow reader slows the run, it does not fill memory)', async () => {
    const events: string[] = [];

    await forEachInOrder(
      [0, 1, 2],
      { limit: 3, window: 3 },
      async (i) => i,
      async (i) => {
        events.push(`start ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`end ${i}`);
      },
    );

    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('rejects with the first error, from a worker or from the hand-over, and starts nothing after it', async () => {
    const started: number[] = [];
    const failing = forEachInOrder(
      [0, 1, 2, 3, 4],
      { limit: 1, window: 1 },
      async (i) => {
        started.push(i);
        if (i === 1) throw new Error('worker 1 failed');
        return i;
      },
      async () => undefined,
    );
    await expect(failing).rejects.toThrow('worker 1 failed');
    expect(started).toEqual([0, 1]);

    await expect(
      forEachInOrder(
        [0, 1],
        { limit: 1, window: 1 },
        async (i) => i,
        async () => {
          throw new Error('stdout closed');
        },
      ),
    ).rejects.toThrow('stdout closed');
  });

  it('turns a worker that throws instead of rejecting into the rejection', async () => {
    await expect(
      forEachInOrder(
        [0],
        { limit: 1, window: 1 },
        (() => {
          throw new Error('thrown synchronously');
        }) as (i: number) => Promise<number>,
        async () => undefined,
      ),
    ).rejects.toThrow('thrown synchronously');
  });

  it('finishes at once with no items, and refuses a window smaller than the concurrency', async () => {
    await expect(
      forEachInOrder(
        [],
        { limit: 2, window: 4 },
        async () => 1,
        async () => undefined,
      ),
    ).resolves.toBeUndefined();
    expect(() =>
      forEachInOrder(
        [1],
        { limit: 4, window: 2 },
        async () => 1,
        async () => undefined,
      ),
    ).toThrow('the window must be a whole number >= the concurrency 4, got 2');
    expect(() =>
      forEachInOrder(
        [1],
        { limit: 0, window: 2 },
        async () => 1,
        async () => undefined,
      ),
    ).toThrow('concurrency must be >= 1, got 0');
  });
});

describe('mapWithConcurrency', () => {
  it('keeps the results in input order', async () => {
    const results = await mapWithConcurrency([20, 1, 10], 2, async (ms, i) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return i;
    });

    expect(results).toEqual([0, 1, 2]);
  });
});
