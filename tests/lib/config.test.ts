import {
  MAX_THRESHOLD_DAYS,
  MIN_THRESHOLD_DAYS,
  parseBoolean,
  parseChoice,
  parseInstant,
  parseThresholdDays,
} from '../../src/lib/config';
import { InvalidConfigError } from '../../src/lib/errors';
import { thrownBy } from '../support/rejection';

describe('parseThresholdDays', () => {
  it.each([
    ['1', 1],
    ['90', 90],
    ['3650', 3650],
  ])('accepts the string %p (as SSM hands it over) as %p days', (raw, days) => {
    expect(parseThresholdDays(raw)).toBe(days);
  });

  it('accepts a number', () => {
    expect(parseThresholdDays(90)).toBe(90);
  });

  it('allows exactly the range 1 to 3650', () => {
    expect(MIN_THRESHOLD_DAYS).toBe(1);
    expect(MAX_THRESHOLD_DAYS).toBe(3650);
  });

  it.each([
    ['abc', '"abc"'],
    ['0', '"0"'],
    ['3651', '"3651"'],
    ['99999', '"99999"'],
    ['9.5', '"9.5"'],
    [' 90', '" 90"'],
    ['90 ', '"90 "'],
    ['', '""'],
    ['1e2', '"1e2"'],
    ['-5', '"-5"'],
    ['0x5a', '"0x5a"'],
    [undefined, 'nothing'],
    [null, 'null'],
    [9.5, '"9.5"'],
    [0, '"0"'],
  ])('rejects %p with an InvalidConfigError quoting what it got', (raw, shown) => {
    const error = thrownBy(() => parseThresholdDays(raw));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.name).toBe('InvalidConfigError');
    expect(error.message).toBe(`threshold days must be a whole number from 1 to 3650, got ${shown}`);
  });

  it('gives the exact message of the style guide for "abc"', () => {
    expect(() => parseThresholdDays('abc')).toThrow(
      new InvalidConfigError('threshold days must be a whole number from 1 to 3650, got "abc"'),
    );
  });

  it('names the setting it was given, e.g. a CLI flag', () => {
    expect(() => parseThresholdDays('0', '--days')).toThrow(
      '--days must be a whole number from 1 to 3650, got "0"',
    );
  });
});

describe('parseInstant', () => {
  it('accepts an instant in UTC (Z)', () => {
    expect(parseInstant('--now', '2026-11-28T09:00:00Z').toISOString()).toBe('2026-11-28T09:00:00.000Z');
  });

  it('accepts an instant with an offset, converting it to UTC', () => {
    expect(parseInstant('--now', '2026-11-28T09:00:00+09:00').toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });

  it('accepts fractional seconds', () => {
    expect(parseInstant('--now', '2026-11-28T09:00:00.250Z').toISOString()).toBe('2026-11-28T09:00:00.250Z');
  });

  it('takes a plain date as midnight UTC', () => {
    expect(parseInstant('--now', '2026-11-28').toISOString()).toBe('2026-11-28T00:00:00.000Z');
  });

  it('refuses a time without a zone, which would silently mean the machine local time', () => {
    const error = thrownBy(() => parseInstant('--now', '2026-11-28T09:00:00'));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(
      '--now must be an ISO-8601 instant such as 2026-11-28T09:00:00Z, got "2026-11-28T09:00:00"',
    );
  });

  it.each(['yesterday', '28/11/2026', '2026-13-45', '2026-11-28 09:00:00Z', 'Sat Nov 28 2026', ''])(
    'refuses %p',
    (raw) => {
      const error = thrownBy(() => parseInstant('--now', raw));

      expect(error).toBeInstanceOf(InvalidConfigError);
      expect(error.message).toBe(
        `--now must be an ISO-8601 instant such as 2026-11-28T09:00:00Z, got ${JSON.stringify(raw)}`,
      );
    },
  );

  it.each(['2026-02-30', '2026-02-30T09:00:00Z', '2026-04-31'])(
    'refuses the calendar date %p that does not exist instead of rolling it into the next month',
    (raw) => {
      expect(() => parseInstant('--now', raw)).toThrow(InvalidConfigError);
    },
  );

  it('refuses a missing value, saying it got nothing', () => {
    expect(() => parseInstant('--now', undefined)).toThrow(
      '--now must be an ISO-8601 instant such as 2026-11-28T09:00:00Z, got nothing',
    );
  });
});

describe('parseChoice', () => {
  const LANGUAGES = ['en', 'ja'] as const;

  it('returns the value when it is one of the choices', () => {
    expect(parseChoice('NOTIFY_LANGUAGE', 'ja', LANGUAGES)).toBe('ja');
    expect(parseChoice('NOTIFY_LANGUAGE', 'en', LANGUAGES)).toBe('en');
  });

  it.each([
    ['fr', '"fr"'],
    ['EN', '"EN"'],
    [' en', '" en"'],
    ['', '""'],
    [undefined, 'nothing'],
  ])('rejects %p, listing the choices', (raw, shown) => {
    const error = thrownBy(() => parseChoice('NOTIFY_LANGUAGE', raw, LANGUAGES));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(`NOTIFY_LANGUAGE must be one of en, ja, got ${shown}`);
  });
});

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    [' true ', true],
    ['false', false],
    ['FALSE', false],
    [true, true],
    [false, false],
  ])('reads %p as %p', (raw, value) => {
    expect(parseBoolean('NOTIFY_WHEN_CLEAN', raw)).toBe(value);
  });

  it.each([
    ['yes', '"yes"'],
    ['1', '"1"'],
    ['on', '"on"'],
    ['', '""'],
    [undefined, 'nothing'],
    [1, '"1"'],
  ])('rejects %p instead of guessing', (raw, shown) => {
    const error = thrownBy(() => parseBoolean('NOTIFY_WHEN_CLEAN', raw));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(`NOTIFY_WHEN_CLEAN must be true or false, got ${shown}`);
  });
});
