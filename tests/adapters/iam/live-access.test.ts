import {
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { IamLiveAccess } from '../../../src/adapters/iam/live-access';
import { awsError, rejectionOf } from '../../support/rejection';
import { TEST_ACCOUNT, noSuchEntity, sdkUser } from '../../support/iam-sdk-builders';
import { credentialReportCsv } from '../../support/credential-report-fixture';

const iam = mockClient(IAMClient);
const ACCOUNT = TEST_ACCOUNT;

function access(): IamLiveAccess {
  return new IamLiveAccess(new IAMClient({}));
}

/** Neither of the commands stale-iam must never send, whatever happened. */
function expectNoDeletionOfUsersOrKeys(): void {
  expect(iam).toHaveReceivedCommandTimes(DeleteAccessKeyCommand, 0);
  expect(iam).toHaveReceivedCommandTimes(DeleteUserCommand, 0);
}

beforeEach(() => {
  iam.reset();
});

afterEach(() => {
  expectNoDeletionOfUsersOrKeys();
});

describe('IamLiveAccess.readUser', () => {
  it('returns the path, tags and PasswordLastUsed from GetUser', async () => {
    iam.on(GetUserCommand, { UserName: 'alice' }).resolves({
      User: sdkUser('alice', {
        Path: '/breakglass/',
        Tags: [
          { Key: 'stale-iam:exempt', Value: 'true' },
          { Key: 'team', Value: 'platform' },
        ],
        PasswordLastUsed: new Date('2026-06-01T18:09:33.417Z'),
      }),
    });

    const live = await access().readUser('alice', false);

    expect(live).toEqual({
      userName: 'alice',
      path: '/breakglass/',
      tags: new Map([
        ['stale-iam:exempt', 'true'],
        ['team', 'platform'],
      ]),
      // Whole seconds, as the scan judged it.
      passwordLastUsedAt: new Date('2026-06-01T18:09:33.000Z'),
      groupNames: null,
    });
    expect(iam).toHaveReceivedCommandWith(GetUserCommand, { UserName: 'alice' });
  });

  it('gives a null last use for a password never used, an empty tag map and the root path by default', async () => {
    iam.on(GetUserCommand).resolves({ User: sdkUser('newbie', { Path: undefined }) });

    const live = await access().readUser('newbie', false);

    expect(live?.passwordLastUsedAt).toBeNull();
    expect(live?.tags.size).toBe(0);
    expect(live?.path).toBe('/');
  });

  it('returns null when the user no longer exists (NoSuchEntityException)', async () => {
    iam.on(GetUserCommand).rejects(noSuchEntity('The user with name alice cannot be found.'));

    await expect(access().readUser('alice', true)).resolves.toBeNull();
    expect(iam).toHaveReceivedCommandTimes(ListGroupsForUserCommand, 0);
  });

  it('rethrows any other error, such as AccessDenied', async () => {
    iam.on(GetUserCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetUser'));

    const error = await rejectionOf(access().readUser('alice', false));

    expect(error.name).toBe('AccessDenied');
  });

  it('does not read groups unless asked', async () => {
    iam.on(GetUserCommand).resolves({ User: sdkUser('alice') });

    const live = await access().readUser('alice', false);

    expect(live?.groupNames).toBeNull();
    expect(iam).toHaveReceivedCommandTimes(ListGroupsForUserCommand, 0);
  });

  it('reads every page of groups when asked', async () => {
    const group = (GroupName: string) => ({
      GroupName,
      GroupId: `AGPA${GroupName.toUpperCase()}`,
      Arn: `arn:aws:iam::${ACCOUNT}:group/${GroupName}`,
      Path: '/',
      CreateDate: new Date('2020-01-01T00:00:00Z'),
    });
    iam.on(GetUserCommand).resolves({ User: sdkUser('alice') });
    iam
      .on(ListGroupsForUserCommand, { UserName: 'alice', Marker: undefined })
      .resolves({ Groups: [group('developers')], IsTruncated: true, Marker: 'page-2' })
      .on(ListGroupsForUserCommand, { UserName: 'alice', Marker: 'page-2' })
      .resolves({ Groups: [group('breakglass-admins')], IsTruncated: false });

    const live = await access().readUser('alice', true);

    expect(live?.groupNames).toEqual(['developers', 'breakglass-admins']);
    expect(iam).toHaveReceivedCommandTimes(ListGroupsForUserCommand, 2);
  });
});

describe('IamLiveAccess.readLoginProfile', () => {
  it('returns the creation instant and whether a reset is required', async () => {
    iam.on(GetLoginProfileCommand, { UserName: 'alice' }).resolves({
      LoginProfile: {
        UserName: 'alice',
        CreateDate: new Date('2024-01-15T09:30:00.250Z'),
        PasswordResetRequired: true,
      },
    });

    await expect(access().readLoginProfile('alice')).resolves.toEqual({
      createdAt: new Date('2024-01-15T09:30:00.000Z'),
      passwordResetRequired: true,
    });
  });

  it('returns null when the user has no login profile (NoSuchEntityException)', async () => {
    iam.on(GetLoginProfileCommand).rejects(noSuchEntity('Login Profile for User alice cannot be found.'));

    await expect(access().readLoginProfile('alice')).resolves.toBeNull();
  });

  it('rethrows any other error', async () => {
    iam.on(GetLoginProfileCommand).rejects(awsError('ServiceFailure', 'internal error'));

    const error = await rejectionOf(access().readLoginProfile('alice'));

    expect(error.name).toBe('ServiceFailure');
  });
});

describe('IamLiveAccess.readPasswordsLastSet (the credential report)', () => {
  const GENERATED = new Date('2026-11-27T22:14:05Z');

  function serveReport(csv: string): void {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(csv),
      GeneratedTime: GENERATED,
      ReportFormat: 'text/csv',
    });
  }

  it('gives password_last_changed per user, null where the report says N/A, and leaves the root row out', async () => {
    serveReport(
      credentialReportCsv(ACCOUNT, [
        {
          user: 'alice',
          password: { setAt: '2026-11-27T09:00:00+00:00', lastUsedAt: '2026-05-01T10:00:00+00:00' },
        },
        { user: 'svc', key1: { active: true, createdAt: '2025-01-01T00:00:00+00:00', lastUsedAt: null } },
      ]),
    );

    const report = await access().readPasswordsLastSet({});

    expect(report).toEqual({
      generatedAt: GENERATED,
      users: [
        { userName: 'alice', lastSetAt: new Date('2026-11-27T09:00:00Z') },
        { userName: 'svc', lastSetAt: null },
      ],
    });
    expect(iam).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetCredentialReportCommand, 1);
  });

  it('waits for a report still being generated, as the scan does', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(credentialReportCsv(ACCOUNT, [])),
      GeneratedTime: GENERATED,
    });
    const waits: number[] = [];

    const report = await new IamLiveAccess(new IAMClient({}), {
      sleep: async (ms) => void waits.push(ms),
    }).readPasswordsLastSet({});

    expect(report.users).toEqual([]);
    expect(waits).toEqual([2_000, 4_000]);
  });

  it('throws, saying why, when the report is not ready in time, when the run must stop, when a call is denied, or when it is not a credential report', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const slow = new IamLiveAccess(new IAMClient({}), { sleep: async () => undefined, maxWaitMs: 5_000 });
    await expect(slow.readPasswordsLastSet({})).rejects.toThrow(
      // The re-check cannot switch to the api source: the advice is the next run, not --source api.
      /not ready after 5 s \(last answer: INPROGRESS\); the next run tries again$/,
    );
    await expect(slow.readPasswordsLastSet({ shouldStop: () => true })).rejects.toThrow(/about to time out/);

    iam.reset();
    iam
      .on(GenerateCredentialReportCommand)
      .rejects(awsError('AccessDenied', 'not authorized to GenerateCredentialReport'));
    await expect(access().readPasswordsLastSet({})).rejects.toThrow(/AccessDenied: not authorized/);

    iam.reset();
    serveReport('user,arn\nalice,arn:aws:iam::123456789012:user/alice\n');
    await expect(access().readPasswordsLastSet({})).rejects.toThrow(
      /not a credential report: missing column/,
    );
  });
});

