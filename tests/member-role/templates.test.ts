import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { disableRole } from '../../serverless/roles/disable';
import { scanRole } from '../../serverless/roles/scan';
import { namesFor } from '../../serverless/names';
import { MAX_CHAINED_SESSION_SECONDS } from '../../src/adapters/sts/member-role';
import { EXEMPT_TAG_KEY, SCAN_SOURCES, SETTINGS, parseDeployParameters } from '../../src/settings/table';
import { conditionHolds, evaluated, loadTemplate, type Deployment } from '../support/cloudformation-yaml';

/**
 * The member role templates shipped in member-role/, loaded with their CloudFormation tags and
 * evaluated for each choice of parameters: exactly what a stack instance in a member account
 * grants, and whom it trusts.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const READ_ONLY = path.join(ROOT, 'member-role', 'stale-iam-member-role.yml');
const REMEDIATION = path.join(ROOT, 'member-role', 'stale-iam-member-remediation-role.yml');
const MEMBER = '111122223333';
const SCAN_ROLE = 'arn:aws:iam::999988887777:role/stale-iam-prod-ScanMemberRole-1A2B3C4D5E6F';
const REMEDIATION_ROLE = 'arn:aws:iam::999988887777:role/stale-iam-prod-DisableMemberRole-9Z8Y7X';
const ORG = 'o-a1b2c3d4e5';
const USERS = `arn:aws:iam::${MEMBER}:user/*`;

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

interface Role {
  RoleName: string;
  MaxSessionDuration: number;
  AssumeRolePolicyDocument: { Statement: Statement[] };
  Policies: Array<{ PolicyName: string; PolicyDocument: { Statement: Statement[] } }>;
  ManagedPolicyArns?: unknown;
  PermissionsBoundary?: unknown;
}

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function role(file: string, logicalId: string, deployment: Deployment): Role {
  return evaluated(loadTemplate(file), logicalId, deployment) as unknown as Role;
}

/** Each allowed action with the resources it is allowed on (Deny statements left out). */
function grants(r: Role): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const statement of r.Policies.flatMap((p) => p.PolicyDocument.Statement)) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asList(statement.Action)) {
      result[action] = [...(result[action] ?? []), ...asList(statement.Resource)].sort();
    }
  }
  return result;
}

function denies(r: Role): Statement[] {
  return r.Policies.flatMap((p) => p.PolicyDocument.Statement).filter((s) => s.Effect === 'Deny');
}

const scanMember = (parameters: Record<string, string> = {}) =>
  role(READ_ONLY, 'MemberRole', {
    accountId: MEMBER,
    parameters: { ScanRoleArn: SCAN_ROLE, OrganizationId: ORG, ...parameters },
  });

const remediationMember = (parameters: Record<string, string> = {}) =>
  role(REMEDIATION, 'MemberRemediationRole', {
    accountId: MEMBER,
    parameters: { RemediationRoleArn: REMEDIATION_ROLE, OrganizationId: ORG, ...parameters },
  });

/** The IAM actions the central stack's scan role is granted for a source: the member role must match them. */
function centralScanIamActions(scanSource: string): string[] {
  const defaults = new Map(Object.values(SETTINGS).map((s) => [s.param, s.default] as const));
  const settings = parseDeployParameters((param) =>
    param === 'scanSource' ? scanSource : defaults.get(param),
  );
  const central = scanRole({ settings, names: namesFor('test'), stage: 'test' });
  return central.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement)
    .flatMap((s) => s.Action)
    .filter((a) => a.startsWith('iam:'))
    .sort();
}

