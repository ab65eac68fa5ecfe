import { BUCKET_WRITERS } from '../../serverless/names';
import { BUCKET_PREFIXES } from '../../src/settings/bucket-layout';
import { packagedForTests } from './support/package-service';
import { properties, type CfnTemplate } from './support/template';
import {
  ACCOUNT,
  BUCKET_ARN,
  applies,
  roleArn,
  type Request,
  type Statement,
} from './support/iam-evaluation';

/**
 * The report bucket's integrity: versioned, so the disable step reads exactly the version the scan
 * wrote; a bucket policy that lets only the report writers write under reports/ and only the disable
 * role under audit/, deletes nothing, and leaves the deployer the bucket's administration; the
 * audit trail kept longer than the reports; Object Lock on request.
 */

const withRemediation = packagedForTests({ remediation: 'true' });

function bucketPolicy(template: CfnTemplate): Statement[] {
  return properties<{ PolicyDocument: { Statement: Statement[] } }>(template, 'ReportBucketPolicy')
    .PolicyDocument.Statement;
}

/** Whether the bucket policy denies `action` on `key` to `principalArn` (over TLS). */
function denied(template: CfnTemplate, principalArn: string, action: string, key = ''): boolean {
  const request: Request = {
    action,
    resource: key === '' ? BUCKET_ARN : `${BUCKET_ARN}/${key}`,
    context: { 'aws:PrincipalArn': principalArn, 'aws:SecureTransport': 'true' },
  };
  return bucketPolicy(template).some((s) => s.Effect === 'Deny' && applies(s, request));
}

function lifecycleRules(template: CfnTemplate): Array<{ Prefix: string } & Record<string, unknown>> {
  return properties<{
    LifecycleConfiguration: { Rules: Array<{ Prefix: string } & Record<string, unknown>> };
  }>(template, 'ReportBucket').LifecycleConfiguration.Rules;
}

const SCAN_ROLE = roleArn('ScanRole');
const DISABLE_ROLE = roleArn('DisableRole');
const NOTIFY_ROLE = roleArn('NotifyRole');
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const OTHER_ACCOUNT = 'arn:aws:iam::999999999999:role/attacker';
const REPORT_KEY = `reports/${ACCOUNT}/2026/11/28/scan-2026-11-28T000000Z.json`;
const AUDIT_KEY = `audit/${ACCOUNT}/2026/11/28/disable-2026-11-28T000512Z-8f5a3c1e/0001-intent.json`;
const WRITES = ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'];

