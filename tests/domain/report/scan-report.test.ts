import { evaluateUsers, type UserVerdict } from '../../../src/domain/verdict/evaluate';
import type {
  AccessKeySnapshot,
  IamUserSnapshot,
  UserReading,
} from '../../../src/domain/verdict/user-snapshot';
import {
  buildScanReport,
  REPORT_SCHEMA_VERSION,
  summarize,
  type ReportContext,
  type ScanReport,
  type ScanReportJson,
} from '../../../src/domain/report/scan-report';
import { parseStoredReport } from '../../../src/contracts/stored-report';

const NOW = new Date('2026-11-28T00:00:00Z');
const GENERATED = new Date('2026-11-28T00:00:03.250Z');
const at = (iso: string): Date => new Date(iso);

function context(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    generatedAt: GENERATED,
    evaluatedAt: NOW,
    thresholdDays: 90,
    credentialScope: 'all',
    source: 'file',
    accountId: '123456789012',
    credentialReportGeneratedAt: null,
    ...overrides,
  };
}

function user(userName: string, overrides: Partial<IamUserSnapshot> = {}): IamUserSnapshot {
  return {
    userName,
    arn: `arn:aws:iam::123456789012:user/${userName}`,
    createdAt: at('2021-01-19T02:00:14Z'),
    passwordLastUsedAt: null,
    loginProfile: null,
    accessKeys: [],
    ...overrides,
  };
}

function key(
  slot: 1 | 2,
  lastUsedAt: Date | null,
  overrides: Partial<AccessKeySnapshot> = {},
): AccessKeySnapshot {
  return {
    accessKeyId: null,
    slot,
    status: 'Active',
    createdAt: at('2025-10-10T06:29:40Z'),
    lastUsedAt,
    ...overrides,
  };
}

const read = (subject: IamUserSnapshot): UserReading => ({ kind: 'read', user: subject });

/** One user per status, plus an active user holding a stale key, in no particular order. */
const READINGS: UserReading[] = [
  read(
    user('terraform', {
      accessKeys: [key(1, at('2026-11-26T07:41:19Z')), key(2, at('2026-06-01T18:09:33Z'))],
    }),
  ),
  read(
    user('mika.sato', {
      createdAt: at('2019-11-20T04:15:33Z'),
      loginProfile: { createdAt: at('2024-01-15T09:30:00Z') },
      passwordLastUsedAt: at('2026-03-02T11:47:15Z'),
    }),
  ),
  read(user('readonly-auditor')),
  {
    kind: 'unreadable',
    user: {
      userName: 'locked-down',
      arn: 'arn:aws:iam::123456789012:user/locked-down',
      createdAt: null,
      reason: 'AccessDenied: not authorized to perform iam:ListAccessKeys',
    },
  },
  read(user('grafana-reader', { accessKeys: [key(1, null)] })),
  read(
    user('alice.tanaka', {
      loginProfile: { createdAt: at('2025-06-10T02:40:11Z') },
      passwordLastUsedAt: NOW,
    }),
  ),
];

function buildInMemory(
  readings: UserReading[] = READINGS,
  overrides: Partial<ReportContext> = {},
): ScanReport {
  return buildScanReport(
    evaluateUsers(readings, { thresholdDays: 90, now: NOW, scope: 'all' }),
    context(overrides),
  );
}

/** The report as it is written: JSON, every instant an ISO-8601 string. */
function buildReport(
  readings: UserReading[] = READINGS,
  overrides: Partial<ReportContext> = {},
): ScanReportJson {
  return JSON.parse(JSON.stringify(buildInMemory(readings, overrides))) as ScanReportJson;
}

function entry(report: ScanReportJson, userName: string): ScanReportJson['users'][number] {
  const found = report.users.find((u) => u.userName === userName);
  if (!found) throw new Error(`no ${userName} in the report`);
  return found;
}

