import {
  CredentialReportNotPresentException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { CredentialReportSource } from '../../../src/adapters/credential-report/source';
import { createIamClient } from '../../../src/adapters/iam/client';
import { classifyScanFailure } from '../../../src/adapters/iam/scan-failure';
import { MemberRoleError } from '../../../src/adapters/sts/member-role';
import { AwsReadError } from '../../../src/lib/errors';
import { awsError, rejectionOf } from '../../support/rejection';

const iam = mockClient(IAMClient);

beforeEach(() => iam.reset());

/** What the real credential report source throws when IAM answers like this. */
async function sourceFailure(): Promise<Error> {
  const client = createIamClient({ maxAttempts: 2, backoff: () => 0 });
  const source = new CredentialReportSource({ client, sleep: async () => undefined, maxWaitMs: 10_000 });
  return rejectionOf(source.read({ scope: 'all' }));
}

describe('what a failed member-account scan means', () => {
  it('is role-unavailable when the member role could not be assumed', () => {
    const error = new MemberRoleError(
      'assuming arn:aws:iam::111122223333:role/stale-iam-member failed: AccessDenied: no',
    );

    expect(classifyScanFailure(error, 'session')).toEqual({
      kind: 'role-unavailable',
      message:
        'MemberRoleError: assuming arn:aws:iam::111122223333:role/stale-iam-member failed: AccessDenied: no',
    });
  });

  it('is access-denied when the member role may not generate the credential report', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GenerateCredentialReport'));

    const failure = classifyScanFailure(await sourceFailure(), 'scan');

    expect(failure.kind).toBe('access-denied');
    expect(failure.message).toContain('not authorized to perform: iam:GenerateCredentialReport');
  });

  it('is throttled when IAM keeps answering Throttling past the retries', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .rejects(Object.assign(awsError('Throttling', 'Rate exceeded'), { $retryable: { throttling: true } }));

    expect(classifyScanFailure(await sourceFailure(), 'scan').kind).toBe('throttled');
  });

  it('is report-not-ready when the credential report stays STARTED until the wait budget is spent', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });

    const error = await sourceFailure();

    expect(error).toBeInstanceOf(AwsReadError);
    expect(classifyScanFailure(error, 'scan')).toEqual({
      kind: 'report-not-ready',
      message: `AwsReadError: ${error.message}`,
    });
  });

  it('is report-not-ready when the report is never present, however often it is generated', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam
      .on(GetCredentialReportCommand)
      .rejects(new CredentialReportNotPresentException({ message: 'gone', $metadata: {} }));

    expect(classifyScanFailure(await sourceFailure(), 'scan').kind).toBe('report-not-ready');
  });

  it('is failed, with the reason, for anything else', () => {
    expect(
      classifyScanFailure(new AwsReadError('listing IAM users failed: ServiceFailure: boom'), 'scan'),
    ).toEqual({
      kind: 'failed',
      message: 'AwsReadError: listing IAM users failed: ServiceFailure: boom',
    });
  });
});
