import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { ScanReport } from '../../src/domain/report/scan-report';

/** The JSON report a handler wrote through the mocked S3 client; fails the test when there is none. */
export function storedJsonReport(s3: AwsClientStub<S3Client>): ScanReport {
  const json = s3
    .commandCalls(PutObjectCommand)
    .map((call) => call.args[0].input)
    .find((input) => input.Key?.endsWith('.json'));
  if (typeof json?.Body !== 'string') throw new Error('no JSON report was written');
  return JSON.parse(json.Body) as ScanReport;
}
