/* eslint-disable no-control-regex -- these tests look for raw control characters */
import {
  MAX_MESSAGE_BYTES,
  MAX_SUBJECT_LENGTH,
  buildOperatorMessage,
  buildSubject,
  needsAttention,
  type OperatorMessage,
} from '../../../src/domain/notification/message';
import { NOTIFY_LANGUAGES, TEXT, type NotifyLanguage } from '../../../src/domain/notification/text';
import type { ScanReport, UserEntry } from '../../../src/domain/report/scan-report';
import {
  ACCOUNT_ID,
  EVALUATED_AT,
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  longUserName,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';

const ASCII = /^[\x20-\x7e]*$/;

function message(report: ScanReport, language: NotifyLanguage, notifyWhenClean = false): OperatorMessage {
  const built = buildOperatorMessage(report, { language, location: LOCATION, notifyWhenClean });
  if (!built) throw new Error('expected a message, got null');
  return built;
}

/** The lines of the body's section that starts with `heading`, up to the next blank line. */
function section(body: string, heading: string): string[] {
  const lines = body.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no section "${heading}" in the body`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** A table row split into its four columns (columns are separated by at least two spaces). */
function cells(row: string): string[] {
  return row.trim().split(/ {2,}/);
}

/** 5,000 stale users with 64-character names, a password and two keys each. */
function fiveThousandStale(): UserEntry[] {
  return Array.from({ length: 5000 }, (_, i) =>
    staleUser(
      longUserName(i),
      password(100 + (i % 900), { never: i % 7 === 0 }),
      accessKey(1, 150 + (i % 500)),
      accessKey(2, 400 + (i % 300), { never: true }),
    ),
  );
}

/** One of each: a stale user, an active one, an active one holding a stale key, one without credentials, one error. */
const MIXED = buildReport([
  activeUser('haruto', accessKey(1, 1), accessKey(2, 330)),
  noCredentialsUser('kaito'),
  errorUser('locked-down', 'AccessDenied: not authorized to perform iam:ListAccessKeys'),
  staleUser('ren', password(180), accessKey(1, 200, { never: true })),
  activeUser('sota', password(3)),
]);

const CLEAN = buildReport([activeUser('sota', password(3)), noCredentialsUser('kaito')]);

describe('needsAttention', () => {
  it('is false for a report with nothing stale, no stale credential and no error', () => {
    expect(needsAttention(CLEAN)).toBe(false);
  });

  it.each<[string, ScanReport]>([
    ['a stale user', buildReport([staleUser('ren')])],
    [
      'an active user holding a stale credential',
      buildReport([activeUser('haruto', accessKey(1, 1), accessKey(2, 330))]),
    ],
    ['a user that could not be evaluated', buildReport([errorUser('locked-down', 'AccessDenied')])],
  ])('is true for %s', (_what, report) => {
    expect(needsAttention(report)).toBe(true);
  });
});

describe('buildOperatorMessage with 0 stale users', () => {
  it('returns null when nothing needs attention and nobody asked for an all-clear', () => {
    expect(
      buildOperatorMessage(CLEAN, { language: 'en', location: LOCATION, notifyWhenClean: false }),
    ).toBeNull();
    expect(
      buildOperatorMessage(CLEAN, { language: 'ja', location: LOCATION, notifyWhenClean: false }),
    ).toBeNull();
  });

  it('writes an English all-clear when asked for one', () => {
    const { subject, body } = message(CLEAN, 'en', true);

    expect(subject).toBe(`[stale-iam] no users unused for more than 90 days (${ACCOUNT_ID})`);
    expect(body).toContain(`stale-iam report for AWS account ${ACCOUNT_ID}`);
    expect(body).toContain(`Evaluated at: ${EVALUATED_AT}`);
    expect(body).toContain('90 days');
    expect(body).toContain('No IAM user has gone unused for more than 90 days.');
    expect(body).not.toContain('IAM users unused for more than 90 days (');
    expect(body).not.toContain('PARTIAL');
    expect(body).toContain(`Full report: s3://${LOCATION.bucket}/${LOCATION.key}`);
    expect(body).toContain(`CSV: s3://${LOCATION.bucket}/${LOCATION.csvKey}`);
  });

  it('writes a Japanese all-clear when asked for one, with an ASCII subject', () => {
    const { subject, body } = message(CLEAN, 'ja', true);

    expect(subject).toBe(`[stale-iam] no users unused for more than 90 days (${ACCOUNT_ID})`);
    expect(subject).toMatch(ASCII);
    expect(body).toContain(`stale-iam レポート: AWS アカウント ${ACCOUNT_ID}`);
    expect(body).toContain(`評価日時: ${EVALUATED_AT}`);
    expect(body).toContain('90 日');
    expect(body).toContain('90 日を超えて使用されていない IAM ユーザーはいません。');
    expect(body).toContain(`レポート全文: s3://${LOCATION.bucket}/${LOCATION.key}`);
    expect(body).toContain(`CSV: s3://${LOCATION.bucket}/${LOCATION.csvKey}`);
  });
});

