import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { SecurityHubFindingsStore } from '../../../src/adapters/securityhub/findings-store';
import type { AsffFinding } from '../../../src/domain/findings/asff';
import { staleCredentialFindings } from '../../../src/domain/findings/plan';
import { AwsReadError, AwsWriteError } from '../../../src/lib/errors';
import { ACCOUNT_ID, buildReport, password, staleUser } from '../../support/report-builder';
import { awsError, rejectionOf } from '../../support/rejection';

const identity = { accountId: ACCOUNT_ID, region: 'us-east-1', partition: 'aws' };
const PRODUCT_ARN = `arn:aws:securityhub:us-east-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`;
const now = new Date('2026-11-28T00:10:00.000Z');

const securityHub = mockClient(SecurityHubClient);

/** `count` findings of ours, one stale password each. */
function findings(count: number): AsffFinding[] {
  const users = Array.from({ length: count }, (_, i) =>
    staleUser(`user${String(i).padStart(4, '0')}`, password(120)),
  );
  return staleCredentialFindings(buildReport(users), { identity, now });
}

/** A store whose waits are recorded instead of slept, on a clock that only the waits move. */
function store(options: { retryRounds?: number } = {}) {
  let clock = 0;
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock += ms;
  };
  const subject = new SecurityHubFindingsStore({
    client: new SecurityHubClient({}),
    identity,
    sleep,
    now: () => clock,
    retryDelayMs: (round) => 1000 * round,
    ...options,
  });
  return { subject, waits };
}

function importedBatches(): string[][] {
  return securityHub
    .commandCalls(BatchImportFindingsCommand)
    .map((call) => (call.args[0].input.Findings ?? []).map((f) => f.Id ?? ''));
}

beforeEach(() => {
  securityHub.reset();
});

