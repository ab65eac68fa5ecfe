import { stopBeforeDeadline } from '../../src/lib/time-budget';

describe('stopBeforeDeadline', () => {
  it('keeps 15% of a 900 s Lambda back: says stop once less than 135 s are left', () => {
    let remaining = 900_000;
    const shouldStop = stopBeforeDeadline(() => remaining);

    remaining = 135_001;
    expect(shouldStop()).toBe(false);
    remaining = 134_999;
    expect(shouldStop()).toBe(true);
  });

  it('keeps at least 10 s back however short the run', () => {
    let remaining = 30_000;
    const shouldStop = stopBeforeDeadline(() => remaining);

    remaining = 10_001;
    expect(shouldStop()).toBe(false);
    remaining = 9_999;
    expect(shouldStop()).toBe(true);
  });
});