describe('report integrity: who may write what in the report bucket', () => {
  it('declares the writers of each prefix once: the report writers write reports, the disable steps the audit trail, only the plan step the organisation plans', () => {
    expect(BUCKET_WRITERS).toEqual({
      'reports/': ['scan', 'render', 'scanMember', 'rollup'],
      'reports/organization/': ['rollup', 'render'],
      'audit/': ['disable', 'planRemediation', 'disableMember'],
      'audit/organization/': ['planRemediation'],
    });
  });

  it('lets the render role write under reports/ (its own role limits it to .html pages)', () => {
    expect(denied(withRemediation.template, roleArn('RenderRole'), 's3:PutObject', REPORT_KEY)).toBe(false);
    expect(denied(withRemediation.template, roleArn('RenderRole'), 's3:PutObject', AUDIT_KEY)).toBe(true);
  });

  it.each([
    ['the deployer', DEPLOYER],
    ['the account root', ROOT],
    ['the disable role', DISABLE_ROLE],
    ['the notify role', NOTIFY_ROLE],
    ['a principal of another account', OTHER_ACCOUNT],
  ])('denies %s any overwrite of a report', (_who, principal) => {
    for (const action of WRITES)
      expect(denied(withRemediation.template, principal, action, REPORT_KEY)).toBe(true);
  });

  it('lets the scan role write reports, and nothing under audit/', () => {
    expect(denied(withRemediation.template, SCAN_ROLE, 's3:PutObject', REPORT_KEY)).toBe(false);
    expect(denied(withRemediation.template, SCAN_ROLE, 's3:PutObject', AUDIT_KEY)).toBe(true);
  });

  it.each([
    ['the deployer', DEPLOYER],
    ['the scan role', SCAN_ROLE],
    ['a principal of another account', OTHER_ACCOUNT],
  ])('denies %s any write under audit/', (_who, principal) => {
    for (const action of WRITES)
      expect(denied(withRemediation.template, principal, action, AUDIT_KEY)).toBe(true);
  });

  it('lets the disable role write the audit trail (and, with Object Lock, its retention)', () => {
    expect(denied(withRemediation.template, DISABLE_ROLE, 's3:PutObject', AUDIT_KEY)).toBe(false);
    expect(denied(withRemediation.template, DISABLE_ROLE, 's3:PutObjectRetention', AUDIT_KEY)).toBe(false);
  });

  it.each([
    ['the deployer', DEPLOYER],
    ['the scan role', SCAN_ROLE],
    ['the disable role', DISABLE_ROLE],
  ])('denies %s the deletion of any report or audit object, or of any version of one', (_who, principal) => {
    for (const key of [REPORT_KEY, AUDIT_KEY]) {
      expect(denied(withRemediation.template, principal, 's3:DeleteObject', key)).toBe(true);
      expect(denied(withRemediation.template, principal, 's3:DeleteObjectVersion', key)).toBe(true);
    }
  });

  it('leaves the deployer the bucket administration: its policy, versioning, lifecycle, Object Lock settings', () => {
    for (const action of [
      's3:PutBucketPolicy',
      's3:DeleteBucketPolicy',
      's3:GetBucketPolicy',
      's3:PutBucketVersioning',
      's3:PutLifecycleConfiguration',
      's3:PutBucketObjectLockConfiguration',
      's3:DeleteBucket',
    ]) {
      expect(denied(withRemediation.template, DEPLOYER, action)).toBe(false);
    }
  });

  it('still lets anyone allowed read reports and the audit trail', () => {
    expect(denied(withRemediation.template, DEPLOYER, 's3:GetObject', REPORT_KEY)).toBe(false);
    expect(denied(withRemediation.template, DISABLE_ROLE, 's3:GetObjectVersion', REPORT_KEY)).toBe(false);
    expect(denied(withRemediation.template, DEPLOYER, 's3:GetObject', AUDIT_KEY)).toBe(false);
  });

  it('versions the bucket, so the disable step can read exactly what the scan wrote', () => {
    expect(
      properties<{ VersioningConfiguration: unknown }>(withRemediation.template, 'ReportBucket')
        .VersioningConfiguration,
    ).toEqual({ Status: 'Enabled' });
  });

  it('keeps the audit trail longer than the reports, and old versions a month', () => {
    const rules = lifecycleRules(withRemediation.template);
    const rule = (prefix: string, id: string, days: number) => ({
      Id: id,
      Status: 'Enabled',
      Prefix: prefix,
      ExpirationInDays: days,
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
    expect(rules).toEqual([
      rule('reports/', 'expire-reports', 400),
      rule('runs/', 'expire-runs', 400),
      rule('history/', 'expire-history', 400),
      rule('audit/', 'expire-audit-trail', 1827),
    ]);
  });

  it('expires everything the bucket layout puts in the bucket, each object by exactly one rule', () => {
    const prefixes = lifecycleRules(withRemediation.template).map((r) => r.Prefix);
    for (const where of Object.values(BUCKET_PREFIXES)) {
      // Overlapping rules would let the shorter expiry win over the audit trail's.
      expect(prefixes.filter((p) => where.startsWith(p) || p.startsWith(where))).toHaveLength(1);
    }
  });

  it('turns no Object Lock on unless asked', () => {
    const bucket = properties<Record<string, unknown>>(withRemediation.template, 'ReportBucket');
    expect(bucket.ObjectLockEnabled).toBeUndefined();
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
  });
});

describe('report integrity without the disable step', () => {
  const withoutRemediation = packagedForTests();

  it('closes audit/ to every principal: nothing of this deployment writes there', () => {
    for (const principal of [DEPLOYER, SCAN_ROLE, DISABLE_ROLE]) {
      expect(denied(withoutRemediation.template, principal, 's3:PutObject', AUDIT_KEY)).toBe(true);
    }
    expect(denied(withoutRemediation.template, SCAN_ROLE, 's3:PutObject', REPORT_KEY)).toBe(false);
    expect(denied(withoutRemediation.template, DEPLOYER, 's3:PutObject', REPORT_KEY)).toBe(true);
  });
});

describe('report integrity in organisation mode', () => {
  const organization = packagedForTests({ accountScope: 'organization' });
  const orgReport = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z.json';

  it("lets the member scans write the accounts' reports and only the roll-up the organisation report, and nobody else; audit/ stays closed", () => {
    expect(denied(organization.template, roleArn('ScanMemberRole'), 's3:PutObject', REPORT_KEY)).toBe(false);
    expect(denied(organization.template, roleArn('RollupRole'), 's3:PutObject', orgReport)).toBe(false);
    for (const role of ['ScanMemberRole', 'RollupRole']) {
      expect(denied(organization.template, roleArn(role), 's3:PutObject', AUDIT_KEY)).toBe(true);
    }
    for (const principal of [
      DEPLOYER,
      roleArn('ScanMemberRole'),
      roleArn('DiscoverRole'),
      roleArn('NotifyOrganizationRole'),
    ]) {
      for (const action of WRITES)
        expect(denied(organization.template, principal, action, orgReport)).toBe(true);
    }
  });
});

describe('report integrity in organisation mode with remediation', () => {
  const organization = packagedForTests({ accountScope: 'organization', remediation: 'true' });
  const plan = 'audit/organization/2026/11/28/plan-2026-11-28T000000Z-8f5a3c1e.json';
  const memberTrail = 'audit/111122223333/2026/11/28/disable-2026-11-28T000512Z-8f5a3c1e/0001-intent.json';
  const orgPage = 'reports/organization/2026/11/28/organization-2026-11-28T000000Z.html';

  it("lets only the plan step write the organisation's plans, which each member's disable step is checked against", () => {
    expect(denied(organization.template, roleArn('PlanRemediationRole'), 's3:PutObject', plan)).toBe(false);
    for (const principal of [roleArn('DisableMemberRole'), roleArn('RollupRole'), DEPLOYER]) {
      for (const action of WRITES) expect(denied(organization.template, principal, action, plan)).toBe(true);
    }
  });

  it("lets the members' disable step write their audit trails, and the scan side nothing under audit/", () => {
    expect(denied(organization.template, roleArn('DisableMemberRole'), 's3:PutObject', memberTrail)).toBe(
      false,
    );
    for (const role of ['ScanMemberRole', 'RollupRole', 'NotifyOrganizationRole', 'RenderRole']) {
      expect(denied(organization.template, roleArn(role), 's3:PutObject', memberTrail)).toBe(true);
    }
  });

  it("lets render write the organisation report's page, and no remediation step write a report", () => {
    expect(denied(organization.template, roleArn('RenderRole'), 's3:PutObject', orgPage)).toBe(false);
    for (const role of ['PlanRemediationRole', 'DisableMemberRole']) {
      expect(denied(organization.template, roleArn(role), 's3:PutObject', orgPage)).toBe(true);
    }
  });

  it("denies everyone the deletion of a plan or a member's audit trail", () => {
    for (const principal of [DEPLOYER, roleArn('PlanRemediationRole'), roleArn('DisableMemberRole')]) {
      for (const key of [plan, memberTrail])
        expect(denied(organization.template, principal, 's3:DeleteObjectVersion', key)).toBe(true);
    }
  });
});

describe('with --param auditObjectLock=true auditRetentionDays=2555', () => {
  const locked = packagedForTests({
    remediation: 'true',
    auditObjectLock: 'true',
    auditRetentionDays: '2555',
  });

  it('turns Object Lock on for the bucket with no default retention, so reports stay unlocked', () => {
    const bucket = properties<Record<string, unknown>>(locked.template, 'ReportBucket');
    expect(bucket.ObjectLockEnabled).toBe(true);
    expect(bucket.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
  });

  it('tells the disable function to lock each audit object for the audit retention', () => {
    const variables = properties<{ Environment: { Variables: Record<string, unknown> } }>(
      locked.template,
      'DisableLambdaFunction',
    ).Environment.Variables;
    expect(variables.AUDIT_OBJECT_LOCK).toBe('true');
    expect(variables.AUDIT_RETENTION_DAYS).toBe('2555');
  });
});
