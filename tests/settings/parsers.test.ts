import {
  boolean,
  emailOrEmpty,
  groupNames,
  normalisePathPrefix,
  parseIsoInstant,
  pathPrefixes,
  scheduleExpression,
  userNames,
} from '../../src/settings/parsers';
import { SETTINGS } from '../../src/settings/table';

const LABEL = 'the deploy parameter "x"';

describe('exemption lists', () => {
  it('reads a JSON array of user names, commas and a leading dash included', () => {
    expect(userNames('["svc-breakglass","ops,oncall","-x"]', LABEL)).toEqual([
      'svc-breakglass',
      'ops,oncall',
      '-x',
    ]);
  });

  it('takes a YAML list as it is, and empty as none', () => {
    expect(userNames(['alice', 'bob'], LABEL)).toEqual(['alice', 'bob']);
    expect(userNames('', LABEL)).toEqual([]);
    expect(userNames('  ', LABEL)).toEqual([]);
    expect(userNames('[]', LABEL)).toEqual([]);
    expect(userNames(undefined, LABEL)).toEqual([]);
  });

  it.each([
    ['svc-breakglass,ops-oncall'],
    ['svc-breakglass;ops-oncall'],
    ['svc-breakglass'],
    ['{"a":1}'],
    ['[1,2]'],
  ])('refuses %p: a list that is not a JSON array of names would match nobody', (raw) => {
    expect(() => userNames(raw, LABEL)).toThrow(`${LABEL} must be a JSON array of IAM user names`);
  });

  it.each([['svc;breakglass'], ['a b'], ['x'.repeat(65)], ['']])(
    'refuses the user name %p, which IAM does not allow',
    (name) => {
      expect(() => userNames(JSON.stringify([name]), LABEL)).toThrow('is not a legal IAM user name');
    },
  );

  it('allows group names up to 128 characters, not more', () => {
    expect(groupNames(JSON.stringify(['g'.repeat(128)]), LABEL)).toHaveLength(1);
    expect(() => groupNames(JSON.stringify(['g'.repeat(129)]), LABEL)).toThrow('not a legal IAM group name');
  });

  it('normalises every path prefix form to /.../ once', () => {
    expect(pathPrefixes('["/breakglass/","/breakglass","breakglass","breakglass/","/a/b"]', LABEL)).toEqual([
      '/breakglass/',
      '/a/b/',
    ]);
    expect(normalisePathPrefix('/')).toBe('/');
  });

  it.each([['/break*glass/'], ['/a?/'], ['/with space/']])(
    'refuses the path prefix %p, which the IAM Deny could not match the same way',
    (prefix) => {
      expect(() => pathPrefixes(JSON.stringify([prefix]), LABEL)).toThrow('is not a legal IAM path prefix');
    },
  );
});

describe('switches, addresses and schedules', () => {
  it.each(['true', 'TRUE', ' false ', true])('reads %p as a switch', (raw) => {
    expect(typeof boolean(raw, LABEL)).toBe('boolean');
  });

  it.each(['yes', '1', 'on', ''])('refuses %p as a switch', (raw) => {
    expect(() => boolean(raw, LABEL)).toThrow(`${LABEL} must be true or false, got "${raw}"`);
  });

  it('accepts an address or nothing, and refuses anything else', () => {
    expect(emailOrEmpty('ops@example.com', LABEL)).toBe('ops@example.com');
    expect(emailOrEmpty('', LABEL)).toBe('');
    expect(() => emailOrEmpty('ops', LABEL)).toThrow('must be an email address or empty');
  });

  it.each(['cron(0 0 * * ? *)', 'cron(30 22 ? * SUN-THU *)', 'rate(1 day)', 'rate(12 hours)'])(
    'accepts the EventBridge schedule %p',
    (raw) => {
      expect(scheduleExpression(raw, LABEL)).toBe(raw);
    },
  );

  it.each([
    'daily',
    'cron(0 0 * * * *)',
    'cron(0 0 ? * ? *)',
    'rate(1 days)',
    'rate(2 day)',
    'cron(0 0 * *)',
  ])('refuses the schedule %p', (raw) => {
    expect(() => scheduleExpression(raw, LABEL)).toThrow('must be an EventBridge schedule');
  });

  it.each(['LOUD', 'info'])('refuses the log level %p', (raw) => {
    expect(() => SETTINGS.logLevel.parse(raw, LABEL)).toThrow('must be one of TRACE, DEBUG, INFO');
  });

  it('refuses a log retention CloudWatch does not offer', () => {
    expect(() => SETTINGS.logRetentionDays.parse('100', LABEL)).toThrow(
      'one of the periods CloudWatch Logs accepts',
    );
    expect(SETTINGS.logRetentionDays.parse('90', LABEL)).toBe(90);
  });
});

describe('parseIsoInstant', () => {
  it.each([
    '2026-04-11T18:45:05+99:99',
    '2026-04-11T18:45:05-23:75',
    '2026-04-11T18:45:05+15:00',
    '2026-04-11T18:45:05+0960',
  ])('refuses the UTC offset no clock shows in %p, like February 30', (raw) => {
    expect(parseIsoInstant(raw)).toBeNull();
  });

  it.each([
    ['2026-04-11T18:45:05+14:00', '2026-04-11T04:45:05.000Z'],
    ['2026-04-11T18:45:05-12:00', '2026-04-12T06:45:05.000Z'],
    ['2026-04-11T18:45:05+05:45', '2026-04-11T13:00:05.000Z'],
    ['2026-04-11T18:45:05-0930', '2026-04-12T04:15:05.000Z'],
  ])('keeps the real offset in %p', (raw, utc) => {
    expect(parseIsoInstant(raw)?.toISOString()).toBe(utc);
  });
});
