import { parseOrganizationReport } from '../../src/contracts/organization-report';
import type { OrganizationReport } from '../../src/domain/organization/organization-report';
import type { ScanReportJson } from '../../src/domain/report/scan-report';
import { assumeRoleDenied } from '../../tools/aws-proxy/faults';
import { startAwsProxy, type AwsProxy, type ProxiedCall } from '../../tools/aws-proxy/proxy';
import {
  MANAGEMENT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../../tools/emulator/organization';
import { runCliBinary, type CliRun } from '../support/run-cli';
import { cliEnvironment } from './support/aws';
import { verdictOf } from './support/verdicts';
import { describeWithEmulator, useMoto } from './support/moto';
import { PEOPLE } from './support/people';

/**
 * `stale-iam scan --organization`, the real binary, against an organisation on a real
 * implementation of the AWS APIs (moto): a management account and members in OUs, each with users
 * and the member role, one member closed. moto assumes any role, even a missing one, so the
 * proxy in front of it (tools/aws-proxy) answers AssumeRole into `no-role` with AccessDenied, as
 * AWS does when the role is missing, and counts every call by account. moto cannot backdate users:
 * the scans run as of 91 days from now (--now), when every credential created today is stale.
 */

const DAY_MS = 86_400_000;
const RUN_TIMEOUT_MS = 120_000;

describeWithEmulator('stale-iam scan --organization on the emulator', () => {
  const moto = useMoto();
  let org: SeededOrganization;
  let proxy: AwsProxy;
  const ids: Record<string, string> = {};
  const now = new Date(Date.now() + 91 * DAY_MS).toISOString();

  beforeAll(async () => {
    org = await seedOrganization({
      endpoint: moto.current.endpoint,
      management: { name: 'management', users: [{ userName: 'root-admin', password: true }] },
      members: [
        {
          name: 'payments',
          organizationalUnit: 'prod',
          users: [
            ...PEOPLE,
            { userName: 'breakglass', password: true, tags: { 'stale-iam:exempt': 'true' } },
          ],
        },
        { name: 'analytics', organizationalUnit: 'prod/data', users: PEOPLE.slice(0, 3) },
        {
          name: 'sandbox',
          organizationalUnit: 'dev',
          users: [{ userName: 'tinkerer', accessKeys: ['active'] }],
        },
        { name: 'no-role', users: [{ userName: 'forgotten', password: true }] },
        {
          name: 'closed',
          organizationalUnit: 'prod',
          users: [{ userName: 'gone', password: true }],
          close: true,
        },
      ],
    });
    for (const member of org.members) ids[member.name] = member.accountId;
    ids.management = org.managementAccountId;
    proxy = await startAwsProxy({
      target: moto.current.endpoint,
      fault: (request) =>
        request.action === 'AssumeRole' && request.accountId === ids['no-role']
          ? assumeRoleDenied(request.parameters.get('RoleArn') ?? '', 'arn:aws:iam::123456789012:user/ops')
          : undefined,
    });
  }, RUN_TIMEOUT_MS);

  afterAll(async () => proxy?.close());

  const label = (accountId: string) => Object.keys(ids).find((name) => ids[name] === accountId) ?? accountId;

  /** The binary with the management account's credentials, through the proxy; the calls it made. */
  async function organizationScan(...args: string[]): Promise<CliRun & { calls: ProxiedCall[] }> {
    const before = proxy.calls.length;
    const run = await runCliBinary(
      ['scan', '--organization', '--now', now, ...args],
      cliEnvironment(proxy.endpoint, MANAGEMENT_CREDENTIALS),
    );
    return { ...run, calls: proxy.calls.slice(before) };
  }

  function report(run: CliRun): OrganizationReport {
    return parseOrganizationReport(JSON.parse(run.stdout), 'the CLI output');
  }

  const assumedIn = (calls: readonly ProxiedCall[]) =>
    calls
      .filter((c) => c.action === 'AssumeRole')
      .map((c) => label(c.accountId))
      .sort();

  it(
    'scans every active account, lists the one whose role cannot be assumed as failed with its reason, skips the closed one, and exits 3',
    async () => {
      const run = await organizationScan('--format', 'json');

      expect(run.code).toBe(3);
      const json = report(run);
      expect(json.accounts.map((a) => [label(a.accountId), a.status, a.errorKind ?? null])).toEqual(
        [
          ['management', 'complete', null],
          ['payments', 'complete', null],
          ['analytics', 'complete', null],
          ['sandbox', 'complete', null],
          ['no-role', 'failed', 'role-unavailable'],
        ].sort((a, b) => ((ids[a[0] ?? ''] ?? '') < (ids[b[0] ?? ''] ?? '') ? -1 : 1)),
      );
      expect(json.accounts.find((a) => a.accountId === ids['no-role'])?.error).toContain(
        `sts:AssumeRole on resource: arn:aws:iam::${ids['no-role']}:role/stale-iam-member`,
      );
      expect(json.skippedAccounts).toEqual([
        { accountId: ids.closed, name: 'closed', reason: 'not-active', state: 'SUSPENDED' },
      ]);
      expect(json.partial).toBe(true);
      expect(
        json.users
          .filter((u) => u.accountId === ids.payments)
          .map((u) => `${u.userName}:${u.status}`)
          .sort(),
      ).toEqual([
        'both.kinds:stale',
        'breakglass:exempt',
        'console-user:stale',
        'inactive-key-user:no-credentials',
        'key-user:stale',
        'no-credentials:no-credentials',
      ]);
      expect(run.stderr).toContain(`stale-iam: account ${ids['no-role']} failed (role-unavailable)`);
      expect(assumedIn(run.calls)).toEqual(['analytics', 'management', 'no-role', 'payments', 'sandbox']);
      expect(assumedIn(run.calls)).not.toContain('closed');
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'assumes the member role once per account, makes at most 5 IAM calls in each, and lists the organisation in one ListAccounts page',
    async () => {
      const run = await organizationScan('--format', 'json');

      for (const name of ['management', 'payments', 'analytics', 'sandbox']) {
        const inAccount = run.calls.filter((c) => c.accountId === ids[name]);
        expect([name, inAccount.filter((c) => c.action === 'AssumeRole').length]).toEqual([name, 1]);
        const iam = inAccount.filter((c) => c.service === 'iam').length;
        expect([name, iam >= 3 && iam <= 5]).toEqual([name, true]);
      }
      expect(run.calls.filter((c) => c.action === 'ListAccounts')).toHaveLength(1);
    },
    RUN_TIMEOUT_MS,
  );

  it.each(['credential-report', 'api'])(
    'gives the users of every member account the verdicts the single-account CLI gives them (source %s)',
    async (source) => {
      const run = await organizationScan('--format', 'json', '--source', source);
      const json = report(run);
      expect(json.source).toBe(source);

      for (const name of ['management', 'payments', 'analytics', 'sandbox']) {
        const accountId = ids[name] ?? '';
        const single = await runCliBinary(
          ['scan', '--source', source, '--format', 'json', '--now', now],
          cliEnvironment(moto.current.endpoint, await org.credentialsFor(accountId)),
        );
        expect(single.stderr).toBe('');
        const alone = JSON.parse(single.stdout) as ScanReportJson;
        expect(alone.accountId).toBe(accountId);
        const inOrganization = json.users.filter((u) => u.accountId === accountId);
        expect(inOrganization.length).toBeGreaterThan(0);
        expect([name, JSON.parse(JSON.stringify(inOrganization)).map(verdictOf)]).toEqual([
          name,
          alone.users.map(verdictOf),
        ]);
        expect(json.accounts.find((a) => a.accountId === accountId)?.summary).toEqual(alone.summary);
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    '--accounts scans exactly those accounts and assumes no other role',
    async () => {
      const run = await organizationScan('--format', 'json', '--accounts', `${ids.analytics},${ids.sandbox}`);

      expect(run.code).toBe(0);
      expect(
        report(run)
          .accounts.map((a) => label(a.accountId))
          .sort(),
      ).toEqual(['analytics', 'sandbox']);
      expect(assumedIn(run.calls)).toEqual(['analytics', 'sandbox']);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    '--exclude-accounts scans every other active account and lists the excluded ones as excluded',
    async () => {
      const run = await organizationScan(
        '--format',
        'json',
        '--exclude-accounts',
        `${ids['no-role']},${ids.sandbox}`,
      );

      expect(run.code).toBe(0);
      const json = report(run);
      expect(json.accounts.map((a) => label(a.accountId)).sort()).toEqual([
        'analytics',
        'management',
        'payments',
      ]);
      expect(json.skippedAccounts.map((a) => [label(a.accountId), a.reason]).sort()).toEqual([
        ['closed', 'not-active'],
        ['no-role', 'excluded'],
        ['sandbox', 'excluded'],
      ]);
      expect(assumedIn(run.calls)).toEqual(['analytics', 'management', 'payments']);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    '--ou scans the accounts under that OU at any depth, and lists nothing else',
    async () => {
      const prod = org.organizationalUnits.get('prod') ?? '';

      const run = await organizationScan('--format', 'json', '--ou', prod);

      expect(run.code).toBe(0);
      const json = report(run);
      expect(json.accounts.map((a) => label(a.accountId)).sort()).toEqual(['analytics', 'payments']);
      expect(json.skippedAccounts.map((a) => label(a.accountId))).toEqual(['closed']);
      expect(assumedIn(run.calls)).toEqual(['analytics', 'payments']);
      expect(run.calls.filter((c) => c.action === 'ListAccounts')).toHaveLength(0);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'prints a table per account and the organisation at the end with --format table',
    async () => {
      const run = await organizationScan('--accounts', `${ids.payments},${ids['no-role']}`);

      expect(run.code).toBe(3);
      expect(run.stdout).toContain(`== ${ids.payments} payments: 3 of 6 IAM users stale\n`);
      expect(run.stdout).toMatch(new RegExp(`== ${ids['no-role']} no-role: FAILED \\(role-unavailable\\) `));
      expect(run.stdout).toContain('2 accounts: 1 complete, 0 partial, 1 failed');
    },
    RUN_TIMEOUT_MS,
  );
});
