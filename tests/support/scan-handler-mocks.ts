import { IAMClient } from '@aws-sdk/client-iam';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clearCache } from '@middy/util';
import { mockClient } from 'aws-sdk-client-mock';
import { createScanHandler } from '../../src/functions/scan/handler';
import { logger } from '../../src/lib/logger';
import { defaultSettingsEnvironment } from './function-environment';

export const THRESHOLD_PARAMETER = '/stale-iam/test/threshold-days';

/**
 * The scan handler's AWS clients, mocked for the calling test file: reset before each test, with
 * the threshold parameter at 90 days and an S3 that accepts every report (the test then arranges
 * IAM), and restored after the file.
 */
export function useScanHandlerMocks() {
  const iam = mockClient(IAMClient);
  const ssm = mockClient(SSMClient);
  const s3 = mockClient(S3Client);
  beforeAll(() => logger.setLogLevel('SILENT'));
  beforeEach(() => {
    iam.reset();
    ssm.reset();
    s3.reset();
    clearCache();
    ssm.on(GetParametersCommand).resolves({
      Parameters: [{ Name: THRESHOLD_PARAMETER, Type: 'String', Value: '90' }],
      InvalidParameters: [],
    });
    s3.on(PutObjectCommand).resolves({ ETag: '"etag"' });
  });
  afterAll(() => {
    iam.restore();
    ssm.restore();
    s3.restore();
  });
  return { iam, ssm, s3 };
}

/**
 * The scan handler on the mocked clients, with the default settings, the threshold parameter and a
 * report bucket, and `env` over them.
 */
export function scanHandlerOnMocks(now: Date, env: Record<string, string> = {}) {
  return createScanHandler({
    iam: new IAMClient({}),
    s3: new S3Client({}),
    clock: () => now,
    env: {
      ...defaultSettingsEnvironment('scan'),
      THRESHOLD_DAYS_PARAMETER: THRESHOLD_PARAMETER,
      REPORT_BUCKET: 'reports',
      ...env,
    },
  });
}
