import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { parseScanCommand } from '../../src/cli/scan-command';
import { EXIT } from '../../src/cli/io';
import { parseOrganizationReport } from '../../src/contracts/organization-report';
import { parseCsvRows } from '../../src/adapters/credential-report/csv';
import { ORGANIZATION_CSV_COLUMNS } from '../../src/domain/organization/organization-report';
import { PAGE_TEXT } from '../../src/domain/visual-report/text';
import { SETTINGS } from '../../src/settings/table';
import { credentialReportCsv, type ReportRow } from '../support/credential-report-fixture';
import { sdkUser, sdkUserDetail } from '../support/iam-sdk-builders';
import { FakeOrganization, type FakeAccount } from '../support/organization-cli';
import { awsError } from '../support/rejection';

/**
 * `stale-iam scan --organization` in-process, on mocked SDK clients (tests/support/organization-cli.ts):
 * the flags, which accounts it scans, what it prints in each format, and its exit codes.
 */

const PAYMENTS = '111111111111';
const NO_ROLE = '222222222222';
const ANALYTICS = '333333333333';
const CLOSED = '444444444444';
const SANDBOX = '555555555555';

/** A password last used `days` before 2026-11-28. */
function passwordIdle(user: string, days: number): ReportRow {
  const at = new Date(Date.parse('2026-11-28T00:00:00Z') - days * 86_400_000)
    .toISOString()
    .replace('.000Z', '+00:00');
  return { user, password: { setAt: '2024-01-01T00:00:00+00:00', lastUsedAt: at } };
}

const ACCOUNTS: FakeAccount[] = [
  // Listed out of order: the report is in account-id order whatever AWS lists first.
  { id: ANALYTICS, name: 'analytics', users: [passwordIdle('kenta', 10)] },
  { id: PAYMENTS, name: 'payments', users: [passwordIdle('ren', 200), passwordIdle('mika', 3)] },
  { id: NO_ROLE, name: 'no-role', role: false, users: [passwordIdle('forgotten', 400)] },
  { id: CLOSED, name: 'closed', state: 'SUSPENDED', users: [passwordIdle('gone', 400)] },
];

let org: FakeOrganization | undefined;
function organization(
  accounts: FakeAccount[] = ACCOUNTS,
  options: { ous?: Record<string, string>; callerArn?: string } = {},
) {
  org = new FakeOrganization({ accounts, ...options });
  return org;
}
afterEach(() => org?.restore());

type Json = ReturnType<typeof parseOrganizationReport>;
function report(stdout: string): Json {
  return parseOrganizationReport(JSON.parse(stdout), 'stdout');
}

