import { SECURITY_HUB_DEFAULT_PRODUCT } from '../../../serverless/names';
import { productArnOf } from '../../../src/domain/findings/asff';
import { planFindings, staleCredentialFindings } from '../../../src/domain/findings/plan';
import { asffProblems, batchImportProblems, requiredFindingMembers } from '../../support/asff-model';
import {
  ACCOUNT_ID,
  LOCATION,
  accessKey,
  activeUser,
  buildReport,
  longUserName,
  password,
  staleUser,
} from '../../support/report-builder';

/** Checked against the Security Hub model the SDK ships (tests/support/asff-model.ts). */

const identity = { accountId: ACCOUNT_ID, region: 'ap-northeast-1', partition: 'aws' };
const now = new Date('2026-11-28T00:10:00.000Z');

const REPORT = buildReport([
  staleUser('console-only', password(120, { never: true })),
  staleUser(
    longUserName(7),
    password(400),
    accessKey(1, 200, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }),
    accessKey(2, 90, { never: true }),
  ),
  { ...staleUser('deep', accessKey(1, 365)), arn: `arn:aws:iam::${ACCOUNT_ID}:user/a/b/c/deep` },
  activeUser('fresh', password(1)),
]);

describe('the findings we import, held against the SDK model of BatchImportFindings', () => {
  it('are what the model requires of a finding: the required members, and ours among them', () => {
    expect(requiredFindingMembers()).toEqual([
      'SchemaVersion',
      'Id',
      'ProductArn',
      'GeneratorId',
      'AwsAccountId',
      'CreatedAt',
      'UpdatedAt',
      'Title',
      'Description',
      'Resources',
    ]);
  });

  it('build stale findings with no member the model lacks, refuses, or finds too long', () => {
    const findings = staleCredentialFindings(REPORT, { identity, now, location: LOCATION });

    expect(findings).toHaveLength(5);
    for (const finding of findings) expect(asffProblems(finding)).toEqual([]);
    expect(batchImportProblems({ Findings: findings })).toEqual([]);
  });

  it('build resolutions the model accepts as well', () => {
    const active = staleCredentialFindings(REPORT, { identity, now, location: LOCATION });

    const { resolved } = planFindings(buildReport([]), active, { identity, now });

    expect(resolved).toHaveLength(5);
    for (const { finding } of resolved) expect(asffProblems(finding)).toEqual([]);
  });

  it('keeps Title, Description and the recommendation within the model whatever the names', () => {
    const key = `AKIA${'X'.repeat(124)}`;
    const report = buildReport([staleUser(longUserName(1), accessKey(1, 3650, { accessKeyId: key }))]);

    const [finding] = staleCredentialFindings(report, { identity, now, location: LOCATION });

    expect(asffProblems(finding)).toEqual([]);
    expect(finding?.Title.length).toBeLessThanOrEqual(256);
  });

  it('is a model that refuses what Security Hub refuses: the check can fail', () => {
    const [finding] = staleCredentialFindings(REPORT, { identity, now });
    const withoutTitle: Record<string, unknown> = { ...finding };
    delete withoutTitle.Title;

    expect(asffProblems(withoutTitle)).toEqual(['finding.Title: required by the model, missing']);
    expect(asffProblems({ ...finding, Severity: { Label: 'URGENT', Original: 'x' } })).toEqual([
      'finding.Severity.Label: "URGENT" is not one of SeverityLabel (CRITICAL, HIGH, INFORMATIONAL, LOW, MEDIUM)',
    ]);
    expect(asffProblems({ ...finding, CreatedAt: '2026-11-28 00:10' })).toEqual([
      'finding.CreatedAt: "2026-11-28 00:10" is not a timestamp',
    ]);
    expect(asffProblems({ ...finding, ProductFields: { 'stale-iam/IdleDays': 120 } })).toEqual([
      'finding.ProductFields.stale-iam/IdleDays: expected a string, got 120',
    ]);
    expect(batchImportProblems({ Findings: Array.from({ length: 101 }, () => finding) })).toEqual([
      "request.Findings: 101 items, the model's maximum is 100",
    ]);
  });

  it('imports into the product the template lets the findings role import into', () => {
    const templateArn = SECURITY_HUB_DEFAULT_PRODUCT['Fn::Sub']
      .replace('${AWS::Partition}', 'aws')
      .replace('${AWS::Region}', 'ap-northeast-1')
      .replaceAll('${AWS::AccountId}', ACCOUNT_ID);

    expect(productArnOf(identity)).toBe(templateArn);
    expect(templateArn).toBe(
      `arn:aws:securityhub:ap-northeast-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`,
    );
  });
});
