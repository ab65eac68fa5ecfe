import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsReadError, describeAwsError } from '../../lib/errors';
import { partitionOf } from './member-role';

/** Who the credentials are: GetCallerIdentity, which needs no permission. */
export interface CallerIdentity {
  /** `arn:aws:iam::111122223333:user/ops` or `arn:aws:sts::111122223333:assumed-role/Admin/ops`. */
  readonly arn: string;
  readonly accountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: the partition the member roles' ARNs are in. */
  readonly partition: string;
}

export async function callerIdentity(client: STSClient): Promise<CallerIdentity> {
  let answer;
  try {
    answer = await client.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw new AwsReadError(
      `finding out who the credentials are (sts:GetCallerIdentity) failed: ${describeAwsError(error)}`,
      {
        cause: error,
      },
    );
  }
  const { Arn: arn, Account: accountId } = answer;
  if (!arn || !accountId || !/^arn:[^:]+:(iam|sts)::\d{12}:/.test(arn)) {
    throw new AwsReadError(`sts:GetCallerIdentity answered without a caller ARN (${JSON.stringify(arn)})`);
  }
  return { arn, accountId, partition: partitionOf(arn) };
}