describe('buildOperatorMessage with 1 stale user (English)', () => {
  const { subject, body } = message(MIXED, 'en');

  it('has the subject "[stale-iam] PARTIAL scan: 1 of 5 ..." with the account and the errors', () => {
    expect(subject).toBe(
      `[stale-iam] PARTIAL scan: 1 of 5 users unused for more than 90 days, 1 not evaluated (${ACCOUNT_ID})`,
    );
  });

  it('says under the title that the scan was partial and remediation does not act on it', () => {
    expect(body.split('\n')[1]).toBe(
      'PARTIAL SCAN: 1 of 5 users could not be evaluated (listed below), so this report is incomplete. ' +
        'Automatic remediation does not act on a partial scan.',
    );
  });

  it('states the account, the evaluation time, the threshold and the counts', () => {
    const lines = body.split('\n');
    expect(lines[0]).toBe(`stale-iam report for AWS account ${ACCOUNT_ID}`);
    expect(body).toContain(`Evaluated at: ${EVALUATED_AT}`);
    expect(body).toContain(
      '\nThreshold: a credential is stale when unused for more than 90 days\nCredentials checked: all\nSource: credential-report',
    );
    expect(body).toContain(
      '5 users: 1 stale, 2 active (1 holding a stale credential), 1 without credentials, 0 exempt, 1 could not be evaluated',
    );
  });

  it('lists the stale user with idle days, credentials and last activity', () => {
    const rows = section(body, 'IAM users unused for more than 90 days (1 user):');

    expect(cells(rows[0] ?? '')).toEqual(['USER', 'IDLE DAYS', 'CREDENTIALS', 'LAST ACTIVITY']);
    expect(rows).toHaveLength(2);
    expect(cells(rows[1] ?? '')).toEqual([
      'ren',
      '180',
      'password (180d), access key 1 (200d, never used)',
      '2026-06-01',
    ]);
  });

  it('lists active users that still hold a stale credential, showing only the stale credential', () => {
    const rows = section(
      body,
      'Active users still holding a credential unused for more than 90 days (1 user):',
    );

    expect(rows).toHaveLength(2);
    expect(cells(rows[1] ?? '')).toEqual(['haruto', '1', 'access key 2 (330d)', '2026-11-27']);
  });

  it('lists the users that could not be evaluated with the reason', () => {
    expect(section(body, 'Users that could not be evaluated (1 user):')).toEqual([
      'locked-down: AccessDenied: not authorized to perform iam:ListAccessKeys',
    ]);
  });

  it('does not list active or credential-less users as stale', () => {
    const stale = section(body, 'IAM users unused for more than 90 days (1 user):').join('\n');
    expect(stale).not.toContain('sota');
    expect(stale).not.toContain('kaito');
    expect(stale).not.toContain('haruto');
  });

  it('ends with where the full report and the CSV are', () => {
    expect(body.trimEnd().split('\n').slice(-2)).toEqual([
      `Full report: s3://${LOCATION.bucket}/${LOCATION.key}`,
      `CSV: s3://${LOCATION.bucket}/${LOCATION.csvKey}`,
    ]);
  });
});

describe('buildOperatorMessage for users deleted while the scan ran', () => {
  it('lists them in a section of their own, as not judged', () => {
    const { body } = message(buildReport(MIXED.users, { deletedDuringScan: ['carol', 'dave'] }), 'en');

    expect(body).toContain('\nUsers deleted while the scan ran, so not judged (2 users):\ncarol\ndave\n');
  });

  it('cuts a long list of them to the message budget like any other list', () => {
    const deleted = Array.from({ length: 5_000 }, (_, i) => longUserName(i));

    const { body } = message(buildReport(MIXED.users, { deletedDuringScan: deleted }), 'en');

    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(body).toMatch(/\.\.\. and \d+ more users \(see the full report\)/);
  });
});

