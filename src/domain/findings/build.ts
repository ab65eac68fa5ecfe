import type { ReportLocation } from '../../contracts/report-location';
import { fitLength } from '../../lib/fit-length';
import type { CredentialEntry, ScanReport, UserEntry } from '../report/scan-report';
import {
  ASFF_LIMITS,
  ASFF_PARTITIONS,
  ASFF_SCHEMA_VERSION,
  COMPANY_NAME,
  GENERATOR_ID,
  PRODUCT_NAME,
  partitionOfArn,
  productArnOf,
  type AsffFinding,
  type AsffPartition,
  type AsffResource,
  type AsffSeverity,
  type FindingsIdentity,
} from './asff';
import { findingId } from './finding-id';

/**
 * One FAILED, ACTIVE finding for one stale credential: the pure translation of a report line into
 * ASFF. Severity MEDIUM, as Security Hub's own controls for unused IAM credentials (IAM.8, IAM.22)
 * rate them, so ours sort beside them; docs/security-hub.md says why.
 */

export const STALE_SEVERITY: AsffSeverity = { Label: 'MEDIUM', Original: 'MEDIUM' };
export const FINDING_TYPES = ['Software and Configuration Checks/AWS Security Best Practices'];
/** IAM User Guide, "Find unused AWS credentials". */
export const REMEDIATION_URL =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html';

/** Our keys in ProductFields, all under `stale-iam/`; Security Hub adds its own under `aws/`. */
export const PRODUCT_FIELD = {
  credential: 'stale-iam/Credential',
  userName: 'stale-iam/UserName',
  accessKeyId: 'stale-iam/AccessKeyId',
  accessKeySlot: 'stale-iam/AccessKeySlot',
  idleDays: 'stale-iam/IdleDays',
  lastActivity: 'stale-iam/LastActivity',
  lastActivityBasis: 'stale-iam/LastActivityBasis',
  lastUsedAt: 'stale-iam/LastUsedAt',
  thresholdDays: 'stale-iam/ThresholdDays',
  evaluatedAt: 'stale-iam/EvaluatedAt',
  source: 'stale-iam/Source',
  report: 'stale-iam/Report',
  resolution: 'stale-iam/Resolution',
  resolvedAt: 'stale-iam/ResolvedAt',
} as const;

export interface BuildContext {
  readonly identity: FindingsIdentity;
  /** When this import happens: UpdatedAt, and CreatedAt of a credential found stale for the first time. */
  readonly now: Date;
  /** Where the report is stored, for people who want the whole picture; the CLI has none. */
  readonly location?: ReportLocation;
}

/** The finding of a stale credential; `createdAt` is the existing finding's, or none for a new one. */
export function staleCredentialFinding(
  report: ScanReport,
  user: UserEntry,
  credential: CredentialEntry,
  context: BuildContext,
  createdAt?: string,
): AsffFinding {
  const { identity, now } = context;
  const id = findingId(identity.accountId, user.userName, credential, user.credentials);
  const what = describeCredential(user, credential);
  const days = report.thresholdDays;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: id,
    ProductArn: productArnOf(identity),
    GeneratorId: GENERATOR_ID,
    AwsAccountId: identity.accountId,
    ProductName: PRODUCT_NAME,
    CompanyName: COMPANY_NAME,
    Types: [...FINDING_TYPES],
    CreatedAt: createdAt ?? now.toISOString(),
    UpdatedAt: now.toISOString(),
    Severity: { ...STALE_SEVERITY },
    FindingProviderFields: { Severity: { ...STALE_SEVERITY }, Types: [...FINDING_TYPES] },
    // Stable from run to run: the idle days change daily and live in the description and ProductFields.
    Title: fitLength(
      `IAM user ${user.userName} has ${what.titled} unused for more than ${days} days`,
      ASFF_LIMITS.title,
    ),
    Description: fitLength(description(report, user, credential, what.named), ASFF_LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: fitLength(recommendation(user, credential), ASFF_LIMITS.recommendationText),
        Url: REMEDIATION_URL,
      },
    },
    ProductFields: productFields(report, user, credential, context.location),
    Resources: resources(user, credential, identity),
    Compliance: { Status: 'FAILED' },
    RecordState: 'ACTIVE',
  };
}

function describeCredential(user: UserEntry, credential: CredentialEntry): { titled: string; named: string } {
  if (credential.type === 'password') {
    return { titled: 'a console password', named: `The console password of IAM user ${user.userName}` };
  }
  const key = credential.accessKeyId ?? `in slot ${credential.slot ?? '?'}`;
  return {
    titled: `access key ${key}`,
    named: `Active access key ${key} of IAM user ${user.userName}`,
  };
}

