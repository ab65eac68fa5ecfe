import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ReportStore } from '../../../src/adapters/s3/report-store';
import type { ScanReport } from '../../../src/domain/report/scan-report';
import { AwsReadError, AwsWriteError, InvalidInputError } from '../../../src/lib/errors';
import {
  ACCOUNT_ID,
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';
import { s3Body } from '../../support/s3-body';
import { awsError, rejectionOf } from '../../support/rejection';

const BUCKET = LOCATION.bucket;
const REPORT = buildReport([
  activeUser('haruto', accessKey(1, 1), accessKey(2, 330)),
  noCredentialsUser('kaito'),
  errorUser('locked-down', 'AccessDenied: not authorized to perform iam:ListAccessKeys'),
  staleUser('ren', password(180), accessKey(1, 200, { never: true })),
  activeUser('=cmd|calc', password(3)),
]);

const s3 = mockClient(S3Client);

/** The report of LOCATION at the version the scan wrote. */
const PINNED = { key: LOCATION.key, versionId: LOCATION.versionId ?? 'version-of-the-scan' };

function store(): S3ReportStore {
  return new S3ReportStore({ bucket: BUCKET, client: new S3Client({}) });
}

function putInput(key: string) {
  const call = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === key);
  if (!call) throw new Error(`nothing was written to ${key}`);
  return call.args[0].input;
}

function objectHolding(text: string): void {
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: PINNED.key, VersionId: PINNED.versionId }).resolves({
    Body: s3Body(text),
    VersionId: PINNED.versionId,
  });
}

/** What S3 answers to a PutObject in a versioned bucket. */
const VERSIONED_PUT = { ETag: '"etag"', VersionId: LOCATION.versionId };

beforeEach(() => {
  s3.reset();
});

describe('S3ReportStore.save', () => {
  beforeEach(() => {
    s3.on(PutObjectCommand).resolves(VERSIONED_PUT);
  });

  it('returns where it wrote the JSON and the CSV, one folder per account and day, and the version of the JSON', async () => {
    s3.on(PutObjectCommand, { Key: LOCATION.csvKey }).resolves({ ETag: '"csv"', VersionId: 'csv-version' });

    const location = await store().save(REPORT);

    expect(location).toEqual({
      bucket: BUCKET,
      key: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.json`,
      csvKey: `reports/${ACCOUNT_ID}/2026/11/28/scan-2026-11-28T000000Z.csv`,
      versionId: LOCATION.versionId,
    });
  });

  it.each([
    ['no version id (versioning never turned on)', { ETag: '"etag"' }],
    ['the version id "null" (versioning suspended)', { ETag: '"etag"', VersionId: 'null' }],
  ])(
    'passes on no version when S3 gave the report %s (the disable step then refuses it)',
    async (_what, answer) => {
      s3.on(PutObjectCommand).resolves(answer);

      const location = await store().save(REPORT);

      expect(location).not.toHaveProperty('versionId');
      expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 2);
    },
  );

  it('writes the report as JSON with an application/json content type', async () => {
    const location = await store().save(REPORT);

    const json = putInput(location.key);
    expect(json.Bucket).toBe(BUCKET);
    expect(json.ContentType).toBe('application/json');
    if (typeof json.Body !== 'string') throw new Error('the JSON body is not a string');
    expect(JSON.parse(json.Body)).toEqual(JSON.parse(JSON.stringify(REPORT)));
    expect(JSON.parse(json.Body).evaluatedAt).toBe('2026-11-28T00:00:00.000Z');
  });

  it('writes the same users as CSV with a text/csv content type', async () => {
    const location = await store().save(REPORT);

    const csv = putInput(location.csvKey);
    expect(csv.Bucket).toBe(BUCKET);
    expect(csv.ContentType).toBe('text/csv; charset=utf-8');
    if (typeof csv.Body !== 'string') throw new Error('the CSV body is not a string');
    const lines = csv.Body.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'user_name,arn,status,user_idle_days,last_activity_at,credential_type,access_key_id,key_slot,key_active,last_used_at,reference_at,basis,credential_idle_days,credential_stale,error,key_created_at,exempt_reason',
    );
    // One row per credential, one row for a user with none.
    expect(lines.filter((l) => l.startsWith('ren,'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('kaito,'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('locked-down,'))[0]).toMatch(
      /,AccessDenied: not authorized to perform iam:ListAccessKeys,,$/,
    );
    // A name that a spreadsheet would run as a formula is neutralised.
    expect(lines.some((l) => l.startsWith("'=cmd|calc,"))).toBe(true);
  });

  it('files a report without an account under unknown-account', async () => {
    const location = await store().save(buildReport([staleUser('ren')], { accountId: null }));

    expect(location.key).toBe('reports/unknown-account/2026/11/28/scan-2026-11-28T000000Z.json');
    expect(location.csvKey).toBe('reports/unknown-account/2026/11/28/scan-2026-11-28T000000Z.csv');
  });

  it('turns a denied PutObject into an AwsWriteError naming the object, and writes no CSV after it', async () => {
    const denied = awsError(
      'AccessDenied',
      'User: arn:aws:sts::123456789012:assumed-role/scan/fn is not authorized to perform: s3:PutObject',
    );
    s3.on(PutObjectCommand).rejects(denied);

    const error = await rejectionOf(store().save(REPORT));

    expect(error).toBeInstanceOf(AwsWriteError);
    expect(error.message).toBe(
      `writing s3://${BUCKET}/${LOCATION.key} failed: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/scan/fn is not authorized to perform: s3:PutObject`,
    );
    expect(error.cause).toBe(denied);
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).not.toHaveReceivedCommandWith(PutObjectCommand, { Key: LOCATION.csvKey });
  });
});

