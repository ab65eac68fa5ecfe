import path from 'node:path';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { ScanReportJson } from '../../src/domain/report/scan-report';
import { asffProblems, batchImportProblems } from '../support/asff-model';
import { PROJECT_ROOT, runCliBinary, runCliInProcess } from '../support/run-cli';

/**
 * `stale-iam scan --format asff`: what `aws securityhub batch-import-findings --findings file://...`
 * is given, checked against the model the SDK ships (tests/support/asff-model.ts).
 */

const SAMPLE = path.join(PROJECT_ROOT, 'examples', 'credential-report.csv');
const NOW = new Date('2026-11-28T00:00:00Z');

async function asff(args: string[] = []): Promise<AwsSecurityFinding[]> {
  const run = await runCliInProcess(['scan', '--credential-report', SAMPLE, '--format', 'asff', ...args], {
    now: NOW,
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as AwsSecurityFinding[];
}

describe('stale-iam scan --format asff', () => {
  it('prints one finding per stale credential of the sample report, each with its own id', async () => {
    const json = await runCliInProcess(['scan', '--credential-report', SAMPLE, '--format', 'json'], {
      now: NOW,
    });
    const report = JSON.parse(json.stdout) as ScanReportJson;
    const staleCredentials = report.users
      .filter((u) => u.status !== 'exempt' && u.status !== 'error')
      .flatMap((u) =>
        u.credentials.filter((c) => c.stale).map((c) => `${u.userName}/${c.type}/${c.slot ?? ''}`),
      );

    const findings = await asff();

    expect(staleCredentials.length).toBeGreaterThan(1);
    expect(findings).toHaveLength(staleCredentials.length);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });

  it('prints findings that pass the ASFF requirements of the SDK model, as a request batch-import-findings accepts', async () => {
    const findings = await asff();

    for (const finding of findings) expect(asffProblems(finding)).toEqual([]);
    for (let i = 0; i < findings.length; i += 100) {
      expect(batchImportProblems({ Findings: findings.slice(i, i + 100) })).toEqual([]);
    }
  });

  it('names the account of the report and the Region of the SDK settings in every ProductArn', async () => {
    const findings = await asff();

    for (const finding of findings) {
      expect(finding.ProductArn).toBe(
        'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
      );
      expect(finding.AwsAccountId).toBe('123456789012');
      expect(finding.CreatedAt).toBe(NOW.toISOString());
    }
  });

  it('takes the Region from AWS_REGION when run as a command', async () => {
    const run = await runCliBinary(['scan', '--credential-report', SAMPLE, '--format', 'asff'], {
      AWS_REGION: 'ap-northeast-1',
      AWS_CONFIG_FILE: '/nonexistent/stale-iam-test-config',
    });

    expect(run.code).toBe(0);
    const findings = JSON.parse(run.stdout) as AwsSecurityFinding[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]?.ProductArn).toBe(
      'arn:aws:securityhub:ap-northeast-1:123456789012:product/123456789012/default',
    );
  });

  it('refuses to guess a Region for a credential report file: exit 2 before reading it, nothing printed', async () => {
    const run = await runCliBinary(
      ['scan', '--credential-report', '/nonexistent/report.csv', '--format', 'asff'],
      {
        AWS_CONFIG_FILE: '/nonexistent/stale-iam-test-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/stale-iam-test-credentials',
      },
    );

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'stale-iam: --format asff needs the Region of the Security Hub the findings go to: set AWS_REGION, e.g. AWS_REGION=us-east-1\n',
    );
  });

  it('prints an empty array when nothing is stale', async () => {
    const findings = await asff(['--days', '3650']);

    expect(findings).toEqual([]);
  });
});
