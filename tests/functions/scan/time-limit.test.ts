import {
  GetAccountAuthorizationDetailsCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { clearCache } from '@middy/util';
import { NOT_REACHED_REASON } from '../../../src/adapters/iam/api-source';
import { contextFor } from '../../support/lambda-context';
import { storedJsonReport } from '../../support/stored-report';
import { sdkUser, sdkUserDetail } from '../../support/iam-sdk-builders';
import { scanHandlerOnMocks, useScanHandlerMocks } from '../../support/scan-handler-mocks';

/**
 * A Lambda scan of a big account through the IAM API, where the 900 s run out before every user is
 * read: the handler must stop starting users in time, and still write a report that says so.
 */
const NOW = new Date('2026-11-28T00:00:00Z');
const USERS = Array.from({ length: 30 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
/** Each user's reads "take" 30 s of the run: the time left is what the runtime would report. */
const SECONDS_PER_USER = 30;

const { iam, s3 } = useScanHandlerMocks();

beforeEach(() => {
  iam.on(ListUsersCommand).resolves({
    Users: USERS.map((name) => sdkUser(name)),
    IsTruncated: false,
  });
  iam.on(GetLoginProfileCommand).resolves({
    LoginProfile: {
      UserName: 'x',
      CreateDate: new Date('2025-01-01T00:00:00Z'),
      PasswordResetRequired: false,
    },
  });
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [], IsTruncated: false });
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({
    UserDetailList: USERS.map((name) => sdkUserDetail(name)),
    IsTruncated: false,
  });
});

afterEach(() => clearCache());

describe('scan handler near the Lambda timeout', () => {
  it('stops starting users with 15% of the time left, and writes a partial report naming the rest', async () => {
    const handler = scanHandlerOnMocks(NOW, { SCAN_SOURCE: 'api', IAM_CONCURRENCY: '1' });
    const usersRead = () => iam.commandCalls(GetLoginProfileCommand).length;
    const context = contextFor({
      getRemainingTimeInMillis: () => 900_000 - usersRead() * SECONDS_PER_USER * 1000,
    });

    const result = await handler({}, context);

    // 900 s x 15% = 135 s kept back: user 26 would start with 900 - 26 x 30 = 120 s left.
    expect(usersRead()).toBe(26);
    const report = storedJsonReport(s3);
    expect(result.partial).toBe(true);
    expect(report.partial).toBe(true);
    expect(report.summary).toMatchObject({ users: 30, stale: 26, errors: 4 });
    const unreached = report.users.filter((u) => u.status === 'error');
    expect(unreached.map((u) => [u.userName, u.error])).toEqual(
      USERS.slice(26).map((name) => [name, NOT_REACHED_REASON]),
    );
  });
});
