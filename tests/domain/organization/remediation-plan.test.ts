import {
  accountsThatAct,
  planDisallows,
  planOrganizationRemediation,
  type AccountPlanInput,
  type OrganizationPlanSettings,
} from '../../../src/domain/organization/remediation-plan';
import { planRemediation } from '../../../src/domain/remediation/plan';
import { account, accountReport } from '../../support/organization-builders';
import { SERVICE_DEFAULTS } from '../../support/remediation-builders';
import { activeUser, password, staleUser } from '../../support/report-builder';

const SETTINGS: OrganizationPlanSettings = {
  runName: 'scheduled-run-1',
  evaluatedAt: new Date('2026-11-28T00:00:00Z'),
  plannedAt: new Date('2026-11-28T00:10:00Z'),
  thresholdDays: 90,
  mode: 'enforce',
  deactivateAccessKeys: false,
  maxActionsPerOrganization: 5,
};

/** An account of `stale` stale console users among `users` console users, planned with the service's defaults. */
function planned(accountId: string, stale: number, users = 10): AccountPlanInput {
  const report = accountReport(accountId, [
    ...Array.from({ length: stale }, (_, i) => staleUser(`stale-${i}`, password(200))),
    ...Array.from({ length: users - stale }, (_, i) => activeUser(`active-${i}`, password(3))),
  ]);
  return {
    account: account(accountId),
    status: 'planned',
    report: {
      key: `reports/${accountId}/2026/11/28/scan-2026-11-28T000000Z.json`,
      versionId: `v-${accountId}`,
    },
    plan: planRemediation(report, SERVICE_DEFAULTS),
  };
}

const decisions = (inputs: AccountPlanInput[], settings = SETTINGS) =>
  planOrganizationRemediation(inputs, settings).accounts.map((a) => [a.accountId, a.decision, a.actions]);

describe('the organisation remediation plan', () => {
  it("adds up the actions of every account's own plan and lets those accounts act within the organisation's cap", () => {
    const plan = planOrganizationRemediation(
      [planned('111111111111', 2), planned('222222222222', 2)],
      SETTINGS,
    );

    expect(plan.planned).toBe(4);
    expect(plan.refused).toBeNull();
    expect(accountsThatAct(plan).map((a) => [a.accountId, a.actions, a.report?.versionId])).toEqual([
      ['111111111111', 2, 'v-111111111111'],
      ['222222222222', 2, 'v-222222222222'],
    ]);
  });

  it('acts at exactly the cap, and refuses the run whole, for every account, one action over it', () => {
    const atCap = [planned('111111111111', 2), planned('222222222222', 2), planned('333333333333', 1)];
    expect(planOrganizationRemediation(atCap, SETTINGS).refused).toBeNull();

    const over = [planned('111111111111', 2), planned('222222222222', 2), planned('333333333333', 2)];
    const plan = planOrganizationRemediation(over, SETTINGS);
    expect(plan.refused).toEqual({ code: 'cap-organization', planned: 6, maxActions: 5 });
    expect(accountsThatAct(plan)).toEqual([]);
    expect(plan.accounts.map((a) => [a.decision, a.block])).toEqual([
      ['blocked', plan.refused],
      ['blocked', plan.refused],
      ['blocked', plan.refused],
    ]);
  });

  it('refuses every run that would act with a cap of 0, and lets a run with nothing to do through', () => {
    const none = { ...SETTINGS, maxActionsPerOrganization: 0 };
    expect(planOrganizationRemediation([planned('111111111111', 1)], none).refused?.code).toBe(
      'cap-organization',
    );
    expect(planOrganizationRemediation([planned('111111111111', 0)], none).refused).toBeNull();
  });

  it('plans nothing for an account scanned partially or not at all, nor for one whose report was refused', () => {
    const inputs: AccountPlanInput[] = [
      { account: account('111111111111'), status: 'not-scanned', scanStatus: 'partial' },
      { account: account('222222222222'), status: 'not-scanned', scanStatus: 'failed' },
      { account: account('333333333333'), status: 'refused', reason: 'threshold changed' },
      planned('444444444444', 1),
    ];

    expect(decisions(inputs)).toEqual([
      ['111111111111', 'not-scanned', 0],
      ['222222222222', 'not-scanned', 0],
      ['333333333333', 'refused', 0],
      ['444444444444', 'act', 1],
    ]);
  });

  it('counts no action of an account whose own plan was refused (a cap), and keeps why', () => {
    // 3 of 10 console users stale: over the default 20% share (2 of 10).
    const plan = planOrganizationRemediation(
      [planned('111111111111', 3), planned('222222222222', 1)],
      SETTINGS,
    );

    expect(plan.planned).toBe(1);
    expect(plan.accounts[0]).toMatchObject({
      decision: 'blocked',
      actions: 3,
      block: { code: 'cap-share', affected: 3, holders: 10, allowed: 2 },
    });
    expect(plan.accounts[1]?.decision).toBe('act');
  });

  it('says nothing-to-do for an account with no stale credential', () => {
    expect(decisions([planned('111111111111', 0)])).toEqual([['111111111111', 'nothing-to-do', 0]]);
  });
});

describe("a member's claim against the plan", () => {
  const plan = planOrganizationRemediation(
    [planned('111111111111', 1), planned('222222222222', 0)],
    SETTINGS,
  );
  const claim = {
    runName: SETTINGS.runName,
    accountId: '111111111111',
    report: {
      key: 'reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json',
      versionId: 'v-111111111111',
    },
  };

  it("holds when the plan is this run's and lets this account act on exactly this report version", () => {
    expect(planDisallows(plan, claim)).toBeNull();
  });

  it.each([
    ['another run', { ...claim, runName: 'another-run' }, "run scheduled-run-1's, not run another-run's"],
    [
      'an account not in the plan',
      { ...claim, accountId: '999999999999' },
      'does not list account 999999999999',
    ],
    [
      'an account the plan gave nothing to do',
      { ...claim, accountId: '222222222222' },
      'decided nothing-to-do',
    ],
    [
      'another version of the report',
      { ...claim, report: { ...claim.report, versionId: 'v-other' } },
      'not from reports/111111111111/2026/11/28/scan-2026-11-28T000000Z.json (version v-other)',
    ],
  ])('fails for %s', (_what, wrong, reason) => {
    expect(planDisallows(plan, wrong)).toContain(reason);
  });

  it("fails for every account when the organisation's cap refused the run", () => {
    const refused = planOrganizationRemediation([planned('111111111111', 1)], {
      ...SETTINGS,
      maxActionsPerOrganization: 0,
    });
    expect(planDisallows(refused, claim)).toContain('the plan refused the run (cap-organization)');
  });
});
