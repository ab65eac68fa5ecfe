import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { callerIdentity } from '../../../src/adapters/sts/caller-identity';
import { AwsReadError } from '../../../src/lib/errors';
import { awsError, rejectionOf } from '../../support/rejection';

const sts = mockClient(STSClient);
const client = () => new STSClient({ region: 'us-east-1' });

beforeEach(() => sts.reset());

describe('callerIdentity (sts:GetCallerIdentity)', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/ops', 'aws'],
    ['arn:aws-cn:sts::111122223333:assumed-role/Admin/ops', 'aws-cn'],
    ['arn:aws-us-gov:sts::111122223333:assumed-role/Admin/ops', 'aws-us-gov'],
  ])('reads %s as a caller of partition %s', async (arn, partition) => {
    sts.on(GetCallerIdentityCommand).resolves({ Arn: arn, Account: '111122223333', UserId: 'AIDA' });

    expect(await callerIdentity(client())).toEqual({ arn, accountId: '111122223333', partition });
  });

  it('says which call failed, keeping the SDK error as the cause', async () => {
    const denied = awsError('ExpiredToken', 'The security token included in the request is expired');
    sts.on(GetCallerIdentityCommand).rejects(denied);

    const error = await rejectionOf(callerIdentity(client()));

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe(
      'finding out who the credentials are (sts:GetCallerIdentity) failed: ExpiredToken: The security token included in the request is expired',
    );
    expect(error.cause).toBe(denied);
  });

  it('refuses an answer without a caller ARN', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });

    const error = await rejectionOf(callerIdentity(client()));

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toContain('without a caller ARN');
  });
});