describe('IamLiveAccess.readAccessKeys', () => {
  it('lists every page of keys with their status, creation and last use', async () => {
    iam
      .on(ListAccessKeysCommand, { UserName: 'svc', Marker: undefined })
      .resolves({
        AccessKeyMetadata: [
          {
            UserName: 'svc',
            AccessKeyId: 'AKIAEXAMPLESVC000001',
            Status: 'Active',
            CreateDate: new Date('2025-01-10T06:29:40.900Z'),
          },
        ],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .on(ListAccessKeysCommand, { UserName: 'svc', Marker: 'page-2' })
      .resolves({
        AccessKeyMetadata: [
          {
            UserName: 'svc',
            AccessKeyId: 'AKIAEXAMPLESVC000002',
            Status: 'Inactive',
            CreateDate: new Date('2026-01-01T00:00:00Z'),
          },
        ],
        IsTruncated: false,
      });
    iam
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAEXAMPLESVC000001' })
      .resolves({
        UserName: 'svc',
        AccessKeyLastUsed: {
          LastUsedDate: new Date('2026-02-03T04:05:06.700Z'),
          ServiceName: 's3',
          Region: 'us-east-1',
        },
      })
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: 'AKIAEXAMPLESVC000002' })
      .resolves({ UserName: 'svc', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });

    await expect(access().readAccessKeys('svc')).resolves.toEqual([
      {
        accessKeyId: 'AKIAEXAMPLESVC000001',
        status: 'Active',
        createdAt: new Date('2025-01-10T06:29:40.000Z'),
        lastUsedAt: new Date('2026-02-03T04:05:06.000Z'),
      },
      {
        accessKeyId: 'AKIAEXAMPLESVC000002',
        status: 'Inactive',
        createdAt: new Date('2026-01-01T00:00:00.000Z'),
        lastUsedAt: null,
      },
    ]);
  });
});

