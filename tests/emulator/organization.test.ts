import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseOrganizationReport } from '../../src/contracts/organization-report';
import type { OrganizationReport } from '../../src/domain/organization/organization-report';
import type { ScanReportJson } from '../../src/domain/report/scan-report';
import { assumeRoleDenied, iamDenied, queryError } from '../../tools/aws-proxy/faults';
import { startAwsProxy, type AwsProxy } from '../../tools/aws-proxy/proxy';
import { emulatorEnvironment } from '../../tools/emulator/environment';
import {
  MANAGEMENT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../../tools/emulator/organization';
import type { RunRecord } from '../../tools/local-run/main';
import { INVOKE_LOCAL_TIMEOUT_MS, runInvokeLocal, type InvokeLocalRun } from '../support/invoke-local';
import { runCliBinary } from '../support/run-cli';
import { cliEnvironment } from './support/aws';
import { verdictOf } from './support/verdicts';
import { describeWithEmulator, useMoto } from './support/moto';
import { PEOPLE } from './support/people';

/**
 * The organisation run end to end on a real implementation of the AWS APIs (moto): an organisation
 * with a management account and members holding users, the packaged functions run by the local
 * runner through the compiled state machine (Discover, the Distributed Map, Rollup, the email).
 *
 * moto never refuses AssumeRole and never denies a call, so the three broken members are broken on
 * the wire by a small proxy in front of it (tools/aws-proxy): a proxy, not SDK middleware in the
 * test, because the code under test is the packaged zips running in processes of their own; the
 * proxy answers where AWS would, and the product's own error parsing and classification run.
 *  - no-role: AssumeRole into it answers AccessDenied, as AWS does for a missing role;
 *  - locked-down: the member role is assumed, then GenerateCredentialReport answers AccessDenied;
 *  - stuck-report: GetCredentialReport answers ReportNotPresent however often it is generated.
 * moto cannot backdate users, so the run is started 91 days ahead (--start-time): every credential
 * created now is then older than the 90-day threshold.
 */

const RUN_TIMEOUT_MS = INVOKE_LOCAL_TIMEOUT_MS;
const DAY_MS = 86_400_000;
const BUCKET = 'stale-iam-local-reportbucket';
const ROLE = 'stale-iam-member';

describeWithEmulator('the organisation run on the emulator', () => {
  const moto = useMoto();
  let org: SeededOrganization;
  let proxy: AwsProxy;
  let run: InvokeLocalRun<RunRecord>;
  let workDir: string;
  let startTime: Date;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'stale-iam-org-'));
    org = await seedOrganization({
      endpoint: moto.current.endpoint,
      management: { name: 'management', users: [{ userName: 'root-admin', password: true }] },
      members: [
        {
          name: 'payments',
          users: [
            ...PEOPLE,
            { userName: 'breakglass', password: true, tags: { 'stale-iam:exempt': 'true' } },
          ],
        },
        { name: 'analytics', users: PEOPLE.slice(0, 3) },
        { name: 'no-role', users: [{ userName: 'forgotten', password: true }], memberRole: false },
        { name: 'locked-down', users: [{ userName: 'hidden', password: true }] },
        { name: 'stuck-report', users: [{ userName: 'waiting', password: true }] },
        { name: 'closed', users: [{ userName: 'gone', password: true }], close: true },
      ],
    });
    for (const member of org.members) ids[member.name] = member.accountId;
    ids.management = org.managementAccountId;

    proxy = await startAwsProxy({
      target: moto.current.endpoint,
      fault: (request) => {
        if (request.action === 'AssumeRole' && request.accountId === ids['no-role']) {
          return assumeRoleDenied(request.parameters.get('RoleArn') ?? '');
        }
        if (request.action === 'GenerateCredentialReport' && request.accountId === ids['locked-down']) {
          return iamDenied(
            'GenerateCredentialReport',
            `arn:aws:sts::${request.accountId}:assumed-role/${ROLE}/scan`,
          );
        }
        if (request.action === 'GetCredentialReport' && request.accountId === ids['stuck-report']) {
          return queryError('iam', 410, 'ReportNotPresent', 'Credential report not present.');
        }
        return undefined;
      },
    });
    startTime = new Date(Date.now() + 91 * DAY_MS);
    run = await runInvokeLocal<RunRecord>(
      ['--setup', '--param', 'accountScope=organization', '--start-time', startTime.toISOString()],
      { ...emulatorEnvironment(proxy.endpoint, MANAGEMENT_CREDENTIALS), POWERTOOLS_LOG_LEVEL: 'WARN' },
      path.join(workDir, 'run.json'),
    );
  }, RUN_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await proxy?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const s3 = () =>
    new S3Client({
      endpoint: moto.current.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: MANAGEMENT_CREDENTIALS,
    });

  async function keys(prefix: string): Promise<string[]> {
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
  }

  async function json(key: string): Promise<unknown> {
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return JSON.parse((await Body?.transformToString()) ?? '');
  }

  async function organizationReport(): Promise<OrganizationReport> {
    const key = (await keys('reports/organization/')).find((k) => /organization-[^.]+\.json$/.test(k)) ?? '';
    return parseOrganizationReport(await json(key), key);
  }

  it('runs discover, the accounts map, the roll-up, the page and one email, and succeeds although three accounts failed', () => {
    if (run.code !== 0) throw new Error(`invoke-local exited ${run.code}:\n${run.stderr}`);
    expect(run.record.status).toBe('SUCCEEDED');
    expect(run.record.steps.map((s) => s.state)).toEqual([
      'Discover',
      'ScanAccounts',
      'Rollup',
      'Render',
      'NotifyOrganization',
    ]);
    expect(run.record.mapRuns).toEqual([
      expect.objectContaining({ state: 'ScanAccounts', items: 6, succeeded: 6, failed: 0 }),
    ]);
  });

  it("writes the organisation's visual report beside its report, with every account on it", async () => {
    const page = (await keys('reports/organization/')).find((k) => k.endsWith('.html')) ?? '';
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: page }));
    const html = (await Body?.transformToString()) ?? '';

    expect(page).toMatch(/^reports\/organization\/.*organization-[^/]+\.html$/);
    for (const name of ['payments', 'analytics', 'no-role', 'locked-down', 'stuck-report']) {
      expect(html).toContain(ids[name]);
    }
    expect(await keys('history/organization/')).toHaveLength(1);
  });

  it('scans every active account, the management account included, and writes one report per account scanned', async () => {
    const accountFolders = new Set(
      (await keys('reports/')).map((k) => k.split('/')[1]).filter((folder) => folder !== 'organization'),
    );

    expect([...accountFolders].sort()).toEqual([ids.analytics, ids.management, ids.payments].sort());
  });

  it('lists every account with its status and reason, and skips the closed one', async () => {
    const report = await organizationReport();

    const label = (accountId: string) => Object.keys(ids).find((name) => ids[name] === accountId);
    const byName = Object.fromEntries(
      report.accounts.map((a) => [label(a.accountId), [a.status, a.errorKind ?? null]]),
    );
    expect(byName).toEqual({
      management: ['complete', null],
      payments: ['complete', null],
      analytics: ['complete', null],
      'no-role': ['failed', 'role-unavailable'],
      'locked-down': ['failed', 'access-denied'],
      'stuck-report': ['failed', 'report-not-ready'],
    });
    expect(report.accounts.find((a) => a.name === 'no-role')?.error).toContain(
      `sts:AssumeRole on resource: arn:aws:iam::${ids['no-role']}:role/${ROLE}`,
    );
    expect(report.skippedAccounts).toEqual([
      { accountId: ids.closed, name: 'closed', reason: 'not-active', state: 'SUSPENDED' },
    ]);
    expect(report.partial).toBe(true);
    // The execution's start: --start-time, plus the moment the runner took to begin.
    expect(report.evaluatedAt.getTime() - startTime.getTime()).toBeGreaterThanOrEqual(0);
    expect(report.evaluatedAt.getTime() - startTime.getTime()).toBeLessThan(60_000);
  });

  it('puts every user of the scanned accounts in the organisation report with its account, and nobody else', async () => {
    const report = await organizationReport();

    const users = report.users.map((u) => `${u.accountId}:${u.userName}:${u.status}`).sort();
    expect(users).toEqual(
      [
        `${ids.management}:root-admin:stale`,
        ...[ids.payments, ids.analytics].flatMap((id) => [
          `${id}:console-user:stale`,
          `${id}:key-user:stale`,
          `${id}:both.kinds:stale`,
        ]),
        `${ids.payments}:inactive-key-user:no-credentials`,
        `${ids.payments}:no-credentials:no-credentials`,
        `${ids.payments}:breakglass:exempt`,
      ].sort(),
    );
    expect(report.summary).toMatchObject({ users: 10, stale: 7, noCredentials: 2, exempt: 1, errors: 0 });
  });

  it('sends one email that names each failed account and what to do', async () => {
    const response = await fetch(`${moto.current.endpoint}/moto-api/data.json`);
    const data = (await response.json()) as {
      sns: { Topic: Array<{ sent_notifications: Array<[string, string, string]> }> };
    };
    const sent = data.sns.Topic.flatMap((t) => t.sent_notifications);

    expect(sent).toHaveLength(1);
    const [, body, subject] = sent[0] ?? ['', '', ''];
    expect(subject).toBe(
      '[stale-iam] PARTIAL: 7 of 10 users unused for more than 90 days in 6 accounts, 3 FAILED',
    );
    expect(body).toContain(
      `member role ${ROLE} missing in ${ids['no-role']}, or it does not trust this stack's scan role: deploy the StackSet there`,
    );
    expect(body).toContain(
      `the member role ${ROLE} in ${ids['locked-down']} was refused a call the scan makes`,
    );
    expect(body).toContain(`the credential report of ${ids['stuck-report']} never became available`);
    expect(body).toContain(`${ids.closed} (closed): not active (SUSPENDED)`);
  });

  it('assumes the member role once per active account and makes at most 5 IAM calls in each', () => {
    const assumed = proxy.calls
      .filter((c) => c.action === 'AssumeRole')
      .map((c) => c.accountId)
      .sort();
    const scanned = [
      ids.management,
      ids.payments,
      ids.analytics,
      ids['no-role'],
      ids['locked-down'],
      ids['stuck-report'],
    ];
    expect(assumed).toEqual(scanned.sort());
    for (const id of [ids.management, ids.payments, ids.analytics]) {
      const iamCalls = proxy.calls.filter((c) => c.service === 'iam' && c.accountId === id);
      expect(iamCalls.length).toBeGreaterThanOrEqual(3);
      expect(iamCalls.length).toBeLessThanOrEqual(5);
    }
    expect(proxy.calls.filter((c) => c.action === 'ListAccounts')).toHaveLength(1);
  });

  it.each(['payments', 'analytics', 'management'])(
    'gives the users of %s the verdicts the single-account scan gives them, from either source',
    async (name) => {
      const accountId = ids[name] ?? '';
      const report = await organizationReport();
      const fromOrganization = report.users.filter((u) => u.accountId === accountId && u.status !== 'exempt');
      const credentials = await org.credentialsFor(accountId);

      for (const source of ['credential-report', 'api']) {
        const cli = await runCliBinary(
          ['scan', '--source', source, '--format', 'json', '--now', report.evaluatedAt.toISOString()],
          cliEnvironment(moto.current.endpoint, credentials),
        );
        expect(cli.stderr).toBe('');
        const single = JSON.parse(cli.stdout) as ScanReportJson;
        const judged = single.users.filter((u) => u.userName !== 'breakglass');
        expect(single.accountId).toBe(accountId);
        expect(JSON.parse(JSON.stringify(fromOrganization)).map(verdictOf)).toEqual(judged.map(verdictOf));
      }
    },
    RUN_TIMEOUT_MS,
  );
});
