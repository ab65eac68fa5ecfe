import { MAX_MESSAGE_BYTES, MAX_SUBJECT_LENGTH } from '../../../src/domain/notification/message';
import {
  TOP_ACCOUNTS,
  buildOrganizationMessage,
  buildOrganizationSubject,
  organizationNeedsAttention,
} from '../../../src/domain/notification/organization-message';
import { NOTIFY_LANGUAGES, TEXT } from '../../../src/domain/notification/text';
import { ACCOUNT_FAILURE_KINDS, accountFailure } from '../../../src/domain/organization/account-outcome';
import {
  OrganizationReportWriter,
  type OrganizationSummary,
} from '../../../src/domain/organization/organization-report';
import { HEAD, MemorySink, account, accountReport, locationOf } from '../../support/organization-builders';
import { activeUser, errorUser, noCredentialsUser, password, staleUser } from '../../support/report-builder';

const KEY = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z';
const LOCATION = {
  bucket: 'reports-bucket',
  key: `${KEY}.json`,
  csvKey: `${KEY}.csv`,
  summaryKey: `${KEY}.summary.json`,
};
const OPTIONS = {
  language: 'en' as const,
  location: LOCATION,
  memberRoleName: 'stale-iam-member',
  notifyWhenClean: false,
};
const ASCII = /^[\x20-\x7e]*$/;

type Entry =
  | { id: string; name?: string; stale?: number; active?: number; errors?: number }
  | { id: string; name?: string; failed: Parameters<typeof accountFailure> };

/** A real summary, from the writer: accounts with so many stale, active and unevaluated users, or failed. */
async function summaryOf(entries: Entry[], skipped = 0): Promise<OrganizationSummary> {
  const writer = new OrganizationReportWriter(HEAD, { json: new MemorySink(), csv: new MemorySink() });
  await writer.begin();
  for (const e of entries) {
    const ref = account(e.id, e.name);
    if ('failed' in e) {
      writer.addFailure(ref, accountFailure(...e.failed));
      continue;
    }
    const users = [
      ...Array.from({ length: e.stale ?? 0 }, (_, i) => staleUser(`stale-${i}`, password(100 + i))),
      ...Array.from({ length: e.active ?? 0 }, (_, i) => activeUser(`active-${i}`)),
      ...Array.from({ length: e.errors ?? 0 }, (_, i) => errorUser(`error-${i}`, 'AccessDenied')),
      noCredentialsUser('robot'),
    ];
    const report = accountReport(e.id, users);
    await writer.addReport(ref, report, locationOf(report));
  }
  return writer.end(
    Array.from({ length: skipped }, (_, i) => ({
      ...account(`9${String(i).padStart(11, '0')}`, 'closed'),
      reason: 'not-active' as const,
      state: 'SUSPENDED',
    })),
  );
}

function lines(body: string, heading: string): string[] {
  const all = body.split('\n');
  const start = all.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`no section "${heading}" in\n${body}`);
  const end = all.indexOf('', start);
  return all.slice(start + 1, end < 0 ? undefined : end);
}