function description(
  report: ScanReport,
  user: UserEntry,
  credential: CredentialEntry,
  named: string,
): string {
  const since =
    credential.basis === 'last-used'
      ? `last used ${day(credential.referenceAt)}`
      : `never used since it was ${credential.type === 'password' ? 'set' : 'created'} ${day(credential.referenceAt)}`;
  return (
    `${named} (${user.arn}) has not been used for ${credential.idleDays} days (${since}). ` +
    `stale-iam flags credentials unused for more than ${report.thresholdDays} days ` +
    `(evaluated ${report.evaluatedAt.toISOString()} from the ${report.source} source). ` +
    'An unused credential is a way into the account that nobody watches: remove it, or have its owner use it.'
  );
}

function recommendation(user: UserEntry, credential: CredentialEntry): string {
  const name = user.userName;
  if (credential.type === 'password') {
    return (
      `If ${name} no longer needs the console, delete the login profile: ` +
      `aws iam delete-login-profile --user-name ${name}. To keep it, have ${name} sign in, ` +
      'or exempt the user in stale-iam (exemptUserNames, or the tag stale-iam:exempt=true).'
    );
  }
  const keyId = credential.accessKeyId;
  const find = keyId
    ? ''
    : `Find the key created ${credential.createdAt ? day(credential.createdAt) : 'in that slot'} with ` +
      `aws iam list-access-keys --user-name ${name}. `;
  const id = keyId ?? '<key id>';
  return (
    `${find}Deactivate it: aws iam update-access-key --user-name ${name} --access-key-id ${id} ` +
    `--status Inactive; once nothing breaks, delete it: aws iam delete-access-key --user-name ${name} ` +
    `--access-key-id ${id}.`
  );
}

function productFields(
  report: ScanReport,
  user: UserEntry,
  credential: CredentialEntry,
  location: ReportLocation | undefined,
): Record<string, string> {
  const fields: Record<string, string> = {
    [PRODUCT_FIELD.credential]: credential.type,
    [PRODUCT_FIELD.userName]: user.userName,
    [PRODUCT_FIELD.idleDays]: String(credential.idleDays),
    [PRODUCT_FIELD.lastActivity]: credential.referenceAt.toISOString(),
    [PRODUCT_FIELD.lastActivityBasis]: credential.basis,
    [PRODUCT_FIELD.lastUsedAt]: credential.lastUsedAt ? credential.lastUsedAt.toISOString() : 'never',
    [PRODUCT_FIELD.thresholdDays]: String(report.thresholdDays),
    [PRODUCT_FIELD.evaluatedAt]: report.evaluatedAt.toISOString(),
    [PRODUCT_FIELD.source]: report.source,
  };
  if (credential.type === 'access-key') {
    if (credential.accessKeyId) fields[PRODUCT_FIELD.accessKeyId] = credential.accessKeyId;
    if (credential.slot) fields[PRODUCT_FIELD.accessKeySlot] = String(credential.slot);
  }
  if (location) {
    fields[PRODUCT_FIELD.report] = fitLength(
      `s3://${location.bucket}/${location.key}`,
      ASFF_LIMITS.productFieldValue,
    );
  }
  return fields;
}

function resources(user: UserEntry, credential: CredentialEntry, identity: FindingsIdentity): AsffResource[] {
  const where = placement(user.arn, identity);
  const iamUser: AsffResource = {
    Type: 'AwsIamUser',
    Id: user.arn,
    ...where,
    Details: {
      AwsIamUser: {
        UserName: user.userName,
        Path: pathOfUserArn(user.arn, user.userName),
        ...(user.createdAt ? { CreateDate: user.createdAt.toISOString() } : {}),
      },
    },
  };
  if (credential.type === 'password') return [iamUser];
  const keyId = credential.accessKeyId;
  const accessKey: AsffResource = {
    Type: 'AwsIamAccessKey',
    // Without the key's id (a credential report), the id of the finding's credential part names it.
    Id: keyId ?? findingId(identity.accountId, user.userName, credential, user.credentials),
    ...where,
    Details: {
      AwsIamAccessKey: {
        ...(keyId ? { AccessKeyId: keyId } : {}),
        PrincipalName: user.userName,
        PrincipalType: 'IAMUser',
        Status: credential.active === false ? 'Inactive' : 'Active',
        ...(credential.createdAt ? { CreatedAt: credential.createdAt.toISOString() } : {}),
        AccountId: identity.accountId,
      },
    },
  };
  return [accessKey, iamUser];
}

/** Partition (when ASFF knows it) and Region: IAM is global, so the Region is the one imported into. */
function placement(arn: string, identity: FindingsIdentity): { Partition?: AsffPartition; Region: string } {
  const partition = partitionOfArn(arn) ?? identity.partition;
  const known = ASFF_PARTITIONS.find((p) => p === partition);
  return { ...(known ? { Partition: known } : {}), Region: identity.region };
}

/** `arn:aws:iam::1:user/team/a/alice` -> `/team/a/`. */
function pathOfUserArn(arn: string, userName: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const path = resource.startsWith('user/') ? resource.slice('user'.length, -userName.length) : '/';
  return path.startsWith('/') && path.endsWith('/') ? path : '/';
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