describe('stale-iam scan --organization: the flags', () => {
  it('takes the member role name and the account concurrency from the settings table by default', () => {
    const command = parseScanCommand(['--organization']);

    expect(command !== 'help' && command.organization).toEqual({
      roleName: SETTINGS.memberRoleName.default,
      accounts: [],
      excludeAccounts: [],
      organizationalUnits: [],
      accountConcurrency: Number(SETTINGS.accountConcurrency.default),
    });
  });

  it('reads --accounts, --exclude-accounts and --ou as comma lists, or the flag repeated', () => {
    const command = parseScanCommand([
      '--organization',
      '--accounts',
      `${PAYMENTS},${ANALYTICS}`,
      '--accounts',
      SANDBOX,
      '--exclude-accounts',
      NO_ROLE,
      '--ou',
      'ou-ab12-cd34ef56,r-ab12',
      '--role-name',
      'audit-reader',
      '--account-concurrency',
      '25',
    ]);

    expect(command !== 'help' && command.organization).toEqual({
      roleName: 'audit-reader',
      accounts: [PAYMENTS, ANALYTICS, SANDBOX],
      excludeAccounts: [NO_ROLE],
      organizationalUnits: ['ou-ab12-cd34ef56', 'r-ab12'],
      accountConcurrency: 25,
    });
  });

  it.each([
    [['--accounts', '1111'], '--accounts: "1111" is not an AWS account id (12 digits)'],
    [['--accounts', `${PAYMENTS},,${ANALYTICS}`], '--accounts needs ids separated by commas'],
    [['--exclude-accounts', '11111111111a'], '--exclude-accounts: "11111111111a" is not an AWS account id'],
    [['--ou', 'ou-bad'], '--ou: "ou-bad" is not an organizational unit id'],
    [['--role-name', 'has space'], '--role-name must be an IAM role name'],
    [['--account-concurrency', '0'], '--account-concurrency must be a whole number from 1 to 1000, got "0"'],
    [['--account-concurrency', '1001'], '--account-concurrency must be a whole number from 1 to 1000'],
    [
      ['--accounts', PAYMENTS, '--exclude-accounts', PAYMENTS],
      `account ${PAYMENTS} is in both --accounts and --exclude-accounts`,
    ],
    [
      ['--credential-report', 'report.csv'],
      "--credential-report reads one account's report from a file; it cannot be combined with --organization",
    ],
    [['--format', 'asff'], '--format asff cannot be combined with --organization'],
  ])('refuses %j with one line and exit 2, before any AWS call', async (args, message) => {
    const fake = organization();

    const run = await fake.run(args);

    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(fake.sts.calls()).toHaveLength(0);
    expect(fake.organizations.calls()).toHaveLength(0);
  });

  it.each(['--accounts', '--exclude-accounts', '--ou', '--role-name', '--account-concurrency'])(
    'refuses %s without --organization, where it would do nothing',
    (flag) => {
      const value =
        flag === '--ou'
          ? 'ou-ab12-cd34ef56'
          : flag === '--role-name'
            ? 'r'
            : flag.includes('accounts')
              ? PAYMENTS
              : '5';
      expect(() => parseScanCommand([flag, value])).toThrow(`${flag} applies to --organization only`);
    },
  );
});