describe('IamLiveAccess.deleteLoginProfile', () => {
  it('sends DeleteLoginProfile for the user and answers deleted', async () => {
    iam.on(DeleteLoginProfileCommand).resolves({});

    await expect(access().deleteLoginProfile('alice')).resolves.toBe('deleted');
    expect(iam).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
    expect(iam).toHaveReceivedCommandWith(DeleteLoginProfileCommand, { UserName: 'alice' });
  });

  it('answers already-gone on NoSuchEntityException', async () => {
    iam.on(DeleteLoginProfileCommand).rejects(noSuchEntity('Login Profile for User alice cannot be found.'));

    await expect(access().deleteLoginProfile('alice')).resolves.toBe('already-gone');
  });

  it('rethrows other errors such as EntityTemporarilyUnmodifiable', async () => {
    iam
      .on(DeleteLoginProfileCommand)
      .rejects(
        awsError('EntityTemporarilyUnmodifiable', 'Login Profile for alice is temporarily unmodifiable.'),
      );

    const error = await rejectionOf(access().deleteLoginProfile('alice'));

    expect(error.name).toBe('EntityTemporarilyUnmodifiable');
    expect(error.message).toBe('Login Profile for alice is temporarily unmodifiable.');
  });
});

describe('IamLiveAccess.deactivateAccessKey', () => {
  it('sends UpdateAccessKey with Status Inactive for that user and key, and answers deactivated', async () => {
    iam.on(UpdateAccessKeyCommand).resolves({});

    await expect(access().deactivateAccessKey('svc', 'AKIAEXAMPLESVC000001')).resolves.toBe('deactivated');
    expect(iam).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'svc',
      AccessKeyId: 'AKIAEXAMPLESVC000001',
      Status: 'Inactive',
    });
  });

  it('answers already-gone on NoSuchEntityException', async () => {
    iam.on(UpdateAccessKeyCommand).rejects(noSuchEntity('The Access Key with id AKIA... cannot be found.'));

    await expect(access().deactivateAccessKey('svc', 'AKIAEXAMPLESVC000001')).resolves.toBe('already-gone');
  });

  it('rethrows other errors', async () => {
    iam.on(UpdateAccessKeyCommand).rejects(awsError('LimitExceeded', 'Rate exceeded'));

    const error = await rejectionOf(access().deactivateAccessKey('svc', 'AKIAEXAMPLESVC000001'));

    expect(error.name).toBe('LimitExceeded');
  });
});

describe('IamLiveAccess never deletes users or keys', () => {
  it('sends only reads and the two writes over a whole re-check and act sequence', async () => {
    iam.on(GetUserCommand).resolves({ User: sdkUser('svc') });
    iam.on(GetLoginProfileCommand).resolves({
      LoginProfile: {
        UserName: 'svc',
        CreateDate: new Date('2024-01-01T00:00:00Z'),
        PasswordResetRequired: false,
      },
    });
    iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        {
          UserName: 'svc',
          AccessKeyId: 'AKIAEXAMPLESVC000001',
          Status: 'Active',
          CreateDate: new Date('2024-01-01'),
        },
      ],
      IsTruncated: false,
    });
    iam
      .on(GetAccessKeyLastUsedCommand)
      .resolves({ UserName: 'svc', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [], IsTruncated: false });
    iam.on(DeleteLoginProfileCommand).resolves({});
    iam.on(UpdateAccessKeyCommand).resolves({});
    const live = access();

    await live.readUser('svc', true);
    await live.readLoginProfile('svc');
    await live.readAccessKeys('svc');
    await live.deleteLoginProfile('svc');
    await live.deactivateAccessKey('svc', 'AKIAEXAMPLESVC000001');

    expect(
      iam
        .calls()
        .map((c) => c.args[0].constructor.name)
        .sort(),
    ).toEqual([
      'DeleteLoginProfileCommand',
      'GetAccessKeyLastUsedCommand',
      'GetLoginProfileCommand',
      'GetUserCommand',
      'ListAccessKeysCommand',
      'ListGroupsForUserCommand',
      'UpdateAccessKeyCommand',
    ]);
    expectNoDeletionOfUsersOrKeys();
  });
});
