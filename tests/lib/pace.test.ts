import { pacer } from '../../src/lib/pace';

/** A clock that only the waits and the test move. */
function fakeTime() {
  const time = { now: 0, waits: [] as number[] };
  return {
    time,
    options: {
      now: () => time.now,
      sleep: async (ms: number) => {
        time.waits.push(ms);
        time.now += ms;
      },
    },
  };
}

describe('pacer', () => {
  it('lets the first call start at once and spaces the next ones the interval apart', async () => {
    const { time, options } = fakeTime();
    const pace = pacer(200, options);

    for (let i = 0; i < 4; i++) await pace();

    expect(time.waits).toEqual([200, 200, 200]);
  });

  it('does not wait when the calls themselves took longer than the interval', async () => {
    const { time, options } = fakeTime();
    const pace = pacer(200, options);

    await pace();
    time.now += 350; // the call took 350 ms
    await pace();
    time.now += 120;
    await pace();

    expect(time.waits).toEqual([80]);
  });

  it('spaces calls that start together, as concurrent callers would', async () => {
    const waits: number[] = [];
    // All three ask at the same instant, before any of them has slept.
    const pace = pacer(100, { now: () => 0, sleep: async (ms) => void waits.push(ms) });

    await Promise.all([pace(), pace(), pace()]);

    expect(waits).toEqual([100, 200]);
  });
});