describe('buildOperatorMessage with 1 stale user (Japanese)', () => {
  const { subject, body } = message(MIXED, 'ja');

  it('keeps the subject ASCII and identical to the English one', () => {
    expect(subject).toBe(message(MIXED, 'en').subject);
    expect(subject).toMatch(ASCII);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });

  it('states the account, the evaluation time, the threshold and the counts in Japanese', () => {
    expect(body.split('\n')[0]).toBe(`stale-iam レポート: AWS アカウント ${ACCOUNT_ID}`);
    expect(body).toContain(`評価日時: ${EVALUATED_AT}`);
    expect(body).toContain(
      '\nしきい値: 90 日を超えて使用されていない認証情報を長期未使用とします\n対象の認証情報: all\n取得元: credential-report',
    );
    expect(body).toContain('ユーザー 5 人: 長期未使用 1 人、利用中 2 人');
  });

  it('lists the stale user with idle days, credentials and last activity', () => {
    const rows = section(body, '90 日を超えて使用されていない IAM ユーザー (1 人):');

    expect(cells(rows[0] ?? '')).toEqual(['ユーザー名', '未使用日数', '認証情報', '最終利用']);
    expect(rows).toHaveLength(2);
    expect(cells(rows[1] ?? '')).toEqual([
      'ren',
      '180',
      'パスワード (180日), アクセスキー1 (200日, 未使用)',
      '2026-06-01',
    ]);
  });

  it('lists active users that still hold a stale credential', () => {
    const rows = section(body, '利用中ですが 90 日を超えて使用されていない認証情報を持つユーザー (1 人):');

    expect(cells(rows[1] ?? '')).toEqual(['haruto', '1', 'アクセスキー2 (330日)', '2026-11-27']);
  });

  it('lists the users that could not be evaluated', () => {
    expect(section(body, '評価できなかったユーザー (1 人):')).toEqual([
      'locked-down: AccessDenied: not authorized to perform iam:ListAccessKeys',
    ]);
  });

  it('ends with where the full report and the CSV are', () => {
    expect(body.trimEnd().split('\n').slice(-2)).toEqual([
      `レポート全文: s3://${LOCATION.bucket}/${LOCATION.key}`,
      `CSV: s3://${LOCATION.bucket}/${LOCATION.csvKey}`,
    ]);
  });
});

describe.each(NOTIFY_LANGUAGES)('buildOperatorMessage with 5,000 stale users (%s)', (language) => {
  const text = TEXT[language];
  const users = [
    ...fiveThousandStale(),
    activeUser('haruto', accessKey(1, 1), accessKey(2, 330)),
    errorUser('locked-down', 'AccessDenied: not authorized to perform iam:ListAccessKeys'),
  ];
  const report = buildReport(users);
  const { subject, body } = message(report, language);
  const rows = section(body, text.staleHeading(90, 5000));
  const shown = rows.slice(1).filter((row) => /^user-\d{5}-x+ /.test(row));
  const moreLine = rows[rows.length - 1] ?? '';
  const more = /(\d+)/.exec(moreLine.replace(/^\.\.\./, ''));

  it('fits in the SNS message limit, counted in UTF-8 bytes', () => {
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(MAX_MESSAGE_BYTES).toBeLessThanOrEqual(256 * 1024);
  });

  it('shows as many rows as fit, a lot of them, and says how many it left out', () => {
    expect(shown.length).toBeGreaterThan(1000);
    expect(shown.length).toBeLessThan(5000);
    expect(moreLine).toBe(text.moreUsers(5000 - shown.length));
    expect(Number(more?.[1])).toBe(5000 - shown.length);
    expect(Number(more?.[1]) + shown.length).toBe(5000);
  });

  it("writes the cut line in the operators' language", () => {
    const pattern =
      language === 'ja'
        ? /^\.\.\. ほか \d+ 人 \(詳細はレポート全文を参照してください\)$/
        : /^\.\.\. and \d+ more users \(see the full report\)$/;
    expect(moreLine).toMatch(pattern);
  });

  it('shows whole rows only: every shown row has four columns and a distinct user', () => {
    for (const row of shown) expect(cells(row)).toHaveLength(4);
    expect(new Set(shown.map((row) => cells(row)[0])).size).toBe(shown.length);
  });

  it('shows the longest-idle users first', () => {
    const idle = shown.map((row) => Number(cells(row)[1]));
    expect(idle).toEqual([...idle].sort((a, b) => b - a));
    const longest = Math.max(...report.users.filter((u) => u.status === 'stale').map((u) => u.idleDays ?? 0));
    expect(idle[0]).toBe(longest);
  });

  it('keeps every section heading even when the list is cut', () => {
    const lines = body.split('\n');
    expect(lines).toContain(text.activeWithStaleHeading(90, 1));
    expect(lines).toContain(text.errorsHeading(1));
  });

  it('still ends with where the full report and the CSV are', () => {
    expect(body.endsWith(`CSV: s3://${LOCATION.bucket}/${LOCATION.csvKey}\n`)).toBe(true);
    expect(body.trimEnd().split('\n').slice(-2)).toEqual([
      `${text.fullReport}: s3://${LOCATION.bucket}/${LOCATION.key}`,
      `CSV: s3://${LOCATION.bucket}/${LOCATION.csvKey}`,
    ]);
  });

  it('keeps the subject ASCII and within 99 characters', () => {
    expect(subject).toBe(
      `[stale-iam] PARTIAL scan: 5000/5002 users idle >90d, 1 not evaluated (${ACCOUNT_ID})`,
    );
    expect(subject).toMatch(ASCII);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });
});

