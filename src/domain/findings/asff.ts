/**
 * The part of the AWS Security Finding Format (ASFF) that stale-iam writes, as plain data: member
 * names, nesting and enum values exactly as in the Security Hub API reference (AwsSecurityFinding),
 * so the adapter hands these objects to BatchImportFindings unchanged and the type checker holds
 * them against the SDK's own types. tests/domain/findings/asff-model.test.ts checks the findings we
 * build against the model the SDK ships (required members, member types, enums, lengths).
 */

/** The only ASFF schema version there is. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** The discrete unit of logic that produces every stale-iam finding (both credential kinds). */
export const GENERATOR_ID = 'stale-iam/unused-iam-credential';

/** Shown in the Security Hub console; a custom integration may set both. */
export const PRODUCT_NAME = 'stale-iam';
export const COMPANY_NAME = 'stale-iam';

/** Limits from the API reference (AwsSecurityFinding, Recommendation, BatchImportFindings). */
export const ASFF_LIMITS = {
  id: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  productFieldKey: 128,
  productFieldValue: 2048,
  productFields: 50,
  types: 50,
  resources: 32,
  /** BatchImportFindings: findings per request. */
  findingsPerImport: 100,
} as const;

export type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type ComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';
export type RecordState = 'ACTIVE' | 'ARCHIVED';
/** The partitions ASFF's Resource.Partition accepts. */
export const ASFF_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type AsffPartition = (typeof ASFF_PARTITIONS)[number];

export interface AsffSeverity {
  Label: SeverityLabel;
  Original: string;
}

export interface AsffIamUserDetails {
  UserName: string;
  Path?: string;
  CreateDate?: string;
}

export interface AsffIamAccessKeyDetails {
  /** Absent when the source does not name keys (a credential report has slots only). */
  AccessKeyId?: string;
  PrincipalName: string;
  PrincipalType: 'IAMUser';
  Status: 'Active' | 'Inactive';
  CreatedAt?: string;
  AccountId: string;
}

export interface AsffResource {
  Type: 'AwsIamUser' | 'AwsIamAccessKey';
  Id: string;
  Partition?: AsffPartition;
  Region?: string;
  Details?: {
    AwsIamUser?: AsffIamUserDetails;
    AwsIamAccessKey?: AsffIamAccessKeyDetails;
  };
}

/** One stale-iam finding: every member BatchImportFindings requires, and the optional ones we own. */
export interface AsffFinding {
  SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  ProductName: string;
  CompanyName: string;
  Types: string[];
  /** When the credential was first found stale; kept from the existing finding on every update. */
  CreatedAt: string;
  UpdatedAt: string;
  Severity: AsffSeverity;
  /** Where a finding provider keeps its Severity and Types on updates (the top-level ones belong to the customer once changed). */
  FindingProviderFields: { Severity: AsffSeverity; Types: string[] };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url: string } };
  /** Our own figures: string values only. */
  ProductFields: Record<string, string>;
  Resources: AsffResource[];
  Compliance: { Status: ComplianceStatus };
  RecordState: RecordState;
}

/** Who imports: the account the findings describe (with the default product, always the caller), where. */
export interface FindingsIdentity {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/** `arn:aws:securityhub:<region>:<account>:product/<account>/default`: the account's own custom product. */
export function productArnOf({ partition, region, accountId }: FindingsIdentity): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** `arn:aws-cn:iam::...` -> `aws-cn`; null when it is not an ARN. */
export function partitionOfArn(arn: string): string | null {
  return /^arn:([a-z0-9-]+):/.exec(arn)?.[1] ?? null;
}
