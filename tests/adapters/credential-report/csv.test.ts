import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseCredentialReport, parseCsvRows } from '../../../src/adapters/credential-report/csv';
import type { IamUserSnapshot, UserReading } from '../../../src/domain/verdict/user-snapshot';
import { InvalidInputError } from '../../../src/lib/errors';
import { evaluateUsers } from '../../../src/domain/verdict/evaluate';
import { REPORT_CSV_COLUMNS } from '../../../src/domain/report/report-csv';
import { CREDENTIAL_REPORT_HEADER } from '../../support/credential-report-fixture';

const COLUMNS = CREDENTIAL_REPORT_HEADER;
type Column = (typeof COLUMNS)[number];
type Row = Partial<Record<Column, string>>;

const ACCOUNT = '123456789012';

/** A user with no password and no keys, as AWS writes him; each test overrides what it is about. */
function row(name: string, overrides: Row = {}): Record<Column, string> {
  return {
    user: name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    user_creation_time: '2021-01-19T02:00:14+00:00',
    password_enabled: 'false',
    password_last_used: 'N/A',
    password_last_changed: 'N/A',
    password_next_rotation: 'N/A',
    mfa_active: 'false',
    access_key_1_active: 'false',
    access_key_1_last_rotated: 'N/A',
    access_key_1_last_used_date: 'N/A',
    access_key_1_last_used_region: 'N/A',
    access_key_1_last_used_service: 'N/A',
    access_key_2_active: 'false',
    access_key_2_last_rotated: 'N/A',
    access_key_2_last_used_date: 'N/A',
    access_key_2_last_used_region: 'N/A',
    access_key_2_last_used_service: 'N/A',
    cert_1_active: 'false',
    cert_1_last_rotated: 'N/A',
    cert_2_active: 'false',
    cert_2_last_rotated: 'N/A',
    ...overrides,
  };
}

const ROOT = row('<root_account>', {
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  user_creation_time: '2019-03-14T09:12:44+00:00',
  password_enabled: 'not_supported',
  password_last_used: '2026-10-02T07:31:18+00:00',
  password_last_changed: 'not_supported',
  password_next_rotation: 'not_supported',
  mfa_active: 'true',
});

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

interface CsvOptions {
  columns?: readonly string[];
  eol?: string;
  bom?: boolean;
}