describe('the member role (read only)', () => {
  it('trusts exactly the stale-iam scan role, by its ARN, and only from inside the organisation', () => {
    expect(scanMember().AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: 'OnlyTheStaleIamScanRole',
        Effect: 'Allow',
        Principal: { AWS: SCAN_ROLE },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      },
    ]);
  });

  it('trusts one more principal, the operator running the CLI, only when OperatorPrincipalArn names one, and with the same conditions', () => {
    const operator =
      'arn:aws:iam::999988887777:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAudit_0123456789abcdef';

    expect(loadTemplate(READ_ONLY).Parameters.OperatorPrincipalArn?.Default).toBe('');
    expect(scanMember().AssumeRolePolicyDocument.Statement.map((s) => s.Principal)).toEqual([
      { AWS: SCAN_ROLE },
    ]);
    expect(scanMember({ OperatorPrincipalArn: operator }).AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Sid: 'OnlyTheStaleIamScanRole', Principal: { AWS: SCAN_ROLE } }),
      {
        Sid: 'TheOperatorRunningTheCli',
        Effect: 'Allow',
        Principal: { AWS: operator },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      },
    ]);
    expect(grants(scanMember({ OperatorPrincipalArn: operator }))).toEqual(grants(scanMember()));
  });

  it('refuses an operator that is not one IAM role or user ARN (a wildcard, an account root)', () => {
    for (const bad of ['*', 'arn:aws:iam::999988887777:root', 'arn:aws:iam::999988887777:role/*']) {
      expect(() => scanMember({ OperatorPrincipalArn: bad })).toThrow('does not allow');
    }
  });

  it('grants the credential report and exemption reads, and GetUser on its users only, with the default source', () => {
    expect(grants(scanMember())).toEqual({
      'iam:GenerateCredentialReport': ['*'],
      'iam:GetCredentialReport': ['*'],
      'iam:GetAccountAuthorizationDetails': ['*'],
      // A user in the report but not in the directory: deleted since, or lost?
      'iam:GetUser': [USERS],
    });
    expect(denies(scanMember())).toEqual([]);
  });

  it("grants the per-user reads, on the account's users only, only when the api source is chosen", () => {
    expect(grants(scanMember({ ScanSource: 'api' }))).toEqual({
      'iam:ListUsers': ['*'],
      'iam:GetAccountAuthorizationDetails': ['*'],
      'iam:GetLoginProfile': [USERS],
      'iam:ListAccessKeys': [USERS],
      'iam:GetAccessKeyLastUsed': [USERS],
      'iam:GetUser': [USERS],
    });
  });

  it.each(SCAN_SOURCES)(
    'grants for source %s the same IAM actions as the scan role of a single-account stack',
    (source) => {
      expect(Object.keys(grants(scanMember({ ScanSource: source }))).sort()).toEqual(
        centralScanIamActions(source),
      );
    },
  );

  it('has no other way to gain permissions: one inline policy, no managed policy', () => {
    const r = scanMember();
    expect(r.Policies.map((p) => p.PolicyName)).toEqual(['stale-iam-scan-read-only']);
    expect(r.ManagedPolicyArns).toBeUndefined();
  });

  it('is named by a parameter that defaults to the memberRoleName default, and lasts at most the chained hour', () => {
    expect(scanMember().RoleName).toBe(SETTINGS.memberRoleName.default);
    expect(scanMember({ RoleName: 'audit-reader' }).RoleName).toBe('audit-reader');
    expect(scanMember().MaxSessionDuration).toBe(MAX_CHAINED_SESSION_SECONDS);
  });

  it('takes only the sources the stack knows, and refuses a role name IAM would refuse', () => {
    expect(loadTemplate(READ_ONLY).Parameters.ScanSource?.AllowedValues).toEqual([...SCAN_SOURCES]);
    expect(() => scanMember({ RoleName: 'has space' })).toThrow('does not allow');
    expect(() => scanMember({ ScanRoleArn: '*' })).toThrow('does not allow');
  });

  it('grants nothing in Security Hub by default (SecurityHub=false)', () => {
    expect(loadTemplate(READ_ONLY).Parameters.SecurityHub?.Default).toBe('false');
    for (const source of SCAN_SOURCES) {
      const actions = Object.keys(grants(scanMember({ ScanSource: source })));
      expect(actions.filter((a) => a.startsWith('securityhub:'))).toEqual([]);
    }
  });

  it("with SecurityHub=true, may read its hub's findings and import into its own default product in the stack instance's Region, and nothing else there", () => {
    const r = role(READ_ONLY, 'MemberRole', {
      accountId: MEMBER,
      region: 'eu-west-1',
      parameters: { ScanRoleArn: SCAN_ROLE, OrganizationId: ORG, SecurityHub: 'true' },
    });
    expect(grants(r)).toEqual({
      'iam:GenerateCredentialReport': ['*'],
      'iam:GetCredentialReport': ['*'],
      'iam:GetAccountAuthorizationDetails': ['*'],
      'iam:GetUser': [USERS],
      'securityhub:GetFindings': [`arn:aws:securityhub:eu-west-1:${MEMBER}:hub/default`],
      'securityhub:BatchImportFindings': [
        `arn:aws:securityhub:eu-west-1:${MEMBER}:product/${MEMBER}/default`,
      ],
    });
    expect(r.AssumeRolePolicyDocument.Statement.map((st) => st.Principal)).toEqual([{ AWS: SCAN_ROLE }]);
  });

  it('cannot change anything in the account', () => {
    for (const source of SCAN_SOURCES) {
      const actions = Object.keys(grants(scanMember({ ScanSource: source })));
      expect(actions.filter((a) => !/^iam:(Get|List|GenerateCredentialReport)/.test(a))).toEqual([]);
    }
  });
});

