import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clearCache } from '@middy/util';
import { mockClient } from 'aws-sdk-client-mock';
import { createDiscoverHandler } from '../../../src/functions/discover/handler';
import { InvalidConfigError, InvalidInputError } from '../../../src/lib/errors';
import { logger } from '../../../src/lib/logger';
import { defaultSettingsEnvironment } from '../../support/function-environment';
import { contextFor } from '../../support/lambda-context';
import { rejectionOf } from '../../support/rejection';

const organizations = mockClient(OrganizationsClient);
const ssm = mockClient(SSMClient);
const s3 = mockClient(S3Client);

const BUCKET = 'reports-bucket';
const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';
const ENV = {
  ...defaultSettingsEnvironment('discover'),
  THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER,
  REPORT_BUCKET: BUCKET,
};
const EVENT = {
  executionName: '5e0b4c1a-8f7e-4c4d-9a41-2b1f0c9d7e21',
  startTime: '2026-11-28T00:00:00.117Z',
};

function handler(env: NodeJS.ProcessEnv = ENV) {
  return createDiscoverHandler({ organizations: new OrganizationsClient({}), s3: new S3Client({}), env });
}

/** What discover wrote to `key`, parsed. */
function written(key: string): unknown {
  const body = s3
    .commandCalls(PutObjectCommand)
    .map((c) => c.args[0].input)
    .find((input) => input.Key === key)?.Body;
  if (typeof body !== 'string') throw new Error(`nothing was written to ${key}`);
  return JSON.parse(body);
}

beforeAll(() => logger.setLogLevel('SILENT'));

beforeEach(() => {
  organizations.reset();
  ssm.reset();
  s3.reset();
  clearCache();
  s3.on(PutObjectCommand).resolves({});
  ssm.on(GetParametersCommand).resolves({
    Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '45' }],
    InvalidParameters: [],
  });
  organizations.on(ListAccountsCommand).resolves({
    Accounts: [
      { Id: '333333333333', Name: 'gamma', State: 'ACTIVE', Status: 'ACTIVE' },
      { Id: '111111111111', Name: 'alpha', State: 'ACTIVE', Status: 'ACTIVE' },
      { Id: '222222222222', Name: 'closed', State: 'SUSPENDED', Status: 'SUSPENDED' },
    ],
  });
});

afterEach(() => clearCache());

describe('discover: the accounts of one run', () => {
  it('writes the active accounts as the map items and the others as skipped, and returns only where they are', async () => {
    const result = await handler()(EVENT, contextFor());

    const accountsKey = `runs/${EVENT.executionName}/accounts.json`;
    expect(written(accountsKey)).toEqual([
      { accountId: '111111111111', name: 'alpha' },
      { accountId: '333333333333', name: 'gamma' },
    ]);
    expect(written(`runs/${EVENT.executionName}/skipped.json`)).toEqual([
      { accountId: '222222222222', name: 'closed', reason: 'not-active', state: 'SUSPENDED' },
    ]);
    expect(result).toEqual({
      run: { name: EVENT.executionName, evaluatedAt: EVENT.startTime, thresholdDays: 45 },
      accounts: { bucket: BUCKET, key: accountsKey, count: 2 },
      skipped: { key: `runs/${EVENT.executionName}/skipped.json`, count: 1 },
    });
    expect(JSON.stringify(result)).not.toContain('alpha');
  });

  it('reads the threshold once, for the whole run', async () => {
    await handler()(EVENT, contextFor());

    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParametersCommand, { Names: [THRESHOLD_PARAMETER] });
  });

  it('leaves out the excluded accounts', async () => {
    await handler({ ...ENV, EXCLUDE_ACCOUNTS: '["333333333333"]' })(EVENT, contextFor());

    expect(written(`runs/${EVENT.executionName}/accounts.json`)).toEqual([
      { accountId: '111111111111', name: 'alpha' },
    ]);
    expect(written(`runs/${EVENT.executionName}/skipped.json`)).toContainEqual({
      accountId: '333333333333',
      name: 'gamma',
      reason: 'excluded',
      state: 'ACTIVE',
    });
  });

  it('lists only the included OUs, and not the whole organisation, when OUs are given', async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .resolves({ Accounts: [{ Id: '444444444444', Name: 'in-ou', State: 'ACTIVE' }] });
    organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });

    await handler({ ...ENV, INCLUDE_ORGANIZATIONAL_UNITS: '["ou-ab12-cd34ef56"]' })(EVENT, contextFor());

    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 0);
    expect(written(`runs/${EVENT.executionName}/accounts.json`)).toEqual([
      { accountId: '444444444444', name: 'in-ou' },
    ]);
  });

  it('fails the run, writing nothing, when no account is left to scan', async () => {
    const error = await rejectionOf(
      handler({ ...ENV, EXCLUDE_ACCOUNTS: '["111111111111","333333333333"]' })(EVENT, contextFor()),
    );

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toBe(
      'no account to scan: of 3 account(s) listed, none is active and not excluded (includeOrganizationalUnits [], excludeAccounts ["111111111111","333333333333"])',
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses an input without the execution start, before listing anything', async () => {
    const error = await rejectionOf(handler()({ executionName: EVENT.executionName }, contextFor()));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(organizations.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses an unusable threshold before listing anything', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '0' }],
      InvalidParameters: [],
    });

    const error = await rejectionOf(handler()(EVENT, contextFor()));

    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.message).toContain('must be a whole number from 1 to 3650, got "0"');
    expect(organizations.calls()).toHaveLength(0);
  });
});