describe('SecurityHubFindingsStore.import', () => {
  it('sends at most 100 findings per BatchImportFindings request, in order', async () => {
    securityHub
      .on(BatchImportFindingsCommand)
      .resolves({ FailedCount: 0, SuccessCount: 0, FailedFindings: [] });
    const all = findings(250);

    const failures = await store().subject.import(all);

    expect(failures).toEqual([]);
    expect(importedBatches().map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(importedBatches().flat()).toEqual(all.map((f) => f.Id));
  });

  it('sends the findings as built, every member included', async () => {
    securityHub.on(BatchImportFindingsCommand).resolves({ FailedFindings: [] });
    const [one] = findings(1);

    await store().subject.import(findings(1));

    expect(securityHub).toHaveReceivedCommandWith(BatchImportFindingsCommand, {
      Findings: [one as AwsSecurityFinding],
    });
  });

  it('sends again only the findings a request refused, and reports none once they are taken', async () => {
    const all = findings(3);
    const [first, second] = all.map((f) => f.Id);
    securityHub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({
        FailedCount: 2,
        FailedFindings: [
          { Id: first, ErrorCode: 'InternalException', ErrorMessage: 'Internal service failure' },
          { Id: second, ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
        ],
      })
      .resolves({ FailedFindings: [] });
    const { subject, waits } = store();

    const failures = await subject.import(all);

    expect(failures).toEqual([]);
    expect(importedBatches()).toEqual([all.map((f) => f.Id), [first, second]]);
    expect(waits).toContain(1000);
  });

  it("reports a finding still refused after the rounds, with Security Hub's code and message", async () => {
    const all = findings(2);
    const stubborn = all[1]?.Id ?? '';
    securityHub.on(BatchImportFindingsCommand).resolves({
      FailedFindings: [{ Id: stubborn, ErrorCode: 'InternalException', ErrorMessage: 'try later' }],
    });

    const failures = await store({ retryRounds: 2 }).subject.import(all);

    expect(failures).toEqual([{ id: stubborn, code: 'InternalException', message: 'try later' }]);
    expect(importedBatches()).toEqual([all.map((f) => f.Id), [stubborn], [stubborn]]);
  });

  it('does not send again a finding refused as invalid: the same finding would be refused again', async () => {
    const all = findings(2);
    const invalid = all[0]?.Id ?? '';
    securityHub.on(BatchImportFindingsCommand).resolves({
      FailedFindings: [
        { Id: invalid, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding size exceeded 240 KB' },
      ],
    });

    const failures = await store().subject.import(all);

    expect(failures).toEqual([
      { id: invalid, code: 'InvalidInput', message: 'Finding size exceeded 240 KB' },
    ]);
    expect(securityHub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
  });

  it('paces its requests below the quota: one every 200 ms by default', async () => {
    securityHub.on(BatchImportFindingsCommand).resolves({ FailedFindings: [] });
    const { subject, waits } = store();

    await subject.import(findings(450));

    expect(securityHub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 5);
    expect(waits).toEqual([200, 200, 200, 200]);
  });

  it('stops with an error saying how far it got when a request fails as a whole', async () => {
    securityHub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ FailedFindings: [] })
      .rejects(
        awsError('InvalidAccessException', 'Account 123456789012 is not subscribed to AWS Security Hub'),
      );

    const error = await rejectionOf(store().subject.import(findings(150)));

    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toBe(
      'importing findings into Security Hub failed (100 of 150 findings were imported before it): ' +
        'InvalidAccessException: Account 123456789012 is not subscribed to AWS Security Hub',
    );
  });

  it('makes no request when there is nothing to import', async () => {
    await store().subject.import([]);

    expect(securityHub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
  });
});

describe('SecurityHubFindingsStore.listActive', () => {
  it('asks for the active findings of our product, generator and account, 100 a page', async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });

    await store().subject.listActive();

    expect(securityHub).toHaveReceivedCommandWith(GetFindingsCommand, {
      Filters: {
        ProductArn: [{ Value: PRODUCT_ARN, Comparison: 'EQUALS' }],
        GeneratorId: [{ Value: 'stale-iam/unused-iam-credential', Comparison: 'EQUALS' }],
        AwsAccountId: [{ Value: ACCOUNT_ID, Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      },
      MaxResults: 100,
    });
  });

  it('pages until there is no NextToken, empty pages included', async () => {
    const [a, b] = findings(2);
    securityHub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [a as AwsSecurityFinding], NextToken: 'page-2' })
      .resolvesOnce({ Findings: [], NextToken: 'page-3' })
      .resolvesOnce({ Findings: [b as AwsSecurityFinding] });
    const { subject, waits } = store();

    const active = await subject.listActive();

    expect(active.findings.map((f) => f.Id)).toEqual([a?.Id, b?.Id]);
    expect(securityHub.commandCalls(GetFindingsCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
      'page-3',
    ]);
    // GetFindings' quota is 3 a second: two a second here.
    expect(waits).toEqual([500, 500]);
  });

  it('reads back what Security Hub adds as our own shape: its members and its aws/ ProductFields dropped', async () => {
    const [ours] = findings(1);
    const asStored = {
      ...ours,
      Region: 'us-east-1',
      ProcessedAt: '2026-11-28T00:10:03.120Z',
      Workflow: { Status: 'NOTIFIED' },
      WorkflowState: 'NEW',
      ProductFields: { ...ours?.ProductFields, 'aws/securityhub/FindingId': 'arn:aws:securityhub:...' },
    } as AwsSecurityFinding;
    securityHub.on(GetFindingsCommand).resolves({ Findings: [asStored] });

    const active = await store().subject.listActive();

    expect(active).toEqual({ findings: [ours], unreadable: [] });
  });

  it("skips other products' findings, and keeps ours that do not read as ours apart, with why", async () => {
    const [ours] = findings(1);
    const broken = { ...ours, Id: `stale-iam/${ACCOUNT_ID}/zed/password`, Title: '' } as AwsSecurityFinding;
    const guardDuty = {
      ...ours,
      ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
    } as AwsSecurityFinding;
    securityHub
      .on(GetFindingsCommand)
      .resolves({ Findings: [guardDuty, broken, ours as AwsSecurityFinding] });

    const active = await store().subject.listActive();

    expect(active.findings.map((f) => f.Id)).toEqual([ours?.Id]);
    expect(active.unreadable).toEqual([
      {
        id: `stale-iam/${ACCOUNT_ID}/zed/password`,
        problem: 'Title: Too small: expected string to have >=1 characters',
      },
    ]);
  });

  it('fails with a read error when Security Hub cannot be read (not enabled, AccessDenied)', async () => {
    securityHub
      .on(GetFindingsCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform securityhub:GetFindings'));

    const error = await rejectionOf(store().subject.listActive());

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe(
      'reading the active findings failed: AccessDeniedException: not authorized to perform securityhub:GetFindings',
    );
  });
});
