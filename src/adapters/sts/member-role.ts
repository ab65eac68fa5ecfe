import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { describeAwsError } from '../../lib/errors';

/**
 * Sessions in member accounts: AssumeRole into the member role (member-role/stale-iam-member-role.yml)
 * of each account, from the scan's own credentials. Used by the scanMember function, and usable by
 * the CLI with the caller's credentials.
 */

/**
 * A Lambda function runs on its role's temporary credentials, so assuming another role from it is
 * role chaining, which AWS caps at one hour: asking for more fails. A scan takes at most 15 minutes.
 */
export const MAX_CHAINED_SESSION_SECONDS = 3600;

/** RoleSessionName: 2 to 64 characters of letters, digits and `+=,.@-` (and `_`). */
const SESSION_NAME_LENGTH = 64;
const SESSION_NAME_CHAR = /[\w+=,.@-]/;

/**
 * The session name naming the run (it shows in the member account's CloudTrail as
 * `assumed-role/<role>/<session>`): `stale-iam-<run>`, with characters STS does not take replaced
 * by `-` and cut to 64 characters.
 */
export function memberSessionName(runName: string): string {
  const safe = [...runName].map((ch) => (SESSION_NAME_CHAR.test(ch) ? ch : '-')).join('');
  return `stale-iam-${safe}`.slice(0, SESSION_NAME_LENGTH);
}

export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** `arn:aws-cn:lambda:...` -> `aws-cn`: the partition a function (or any ARN) lives in. */
export function partitionOf(arn: string): string {
  const partition = /^arn:([^:]+):/.exec(arn)?.[1];
  if (!partition) throw new Error(`not an ARN: ${arn}`);
  return partition;
}

/** AssumeRole into a member account failed: the role is missing, or does not trust the caller. */
export class MemberRoleError extends Error {
  override name = 'MemberRoleError';
}

export interface MemberRoleOptions {
  readonly client?: STSClient;
  readonly roleName: string;
  readonly partition: string;
  readonly sessionName: string;
  /** At most MAX_CHAINED_SESSION_SECONDS (the default); at least 900, STS's minimum. */
  readonly durationSeconds?: number;
}

export class MemberRoleAssumer {
  private readonly client: STSClient;
  private readonly durationSeconds: number;

  constructor(private readonly options: MemberRoleOptions) {
    const duration = options.durationSeconds ?? MAX_CHAINED_SESSION_SECONDS;
    if (!Number.isInteger(duration) || duration < 900 || duration > MAX_CHAINED_SESSION_SECONDS) {
      throw new RangeError(`a member session lasts 900 to ${MAX_CHAINED_SESSION_SECONDS} s, got ${duration}`);
    }
    if (options.sessionName.length < 2 || options.sessionName.length > SESSION_NAME_LENGTH) {
      throw new RangeError(`a session name has 2 to 64 characters, got "${options.sessionName}"`);
    }
    this.durationSeconds = duration;
    this.client = options.client ?? new STSClient({ maxAttempts: 5 });
  }

  /**
   * Credentials in `accountId`, checked to be that account's: the assumed role's ARN names the
   * account the credentials act in.
   */
  async assume(accountId: string): Promise<AwsCredentialIdentity> {
    const roleArn = memberRoleArn(this.options.partition, accountId, this.options.roleName);
    let answer;
    try {
      answer = await this.client.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName,
          DurationSeconds: this.durationSeconds,
        }),
      );
    } catch (error) {
      throw new MemberRoleError(`assuming ${roleArn} failed: ${describeAwsError(error)}`, { cause: error });
    }
    const { Credentials: c, AssumedRoleUser } = answer;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new MemberRoleError(`assuming ${roleArn} returned no credentials`);
    }
    const assumedAccount = /^arn:[^:]+:sts::(\d{12}):assumed-role\//.exec(AssumedRoleUser?.Arn ?? '')?.[1];
    if (assumedAccount !== accountId) {
      throw new MemberRoleError(
        `assuming ${roleArn} gave a session in ${assumedAccount ?? 'no account'} (${AssumedRoleUser?.Arn ?? 'no ARN'})`,
      );
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  }
}
