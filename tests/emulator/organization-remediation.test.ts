import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assumeRoleDenied } from '../../tools/aws-proxy/faults';
import { startAwsProxy, type AwsProxy, type ProxiedCall } from '../../tools/aws-proxy/proxy';
import { emulatorEnvironment } from '../../tools/emulator/environment';
import {
  MANAGEMENT_CREDENTIALS,
  seedOrganization,
  type SeedUser,
  type SeededOrganization,
} from '../../tools/emulator/organization';
import type { RunRecord } from '../../tools/local-run/main';
import { INVOKE_LOCAL_TIMEOUT_MS, runInvokeLocal } from '../support/invoke-local';
import { clientConfig } from './support/aws';
import { describeWithEmulatorClock, useMoto } from './support/moto';

/**
 * Organisation mode with remediation and Security Hub, end to end on a real implementation of the
 * AWS APIs (moto): the packaged zips run by the local runner through the compiled state machine
 * (Discover, ScanAccounts, Rollup, PlanRemediation, RemediateAccounts, Render, NotifyOrganization),
 * deployed with accountScope=organization, remediation=true, securityHub=true and
 * accessKeyDeactivation=true, the remediation-mode SSM parameter set to enforce (and the
 * deactivate-access-keys switch on) before the runs, as an operator does.
 *
 * Time: the disable steps re-check every credential live, on the real clock, and refuse a report
 * evaluated in the future, so a run cannot be moved ahead (--start-time) as the scan-only
 * organisation test does. Instead the users are created while moto's clock is set back 100 days
 * (libfaketime, tools/emulator/moto.ts), then the clock is set to now: the runs see credentials
 * created 100 days ago and never used, stale at the 90-day threshold.
 *
 * The accounts, behind the fault proxy (tools/aws-proxy), which refuses AssumeRole into a role the
 * seeder did not create, as AWS does (moto lets anyone assume any role, existing or not):
 *  - management, payments, analytics: the member role and the member remediation role;
 *  - no-remediation-role: only the member role: scanned, planned, its remediation fails;
 *  - scan-denied: only the remediation role: its scan fails, so it must get no action at all.
 *
 * Security Hub in moto (moto/securityhub/models.py 5.2.2, read for this test): the findings live in
 * a list per backend, and the backend is `securityhub_backends[current_account][region]`
 * (responses.py), the account being the one of the calling access key; BatchImportFindings never
 * looks at a finding's AwsAccountId. So a member's GetFindings with its own credentials returns
 * exactly what was imported with a session in that account, and AwsAccountId is checked on its own.
 *
 * Two runs on the same organisation: first with maxActionsPerOrganization under the planned total
 * (the run is refused whole: no IAM write anywhere, and the email says so), then with the default
 * cap (the stale credentials of the accounts that may act are removed).
 */

const RUN_TIMEOUT_MS = INVOKE_LOCAL_TIMEOUT_MS;
const BUCKET = 'stale-iam-local-reportbucket';
const REMEDIATION_ROLE = 'stale-iam-member-remediation';
const PARAMETERS = {
  mode: '/stale-iam/local/remediation-mode',
  keys: '/stale-iam/local/deactivate-access-keys',
};
const DEPLOY = [
  '--setup',
  '--param',
  'accountScope=organization',
  '--param',
  'remediation=true',
  '--param',
  'securityHub=true',
  '--param',
  'accessKeyDeactivation=true',
  // Every credential here is stale: the share cap (20% of holders) would hold every account back.
  '--param',
  'maxPercent=100',
];
/** Seeded 100 days back: older than the 90-day threshold by the time the runs look. */
const SEED_DAYS_AGO = 100;
/** What the plan holds: 4 in payments, 2 in analytics, 1 in management, 1 in no-remediation-role. */
const PLANNED_ACTIONS = 8;
const IAM_WRITES = ['DeleteLoginProfile', 'UpdateAccessKey'];
/** The steps every organisation run takes before planning, and after remediation. */
const SCAN_STEPS = ['Discover', 'ScanAccounts', 'Rollup'];
const EMAIL_STEPS = ['Render', 'NotifyOrganization'];

