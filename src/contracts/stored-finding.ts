import { z } from 'zod';
import { ASFF_LIMITS, ASFF_PARTITIONS, ASFF_SCHEMA_VERSION, type AsffFinding } from '../domain/findings/asff';
import { parseIsoInstant } from '../lib/iso-instant';

/**
 * A finding read back from Security Hub (GetFindings) that we may send again: to update it, keeping
 * its CreatedAt, or to resolve it. It crossed a boundary (anyone allowed to import into the
 * account's default product can write one), so it is read as exactly the shape stale-iam writes,
 * within ASFF's limits; members Security Hub adds (Region, Workflow, ProcessedAt, ...) are dropped,
 * and anything else makes it unreadable: such a finding is left as it is.
 */

const text = (max: number) => z.string().min(1).max(max).regex(/\S/);
const instant = z.string().refine((value) => parseIsoInstant(value) !== null, 'not an ISO-8601 instant');
const severity = z.object({
  Label: z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  Original: text(64),
});
const types = z.array(text(256)).min(1).max(ASFF_LIMITS.types);

const resource = z.object({
  Type: z.enum(['AwsIamUser', 'AwsIamAccessKey']),
  Id: text(2048),
  Partition: z.enum(ASFF_PARTITIONS).optional(),
  Region: text(16).optional(),
  Details: z
    .object({
      AwsIamUser: z
        .object({ UserName: text(64), Path: text(512).optional(), CreateDate: instant.optional() })
        .optional(),
      AwsIamAccessKey: z
        .object({
          AccessKeyId: text(128).optional(),
          PrincipalName: text(64),
          PrincipalType: z.literal('IAMUser'),
          Status: z.enum(['Active', 'Inactive']),
          CreatedAt: instant.optional(),
          AccountId: z.string().regex(/^\d{12}$/),
        })
        .optional(),
    })
    .optional(),
});

const storedFinding = z.object({
  SchemaVersion: z.literal(ASFF_SCHEMA_VERSION),
  Id: text(ASFF_LIMITS.id),
  ProductArn: text(2048),
  GeneratorId: text(512),
  AwsAccountId: z.string().regex(/^\d{12}$/),
  ProductName: text(128),
  CompanyName: text(128),
  Types: types,
  CreatedAt: instant,
  UpdatedAt: instant,
  Severity: severity,
  FindingProviderFields: z.object({ Severity: severity, Types: types }),
  Title: text(ASFF_LIMITS.title),
  Description: text(ASFF_LIMITS.description),
  Remediation: z.object({
    Recommendation: z.object({ Text: text(ASFF_LIMITS.recommendationText), Url: text(2048) }),
  }),
  ProductFields: z
    .record(text(ASFF_LIMITS.productFieldKey), text(ASFF_LIMITS.productFieldValue))
    // Security Hub adds its own `aws/securityhub/...` keys; they are not ours to send back.
    .transform((fields) =>
      Object.fromEntries(Object.entries(fields).filter(([key]) => !key.startsWith('aws/'))),
    )
    .refine((fields) => Object.keys(fields).length <= ASFF_LIMITS.productFields, 'too many ProductFields'),
  Resources: z.array(resource).min(1).max(ASFF_LIMITS.resources),
  Compliance: z.object({ Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']) }),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']),
}) satisfies z.ZodType<AsffFinding>;

/** The finding as stale-iam's own shape, or the first reason it is not. */
export function parseStoredFinding(json: unknown): { finding: AsffFinding } | { problem: string } {
  const parsed = storedFinding.safeParse(json);
  if (parsed.success) return { finding: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue?.path.join('.') || 'the finding'}: ${issue?.message ?? 'invalid'}` };
}
