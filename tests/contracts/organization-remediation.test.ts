import {
  MEMBER_REMEDIATIONS,
  jsonOfPlan,
  parseDisableMemberEvent,
  parseMemberRemediationResult,
  parseOrganizationRemediationPlan,
  parseRemediationRun,
} from '../../src/contracts/organization-remediation';
import { readMapResultFile } from '../../src/contracts/map-results';
import {
  planOrganizationRemediation,
  type OrganizationRemediationPlan,
} from '../../src/domain/organization/remediation-plan';
import { InvalidInputError } from '../../src/lib/errors';
import { remediationSummary } from '../support/remediation-builders';
import { password } from '../support/report-builder';

type Json = Record<string, unknown> & { accounts: Record<string, unknown>[] };

const REPORT = {
  key: 'reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json',
  versionId: 'v1',
};

function plan(maxActionsPerOrganization = 5): OrganizationRemediationPlan {
  const act = { account: { accountId: '111111111111', name: 'payments' }, status: 'planned' as const };
  return planOrganizationRemediation(
    [
      {
        ...act,
        report: REPORT,
        plan: { actions: [1, 2].map(() => stalePassword()), exempt: [], blocked: null, belowFloor: null },
      },
      {
        account: { accountId: '222222222222', name: 'legacy' },
        status: 'not-scanned',
        scanStatus: 'partial',
      },
    ],
    {
      runName: 'scheduled-run-1',
      evaluatedAt: new Date('2026-11-28T00:00:00Z'),
      plannedAt: new Date('2026-11-28T00:10:00Z'),
      thresholdDays: 90,
      mode: 'dry-run',
      deactivateAccessKeys: false,
      maxActionsPerOrganization,
    },
  );
}

function stalePassword() {
  return {
    userName: 'ren',
    arn: 'arn:aws:iam::111111111111:user/ren',
    action: 'delete-login-profile' as const,
    credential: password(331),
  };
}

const stored = (p = plan()): Json => JSON.parse(JSON.stringify(jsonOfPlan(p))) as Json;
const WHERE = 's3://b/audit/organization/2026/11/28/plan-2026-11-28T000000Z-abc.json';

describe('the stored organisation remediation plan', () => {
  it('reads back what the plan step writes, instants as Dates', () => {
    const read = parseOrganizationRemediationPlan(stored(), WHERE);

    expect(read.evaluatedAt).toEqual(new Date('2026-11-28T00:00:00Z'));
    expect(read.accounts.map((a) => [a.accountId, a.decision, a.actions])).toEqual([
      ['111111111111', 'act', 2],
      ['222222222222', 'not-scanned', 0],
    ]);
  });

  it.each<[string, (p: Json) => void, string]>([
    [
      'an account that may act with more actions than were added up',
      (p) => Object.assign(p.accounts[0] ?? {}, { actions: 9 }),
      'planned is 2, but the accounts add up to 9',
    ],
    ['an account listed twice', (p) => p.accounts.push({ ...p.accounts[0] }), 'listed twice'],
    [
      'a run over its cap that is not refused',
      (p) => Object.assign(p, { maxActionsPerOrganization: 1 }),
      'yet refused is null',
    ],
    [
      'a partial account that may act',
      (p) => Object.assign(p.accounts[1] ?? {}, { decision: 'act' }),
      'act needs a report',
    ],
    [
      'an account acting without its report version',
      (p) => Object.assign(p.accounts[0] ?? {}, { report: null }),
      'act needs a report',
    ],
    [
      'a decision it does not know',
      (p) => Object.assign(p.accounts[0] ?? {}, { decision: 'maybe' }),
      'accounts.0.decision',
    ],
    ['another kind of document', (p) => Object.assign(p, { kind: 'report' }), 'kind'],
  ])('refuses a plan with %s', (_what, tamper, reason) => {
    const json = stored();
    tamper(json);
    expect(() => parseOrganizationRemediationPlan(json, WHERE)).toThrow(InvalidInputError);
    expect(() => parseOrganizationRemediationPlan(json, WHERE)).toThrow(reason);
  });

  it('refuses a refused run in which an account may still act', () => {
    const json = stored(plan(0));
    expect(json.refused).toEqual({ code: 'cap-organization', planned: 2, maxActions: 0 });
    Object.assign(json.accounts[0] ?? {}, { decision: 'act', block: null });
    expect(() => parseOrganizationRemediationPlan(json, WHERE)).toThrow(
      'the run is refused, yet an account may act',
    );
  });
});