/** Two stale keys would be created in the same second: one key per user keeps the re-check exact. */
const PAYMENTS: readonly SeedUser[] = [
  { userName: 'console-user', password: true },
  { userName: 'key-user', accessKeys: ['active'] },
  { userName: 'both.kinds', password: true, accessKeys: ['active'] },
  { userName: 'breakglass', password: true, tags: { 'stale-iam:exempt': 'true' } },
  { userName: 'no-credentials' },
];
const ANALYTICS: readonly SeedUser[] = [
  { userName: 'console-user', password: true },
  { userName: 'key-user', accessKeys: ['active'] },
];
const LONE_CONSOLE_USER: readonly SeedUser[] = [{ userName: 'console-user', password: true }];

interface Email {
  readonly subject: string;
  readonly body: string;
}

describeWithEmulatorClock('organisation remediation and findings on the emulator', () => {
  const moto = useMoto({ settableClock: true });
  let org: SeededOrganization;
  let proxy: AwsProxy;
  let workDir: string;
  const ids: Record<string, string> = {};
  /** Every role ARN the runs asked STS to assume, in order (the proxy sees them). */
  const assumed: string[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'stale-iam-org-remediation-'));
    await moto.current.setClock(-SEED_DAYS_AGO);
    try {
      org = await seedOrganization({
        endpoint: moto.current.endpoint,
        management: {
          name: 'management',
          users: [{ userName: 'root-admin', password: true }],
          remediationRole: true,
        },
        members: [
          { name: 'payments', users: PAYMENTS, remediationRole: true },
          { name: 'analytics', users: ANALYTICS, remediationRole: true },
          { name: 'no-remediation-role', users: LONE_CONSOLE_USER },
          { name: 'scan-denied', users: LONE_CONSOLE_USER, memberRole: false, remediationRole: true },
        ],
      });
    } finally {
      await moto.current.setClock(0);
    }
    for (const member of org.members) ids[member.name] = member.accountId;
    ids.management = org.managementAccountId;

    const ssm = new SSMClient(clientConfig(moto.current.endpoint, MANAGEMENT_CREDENTIALS));
    for (const [name, value] of [
      [PARAMETERS.mode, 'enforce'],
      [PARAMETERS.keys, 'true'],
    ] as const) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
    }
    ssm.destroy();

    proxy = await startAwsProxy({
      target: moto.current.endpoint,
      fault: (request) => {
        if (request.action !== 'AssumeRole') return undefined;
        const roleArn = request.parameters.get('RoleArn') ?? '';
        assumed.push(roleArn);
        if (org.roleExists(roleArn)) return undefined;
        // Who asks: the disable-member function's role for a remediation role, else the scan's.
        const caller = roleArn.endsWith(`:role/${REMEDIATION_ROLE}`)
          ? `arn:aws:sts::${org.managementAccountId}:assumed-role/DisableMemberRole/disable`
          : `arn:aws:sts::${org.managementAccountId}:assumed-role/ScanMemberRole/scan`;
        return assumeRoleDenied(roleArn, caller);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const s3 = () => new S3Client(clientConfig(moto.current.endpoint, MANAGEMENT_CREDENTIALS));

  async function keys(prefix: string): Promise<string[]> {
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
  }

  async function jsonLines(key: string): Promise<Array<Record<string, unknown>>> {
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return ((await Body?.transformToString()) ?? '')
      .split('\n')
      .filter((line) => line)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async function emails(): Promise<Email[]> {
    const data = (await (await fetch(`${moto.current.endpoint}/moto-api/data.json`)).json()) as {
      sns: { Topic: Array<{ sent_notifications: Array<[string, string, string]> }> };
    };
    return data.sns.Topic.flatMap((t) => t.sent_notifications).map(([, body, subject]) => ({
      subject,
      body,
    }));
  }

  async function iamOf(account: string): Promise<IAMClient> {
    return new IAMClient(clientConfig(moto.current.endpoint, await org.credentialsFor(ids[account] ?? '')));
  }

  async function hasPassword(account: string, userName: string): Promise<boolean> {
    const iam = await iamOf(account);
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: userName }));
      return true;
    } catch (error) {
      if (error instanceof NoSuchEntityException) return false;
      throw error;
    } finally {
      iam.destroy();
    }
  }

  async function keyStatuses(account: string, userName: string): Promise<string[]> {
    const iam = await iamOf(account);
    try {
      const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      return AccessKeyMetadata.map((k) => k.Status ?? '');
    } finally {
      iam.destroy();
    }
  }

  /** The IAM calls of `calls` made in `account`, by action. */
  const iamActionsIn = (calls: readonly ProxiedCall[], account: string) =>
    calls.filter((c) => c.service === 'iam' && c.accountId === ids[account]).map((c) => c.action);

  const remediationRoleOf = (account: string) => `arn:aws:iam::${ids[account]}:role/${REMEDIATION_ROLE}`;

  /**
   * What the email says of the account after its label (`<id> (<name>): `), on the first such line
   * after `heading`.
   */
  function accountLine(body: string, heading: string, account: string): string {
    const start = body.indexOf(heading);
    if (start < 0) return `(no "${heading}" in the email)`;
    const label = new RegExp(`^\\s*${ids[account] ?? ''} \\([^)]*\\): `);
    const line = body
      .slice(start)
      .split('\n')
      .find((l) => label.test(l));
    return line?.replace(label, '').trimEnd() ?? `(no line for ${account} under "${heading}")`;
  }

  /**
   * Runs the service once before the tests of the block that calls it, with `extra` arguments;
   * what the proxy saw of that run (its calls, the roles it asked to assume) is kept apart.
   */
  function useRun(extra: readonly string[], name: string) {
    let seen: { record: RunRecord; calls: ProxiedCall[]; assumed: string[] } | undefined;
    beforeAll(async () => {
      const from = { calls: proxy.calls.length, assumed: assumed.length };
      const run = await runInvokeLocal<RunRecord>(
        [...DEPLOY, ...extra],
        { ...emulatorEnvironment(proxy.endpoint, MANAGEMENT_CREDENTIALS), POWERTOOLS_LOG_LEVEL: 'WARN' },
        path.join(workDir, `${name}.json`),
      );
      if (run.code !== 0) throw new Error(`invoke-local exited ${run.code}:\n${run.stderr}`);
      seen = {
        record: run.record,
        calls: proxy.calls.slice(from.calls),
        assumed: assumed.slice(from.assumed),
      };
    }, RUN_TIMEOUT_MS + 30_000);
    return () => {
      if (!seen) throw new Error(`the ${name} run did not happen`);
      return seen;
    };
  }

  describe('with maxActionsPerOrganization under what the accounts plan', () => {
    const ranCapped = useRun(['--param', `maxActionsPerOrganization=${PLANNED_ACTIONS - 1}`], 'capped');

    it('plans, refuses the run whole and runs no disable step', () => {
      expect(ranCapped().record.status).toBe('SUCCEEDED');
      expect(ranCapped().record.steps.map((s) => s.state)).toEqual([
        ...SCAN_STEPS,
        'PlanRemediation',
        ...EMAIL_STEPS,
      ]);
      expect(ranCapped().record.invocations.filter((i) => /disableMember/i.test(i.functionName))).toEqual([]);
      expect(ranCapped().assumed.filter((arn) => arn.endsWith(`:role/${REMEDIATION_ROLE}`))).toEqual([]);
    });

    it('makes no IAM write in any account, although the mode is enforce', async () => {
      expect(ranCapped().calls.filter((c) => c.service === 'iam' && IAM_WRITES.includes(c.action))).toEqual(
        [],
      );
      expect(await hasPassword('payments', 'console-user')).toBe(true);
      expect(await hasPassword('management', 'root-admin')).toBe(true);
      expect(await keyStatuses('analytics', 'key-user')).toEqual(['Active']);
    });

    it('says in the email that no account acted, and why', async () => {
      const sent = await emails();
      expect(sent).toHaveLength(1);
      const body = sent[0]?.body ?? '';
      expect(body).toContain('Remediation (enforce)');
      expect(body).toContain(
        `NO ACTION TAKEN in any account: ${PLANNED_ACTIONS} actions planned across the organization, more than the cap of ${PLANNED_ACTIONS - 1} per run (maxActionsPerOrganization).`,
      );
      for (const account of ['payments', 'analytics', 'management', 'no-remediation-role']) {
        expect(accountLine(body, 'Remediation by account', account)).toBe(
          `over the organization's cap of ${PLANNED_ACTIONS - 1} actions`,
        );
      }
    });
  });

  describe('with the default caps', () => {
    const ranEnforced = useRun([], 'enforced');

    it('runs the remediation map over the four accounts the plan lets act, each child succeeding', () => {
      expect(ranEnforced().record.status).toBe('SUCCEEDED');
      expect(ranEnforced().record.steps.map((s) => s.state)).toEqual([
        ...SCAN_STEPS,
        'PlanRemediation',
        'RemediateAccounts',
        ...EMAIL_STEPS,
      ]);
      expect(ranEnforced().record.mapRuns).toEqual([
        expect.objectContaining({ state: 'ScanAccounts', items: 5, succeeded: 5, failed: 0 }),
        expect.objectContaining({ state: 'RemediateAccounts', items: 4, succeeded: 4, failed: 0 }),
      ]);
    });

    it.each(['payments', 'analytics'])(
      'deletes the stale console passwords and deactivates the stale keys in %s, checked with its own credentials',
      async (account) => {
        expect(await hasPassword(account, 'console-user')).toBe(false);
        expect(await keyStatuses(account, 'key-user')).toEqual(['Inactive']);
      },
    );

    it('in payments, spares the exempt user and removes both credentials of the user holding two', async () => {
      expect(await hasPassword('payments', 'breakglass')).toBe(true);
      expect(await hasPassword('payments', 'both.kinds')).toBe(false);
      expect(await keyStatuses('payments', 'both.kinds')).toEqual(['Inactive']);
    });

    it('remediates the management account through its own remediation role', async () => {
      expect(await hasPassword('management', 'root-admin')).toBe(false);
      expect(ranEnforced().assumed).toContain(remediationRoleOf('management'));
    });

    it('makes no IAM call at all in the account whose scan failed, although its remediation role exists', async () => {
      expect(org.roleExists(remediationRoleOf('scan-denied'))).toBe(true);
      expect(ranEnforced().assumed).not.toContain(remediationRoleOf('scan-denied'));
      expect(iamActionsIn(ranEnforced().calls, 'scan-denied')).toEqual([]);
      expect(await hasPassword('scan-denied', 'console-user')).toBe(true);
    });

    it('records a failure for the account without the remediation role, and changes nothing there', async () => {
      expect(ranEnforced().assumed).toContain(remediationRoleOf('no-remediation-role'));
      expect(
        iamActionsIn(ranEnforced().calls, 'no-remediation-role').filter((a) => IAM_WRITES.includes(a)),
      ).toEqual([]);
      expect(await hasPassword('no-remediation-role', 'console-user')).toBe(true);
      const [email] = (await emails()).slice(1);
      const line = accountLine(email?.body ?? '', 'Remediation by account', 'no-remediation-role');
      expect(line).toMatch(
        new RegExp(
          `^no action: member remediation role ${REMEDIATION_ROLE} missing in ${ids['no-remediation-role']}, `,
        ),
      );
      expect(line).toContain(
        `not authorized to perform: sts:AssumeRole on resource: ${remediationRoleOf('no-remediation-role')}`,
      );
    });

    it('writes IAM only in the accounts the plan let act, one call per credential', () => {
      const writes = ranEnforced()
        .calls.filter((c) => c.service === 'iam' && IAM_WRITES.includes(c.action))
        .map((c) => `${Object.keys(ids).find((n) => ids[n] === c.accountId) ?? c.accountId}:${c.action}`)
        .sort();
      expect(writes).toEqual(
        [
          'payments:DeleteLoginProfile',
          'payments:DeleteLoginProfile',
          'payments:UpdateAccessKey',
          'payments:UpdateAccessKey',
          'analytics:DeleteLoginProfile',
          'analytics:UpdateAccessKey',
          'management:DeleteLoginProfile',
        ].sort(),
      );
    });

    it('keeps an audit trail under audit/<account>/ for each account that acted, and none elsewhere', async () => {
      const records = async (account: string) => {
        const trail = (await keys(`audit/${ids[account]}/`)).find((k) => k.endsWith('/records.jsonl'));
        if (!trail) return [];
        return (await jsonLines(trail))
          .filter((l) => l.kind === 'record')
          .map((r) => `${String(r.userName)}:${String(r.action)}:${String(r.outcome)}`)
          .sort();
      };
      expect(await records('payments')).toEqual(
        [
          'console-user:delete-login-profile:deleted',
          'both.kinds:delete-login-profile:deleted',
          'key-user:deactivate-access-key:deactivated',
          'both.kinds:deactivate-access-key:deactivated',
          'breakglass:delete-login-profile:exempt',
        ].sort(),
      );
      expect(await records('analytics')).toEqual(
        ['console-user:delete-login-profile:deleted', 'key-user:deactivate-access-key:deactivated'].sort(),
      );
      expect(await records('management')).toEqual(['root-admin:delete-login-profile:deleted']);
      expect(await keys(`audit/${ids['no-remediation-role']}/`)).toEqual([]);
      expect(await keys(`audit/${ids['scan-denied']}/`)).toEqual([]);
      expect((await keys('audit/organization/')).filter((k) => /\/plan-[^/]+\.json$/.test(k))).toHaveLength(
        2,
      );
    });

    it.each([
      [
        'payments',
        ['both.kinds/access-key', 'both.kinds/password', 'console-user/password', 'key-user/access-key'],
      ],
      ['analytics', ['console-user/password', 'key-user/access-key']],
      ['management', ['root-admin/password']],
      ['no-remediation-role', ['console-user/password']],
      ['scan-denied', []],
    ])(
      "imports one finding per stale credential of %s into that account's own Security Hub",
      async (account, credentials) => {
        const accountId = ids[account] ?? '';
        const securityHub = new SecurityHubClient(
          clientConfig(moto.current.endpoint, await org.credentialsFor(accountId)),
        );
        const { Findings = [] } = await securityHub.send(new GetFindingsCommand({}));
        securityHub.destroy();

        expect(Findings.map((f) => f.AwsAccountId)).toEqual(credentials.map(() => accountId));
        expect(
          Findings.map((f) =>
            (f.Id ?? '').replace(`stale-iam/${accountId}/`, '').replace(/(access-key)\/.*/, '$1'),
          ).sort(),
        ).toEqual(credentials);
        expect(Findings.every((f) => f.RecordState === 'ACTIVE' && f.Compliance?.Status === 'FAILED')).toBe(
          true,
        );
      },
    );

    it('never calls Security Hub in the account whose scan failed, in either run', () => {
      expect(
        proxy.calls.filter((c) => c.service === 'securityhub' && c.accountId === ids['scan-denied']),
      ).toEqual([]);
    });

    it('sends one email that gives, per account, what remediation did and what was imported', async () => {
      const sent = await emails();
      expect(sent).toHaveLength(2);
      const body = sent[1]?.body ?? '';
      const audit = `audit trail s3://${BUCKET}/audit/`;
      expect(body).toContain('Remediation (enforce): stale credentials were disabled as listed below.');
      expect(accountLine(body, 'Remediation by account', 'payments')).toMatch(
        new RegExp(`^2 deleted, 2 deactivated, 1 exempt; ${audit}${ids.payments}/.+/records\\.jsonl$`),
      );
      expect(accountLine(body, 'Remediation by account', 'analytics')).toMatch(
        new RegExp(`^1 deleted, 1 deactivated; ${audit}${ids.analytics}/.+/records\\.jsonl$`),
      );
      expect(accountLine(body, 'Remediation by account', 'scan-denied')).toBe(
        'no action: its scan was not completed this run',
      );
      const findings = 'Security Hub findings, imported in each account itself (4 accounts):';
      expect(body).toContain(findings);
      for (const [account, stale] of [
        ['payments', 4],
        ['analytics', 2],
        ['management', 1],
        ['no-remediation-role', 1],
      ] as const) {
        expect(accountLine(body, findings, account)).toBe(
          `0 new, ${stale} updated, 0 resolved (archived as passed), 0 refused`,
        );
      }
      expect(body.slice(body.indexOf(findings))).not.toContain(ids['scan-denied']);
    });
  });
});