describe('the organisation email', () => {
  it('says, for a member account without the role, which role is missing where and to deploy the StackSet there', async () => {
    const summary = await summaryOf([
      { id: '111111111111', stale: 2, active: 1 },
      {
        id: '111122223333',
        name: 'legacy',
        failed: ['role-unavailable', 'MemberRoleError: assuming ... failed: AccessDenied'],
      },
    ]);

    const message = buildOrganizationMessage(summary, OPTIONS);

    expect(lines(message?.body ?? '', 'Accounts that could not be scanned (1):')).toEqual([
      "111122223333 (legacy): member role stale-iam-member missing in 111122223333, or it does not trust this stack's scan role: deploy the StackSet there (in the management account, deploy member-role/stale-iam-member-role.yml as a stack) (reason: MemberRoleError: assuming ... failed: AccessDenied)",
    ]);
  });

  it('has advice for every kind of failure, in every language, naming the account', () => {
    for (const language of NOTIFY_LANGUAGES) {
      for (const kind of ACCOUNT_FAILURE_KINDS) {
        const advice = TEXT[language].organization.advice[kind]({ account: '111122223333', role: 'r' });
        expect(advice).toContain('111122223333');
      }
    }
  });

  it('gives the totals of the organisation and the accounts scanned, partial, failed and skipped', async () => {
    const summary = await summaryOf(
      [
        { id: '111111111111', stale: 2, active: 1 },
        { id: '222222222222', active: 1, errors: 1 },
        { id: '333333333333', failed: ['access-denied', 'AccessDenied'] },
      ],
      2,
    );

    const body = buildOrganizationMessage(summary, OPTIONS)?.body ?? '';

    expect(body).toContain('stale-iam report for the AWS organization (3 accounts scanned)');
    expect(body).toContain('INCOMPLETE: of 3 accounts, 1 could not be scanned and 1 were scanned partially');
    expect(body).toContain(
      '7 users: 2 stale, 2 active (0 holding a stale credential), 2 without credentials, 0 exempt, 1 could not be evaluated',
    );
    expect(body).toContain('Accounts: 3 scanned (1 complete, 1 partial, 1 failed), 2 skipped');
    expect(lines(body, 'Accounts scanned partially (1):')).toEqual([
      '222222222222 (account-2222): 1 of 3 users could not be evaluated (see its report)',
    ]);
    expect(lines(body, 'Accounts not scanned on purpose (2):')).toEqual([
      '900000000000 (closed): not active (SUSPENDED)',
      '900000000001 (closed): not active (SUSPENDED)',
    ]);
    expect(body).toContain(`Full report: s3://reports-bucket/${KEY}.json`);
    expect(body).toContain(`CSV: s3://reports-bucket/${KEY}.csv`);
    expect(body).toContain("Each account's report: s3://reports-bucket/reports/<account>/");
  });

  it(`ranks the accounts with the most stale users first, and shows the top ${TOP_ACCOUNTS}`, async () => {
    const entries = Array.from({ length: 25 }, (_, i) => ({
      id: String(100000000000 + i),
      stale: (i * 7) % 25,
    }));
    const summary = await summaryOf(entries);

    const table = lines(
      buildOrganizationMessage(summary, OPTIONS)?.body ?? '',
      'Accounts with the most IAM users unused for more than 90 days',
    );

    expect(table[0]?.split(/ {2,}/)).toEqual(['ACCOUNT', 'NAME', 'STALE', 'ACTIVE W/ STALE', 'USERS']);
    const stale = table.slice(1, TOP_ACCOUNTS + 1).map((row) => Number(row.trim().split(/ {2,}/)[2]));
    expect(stale).toEqual([...stale].sort((a, b) => b - a));
    expect(stale[0]).toBe(24);
    expect(table.at(-1)).toBe('... and 4 more accounts (see the full report)');
  });

  it('is not sent when every account was scanned and nothing is stale, unless an all-clear is asked for', async () => {
    const clean = await summaryOf([{ id: '111111111111', active: 2 }]);

    expect(organizationNeedsAttention(clean)).toBe(false);
    expect(buildOrganizationMessage(clean, OPTIONS)).toBeNull();
    expect(buildOrganizationMessage(clean, { ...OPTIONS, notifyWhenClean: true })?.body).toContain(
      'No account has an IAM user unused for more than 90 days.',
    );
  });

  it('is sent when an account failed even if nothing is stale, and when no account was scanned at all', async () => {
    expect(
      organizationNeedsAttention(
        await summaryOf([{ id: '111111111111', failed: ['throttled', 'Throttling'] }]),
      ),
    ).toBe(true);
    const none = await summaryOf([]);
    expect(buildOrganizationMessage(none, OPTIONS)?.body).toContain('No account was scanned');
  });

  it('has an ASCII subject under 100 characters that counts the stale, the accounts and the failures', async () => {
    const summary = await summaryOf([
      { id: '111111111111', stale: 2, active: 1 },
      { id: '222222222222', failed: ['role-unavailable', 'x'] },
    ]);

    expect(buildOrganizationSubject(summary)).toBe(
      '[stale-iam] PARTIAL: 2 of 4 users unused for more than 90 days in 2 accounts, 1 FAILED',
    );
    const clean = await summaryOf([{ id: '111111111111', active: 1 }]);
    expect(buildOrganizationSubject(clean)).toBe(
      '[stale-iam] no users unused for more than 90 days in 1 account',
    );
  });

  it('keeps the long subject for 10,000 users in 100 accounts with failures (it fits)', async () => {
    const failed = Array.from({ length: 3 }, (_, i) => ({
      id: String(100000000000 + i),
      failed: ['role-unavailable', 'AccessDenied'] as Parameters<typeof accountFailure>,
    }));
    const scanned = Array.from({ length: 97 }, (_, i) => ({
      id: String(200000000000 + i),
      stale: 1,
      active: 100,
    }));
    const summary = await summaryOf([...failed, ...scanned]);

    expect(buildOrganizationSubject(summary)).toBe(
      `[stale-iam] PARTIAL: 97 of ${summary.summary.users} users unused for more than 90 days in 100 accounts, 3 FAILED`,
    );
  });

  it('keeps the subject within SNS limits for the largest counts', async () => {
    const summary = await summaryOf([{ id: '111111111111', stale: 1 }]);
    const huge: OrganizationSummary = {
      ...summary,
      summary: { ...summary.summary, users: 9_999_999, stale: 9_999_999, errors: 9_999_999 },
      accounts: Array.from({ length: 99_999 }, (_, i) => ({
        ...summary.accounts[0],
        accountId: String(i).padStart(12, '0'),
        status: 'failed' as const,
        summary: null,
        report: null,
        name: 'x',
        credentialReportGeneratedAt: null,
      })),
    };

    const subject = buildOrganizationSubject(huge);

    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(ASCII);
    expect(subject).toContain('FAILED');
  });

  it('fits SNS when thousands of accounts failed, keeping every heading and counting what it left out', async () => {
    const failed = Array.from({ length: 5000 }, (_, i) => ({
      id: String(100000000000 + i),
      name: 'n'.repeat(50),
      failed: ['role-unavailable', `MemberRoleError: ${'x'.repeat(400)}`] as Parameters<
        typeof accountFailure
      >,
    }));
    const summary = await summaryOf([{ id: '099999999999', stale: 3 }, ...failed]);

    const body = buildOrganizationMessage(summary, OPTIONS)?.body ?? '';

    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(body).toContain('Accounts that could not be scanned (5000):');
    expect(body).toMatch(/\.\.\. and \d+ more \(see the full report\)/);
    expect(body).toContain('Accounts with the most IAM users unused for more than 90 days (1):');
    expect(body).toContain(`Full report: s3://reports-bucket/${KEY}.json`);
  });

  it('states the rule as it is, strictly more than N days, in both languages and in the short subject', async () => {
    const summary = await summaryOf([{ id: '111111111111', stale: 2 }]);
    const squeezed: OrganizationSummary = {
      ...summary,
      summary: { ...summary.summary, users: 9_999_999, stale: 9_999_999, errors: 9_999_999 },
    };

    expect(buildOrganizationMessage(summary, { ...OPTIONS, language: 'ja' })?.body).toContain(
      '90 日を超えて使用されていない IAM ユーザーが多いアカウント (1):',
    );
    expect(buildOrganizationSubject(squeezed)).toContain('unused >90d in 1 accts');
    for (const language of NOTIFY_LANGUAGES) {
      const body = buildOrganizationMessage(summary, { ...OPTIONS, language })?.body ?? '';
      expect(body).not.toMatch(/\d\+ days|idle for|日以上/);
    }
    expect(buildOrganizationSubject(squeezed)).not.toMatch(/\d\+|\dd\+|idle/);
  });

  it('speaks Japanese when asked, with the same advice', async () => {
    const summary = await summaryOf([
      { id: '111122223333', name: 'legacy', failed: ['role-unavailable', 'AccessDenied'] },
    ]);

    const body = buildOrganizationMessage(summary, { ...OPTIONS, language: 'ja' })?.body ?? '';

    expect(body).toContain('stale-iam レポート: AWS 組織 (1 アカウントをスキャン)');
    expect(body).toContain('111122223333 (legacy): 111122223333 にメンバーロール stale-iam-member がないか');
    expect(body).toContain('StackSet をデプロイしてください');
  });
});
