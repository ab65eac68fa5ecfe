import {
  GetAccountAuthorizationDetailsCommand,
  GetUserCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { IamExemptionDirectory } from '../../../src/adapters/iam/exemption-directory';
import { AwsReadError } from '../../../src/lib/errors';
import { awsError, rejectionOf } from '../../support/rejection';
import { TEST_ACCOUNT, sdkUserDetail } from '../../support/iam-sdk-builders';

const iam = mockClient(IAMClient);
const ACCOUNT = TEST_ACCOUNT;

function directory(): IamExemptionDirectory {
  return new IamExemptionDirectory(new IAMClient({}));
}

beforeEach(() => {
  iam.reset();
});

describe('IamExemptionDirectory', () => {
  it("reads every user's path, tags and groups", async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [
        sdkUserDetail('admin', {
          Path: '/breakglass/',
          Tags: [{ Key: 'stale-iam:exempt', Value: 'true' }],
          GroupList: ['admins', 'oncall'],
        }),
        sdkUserDetail('alice'),
      ],
      IsTruncated: false,
    });

    const entries = await directory().readAll();

    expect([...entries.keys()]).toEqual(['admin', 'alice']);
    expect(entries.get('admin')).toEqual({
      userName: 'admin',
      path: '/breakglass/',
      tags: new Map([['stale-iam:exempt', 'true']]),
      groupNames: ['admins', 'oncall'],
    });
    expect(entries.get('alice')).toEqual({ userName: 'alice', path: '/', tags: new Map(), groupNames: [] });
  });

  it('asks for users only, 1000 at a time', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({ UserDetailList: [], IsTruncated: false });

    await directory().readAll();

    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, {
      Filter: ['User'],
      MaxItems: 1000,
    });
  });

  it('follows the markers across three pages', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand, { Marker: undefined })
      .resolves({
        UserDetailList: [sdkUserDetail('a1'), sdkUserDetail('a2')],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2' })
      .resolves({ UserDetailList: [sdkUserDetail('b1')], IsTruncated: true, Marker: 'page-3' })
      .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-3' })
      .resolves({
        UserDetailList: [sdkUserDetail('c1', { Tags: [{ Key: 'stale-iam:exempt', Value: 'TRUE' }] })],
        IsTruncated: false,
      });

    const entries = await directory().readAll();

    expect([...entries.keys()]).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(entries.get('c1')?.tags.get('stale-iam:exempt')).toBe('TRUE');
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 3);
    expect(iam).toHaveReceivedNthCommandWith(2, GetAccountAuthorizationDetailsCommand, {
      Filter: ['User'],
      MaxItems: 1000,
      Marker: 'page-2',
    });
  });

  it('fails clearly when GetAccountAuthorizationDetails is denied', async () => {
    const denied = awsError(
      'AccessDenied',
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/stale-iam-scan/fn is not authorized to perform: iam:GetAccountAuthorizationDetails`,
    );
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(denied);

    const error = await rejectionOf(directory().readAll());

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe(
      `reading users' tags and groups failed: AccessDenied: User: arn:aws:sts::${ACCOUNT}:assumed-role/stale-iam-scan/fn is not authorized to perform: iam:GetAccountAuthorizationDetails`,
    );
    expect(error.cause).toBe(denied);
  });

  it('fails instead of returning a partial directory when a later page is denied', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand, { Marker: undefined })
      .resolves({ UserDetailList: [sdkUserDetail('a1')], IsTruncated: true, Marker: 'page-2' })
      .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2' })
      .rejects(awsError('AccessDenied', 'not authorized'));

    const error = await rejectionOf(directory().readAll());

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe("reading users' tags and groups failed: AccessDenied: not authorized");
  });

  it('fails instead of looping when IAM says truncated without a new marker', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand, { Marker: undefined })
      .resolves({ UserDetailList: [sdkUserDetail('a1')], IsTruncated: true, Marker: 'page-2' })
      .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2' })
      .resolves({ UserDetailList: [sdkUserDetail('b1')], IsTruncated: true, Marker: 'page-2' });

    const error = await rejectionOf(directory().readAll());

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe("reading users' tags and groups failed: IsTruncated without a new Marker");
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 2);
  });
});

describe('IamExemptionDirectory.deletedOf', () => {
  it('confirms a user deleted only when GetUser answers NoSuchEntity', async () => {
    iam
      .on(GetUserCommand, { UserName: 'gone' })
      .rejects(
        new NoSuchEntityException({ message: 'The user with name gone cannot be found.', $metadata: {} }),
      );
    iam.on(GetUserCommand, { UserName: 'still-here' }).resolves({
      User: {
        UserName: 'still-here',
        UserId: 'AIDAEXAMPLE',
        Path: '/',
        Arn: `arn:aws:iam::${ACCOUNT}:user/still-here`,
        CreateDate: new Date('2020-01-01T00:00:00Z'),
      },
    });
    iam
      .on(GetUserCommand, { UserName: 'denied' })
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetUser'));
    iam.on(GetUserCommand, { UserName: 'throttled' }).rejects(awsError('Throttling', 'Rate exceeded'));

    const gone = await directory().deletedOf(['gone', 'still-here', 'denied', 'throttled']);

    expect([...gone]).toEqual(['gone']);
    expect(iam).toHaveReceivedCommandTimes(GetUserCommand, 4);
  });

  it('makes no call for no user', async () => {
    expect([...(await directory().deletedOf([]))]).toEqual([]);
    expect(iam).toHaveReceivedCommandTimes(GetUserCommand, 0);
  });
});