describe('buildScanReport', () => {
  it('stamps schemaVersion 1 and the run context, every instant as an ISO-8601 UTC string', () => {
    const report = buildReport(READINGS, {
      source: 'credential-report',
      credentialReportGeneratedAt: at('2026-11-27T22:15:00Z'),
    });

    expect(REPORT_SCHEMA_VERSION).toBe(1);
    expect(report.schemaVersion).toBe(1);
    expect(report.generatedAt).toBe('2026-11-28T00:00:03.250Z');
    expect(report.evaluatedAt).toBe('2026-11-28T00:00:00.000Z');
    expect(report.thresholdDays).toBe(90);
    expect(report.credentialScope).toBe('all');
    expect(report.source).toBe('credential-report');
    expect(report.accountId).toBe('123456789012');
    expect(report.credentialReportGeneratedAt).toBe('2026-11-27T22:15:00.000Z');
  });

  it('gives a null account id and a null report time when the source has neither', () => {
    const report = buildReport(READINGS, {
      source: 'api',
      accountId: null,
      credentialReportGeneratedAt: null,
    });

    expect(report.source).toBe('api');
    expect(report.accountId).toBeNull();
    expect(report.credentialReportGeneratedAt).toBeNull();
  });

  it('records the scope it was evaluated with', () => {
    const verdicts = evaluateUsers(READINGS, { thresholdDays: 45, now: NOW, scope: 'access-key' });

    const report = buildScanReport(verdicts, context({ thresholdDays: 45, credentialScope: 'access-key' }));

    expect(report.thresholdDays).toBe(45);
    expect(report.credentialScope).toBe('access-key');
  });

  it('counts users by status in the summary', () => {
    const report = buildReport();

    expect(report.summary).toEqual({
      users: 6,
      stale: 2,
      active: 2,
      noCredentials: 1,
      exempt: 0,
      errors: 1,
      activeWithStaleCredentials: 1,
    });
  });

  it('sorts users by name in byte order, the same on every machine, without reordering the verdicts', () => {
    const names = ['zoe', 'ci.deploy', 'Bob', 'alice', 'ci-deploy', 'Éric'];
    const verdicts = evaluateUsers(
      names.map((name) => read(user(name))),
      { thresholdDays: 90, now: NOW, scope: 'all' },
    );

    const report = buildScanReport(verdicts, context());

    expect(report.users.map((u) => u.userName)).toEqual([
      'Bob',
      'alice',
      'ci-deploy',
      'ci.deploy',
      'zoe',
      'Éric',
    ]);
    expect(verdicts.map((v) => v.userName)).toEqual(names);
  });

  it('writes each user with ISO strings, status, last activity and idle days', () => {
    const report = buildReport();

    expect(entry(report, 'mika.sato')).toEqual({
      userName: 'mika.sato',
      arn: 'arn:aws:iam::123456789012:user/mika.sato',
      createdAt: '2019-11-20T04:15:33.000Z',
      status: 'stale',
      lastActivityAt: '2026-03-02T11:47:15.000Z',
      idleDays: 270,
      credentials: [
        {
          type: 'password',
          lastUsedAt: '2026-03-02T11:47:15.000Z',
          referenceAt: '2026-03-02T11:47:15.000Z',
          basis: 'last-used',
          idleDays: 270,
          stale: true,
        },
      ],
    });
  });

  it('writes a password credential without key fields', () => {
    const password = entry(buildReport(), 'alice.tanaka').credentials[0];

    expect(password).toMatchObject({ type: 'password', stale: false, idleDays: 0 });
    expect(password).not.toHaveProperty('accessKeyId');
    expect(password).not.toHaveProperty('slot');
    expect(password).not.toHaveProperty('active');
  });

  it('writes access keys with slot, active, a null id for a credential report, and both last use and reference', () => {
    const terraform = entry(buildReport(), 'terraform');

    expect(terraform.status).toBe('active');
    expect(terraform.credentials).toEqual([
      {
        type: 'access-key',
        accessKeyId: null,
        slot: 1,
        active: true,
        createdAt: '2025-10-10T06:29:40.000Z',
        lastUsedAt: '2026-11-26T07:41:19.000Z',
        referenceAt: '2026-11-26T07:41:19.000Z',
        basis: 'last-used',
        idleDays: 1,
        stale: false,
      },
      {
        type: 'access-key',
        accessKeyId: null,
        slot: 2,
        active: true,
        createdAt: '2025-10-10T06:29:40.000Z',
        lastUsedAt: '2026-06-01T18:09:33.000Z',
        referenceAt: '2026-06-01T18:09:33.000Z',
        basis: 'last-used',
        idleDays: 179,
        stale: true,
      },
    ]);
  });

  it('writes a never-used key with lastUsedAt null and its creation as reference', () => {
    const grafana = entry(buildReport(), 'grafana-reader');

    expect(grafana.status).toBe('stale');
    expect(grafana.credentials).toEqual([
      {
        type: 'access-key',
        accessKeyId: null,
        slot: 1,
        active: true,
        createdAt: '2025-10-10T06:29:40.000Z',
        lastUsedAt: null,
        referenceAt: '2025-10-10T06:29:40.000Z',
        basis: 'created',
        idleDays: 413,
        stale: true,
      },
    ]);
  });

  it('keeps the access key id the API gave', () => {
    const report = buildReport([
      read(user('ci-deploy', { accessKeys: [key(1, NOW, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' })] })),
    ]);

    expect(entry(report, 'ci-deploy').credentials[0]).toMatchObject({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      slot: 1,
    });
  });

  it('writes an inactive key with active=false and stale=false', () => {
    const report = buildReport([
      read(
        user('old-jenkins', {
          accessKeys: [
            key(1, at('2022-12-01T16:48:03Z'), { status: 'Inactive', createdAt: at('2018-04-02T02:05:31Z') }),
          ],
        }),
      ),
    ]);

    const oldJenkins = entry(report, 'old-jenkins');
    expect(oldJenkins.status).toBe('no-credentials');
    expect(oldJenkins.credentials[0]).toMatchObject({ type: 'access-key', active: false, stale: false });
    expect(report.summary.noCredentials).toBe(1);
  });

  it('writes a user without credentials with null last activity and idle days', () => {
    expect(entry(buildReport(), 'readonly-auditor')).toEqual({
      userName: 'readonly-auditor',
      arn: 'arn:aws:iam::123456789012:user/readonly-auditor',
      createdAt: '2021-01-19T02:00:14.000Z',
      status: 'no-credentials',
      lastActivityAt: null,
      idleDays: null,
      credentials: [],
    });
  });

  it('gives an error field to error users only', () => {
    const report = buildReport();

    expect(entry(report, 'locked-down')).toEqual({
      userName: 'locked-down',
      arn: 'arn:aws:iam::123456789012:user/locked-down',
      createdAt: null,
      status: 'error',
      lastActivityAt: null,
      idleDays: null,
      credentials: [],
      error: 'AccessDenied: not authorized to perform iam:ListAccessKeys',
    });
    for (const other of report.users.filter((u) => u.status !== 'error')) {
      expect(other).not.toHaveProperty('error');
    }
  });

  it('survives a round trip through JSON and parseStoredReport unchanged, instants back as Dates', () => {
    const report = buildInMemory(READINGS, { credentialReportGeneratedAt: at('2026-11-27T22:15:00Z') });

    const stored = parseStoredReport(JSON.parse(JSON.stringify(report)), 's3://bucket/key');

    expect(stored).toEqual(report);
    expect(stored.evaluatedAt).toBeInstanceOf(Date);
  });
});

describe('summarize', () => {
  const verdict = (userName: string, status: UserVerdict['status'], stale: boolean[] = []): UserVerdict => ({
    userName,
    arn: `arn:aws:iam::123456789012:user/${userName}`,
    createdAt: null,
    status,
    lastActivityAt: null,
    idleDays: null,
    credentials: stale.map((s) => ({
      type: 'access-key' as const,
      accessKeyId: null,
      slot: 1 as const,
      active: true,
      lastUsedAt: null,
      referenceAt: NOW,
      basis: 'created' as const,
      idleDays: 0,
      stale: s,
    })),
  });

  it('counts nothing for no users', () => {
    expect(summarize([])).toEqual({
      users: 0,
      stale: 0,
      active: 0,
      noCredentials: 0,
      exempt: 0,
      errors: 0,
      activeWithStaleCredentials: 0,
    });
  });

  it('counts exempt users', () => {
    expect(
      summarize([verdict('breakglass-admin', 'exempt', [true]), verdict('x', 'stale', [true])]),
    ).toMatchObject({
      users: 2,
      exempt: 1,
      stale: 1,
    });
  });

  it('counts only active users holding a stale credential as activeWithStaleCredentials', () => {
    const summary = summarize([
      verdict('terraform', 'active', [false, true]),
      verdict('github-actions', 'active', [true, false]),
      verdict('ci-deploy', 'active', [false]),
      verdict('backup-agent', 'stale', [true]),
      verdict('breakglass-admin', 'exempt', [true]),
    ]);

    expect(summary.active).toBe(3);
    expect(summary.activeWithStaleCredentials).toBe(2);
  });
});
