import params from '../../serverless/params';
import { SETTINGS } from '../../src/settings/table';

/** params.js reads the process environment, where the framework put the `.env` values. */
function paramsWith(env: Record<string, string>): ReturnType<typeof params> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return params();
  } finally {
    for (const name of Object.keys(env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('serverless/params.js', () => {
  it("gives every deploy parameter the settings table's default, and the dev stage its all-clear email", () => {
    const resolved = paramsWith({});

    expect(resolved.default?.maxPercent).toBe(SETTINGS.maxPercent.default);
    expect(resolved.default?.scheduleExpression).toBe(SETTINGS.scheduleExpression.default);
    expect(resolved.dev).toEqual({ notifyWhenClean: 'true' });
  });

  it('takes a value from the environment (.env) over the defaults, the per-stage ones included', () => {
    const resolved = paramsWith({ notifyWhenClean: 'false', maxPercent: '50' });

    expect(resolved.default?.notifyWhenClean).toBe('false');
    expect(resolved.default?.maxPercent).toBe('50');
    expect(resolved.dev).toEqual({});
  });

  it('ignores variables that are not deploy parameters', () => {
    const resolved = paramsWith({ MAX_PERCENT: '50', somethingElse: 'x' });

    expect(resolved.default?.maxPercent).toBe(SETTINGS.maxPercent.default);
    expect(resolved.default).not.toHaveProperty('somethingElse');
  });
});