describe('S3ReportStore.load', () => {
  it('reads the latest report at a key when no version is asked for (notify, render)', async () => {
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: LOCATION.key }).resolves({
      Body: s3Body(JSON.stringify(REPORT)),
    });

    const report = await store().load({ key: LOCATION.key });

    expect(report).toEqual(REPORT);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.VersionId)).toEqual([undefined]);
  });

  it('reads back the report that save wrote, at exactly the version it was given', async () => {
    objectHolding(JSON.stringify(REPORT));

    const report = await store().loadVersion(PINNED);

    expect(report).toEqual(REPORT);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: BUCKET,
      Key: PINNED.key,
      VersionId: PINNED.versionId,
    });
  });

  it('never reads whatever was written to the key since: the latest version is not asked for', async () => {
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: LOCATION.key }).resolves({
      Body: s3Body(JSON.stringify({ ...REPORT, thresholdDays: 1 })),
    });
    objectHolding(JSON.stringify(REPORT));

    const report = await store().loadVersion(PINNED);

    expect(report.thresholdDays).toBe(REPORT.thresholdDays);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.VersionId)).toEqual([
      PINNED.versionId,
    ]);
  });

  it('reads only from its own bucket, whatever bucket a location names', async () => {
    objectHolding(JSON.stringify(REPORT));

    const report = await store().loadVersion(PINNED);

    expect(report.accountId).toBe(ACCOUNT_ID);
    expect(s3).not.toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'other-bucket' });
  });

  it('rejects an object that is not JSON, saying which object', async () => {
    objectHolding('user_name,arn,status\nren,arn:aws:iam::123456789012:user/ren,stale\n');

    const error = await rejectionOf(store().loadVersion(PINNED));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(`report s3://${BUCKET}/${LOCATION.key} is not JSON`);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['a later schemaVersion', { ...REPORT, schemaVersion: 2 }, '2'],
    ['no schemaVersion', { users: [] }, 'none'],
  ])('rejects %s, saying which version it found', async (_what, content, found) => {
    objectHolding(JSON.stringify(content));

    const error = await rejectionOf(store().loadVersion(PINNED));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(
      `report s3://${BUCKET}/${LOCATION.key} has schemaVersion ${found}, expected 1`,
    );
  });

  it('rejects a schemaVersion written as a string', async () => {
    objectHolding(JSON.stringify({ ...REPORT, schemaVersion: '1' }));

    const error = await rejectionOf(store().loadVersion(PINNED));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain(`report s3://${BUCKET}/${LOCATION.key} has schemaVersion`);
  });

  it('rejects JSON null instead of failing with a TypeError', async () => {
    objectHolding('null');

    await expect(store().loadVersion(PINNED)).rejects.toThrow(InvalidInputError);
  });

  it('rejects a schemaVersion 1 object without a users list, saying that the users are missing', async () => {
    const withoutUsers: Partial<ScanReport> = { ...REPORT };
    delete withoutUsers.users;
    objectHolding(JSON.stringify(withoutUsers));

    const error = await rejectionOf(store().loadVersion(PINNED));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain(`s3://${BUCKET}/${LOCATION.key}`);
    expect(error.message).toMatch(/users/);
    expect(error.message).not.toContain('has schemaVersion 1, expected 1');
  });

  it('turns a denied GetObject into an AwsReadError naming the object', async () => {
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));

    const error = await rejectionOf(store().loadVersion(PINNED));

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe(
      `reading report s3://${BUCKET}/${LOCATION.key} version ${PINNED.versionId} failed: AccessDenied: Access Denied`,
    );
  });

  it('turns a missing object into an AwsReadError naming the object', async () => {
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 'The specified key does not exist.'));

    const error = await rejectionOf(store().loadVersion(PINNED));

    expect(error).toBeInstanceOf(AwsReadError);
    expect(error.message).toBe(
      `reading report s3://${BUCKET}/${LOCATION.key} version ${PINNED.versionId} failed: NoSuchKey: The specified key does not exist.`,
    );
  });
});