describe('buildOperatorMessage cutting to a smaller budget', () => {
  it.each(NOTIFY_LANGUAGES)('never goes over maxBytes, even with multibyte text (%s)', (language) => {
    const report = buildReport(fiveThousandStale().slice(0, 300));
    for (const maxBytes of [4_000, 10_000, 33_333]) {
      const built = buildOperatorMessage(report, {
        language,
        location: LOCATION,
        notifyWhenClean: false,
        maxBytes,
      });
      expect(Buffer.byteLength(built?.body ?? '', 'utf8')).toBeLessThanOrEqual(maxBytes);
    }
  });

  it('adds no cut line when everything fits', () => {
    const { body } = message(buildReport(fiveThousandStale().slice(0, 10)), 'en');

    expect(section(body, 'IAM users unused for more than 90 days (10 users):')).toHaveLength(11);
    expect(body).not.toContain('more (see the full report)');
  });
});

describe('buildSubject', () => {
  it('keeps the subject within 99 ASCII characters for a large account with errors', () => {
    const users = [
      ...Array.from({ length: 12 }, (_, i) => staleUser(`stale-${i}`)),
      ...Array.from({ length: 3 }, (_, i) => errorUser(`locked-${i}`, 'AccessDenied: iam:ListAccessKeys')),
    ];
    const report = buildReport(users, {
      summary: { ...buildReport(users).summary, users: 123_456, stale: 98_765 },
      thresholdDays: 3650,
    });

    const subject = buildSubject(report);

    expect(subject).toBe(
      '[stale-iam] PARTIAL scan: 98765/123456 users idle >3650d, 3 not evaluated (123456789012)',
    );
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('says "unknown account" when the report does not name one', () => {
    expect(buildSubject(buildReport([staleUser('ren')], { accountId: null }))).toBe(
      '[stale-iam] 1 of 1 users unused for more than 90 days (unknown account)',
    );
  });

  it('uses the report threshold', () => {
    expect(buildSubject(buildReport([staleUser('ren')], { thresholdDays: 45 }))).toBe(
      `[stale-iam] 1 of 1 users unused for more than 45 days (${ACCOUNT_ID})`,
    );
  });
});

describe('buildOperatorMessage: the lines under the title', () => {
  const report = buildReport(MIXED.users, { credentialReportGeneratedAt: new Date('2026-11-27T21:14:09Z') });

  it.each(NOTIFY_LANGUAGES)('gives every line a label, the threshold line included (%s)', (language) => {
    const { body } = message(report, language);
    const text = TEXT[language];
    const lines = body.split('\n');
    const header = lines.slice(lines.indexOf('') + 1, lines.indexOf('', lines.indexOf('') + 1) - 1);

    expect(header.map((line) => line.slice(0, line.indexOf(': ')))).toEqual([
      text.evaluatedAt,
      text.thresholdLabel,
      text.scope,
      text.source,
    ]);
  });

  it('says when AWS generated the credential report the verdicts come from', () => {
    expect(message(report, 'en').body).toContain(
      '\nSource: credential-report (generated by AWS at 2026-11-27T21:14:09.000Z)\n',
    );
    expect(message(report, 'ja').body).toContain(
      '\n取得元: credential-report (AWS による生成日時 2026-11-27T21:14:09.000Z)\n',
    );
  });

  it('states the rule as it is: strictly more than N days, in both languages', () => {
    expect(message(report, 'en').body).toContain(
      '\nThreshold: a credential is stale when unused for more than 90 days\n',
    );
    expect(message(report, 'ja').body).toContain('90 日を超えて使用されていない IAM ユーザー (1 人):');
    for (const language of NOTIFY_LANGUAGES) {
      expect(message(report, language).body).not.toMatch(/\d\+ days|日以上/);
    }
  });
});

describe('buildOperatorMessage: names from outside', () => {
  it('shows control and bidirectional characters in user names and errors escaped', () => {
    const report = buildReport([
      staleUser('evil\x1b[2J', password(200)),
      staleUser('admin\u202Etxt.exe', password(150)),
      errorUser('bad\nname', 'AccessDenied: \x1b]0;x\x07'),
    ]);

    const { body } = message(report, 'en');

    expect(body).not.toMatch(/[\x1b\x07\u202e]/);
    expect(body).toContain('evil\\x1b[2J');
    expect(body).toContain('admin\\u202etxt.exe');
    expect(body).toContain('bad\\nname: AccessDenied: \\x1b]0;x\\x07');
  });
});