/** Writes rows as AWS does: a header, one line per row, a line ending after the last one. */
function csv(
  rows: readonly Record<string, string>[],
  { columns = COLUMNS, eol = '\n', bom = false }: CsvOptions = {},
) {
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))];
  return (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

function readUsers(readings: readonly UserReading[]): IamUserSnapshot[] {
  return readings.map((reading) => {
    if (reading.kind !== 'read') throw new Error(`${reading.user.userName} was not read`);
    return reading.user;
  });
}

function onlyUser(text: string): IamUserSnapshot {
  const users = readUsers(parseCredentialReport(text).users);
  expect(users).toHaveLength(1);
  const [user] = users;
  if (!user) throw new Error('no user parsed');
  return user;
}

function parseError(text: string): InvalidInputError {
  try {
    parseCredentialReport(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected the report to be refused');
}

const at = (iso: string): Date => new Date(iso);
/** An active key in slot 1 as the report gives it: no key id, the dates as written. */
const reportKey = (createdAt: string, lastUsedAt: string) => ({
  accessKeyId: null,
  slot: 1,
  status: 'Active',
  createdAt: at(createdAt),
  lastUsedAt: at(lastUsedAt),
});

describe('parseCredentialReport: what a real report says', () => {
  it('reads a console user with a used password', () => {
    const user = onlyUser(
      csv([
        row('alice.tanaka', {
          user_creation_time: '2021-02-03T01:22:10+00:00',
          password_enabled: 'true',
          password_last_used: '2026-11-25T08:14:22+00:00',
          password_last_changed: '2025-06-10T02:40:11+00:00',
          mfa_active: 'true',
        }),
      ]),
    );

    expect(user).toEqual({
      userName: 'alice.tanaka',
      arn: 'arn:aws:iam::123456789012:user/alice.tanaka',
      createdAt: at('2021-02-03T01:22:10Z'),
      passwordLastUsedAt: at('2026-11-25T08:14:22Z'),
      loginProfile: { createdAt: at('2025-06-10T02:40:11Z') },
      accessKeys: [],
    });
  });

  it('reads password_last_used "no_information" as a password never used', () => {
    const user = onlyUser(
      csv([
        row('takeshi.ito', {
          password_enabled: 'true',
          password_last_used: 'no_information',
          password_last_changed: '2025-12-01T01:44:10+00:00',
        }),
      ]),
    );

    expect(user.passwordLastUsedAt).toBeNull();
    expect(user.loginProfile).toEqual({ createdAt: at('2025-12-01T01:44:10Z') });
  });

  it('reads "N/A" as no password: no login profile, no last use', () => {
    const user = onlyUser(csv([row('ci-deploy')]));

    expect(user.loginProfile).toBeNull();
    expect(user.passwordLastUsedAt).toBeNull();
    expect(user.accessKeys).toEqual([]);
  });

  it('keeps the last use of a password whose login profile was removed, without a login profile', () => {
    const user = onlyUser(
      csv([
        row('james.oconnor', {
          password_enabled: 'false',
          password_last_used: '2025-02-14T08:21:39+00:00',
          password_last_changed: 'N/A',
        }),
      ]),
    );

    expect(user.loginProfile).toBeNull();
    expect(user.passwordLastUsedAt).toEqual(at('2025-02-14T08:21:39Z'));
  });

  it('reads "not_supported" as no date', () => {
    const user = onlyUser(
      csv([row('svc', { password_last_used: 'not_supported', password_last_changed: 'not_supported' })]),
    );

    expect(user.passwordLastUsedAt).toBeNull();
    expect(user.loginProfile).toBeNull();
  });

  it('reads an active key with its creation (last_rotated) and last use; a report names no key id', () => {
    const user = onlyUser(
      csv([
        row('ci-deploy', {
          access_key_1_active: 'true',
          access_key_1_last_rotated: '2026-07-01T02:15:30+00:00',
          access_key_1_last_used_date: '2026-11-27T23:12:05+00:00',
          access_key_1_last_used_region: 'ap-northeast-1',
          access_key_1_last_used_service: 'cloudformation',
        }),
      ]),
    );

    expect(user.accessKeys).toEqual([reportKey('2026-07-01T02:15:30Z', '2026-11-27T23:12:05Z')]);
  });

  it('reads a never-used key (last_used_date N/A) with lastUsedAt null', () => {
    const user = onlyUser(
      csv([
        row('grafana-reader', {
          access_key_1_active: 'true',
          access_key_1_last_rotated: '2025-10-10T06:29:40+00:00',
        }),
      ]),
    );

    expect(user.accessKeys).toEqual([
      {
        accessKeyId: null,
        slot: 1,
        status: 'Active',
        createdAt: at('2025-10-10T06:29:40Z'),
        lastUsedAt: null,
      },
    ]);
  });

  it('keeps an inactive key, as Inactive', () => {
    const user = onlyUser(
      csv([
        row('old-jenkins', {
          access_key_1_active: 'false',
          access_key_1_last_rotated: '2018-04-02T02:05:31+00:00',
          access_key_1_last_used_date: '2022-12-01T16:48:03+00:00',
          access_key_1_last_used_region: 'us-east-1',
          access_key_1_last_used_service: 'ec2',
        }),
      ]),
    );

    expect(user.accessKeys).toEqual([
      {
        accessKeyId: null,
        slot: 1,
        status: 'Inactive',
        createdAt: at('2018-04-02T02:05:31Z'),
        lastUsedAt: at('2022-12-01T16:48:03Z'),
      },
    ]);
  });

  it('reads a slot whose last_rotated is N/A as holding no key, and keeps the other slot', () => {
    const user = onlyUser(
      csv([
        row('rotating', {
          access_key_2_active: 'true',
          access_key_2_last_rotated: '2026-11-25T10:42:57+00:00',
        }),
      ]),
    );

    expect(user.accessKeys.map((k) => k.slot)).toEqual([2]);
    expect(user.accessKeys[0]).toMatchObject({ status: 'Active', createdAt: at('2026-11-25T10:42:57Z') });
  });

  it('reads both slots', () => {
    const user = onlyUser(
      csv([
        row('terraform', {
          access_key_1_active: 'true',
          access_key_1_last_rotated: '2026-05-14T06:00:00+00:00',
          access_key_1_last_used_date: '2026-11-26T07:41:19+00:00',
          access_key_2_active: 'true',
          access_key_2_last_rotated: '2025-05-14T06:02:45+00:00',
          access_key_2_last_used_date: '2026-06-01T18:09:33+00:00',
        }),
      ]),
    );

    expect(user.accessKeys.map((k) => [k.slot, k.lastUsedAt])).toEqual([
      [1, at('2026-11-26T07:41:19Z')],
      [2, at('2026-06-01T18:09:33Z')],
    ]);
  });

  it('reads lowercase true and false', () => {
    const user = onlyUser(
      csv([
        row('priya.raman', {
          password_enabled: 'true',
          password_last_used: '2026-11-27T02:20:18+00:00',
          password_last_changed: '2026-07-24T05:52:10+00:00',
          access_key_1_active: 'false',
          access_key_1_last_rotated: '2026-07-24T05:53:44+00:00',
        }),
      ]),
    );

    expect(user.loginProfile).not.toBeNull();
    expect(user.accessKeys[0]?.status).toBe('Inactive');
  });

  it('reads timestamps with any UTC offset as the same instant', () => {
    const user = onlyUser(
      csv([
        row('tz', {
          user_creation_time: '2026-04-12T03:45:05+09:00',
          password_enabled: 'true',
          password_last_used: '2026-04-11T18:45:05Z',
          password_last_changed: '2026-04-11T13:45:05-05:00',
        }),
      ]),
    );

    expect(user.createdAt).toEqual(at('2026-04-11T18:45:05Z'));
    expect(user.passwordLastUsedAt).toEqual(at('2026-04-11T18:45:05Z'));
    expect(user.loginProfile?.createdAt).toEqual(at('2026-04-11T18:45:05Z'));
  });

  it('drops a fraction of a second, as the API source does', () => {
    const user = onlyUser(csv([row('frac', { user_creation_time: '2026-04-11T18:45:05.750Z' })]));

    expect(user.createdAt).toEqual(at('2026-04-11T18:45:05Z'));
  });

  it('keeps the users in the order of the report', () => {
    const names = readUsers(
      parseCredentialReport(csv([ROOT, row('zoe'), row('alice'), row('mika.sato')])).users,
    ).map((u) => u.userName);

    expect(names).toEqual(['zoe', 'alice', 'mika.sato']);
  });
});

describe('parseCredentialReport: the root row', () => {
  it('is not a user, but gives the account id', () => {
    const parsed = parseCredentialReport(csv([ROOT, row('alice.tanaka')]));

    expect(readUsers(parsed.users).map((u) => u.userName)).toEqual(['alice.tanaka']);
    expect(parsed.accountId).toBe('123456789012');
  });

  it('is skipped even when it is the only row', () => {
    const parsed = parseCredentialReport(csv([ROOT]));

    expect(parsed.users).toEqual([]);
    expect(parsed.accountId).toBe('123456789012');
  });

  it('gives the account id from the users ARNs when there is no root row', () => {
    expect(parseCredentialReport(csv([row('alice.tanaka')])).accountId).toBe('123456789012');
  });

  it('warns, without judging it, when the root user has an active access key (it should have none)', () => {
    const rootWithKey = {
      ...ROOT,
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2019-03-14T09:12:44+00:00',
      access_key_1_last_used_date: '2020-01-01T00:00:00+00:00',
    };

    const parsed = parseCredentialReport(csv([rootWithKey, row('alice.tanaka')]));

    expect(readUsers(parsed.users).map((u) => u.userName)).toEqual(['alice.tanaka']);
    expect(parsed.warnings).toEqual([
      'the root user has an active access key (access_key_1 of the <root_account> row): it should have none ' +
        '(CIS AWS Foundations, Security Hub IAM.4); stale-iam never judges or changes the root user, so sign in as root to delete it',
    ]);
  });

  it('names both root keys when both are active, once even when the report was joined with itself', () => {
    const rootWithKeys = {
      ...ROOT,
      access_key_1_active: 'TRUE',
      access_key_1_last_rotated: '2019-03-14T09:12:44+00:00',
      access_key_2_active: 'true',
      access_key_2_last_rotated: '2020-03-14T09:12:44+00:00',
    };

    const warnings = parseCredentialReport(csv([rootWithKeys]) + csv([rootWithKeys])).warnings;

    expect(warnings.filter((w) => w.includes('root user'))).toEqual([
      expect.stringContaining(
        'has active access keys (access_key_1, access_key_2 of the <root_account> row)',
      ),
    ]);
  });

  it('says nothing about a root key that is inactive', () => {
    const rootInactiveKey = {
      ...ROOT,
      access_key_1_active: 'false',
      access_key_1_last_rotated: '2019-03-14T09:12:44+00:00',
    };

    expect(parseCredentialReport(csv([rootInactiveKey, row('alice.tanaka')])).warnings).toEqual([]);
  });

  it('gives no account id for a report with a header only', () => {
    const parsed = parseCredentialReport(csv([]));

    expect(parsed.users).toEqual([]);
    expect(parsed.accountId).toBeNull();
  });
});

describe('parseCredentialReport: the file as it comes', () => {
  const rows = [
    ROOT,
    row('alice.tanaka', {
      password_enabled: 'true',
      password_last_used: '2026-11-25T08:14:22+00:00',
      password_last_changed: '2025-06-10T02:40:11+00:00',
    }),
    row('terraform', {
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2026-05-14T06:00:00+00:00',
      access_key_1_last_used_date: '2026-11-26T07:41:19+00:00',
    }),
  ];
  const expected = parseCredentialReport(csv(rows));

  it('finds columns by name: an extra column does not disturb it', () => {
    const columns = [
      ...COLUMNS.slice(0, 8),
      'password_reset_required',
      ...COLUMNS.slice(8),
      'access_key_3_active',
    ];
    const withExtra = rows.map((r) => ({
      ...r,
      password_reset_required: 'false',
      access_key_3_active: 'true',
    }));

    expect(parseCredentialReport(csv(withExtra, { columns }))).toEqual(expected);
  });

  it('finds columns by name: reordered columns give the same users', () => {
    const columns = [...COLUMNS].reverse();

    expect(parseCredentialReport(csv(rows, { columns }))).toEqual(expected);
  });

  it('reads CRLF line endings', () => {
    expect(parseCredentialReport(csv(rows, { eol: '\r\n' }))).toEqual(expected);
  });

  it('reads a UTF-8 byte order mark before the header', () => {
    expect(parseCredentialReport(csv(rows, { bom: true, eol: '\r\n' }))).toEqual(expected);
  });

  it('reads a file without a final line ending', () => {
    expect(parseCredentialReport(csv(rows).trimEnd())).toEqual(expected);
  });

  it('skips blank lines', () => {
    expect(parseCredentialReport(csv(rows).replace('\nalice', '\n\nalice') + '\n\n')).toEqual(expected);
  });

  it('reads a quoted user name containing a comma', () => {
    const user = onlyUser(csv([row('svc,reports', { arn: 'arn:aws:iam::123456789012:user/svc,reports' })]));

    expect(user.userName).toBe('svc,reports');
    expect(user.arn).toBe('arn:aws:iam::123456789012:user/svc,reports');
  });
});

describe('parseCredentialReport: the format moto (an AWS emulator) writes', () => {
  // moto has no root row, writes `not_supported` for the last use of a password that does not exist,
  // the user's creation as password_last_changed, `not_supported` for regions and services, and ends
  // with a newline.
  const header = COLUMNS.join(',');
  const moto =
    [
      header,
      'svc-a,arn:aws:iam::123456789012:user/svc-a,2026-11-20T10:00:00+00:00,false,not_supported,2026-11-20T10:00:00+00:00,not_supported,false,true,2026-11-20T10:00:01+00:00,N/A,not_supported,not_supported,false,N/A,N/A,not_supported,not_supported,false,N/A,false,N/A',
      'console-b,arn:aws:iam::123456789012:user/console-b,2026-11-20T10:00:02+00:00,true,no_information,2026-11-20T10:00:02+00:00,not_supported,false,false,N/A,N/A,not_supported,not_supported,false,N/A,N/A,not_supported,not_supported,false,N/A,false,N/A',
      'both-c,arn:aws:iam::123456789012:user/both-c,2026-11-20T10:00:03+00:00,true,2026-11-21T08:30:00+00:00,2026-11-20T10:00:03+00:00,not_supported,true,true,2026-11-20T10:00:04+00:00,2026-11-22T09:00:00+00:00,not_supported,not_supported,false,2026-11-20T10:00:05+00:00,N/A,not_supported,not_supported,false,N/A,false,N/A',
    ].join('\n') + '\n';

  it('reads every user, with the account id from their ARNs', () => {
    const parsed = parseCredentialReport(moto);

    expect(readUsers(parsed.users).map((u) => u.userName)).toEqual(['svc-a', 'console-b', 'both-c']);
    expect(parsed.accountId).toBe('123456789012');
  });

  it('reads a user without a password as having no login profile, despite a password_last_changed date', () => {
    const [svc] = readUsers(parseCredentialReport(moto).users);

    expect(svc?.loginProfile).toBeNull();
    expect(svc?.passwordLastUsedAt).toBeNull();
    expect(svc?.accessKeys).toEqual([
      {
        accessKeyId: null,
        slot: 1,
        status: 'Active',
        createdAt: at('2026-11-20T10:00:01Z'),
        lastUsedAt: null,
      },
    ]);
  });

  it('reads console users and their keys', () => {
    const [, consoleUser, both] = readUsers(parseCredentialReport(moto).users);

    expect(consoleUser?.loginProfile).toEqual({ createdAt: at('2026-11-20T10:00:02Z') });
    expect(consoleUser?.passwordLastUsedAt).toBeNull();
    expect(consoleUser?.accessKeys).toEqual([]);
    expect(both?.passwordLastUsedAt).toEqual(at('2026-11-21T08:30:00Z'));
    expect(both?.accessKeys).toEqual([
      {
        accessKeyId: null,
        slot: 1,
        status: 'Active',
        createdAt: at('2026-11-20T10:00:04Z'),
        lastUsedAt: at('2026-11-22T09:00:00Z'),
      },
      {
        accessKeyId: null,
        slot: 2,
        status: 'Inactive',
        createdAt: at('2026-11-20T10:00:05Z'),
        lastUsedAt: null,
      },
    ]);
  });
});

describe('parseCredentialReport: a comma in a user name or path, which moto writes without quotes', () => {
  // moto 5.2.2 writes each row as `",".join(fields)` (moto/iam/models.py, to_csv): IAM allows commas in
  // user names ([\w+=,.@-]+) and paths, so such a row has more fields than the header.
  const header = COLUMNS.join(',');
  const rest =
    '2026-11-30T08:57:03+00:00,true,no_information,2026-11-30T08:57:03+00:00,not_supported,false,true,2026-11-30T08:57:05+00:00,2026-11-30T08:57:06+00:00,not_supported,not_supported,false,N/A,N/A,not_supported,not_supported,false,N/A,false,N/A';
  const line = (user: string, arn: string) => `${user},${arn},${rest}`;
  const report = (...lines: string[]) => [header, ...lines].join('\n') + '\n';
  const bob = line('bob', 'arn:aws:iam::123456789012:user/bob');

  it('reads smith,john and keeps the other users of the account', () => {
    const users = readUsers(
      parseCredentialReport(report(bob, line('smith,john', 'arn:aws:iam::123456789012:user/smith,john')))
        .users,
    );

    expect(users.map((u) => [u.userName, u.arn])).toEqual([
      ['bob', 'arn:aws:iam::123456789012:user/bob'],
      ['smith,john', 'arn:aws:iam::123456789012:user/smith,john'],
    ]);
    expect(users[1]).toEqual({
      ...users[0],
      userName: 'smith,john',
      arn: 'arn:aws:iam::123456789012:user/smith,john',
    });
  });

  it('reads the rest of the row in its own columns: password and key dates', () => {
    const user = onlyUser(report(line('a,b,c', 'arn:aws:iam::123456789012:user/a,b,c')));

    expect(user.userName).toBe('a,b,c');
    expect(user.createdAt).toEqual(at('2026-11-30T08:57:03Z'));
    expect(user.loginProfile).toEqual({ createdAt: at('2026-11-30T08:57:03Z') });
    expect(user.accessKeys).toEqual([reportKey('2026-11-30T08:57:05Z', '2026-11-30T08:57:06Z')]);
  });

  it('reads a user under a path with commas (/a,b/), and a name and a path that both hold one', () => {
    const parsed = parseCredentialReport(
      report(
        line('alice', 'arn:aws:iam::123456789012:user/a,b/alice'),
        line('x,y', 'arn:aws:iam::123456789012:user/p,q,r/x,y'),
      ),
    );

    expect(readUsers(parsed.users).map((u) => [u.userName, u.arn])).toEqual([
      ['alice', 'arn:aws:iam::123456789012:user/a,b/alice'],
      ['x,y', 'arn:aws:iam::123456789012:user/p,q,r/x,y'],
    ]);
    expect(parsed.accountId).toBe('123456789012');
  });

  it('finds the ARN at the first field starting with arn:, even when the path holds ,arn: too', () => {
    const user = onlyUser(report(line('n,m', 'arn:aws:iam::123456789012:user/x,arn:y/n,m')));

    expect(user.userName).toBe('n,m');
    expect(user.arn).toBe('arn:aws:iam::123456789012:user/x,arn:y/n,m');
  });

  it('refuses the row when the ARN does not end with the name', () => {
    const error = parseError(report(bob, line('smith,john', 'arn:aws:iam::123456789012:user/smith,jane')));

    expect(error.message).toBe('malformed credential report: line 3 has 24 fields, the header has 22');
  });

  it('refuses the row when its ARN is in another account than the report', () => {
    const error = parseError(report(bob, line('smith,john', 'arn:aws:iam::210987654321:user/smith,john')));

    expect(error.message).toBe('malformed credential report: line 3 has 24 fields, the header has 22');
  });

  it('refuses the row when no ARN follows the name', () => {
    const error = parseError(report(`smith,john,bob,${rest}`));

    expect(error.message).toBe('malformed credential report: line 2 has 23 fields, the header has 22');
  });

  it('refuses the row when the field after the ARN is not a creation time: the columns would be guessed', () => {
    const noCreationTime = line('smith,john', 'arn:aws:iam::123456789012:user/smith,john').replace(
      '2026-11-30T08:57:03+00:00,true',
      'yesterday,true',
    );

    const error = parseError(report(noCreationTime));

    expect(error.message).toBe('malformed credential report: line 2 has 24 fields, the header has 22');
  });

  it('refuses the row when the user and arn columns are not side by side: the split cannot be told', () => {
    const columns = ['arn', 'user', ...COLUMNS.slice(2)];
    const text = [columns.join(','), `arn:aws:iam::123456789012:user/smith,john,smith,john,${rest}`].join(
      '\n',
    );

    expect(parseError(text).message).toBe(
      'malformed credential report: line 2 has 24 fields, the header has 22',
    );
  });
});

describe('parseCredentialReport: refuses what is not a credential report', () => {
  it('refuses an empty file', () => {
    expect(parseError('').message).toMatch(/empty/);
    expect(parseError('\uFEFF').message).toMatch(/empty/);
    expect(parseError('\n').message).toMatch(/empty/);
  });

  it('refuses a file without the columns it needs, naming them', () => {
    const columns = COLUMNS.filter(
      (c) => c !== 'access_key_2_last_used_date' && c !== 'password_last_changed',
    );

    const error = parseError(csv([row('alice')], { columns }));

    expect(error.message).toMatch(/missing column/);
    expect(error.message).toContain('password_last_changed');
    expect(error.message).toContain('access_key_2_last_used_date');
  });

  it('refuses some other CSV', () => {
    expect(parseError('name,email\nalice,alice@example.com\n').message).toMatch(/not a credential report/);
  });

  it.each([
    [
      'some other CSV',
      'name,email\nalice,alice@example.com\n',
      'its first line is "name,email", where a credential report\'s header starts with user,arn,user_creation_time',
    ],
    [
      'an Excel workbook',
      'PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml',
      'the file is a zip archive, such as an Excel workbook (.xlsx): save the sheet as CSV UTF-8 and scan that',
    ],
    [
      'UTF-16 without a byte order mark',
      'u\u0000s\u0000e\u0000r\u0000,\u0000',
      'the file is UTF-16 text without a byte order mark, or binary: save it as UTF-8 (CSV UTF-8) and scan that',
    ],
    [
      'an HTML page',
      '<!DOCTYPE html>\n<html lang="en">\n<title>stale-iam report: 123456789012</title>',
      'the file is an HTML page (a saved web page, or a stale-iam HTML report); scan the credential report itself',
    ],
    ['XML', '<?xml version="1.0"?>\n<report/>', 'the file is XML or markup, not CSV'],
    [
      'a JSON array',
      '[{"user": "alice"}]',
      'the file is a JSON array; expected the CSV, or the output of aws iam get-credential-report',
    ],
    [
      "stale-iam's own CSV report",
      `${REPORT_CSV_COLUMNS.join(',')}\nalice,arn:aws:iam::123456789012:user/alice,stale\n`,
      'the file is a stale-iam CSV report (one row per credential); scan the credential report it was made from',
    ],
    [
      'a long first line, cut and escaped',
      `${'x'.repeat(100)}\u001b[2J\n`,
      `its first line is "${'x'.repeat(59)}…", where`,
    ],
  ])('says in one line what %s looks like instead of listing the missing columns', (_what, text, message) => {
    const error = parseError(text);

    expect(error.message).toContain(`not a credential report: ${message}`);
    expect(error.message).not.toMatch(/missing column/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a row with the wrong number of fields, naming its line', () => {
    const text = csv([ROOT, row('alice'), row('bob')]).replace(
      ',false,N/A,false,N/A\nbob',
      ',false,N/A\nbob',
    );

    const error = parseError(text);

    expect(error.message).toContain('line 3');
    expect(error.message).toContain('20 fields');
    expect(error.message).toContain('22');
  });

  it('refuses a bad date, naming the line, the column and the value', () => {
    const error = parseError(csv([ROOT, row('alice', { password_last_used: 'yesterday' })]));

    expect(error.message).toContain('line 3');
    expect(error.message).toContain('password_last_used');
    expect(error.message).toContain('"yesterday"');
  });

  it('refuses a date without a time zone', () => {
    const error = parseError(csv([row('alice', { user_creation_time: '2026-04-11T18:45:05' })]));

    expect(error.message).toContain('line 2');
    expect(error.message).toContain('user_creation_time');
  });

  it('refuses an impossible date', () => {
    expect(
      parseError(csv([row('alice', { user_creation_time: '2026-13-45T18:45:05+00:00' })])).message,
    ).toContain('user_creation_time');
  });

  it('refuses a calendar date that does not exist rather than rolling it over (February 30)', () => {
    // JavaScript's Date reads 2026-02-30 as 2026-03-02: a hand-edited date would silently move by days.
    const error = parseError(csv([row('alice', { password_last_used: '2026-02-30T10:00:00+00:00' })]));

    expect(error.message).toContain('line 2');
    expect(error.message).toContain('password_last_used');
  });

  it('refuses a missing user creation time', () => {
    const error = parseError(csv([row('alice', { user_creation_time: 'N/A' })]));

    expect(error.message).toContain('line 2');
    expect(error.message).toContain('user_creation_time');
  });

  it('refuses a bad boolean, naming the line, the column and the value', () => {
    const error = parseError(csv([row('alice', { password_enabled: 'yes' })]));

    expect(error.message).toContain('line 2');
    expect(error.message).toContain('password_enabled');
    expect(error.message).toContain('"yes"');
  });

  it('refuses an unterminated quote, naming the line it starts on', () => {
    const text = `${COLUMNS.join(',')}\n${Object.values(row('alice')).join(',')}\n"bob,arn:aws:iam::123456789012:user/bob\n`;

    const error = parseError(text);

    expect(error.message).toMatch(/unterminated quote/);
    expect(error.message).toContain('line 3');
  });

  it('refuses an enabled password with no date it was set', () => {
    const error = parseError(csv([row('alice', { password_enabled: 'true', password_last_changed: 'N/A' })]));

    expect(error.message).toContain('line 2');
    expect(error.message).toContain('password_last_changed');
  });

  it('refuses an active key with no creation date', () => {
    const error = parseError(
      csv([row('alice', { access_key_2_active: 'true', access_key_2_last_rotated: 'N/A' })]),
    );

    expect(error.message).toContain('line 2');
    expect(error.message).toContain('access_key_2_last_rotated');
  });

  it('refuses an empty user name', () => {
    expect(parseError(csv([row('')])).message).toContain('column user');
  });

  it('names the right line in a CRLF file with a byte order mark', () => {
    const text = csv([ROOT, row('alice'), row('bob', { access_key_1_active: 'maybe' })], {
      eol: '\r\n',
      bom: true,
    });

    const error = parseError(text);

    expect(error.message).toContain('line 4');
    expect(error.message).toContain('access_key_1_active');
  });

  it('refuses the whole report rather than returning the rows before the bad one', () => {
    expect(() => parseCredentialReport(csv([row('alice'), row('bob', { password_enabled: 'yes' })]))).toThrow(
      InvalidInputError,
    );
  });
});

describe('parseCredentialReport: a report that went through a spreadsheet or a script', () => {
  const console = row('alice', {
    password_enabled: 'true',
    password_last_used: '2026-11-25T08:14:22+00:00',
    password_last_changed: '2025-06-10T02:40:11+00:00',
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2026-05-14T06:00:00+00:00',
    access_key_2_active: 'false',
    access_key_2_last_rotated: '2026-05-15T06:00:00+00:00',
  });
  const expected = parseCredentialReport(csv([ROOT, console]));

  it('reads TRUE and FALSE, and any other letter case, as a spreadsheet writes them', () => {
    const upper = {
      ...console,
      password_enabled: 'TRUE',
      access_key_1_active: 'True',
      access_key_2_active: 'FALSE',
    };

    expect(parseCredentialReport(csv([ROOT, upper]))).toEqual(expected);
  });

  it('reads n/a and NO_INFORMATION in any letter case', () => {
    const lower = { ...console, password_last_used: 'NO_INFORMATION', access_key_1_last_used_date: 'n/a' };

    const user = onlyUser(csv([lower]));

    expect(user.passwordLastUsedAt).toBeNull();
    expect(user.accessKeys[0]?.lastUsedAt).toBeNull();
  });

  it('reads a header in another letter case', () => {
    const text = csv([ROOT, console]).replace(/^[^\n]*/, (header) => header.toUpperCase());

    expect(parseCredentialReport(text)).toEqual(expected);
  });

  it.each([
    ['semicolons', ';'],
    ['tabs', '\t'],
  ])('reads a report saved with %s between the fields', (_what, delimiter) => {
    const text = [
      COLUMNS.join(delimiter),
      ...[ROOT, console].map((r) => COLUMNS.map((c) => r[c]).join(delimiter)),
    ].join('\n');

    expect(parseCredentialReport(text)).toEqual(expected);
  });

  it.each([
    ['as many empty cells as the header has columns', ','.repeat(21)],
    ['fewer empty cells', ',,,,'],
    ['cells of spaces', ' , ,\t, '],
  ])('skips a row of %s, as a spreadsheet saves it, like a blank line', (_what, empty) => {
    const text = csv([ROOT, console]) + `${empty}\n${empty}\n`;

    const parsed = parseCredentialReport(text);

    expect(parsed).toEqual(expected);
    expect(parsed.warnings).toEqual([]);
  });

  it('skips the header where two copies of the report were joined, and says so', () => {
    const twice = csv([ROOT, console]) + csv([ROOT, console]);

    const parsed = parseCredentialReport(twice);

    expect(parsed.users).toEqual(expected.users);
    expect(parsed.warnings).toEqual([
      expect.stringContaining('repeats its header on line 4'),
      expect.stringContaining('alice on lines 3, 6'),
    ]);
  });

  it('refuses a header that names a column twice: which copy is meant cannot be told', () => {
    const columns = [...COLUMNS, 'password_enabled'];

    const error = parseError(csv([ROOT, { ...console, password_enabled: 'true' }], { columns }));

    expect(error.message).toBe(
      'malformed credential report: the header names column "password_enabled" twice (columns 4 and 23)',
    );
  });

  it('refuses rows from two accounts: a report covers one', () => {
    const other = row('bob', { arn: 'arn:aws:iam::210987654321:user/bob' });

    const error = parseError(csv([ROOT, console, other]));

    expect(error.message).toBe(
      'malformed credential report: line 4 is in account 210987654321, line 2 in 123456789012; a report covers one account',
    );
  });
});

describe('parseCredentialReport: a user on two rows', () => {
  const older = row('alice', {
    user_creation_time: '2021-01-19T02:00:14+00:00',
    password_enabled: 'true',
    password_last_used: '2026-11-20T00:00:00+00:00',
    password_last_changed: '2025-06-10T02:40:11+00:00',
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2024-05-14T06:00:00+00:00',
    access_key_1_last_used_date: '2024-06-01T00:00:00+00:00',
  });
  const newer = row('alice', {
    user_creation_time: '2021-01-19T02:00:14+00:00',
    password_enabled: 'true',
    password_last_used: '2025-01-01T00:00:00+00:00',
    password_last_changed: '2026-01-10T00:00:00+00:00',
    access_key_1_active: 'false',
    access_key_1_last_rotated: '2024-05-14T06:00:00+00:00',
    access_key_1_last_used_date: '2026-11-01T00:00:00+00:00',
    access_key_2_active: 'true',
    access_key_2_last_rotated: '2026-02-01T00:00:00+00:00',
  });

  it('gives one user, with the most recent activity of each credential, whichever row it is on', () => {
    for (const rows of [
      [older, newer],
      [newer, older],
    ]) {
      const user = onlyUser(csv([ROOT, ...rows]));

      expect(user.passwordLastUsedAt).toEqual(at('2026-11-20T00:00:00Z'));
      expect(user.loginProfile).toEqual({ createdAt: at('2026-01-10T00:00:00Z') });
      expect(user.accessKeys).toEqual([
        // A key active on either row may still be usable: it is kept as active, with its latest use.
        {
          accessKeyId: null,
          slot: 1,
          status: 'Active',
          createdAt: at('2024-05-14T06:00:00Z'),
          lastUsedAt: at('2026-11-01T00:00:00Z'),
        },
        {
          accessKeyId: null,
          slot: 2,
          status: 'Active',
          createdAt: at('2026-02-01T00:00:00Z'),
          lastUsedAt: null,
        },
      ]);
    }
  });

  it('never makes the user look more stale than either row alone, whichever row comes first', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    const verdictsOf = (text: string) =>
      evaluateUsers(parseCredentialReport(text).users, { thresholdDays: 90, now, scope: 'all' });
    const alone = [older, newer].map((r) => verdictsOf(csv([ROOT, r]))[0]?.idleDays ?? -1);

    for (const rows of [
      [older, newer],
      [newer, older],
    ]) {
      const merged = verdictsOf(csv([ROOT, ...rows]));

      expect(merged).toHaveLength(1);
      expect(merged[0]?.idleDays).toBe(Math.min(...alone));
    }
  });

  it('names the user and the lines in one warning', () => {
    const parsed = parseCredentialReport(csv([ROOT, older, row('bob'), newer, row('bob')]));

    expect(parsed.users).toHaveLength(2);
    expect(parsed.warnings).toEqual([
      '2 users are on more than one row of the credential report (alice on lines 3, 5; bob on lines 4, 6); ' +
        'each is judged once, on the most recent activity of each credential',
    ]);
  });

  it('treats names that differ only in letter case as one user, as IAM does', () => {
    const parsed = parseCredentialReport(
      csv([ROOT, older, { ...newer, user: 'Alice', arn: 'arn:aws:iam::123456789012:user/Alice' }]),
    );

    expect(readUsers(parsed.users).map((u) => u.userName)).toEqual(['alice']);
  });

  it('refuses two rows that give the same user different ARNs: which is current cannot be told', () => {
    const moved = { ...newer, arn: 'arn:aws:iam::123456789012:user/ops/alice' };

    const error = parseError(csv([ROOT, older, moved]));

    expect(error.message).toBe(
      'malformed credential report: user alice is on line 3 as arn:aws:iam::123456789012:user/alice ' +
        'and on line 4 as arn:aws:iam::123456789012:user/ops/alice; which one is current cannot be told',
    );
  });
});

describe('parseCredentialReport: any number of rows', () => {
  it('reads 130,000 users', () => {
    const lines = [COLUMNS.join(',')];
    const template = COLUMNS.map((c) => row('u')[c]);
    for (let i = 0; i < 130_000; i++) {
      lines.push([`user-${i}`, `arn:aws:iam::${ACCOUNT}:user/user-${i}`, ...template.slice(2)].join(','));
    }

    const parsed = parseCredentialReport(lines.join('\n') + '\n');

    expect(parsed.users).toHaveLength(130_000);
    expect(parsed.warnings).toEqual([]);
  });
});

describe('parseCsvRows', () => {
  it('splits rows and fields, numbering the line each row starts on', () => {
    expect(parseCsvRows('a,b\nc,d\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsvRows('"x,y","say ""hi""","two\nlines"\nnext,row\n')).toEqual([
      { line: 1, fields: ['x,y', 'say "hi"', 'two\nlines'] },
      { line: 3, fields: ['next', 'row'] },
    ]);
  });

  it('treats CRLF and lone CR as line endings', () => {
    expect(parseCsvRows('a\r\nb\rc')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
      { line: 3, fields: ['c'] },
    ]);
  });

  it('keeps empty fields', () => {
    expect(parseCsvRows(',,\n')).toEqual([{ line: 1, fields: ['', '', ''] }]);
  });

  it('returns no rows for empty text', () => {
    expect(parseCsvRows('')).toEqual([]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsvRows('a,"b\nc\n')).toThrow(InvalidInputError);
    expect(() => parseCsvRows('a,"b\nc\n')).toThrow(/unterminated quote starting on line 1/);
  });
});

describe('fixtures', () => {
  const fixture = (name: string) =>
    readFileSync(join(__dirname, '..', '..', 'fixtures', 'csv', name), 'utf8');

  it('reads a report downloaded from the console (CRLF, byte order mark, quoted name)', () => {
    const text = fixture('console-download.csv');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n');

    const parsed = parseCredentialReport(text);

    expect(parsed.accountId).toBe('210987654321');
    const users = readUsers(parsed.users);
    expect(users.map((u) => u.userName)).toEqual(['ops,oncall', 'yui.morita', 'etl-runner']);
    const [oncall, yui, etl] = users;
    expect(oncall?.arn).toBe('arn:aws:iam::210987654321:user/ops/ops,oncall');
    expect(oncall?.loginProfile).toEqual({ createdAt: at('2025-05-09T08:02:31Z') });
    expect(yui?.passwordLastUsedAt).toBeNull();
    expect(etl?.accessKeys.map((k) => [k.slot, k.status])).toEqual([
      [1, 'Active'],
      [2, 'Inactive'],
    ]);
  });

  it('refuses a truncated report, naming the line it stopped at', () => {
    const error = parseError(fixture('truncated.csv'));

    expect(error.message).toContain('line 4');
  });
});