describe('the member remediation role (opt in, a separate template)', () => {
  it('trusts only the central remediation role, never the scan role', () => {
    const trust = remediationMember().AssumeRolePolicyDocument.Statement;

    expect(trust).toEqual([
      {
        Sid: 'OnlyTheStaleIamRemediationRole',
        Effect: 'Allow',
        Principal: { AWS: REMEDIATION_ROLE },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      },
    ]);
    expect(loadTemplate(REMEDIATION).Parameters).not.toHaveProperty('ScanRoleArn');
  });

  it("may remove passwords and deactivate keys of the account's users, and read them again first, with AccessKeyDeactivation=true", () => {
    expect(grants(remediationMember({ AccessKeyDeactivation: 'true' }))).toEqual({
      'iam:DeleteLoginProfile': [USERS],
      'iam:UpdateAccessKey': [USERS],
      'iam:GetUser': [USERS],
      'iam:GetLoginProfile': [USERS],
      'iam:ListAccessKeys': [USERS],
      'iam:GetAccessKeyLastUsed': [USERS],
      'iam:ListGroupsForUser': [USERS],
      'iam:GetAccountSummary': ['*'],
      'iam:GenerateCredentialReport': ['*'],
      'iam:GetCredentialReport': ['*'],
    });
  });

  it('may not touch an access key unless AccessKeyDeactivation=true: by default it only removes passwords', () => {
    expect(loadTemplate(REMEDIATION).Parameters.AccessKeyDeactivation?.Default).toBe('false');
    expect(grants(remediationMember())).toEqual({
      'iam:DeleteLoginProfile': [USERS],
      'iam:GetUser': [USERS],
      'iam:GetLoginProfile': [USERS],
      'iam:ListGroupsForUser': [USERS],
      'iam:GetAccountSummary': ['*'],
      'iam:GenerateCredentialReport': ['*'],
      'iam:GetCredentialReport': ['*'],
    });
  });

  it("grants the IAM actions the central disable step calls in a member, and no more (the same as the single-account disable role's with every option on)", () => {
    const defaults = new Map(Object.values(SETTINGS).map((s) => [s.param, s.default] as const));
    const options: Record<string, string> = {
      accessKeyDeactivation: 'true',
      exemptGroupNames: '["admins"]',
      remediation: 'true',
    };
    const settings = parseDeployParameters((param) => (param && options[param]) ?? defaults.get(param));
    const central = disableRole({ settings, names: namesFor('test'), stage: 'test' });
    const centralIam = central.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement)
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => s.Action)
      .filter((a) => a.startsWith('iam:'))
      .sort();
    expect(Object.keys(grants(remediationMember({ AccessKeyDeactivation: 'true' }))).sort()).toEqual(
      centralIam,
    );
  });

  it('is named by a parameter that defaults to the memberRemediationRoleName default, never the member role, and lasts at most the chained hour', () => {
    expect(remediationMember().RoleName).toBe(SETTINGS.memberRemediationRoleName.default);
    expect(remediationMember().RoleName).not.toBe(scanMember().RoleName);
    expect(remediationMember().MaxSessionDuration).toBe(MAX_CHAINED_SESSION_SECONDS);
  });

  it(`may never touch a user tagged ${EXEMPT_TAG_KEY}=true`, () => {
    expect(denies(remediationMember())).toEqual([
      {
        Sid: 'NeverTouchTaggedExemptUsers',
        Effect: 'Deny',
        Action: ['iam:DeleteLoginProfile', 'iam:UpdateAccessKey'],
        Resource: USERS,
        Condition: { StringEqualsIgnoreCase: { [`aws:ResourceTag/${EXEMPT_TAG_KEY}`]: 'true' } },
      },
    ]);
  });

  it('refuses an exempt path that is not a whole IAM path, which would make a Deny that protects nobody or too many', () => {
    for (const path of ['breakglass/', '/breakglass', '/ok/,ops']) {
      expect(() => remediationMember({ ExemptPathPrefixes: path })).toThrow('does not allow');
    }
    expect(() => remediationMember({ ExemptPathPrefixes: '/breakglass/,/ops/oncall/' })).not.toThrow();
    expect(() => remediationMember()).not.toThrow();
  });

  it('may never touch users under the exempt paths it is given', () => {
    const template = loadTemplate(REMEDIATION);
    const deployment = {
      accountId: MEMBER,
      parameters: {
        RemediationRoleArn: REMEDIATION_ROLE,
        OrganizationId: ORG,
        ExemptPathPrefixes: '/breakglass/,/ops/oncall/',
      },
    };

    expect(conditionHolds(template, 'HasExemptPaths', deployment)).toBe(true);
    expect(denies(remediationMember({ ExemptPathPrefixes: '/breakglass/,/ops/oncall/' }))[1]).toEqual({
      Sid: 'NeverTouchExemptPaths',
      Effect: 'Deny',
      Action: ['iam:DeleteLoginProfile', 'iam:UpdateAccessKey'],
      Resource: ['arn:*:iam::*:user/breakglass/*', 'arn:*:iam::*:user/ops/oncall/*'],
    });
  });
});

const cfnLint = spawnSync('sh', ['-c', 'command -v cfn-lint'], { encoding: 'utf8' }).stdout.trim();

(cfnLint ? describe : describe.skip)('cfn-lint (run when it is installed)', () => {
  it.each([READ_ONLY, REMEDIATION])('finds nothing wrong in %s', (file) => {
    const run = spawnSync(cfnLint, [file], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });
});