describe('stale-iam scan --organization: the accounts', () => {
  it('scans every active account through its member role, in account-id order, and prints one organisation report the contract accepts', async () => {
    const fake = organization(ACCOUNTS.filter((a) => a.id !== NO_ROLE));

    const run = await fake.run(['--format', 'json']);

    expect(run.code).toBe(EXIT.complete);
    expect(run.stderr).toBe('');
    const json = report(run.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.accounts.map((a) => [a.accountId, a.name, a.status])).toEqual([
      [PAYMENTS, 'payments', 'complete'],
      [ANALYTICS, 'analytics', 'complete'],
    ]);
    // Each account's users in its own report's order (by name), account after account.
    expect(json.users.map((u) => `${u.accountId}:${u.userName}:${u.status}`)).toEqual([
      `${PAYMENTS}:mika:active`,
      `${PAYMENTS}:ren:stale`,
      `${ANALYTICS}:kenta:active`,
    ]);
    expect(json.skippedAccounts).toEqual([
      { accountId: CLOSED, name: 'closed', reason: 'not-active', state: 'SUSPENDED' },
    ]);
    expect(json.summary).toMatchObject({ users: 3, stale: 1, active: 2 });
    expect(json.partial).toBe(false);
    expect(json.evaluatedAt.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(fake.assumed().sort()).toEqual([PAYMENTS, ANALYTICS]);
  });

  it('lists an account whose member role cannot be assumed as failed with its reason, scans the others, and exits 3', async () => {
    const fake = organization();

    const run = await fake.run(['--format', 'json']);

    expect(run.code).toBe(EXIT.partial);
    const json = report(run.stdout);
    const failed = json.accounts.find((a) => a.accountId === NO_ROLE);
    expect(failed).toMatchObject({ status: 'failed', errorKind: 'role-unavailable', summary: null });
    expect(failed?.error).toContain(
      `not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${NO_ROLE}:role/stale-iam-member`,
    );
    expect(json.users.some((u) => u.accountId === NO_ROLE)).toBe(false);
    expect(json.accounts.filter((a) => a.status === 'complete')).toHaveLength(2);
    expect(json.partial).toBe(true);
    expect(run.stderr).toContain(`stale-iam: account ${NO_ROLE} failed (role-unavailable): `);
    expect(run.stderr).toContain('must exist in each account and trust arn:aws:iam::999999999999:user/ops');
    expect(run.stderr).toContain(
      '1 of 3 accounts failed, 0 partial, 0 users could not be evaluated; the report is partial',
    );
  });

  it('lists an account whose IAM refuses a read as failed (access-denied) and one throttled past its retries as throttled', async () => {
    const fake = organization(ACCOUNTS.filter((a) => a.id !== NO_ROLE));
    fake.iam
      .get(PAYMENTS)
      ?.on(GenerateCredentialReportCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GenerateCredentialReport'));
    fake.iam.get(ANALYTICS)?.on(GetCredentialReportCommand).rejects(awsError('Throttling', 'Rate exceeded'));

    const run = await fake.run(['--format', 'json']);

    expect(run.code).toBe(EXIT.partial);
    const json = report(run.stdout);
    expect(json.accounts.map((a) => [a.accountId, a.status, a.errorKind])).toEqual([
      [PAYMENTS, 'failed', 'access-denied'],
      [ANALYTICS, 'failed', 'throttled'],
    ]);
    expect(json.users).toEqual([]);
  });

  it('makes the report partial, exit 3, when an account was scanned but a user could not be read', async () => {
    const fake = organization([{ id: PAYMENTS, name: 'payments' }]);
    const iam = fake.iam.get(PAYMENTS);
    const arn = (name: string) => ({ Arn: `arn:aws:iam::${PAYMENTS}:user/${name}` });
    iam?.on(ListUsersCommand).resolves({
      Users: [sdkUser('alice', arn('alice')), sdkUser('locked', arn('locked'))],
      IsTruncated: false,
    });
    iam?.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [sdkUserDetail('alice', arn('alice')), sdkUserDetail('locked', arn('locked'))],
      IsTruncated: false,
    });
    iam?.on(GetLoginProfileCommand, { UserName: 'alice' }).resolves({
      LoginProfile: { UserName: 'alice', CreateDate: new Date('2026-11-01T00:00:00Z') },
    });
    iam
      ?.on(GetLoginProfileCommand, { UserName: 'locked' })
      .rejects(awsError('AccessDenied', 'not authorized'));
    iam?.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [], IsTruncated: false });

    const run = await fake.run(['--source', 'api', '--format', 'json', '--fail-on-stale']);

    expect(run.code).toBe(EXIT.partial);
    const json = report(run.stdout);
    expect(json.accounts).toMatchObject([{ accountId: PAYMENTS, status: 'partial' }]);
    expect(json.source).toBe('api');
    expect(json.users.find((u) => u.userName === 'locked')?.status).toBe('error');
    expect(run.stderr).toContain(
      '0 of 1 accounts failed, 1 partial, 1 users could not be evaluated; the report is partial',
    );
  });

  it('exits 4 with --fail-on-stale when every account is complete and a user is stale, 0 without it', async () => {
    const accounts = ACCOUNTS.filter((a) => a.id !== NO_ROLE);

    const failing = await organization(accounts).run(['--format', 'json', '--fail-on-stale']);
    org?.restore();
    const plain = await organization(accounts).run(['--format', 'json']);

    expect(failing.code).toBe(EXIT.staleFound);
    expect(failing.stderr).toBe(
      'stale-iam: 1 of 3 users are stale (unused for more than 90 days) in 2 accounts; exit 4 (--fail-on-stale)\n',
    );
    expect(plain.code).toBe(EXIT.complete);
  });

  it('scans exactly the accounts --accounts names, and no other member role is assumed', async () => {
    const fake = organization();

    const run = await fake.run(['--accounts', `${ANALYTICS}`, '--format', 'json']);

    expect(run.code).toBe(EXIT.complete);
    const json = report(run.stdout);
    expect(json.accounts.map((a) => a.accountId)).toEqual([ANALYTICS]);
    expect(json.skippedAccounts).toEqual([]);
    expect(fake.assumed()).toEqual([ANALYTICS]);
  });

  it('lists a suspended account named by --accounts as skipped, not scanned', async () => {
    const fake = organization();

    const run = await fake.run(['--accounts', `${PAYMENTS},${CLOSED}`, '--format', 'json']);

    const json = report(run.stdout);
    expect(json.accounts.map((a) => a.accountId)).toEqual([PAYMENTS]);
    expect(json.skippedAccounts).toEqual([
      { accountId: CLOSED, name: 'closed', reason: 'not-active', state: 'SUSPENDED' },
    ]);
    expect(fake.assumed()).toEqual([PAYMENTS]);
  });

  it('refuses an --accounts id the organisation does not list, before scanning anything (a typo scans nothing silently otherwise)', async () => {
    const fake = organization();

    const run = await fake.run(['--accounts', `${PAYMENTS},${SANDBOX}`]);

    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toBe(`stale-iam: --accounts: ${SANDBOX} is not an account the organization lists\n`);
    expect(run.stdout).toBe('');
    expect(fake.sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 0);
  });

  it('never assumes the role of an account --exclude-accounts names, and lists it as excluded', async () => {
    const fake = organization();

    const run = await fake.run(['--exclude-accounts', `${NO_ROLE},${SANDBOX}`, '--format', 'json']);

    expect(run.code).toBe(EXIT.complete);
    const json = report(run.stdout);
    expect(json.accounts.map((a) => a.accountId)).toEqual([PAYMENTS, ANALYTICS]);
    expect(json.skippedAccounts).toContainEqual({
      accountId: NO_ROLE,
      name: 'no-role',
      reason: 'excluded',
      state: 'ACTIVE',
    });
    expect(fake.assumed()).not.toContain(NO_ROLE);
    expect(run.stderr).toBe(
      `stale-iam: warning: --exclude-accounts: ${SANDBOX} is not an account the organization lists\n`,
    );
  });

  it('with --ou lists only the accounts under those OUs, at any depth, and never the whole organisation', async () => {
    const fake = organization(
      [
        { id: PAYMENTS, name: 'payments', ou: 'ou-prod-aaaaaaaa' },
        { id: ANALYTICS, name: 'analytics', ou: 'ou-prod-bbbbbbbb' },
        { id: SANDBOX, name: 'sandbox', ou: 'ou-dev-cccccccc' },
        { id: NO_ROLE, name: 'no-role' },
      ],
      {
        ous: {
          'ou-prod-aaaaaaaa': 'r-root',
          'ou-prod-bbbbbbbb': 'ou-prod-aaaaaaaa',
          'ou-dev-cccccccc': 'r-root',
        },
      },
    );

    const run = await fake.run(['--ou', 'ou-prod-aaaaaaaa', '--format', 'json']);

    expect(run.code).toBe(EXIT.complete);
    expect(report(run.stdout).accounts.map((a) => a.accountId)).toEqual([PAYMENTS, ANALYTICS]);
    expect(fake.organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 0);
    expect(fake.organizations).toHaveReceivedCommandWith(ListAccountsForParentCommand, {
      ParentId: 'ou-prod-bbbbbbbb',
    });
    expect(fake.organizations).toHaveReceivedCommandWith(ListOrganizationalUnitsForParentCommand, {
      ParentId: 'ou-prod-aaaaaaaa',
    });
    expect(fake.assumed().sort()).toEqual([PAYMENTS, ANALYTICS]);
  });

  it('says so in one line, exit 1, when no account is left to scan', async () => {
    const fake = organization();

    const run = await fake.run(['--accounts', CLOSED]);

    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toBe(
      `stale-iam: no account to scan: of 4 account(s) listed, none is active and selected (${CLOSED} not active (SUSPENDED))\n`,
    );
  });

  it('says where to run it when the organisation cannot be listed, exit 1', async () => {
    const fake = organization();
    fake.organizations
      .on(ListAccountsCommand)
      .rejects(awsError('AccessDeniedException', "You don't have permissions to access this resource."));

    const run = await fake.run([]);

    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toContain("listing the organization's accounts failed: AccessDeniedException");
    expect(run.stderr).toContain('run it from the management account or a delegated administrator');
    expect(fake.sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 0);
  });

  it('assumes arn:<partition>:iam::<account>:role/<--role-name> for one hour, in a session that names the CLI', async () => {
    const fake = organization([{ id: PAYMENTS, name: 'payments' }], {
      callerArn: 'arn:aws-cn:iam::999999999999:user/ops',
    });

    await fake.run(['--role-name', 'audit-reader', '--format', 'json']);

    const [call] = fake.sts.commandCalls(AssumeRoleCommand);
    expect(call?.args[0].input).toEqual({
      RoleArn: `arn:aws-cn:iam::${PAYMENTS}:role/audit-reader`,
      RoleSessionName: 'stale-iam-cli-2026-11-28T00-00-00.000Z',
      DurationSeconds: 3600,
    });
  });

  it('honours the stale-iam:exempt tag in each account as the service does, and reads no tags with --ignore-exempt-tag', async () => {
    const fake = organization([{ id: PAYMENTS, name: 'payments', users: [passwordIdle('breakglass', 300)] }]);
    fake.iam
      .get(PAYMENTS)
      ?.on(GetAccountAuthorizationDetailsCommand)
      .resolves({
        UserDetailList: [sdkUserDetail('breakglass', { Tags: [{ Key: 'stale-iam:exempt', Value: 'true' }] })],
        IsTruncated: false,
      });

    const tagged = report((await fake.run(['--format', 'json'])).stdout);
    const untagged = report((await fake.run(['--format', 'json', '--ignore-exempt-tag'])).stdout);

    expect(tagged.users.map((u) => u.status)).toEqual(['exempt']);
    expect(untagged.users.map((u) => u.status)).toEqual(['stale']);
    expect(fake.iam.get(PAYMENTS)).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 1);
  });
});