describe("disableMember's input and result", () => {
  const event = {
    account: { accountId: '111111111111', name: 'payments' },
    report: { bucket: 'b', key: REPORT.key, csvKey: REPORT.key.replace(/\.json$/, '.csv'), versionId: 'v1' },
    run: { name: 'scheduled-run-1', evaluatedAt: '2026-11-28T00:00:00.000Z', thresholdDays: 90 },
    plan: {
      bucket: 'b',
      key: 'audit/organization/2026/11/28/plan-2026-11-28T000000Z-abc.json',
      versionId: 'p1',
    },
  };

  it('accepts what the map hands the member', () => {
    expect(parseDisableMemberEvent(event).report.versionId).toBe('v1');
  });

  it.each([
    [
      'a report without its version',
      { ...event, report: { ...event.report, versionId: undefined } },
      'version',
    ],
    [
      'a plan elsewhere than audit/organization/',
      { ...event, plan: { ...event.plan, key: 'runs/x/plan.json' } },
      'not a remediation plan key',
    ],
    [
      'an account report key elsewhere',
      { ...event, report: { ...event.report, key: 'audit/x.json' } },
      'report.key',
    ],
  ])('refuses an input with %s', (_what, input, reason) => {
    expect(() => parseDisableMemberEvent(input)).toThrow(reason);
  });

  it("reads a member's summary, its refusal and a crash the map caught", () => {
    const account = event.account;
    expect(
      parseMemberRemediationResult({ status: 'done', account, remediation: remediationSummary() }, 'r')
        .status,
    ).toBe('done');
    expect(
      parseMemberRemediationResult(
        { status: 'failed', account, error: { kind: 'role-unavailable', message: 'AccessDenied' } },
        'r',
      ),
    ).toEqual({ status: 'failed', account, error: { kind: 'role-unavailable', message: 'AccessDenied' } });
    expect(
      parseMemberRemediationResult(
        { status: 'failed', account, error: { Error: 'States.Timeout', Cause: 'timed out' } },
        'r',
      ),
    ).toMatchObject({ error: { kind: 'timed-out' } });
  });

  it("refuses a summary whose counts disagree with its items (the summary's own check)", () => {
    const summary = { ...remediationSummary(), counts: { deleted: 7 } };
    expect(() =>
      parseMemberRemediationResult({ status: 'done', account: event.account, remediation: summary }, 'r'),
    ).toThrow('the counts add up to 7');
  });

  it("turns a map record whose output names another account into this account's failure", () => {
    const records = [
      {
        Status: 'SUCCEEDED',
        Input: JSON.stringify(event),
        Output: JSON.stringify({
          status: 'done',
          account: { accountId: '999999999999', name: 'x' },
          remediation: remediationSummary(),
        }),
      },
    ];
    const { outcomes } = readMapResultFile(records, 'f', 'SUCCEEDED', MEMBER_REMEDIATIONS);
    expect(outcomes).toEqual([
      {
        status: 'failed',
        account: event.account,
        error: {
          kind: 'failed',
          message: "the map returned a result for account 999999999999 as this account's",
        },
      },
    ]);
  });
});

describe('the remediation field of the email step', () => {
  const run = {
    plan: {
      bucket: 'b',
      key: 'audit/organization/2026/11/28/plan-2026-11-28T000000Z-abc.json',
      versionId: 'p1',
    },
    mode: 'enforce',
    planned: 2,
    refused: false,
    accounts: { bucket: 'b', key: 'runs/r/remediation-accounts.json', count: 1 },
  };

  it('gives the manifest of the map when it ran, and none when the plan let no account act', () => {
    const manifest = 'runs/map-results/0b1c/manifest.json';
    expect(
      parseRemediationRun(
        { ...run, results: { MapRunArn: 'arn', ResultWriterDetails: { Bucket: 'b', Key: manifest } } },
        'n',
      ).manifest,
    ).toEqual({ bucket: 'b', key: manifest });
    expect(parseRemediationRun(run, 'n').manifest).toBeNull();
  });

  it('refuses a manifest the ResultWriter does not write', () => {
    expect(() =>
      parseRemediationRun(
        { ...run, results: { ResultWriterDetails: { Bucket: 'b', Key: 'reports/x.json' } } },
        'n',
      ),
    ).toThrow("not a manifest the map's ResultWriter writes");
  });
});
