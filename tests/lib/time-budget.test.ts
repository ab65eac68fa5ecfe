import { runDeadline, type Schedule } from '../../src/lib/time-budget';

/** A schedule that only records the hard stop, so a test can fire it when it likes. */
function manualSchedule() {
  const scheduled: { fire: () => void; delayMs: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (callback, delayMs) => {
    const entry = { fire: callback, delayMs, cancelled: false };
    scheduled.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return { schedule, scheduled };
}

describe('runDeadline', () => {
  it('keeps 15% of a 900 s Lambda back: says stop once less than 135 s are left', () => {
    let remaining = 900_000;
    const { shouldStop } = runDeadline(() => remaining, manualSchedule().schedule);

    remaining = 135_001;
    expect(shouldStop()).toBe(false);
    remaining = 134_999;
    expect(shouldStop()).toBe(true);
  });

  it('keeps at least 10 s back however short the run', () => {
    let remaining = 30_000;
    const { shouldStop } = runDeadline(() => remaining, manualSchedule().schedule);

    remaining = 10_001;
    expect(shouldStop()).toBe(false);
    remaining = 9_999;
    expect(shouldStop()).toBe(true);
  });

  it('aborts what is in flight with 5% (45 s of 900 s) left, and stops new work from then on', () => {
    const { schedule, scheduled } = manualSchedule();
    const deadline = runDeadline(() => 900_000, schedule);

    expect(scheduled.map((s) => s.delayMs)).toEqual([855_000]);
    expect(deadline.abortSignal.aborted).toBe(false);
    scheduled[0]?.fire();

    expect(deadline.abortSignal.aborted).toBe(true);
    expect(deadline.shouldStop()).toBe(true);
  });

  it('cancels the hard stop once the run is over', () => {
    const { schedule, scheduled } = manualSchedule();
    const deadline = runDeadline(() => 900_000, schedule);

    deadline.dispose();

    expect(scheduled[0]?.cancelled).toBe(true);
  });
});