describe('stale-iam scan --organization: streaming', () => {
  const accounts = () => ACCOUNTS.filter((a) => a.id !== NO_ROLE);

  /** Holds the account's GetCredentialReport until released; `reached` once the call has come in. */
  function hold(fake: FakeOrganization, accountId: string, rows: ReportRow[]) {
    let release = (): void => undefined;
    let reached = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    fake.iam
      .get(accountId)
      ?.on(GetCredentialReportCommand)
      .callsFake(async () => {
        reached();
        await released;
        return {
          Content: new TextEncoder().encode(credentialReportCsv(accountId, rows)),
          GeneratedTime: new Date('2026-11-27T22:14:05Z'),
          ReportFormat: 'text/csv',
        };
      });
    return { release, reached: arrived };
  }

  /** Waits until `done()` or `ms` have passed (then the assertion after it tells). */
  async function until(done: () => boolean, ms = 2000): Promise<void> {
    const end = Date.now() + ms;
    while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it("writes an account's users as soon as it and every account before it are done, while later ones are still being scanned", async () => {
    const fake = organization(accounts());
    const analytics = hold(fake, ANALYTICS, [passwordIdle('kenta', 10)]);
    let printed = '';

    const running = fake.run(['--format', 'json'], { onStdout: (text) => (printed += text) });
    await analytics.reached;
    await until(() => printed.includes('"userName":"mika"'));
    const beforeRelease = printed;
    analytics.release();
    const run = await running;

    expect(beforeRelease).toContain('"userName":"ren"');
    expect(beforeRelease).toContain('"userName":"mika"');
    expect(beforeRelease).not.toContain('kenta');
    expect(report(run.stdout).users.map((u) => u.userName)).toEqual(['mika', 'ren', 'kenta']);
  });

  it('keeps account-id order when a later account finishes first', async () => {
    const fake = organization(accounts());
    const payments = hold(fake, PAYMENTS, [passwordIdle('ren', 200)]);
    let printed = '';

    const running = fake.run(['--format', 'json'], { onStdout: (text) => (printed += text) });
    await payments.reached;
    await until(() => fake.iam.get(ANALYTICS)?.commandCalls(GetCredentialReportCommand).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const beforeRelease = printed;
    payments.release();
    const run = await running;

    expect(beforeRelease).toBe(printed.slice(0, beforeRelease.length));
    expect(beforeRelease).not.toContain('kenta');
    expect(report(run.stdout).users.map((u) => `${u.accountId}:${u.userName}`)).toEqual([
      `${PAYMENTS}:ren`,
      `${ANALYTICS}:kenta`,
    ]);
  });
});

describe('stale-iam scan --organization: the formats', () => {
  it('csv: the organisation CSV, one row per credential with the account first, accounts in id order', async () => {
    const run = await organization().run(['--format', 'csv']);

    expect(run.code).toBe(EXIT.partial);
    const [header, ...rows] = parseCsvRows(run.stdout).map((row) => row.fields);
    expect(header).toEqual([...ORGANIZATION_CSV_COLUMNS]);
    expect(rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      [PAYMENTS, 'payments', 'mika', 'active'],
      [PAYMENTS, 'payments', 'ren', 'stale'],
      [ANALYTICS, 'analytics', 'kenta', 'active'],
    ]);
  });

  it('csv with --status: only those users, as for one account', async () => {
    const run = await organization().run(['--format', 'csv', '--status', 'stale']);

    const rows = parseCsvRows(run.stdout).slice(1);
    expect(rows.map((r) => r.fields[2])).toEqual(['ren']);
  });

  it('refuses --status with json, as for one account: the JSON report lists every user', async () => {
    const run = await organization().run(['--format', 'json', '--status', 'stale']);

    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('--status filters the table and the CSV');
  });

  it('table: a table per account in account-id order, a failed account with its reason, then every account with the totals', async () => {
    const run = await organization().run([]);

    expect(run.code).toBe(EXIT.partial);
    const out = run.stdout;
    expect(out.split('\n')[0]).toBe(
      'stale-iam: IAM users unused for more than 90 days in 3 accounts of the organization (as of 2026-11-28T00:00:00.000Z, source credential-report, credentials all)',
    );
    const sections = [...out.matchAll(/^== (\d{12}) (\S+): (.*)$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(sections).toEqual([
      [PAYMENTS, 'payments', '1 of 2 IAM users stale'],
      [NO_ROLE, 'no-role', expect.stringMatching(/^FAILED \(role-unavailable\) .*sts:AssumeRole/)],
      [ANALYTICS, 'analytics', '0 of 1 IAM users stale'],
    ]);
    const paymentsTable = out.slice(out.indexOf(`== ${PAYMENTS}`), out.indexOf(`== ${NO_ROLE}`));
    expect(paymentsTable).toMatch(/\nren +stale +200 +2026-05-12 +password 200d\*\n/);
    expect(paymentsTable).toContain('\n2 users: 1 stale, 1 active');
    const closing = out.slice(
      out.indexOf('\nstale-iam: 1 of 3 IAM users unused for more than 90 days in 3 accounts'),
    );
    expect(closing).toMatch(/\n111111111111 +payments +complete +2 +1 +0 +0\n/);
    expect(closing).toMatch(/\n222222222222 +no-role +failed +- +- +- +- +role-unavailable\n/);
    expect(closing).toContain('\n3 accounts: 2 complete, 0 partial, 1 failed\n');
    expect(closing).toContain(`\nNot scanned: ${CLOSED} closed (not active: SUSPENDED)\n`);
    expect(closing).toContain('\nLegend:\n');
    expect(closing).toContain('stale: unused for more than 90 days');
  });

  it('table: shows names from Organizations escaped', async () => {
    const run = await organization([{ id: PAYMENTS, name: 'pay\u001b[31mments\u202e' }]).run([]);

    expect(run.stdout).toContain('== 111111111111 pay\\x1b[31mments\\u202e: ');
    expect(run.stdout).not.toContain('\u001b');
  });

  it("html: one page with the accounts and every account's users", async () => {
    const run = await organization().run(['--format', 'html']);

    expect(run.code).toBe(EXIT.partial);
    expect(run.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(run.stdout).toContain(`<h2>${PAGE_TEXT.accounts.heading}`);
    for (const name of ['ren', 'mika', 'kenta', 'payments', 'analytics', 'no-role'])
      expect(run.stdout).toContain(name);
  });

  it('shows accounts done / total on a terminal, and nothing when stderr is not one', async () => {
    const onTerminal = await organization().run(['--format', 'json'], { isTTY: true });
    org?.restore();
    const piped = await organization().run(['--format', 'json']);

    expect(onTerminal.stderr).toContain('stale-iam: scanning accounts 0/3');
    expect(onTerminal.stderr).toContain('stale-iam: scanning accounts 3/3 (1 failed)');
    expect(onTerminal.stderr).toContain('\r\x1b[K');
    expect(piped.stderr).not.toContain('scanning accounts');
    expect(piped.stderr).not.toContain('\r');
  });
});
