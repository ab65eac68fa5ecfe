import { z } from 'zod';
import { CREDENTIAL_SCOPES, USER_STATUSES } from '../domain/verdict/evaluate';
import {
  REPORT_SCHEMA_VERSION,
  REPORT_SOURCES,
  summarize,
  type ScanReport,
} from '../domain/report/scan-report';
import { InvalidInputError } from '../lib/errors';
import { parseIsoInstant } from '../lib/iso-instant';
import { SETTINGS } from '../settings/table';

/**
 * A stored scan report, validated whole before anything acts on it: every field the email, the
 * plan or the re-check uses is well-formed, every instant parses (and comes back as a Date), the
 * summary and the `partial` flag agree with the users listed, and no user appears twice. A report
 * in S3 crosses a boundary: anyone who can write there can write something else than our scan did.
 */

/** An ISO-8601 instant, as a Date (shared with the parsers of the other stored objects). */
export const instant = z.string().transform((text, ctx) => {
  const date = parseIsoInstant(text);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: `not an ISO-8601 instant: ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return date;
});

export const count = z.number().int().nonnegative();
const threshold = SETTINGS.thresholdDays.range ?? { min: 1, max: 1 };
/** A report's threshold in days: the range the thresholdDays setting allows. */
export const thresholdDays = z.number().int().min(threshold.min).max(threshold.max);

/** A report's counts (ReportSummary); also what a history entry keeps of its run. */
export const summarySchema = z
  .object({
    users: count,
    stale: count,
    active: count,
    noCredentials: count,
    exempt: count,
    errors: count,
    activeWithStaleCredentials: count,
  })
  .strict();

/** What every credential carries, whatever its type. */
const judged = {
  lastUsedAt: instant.nullable(),
  referenceAt: instant,
  basis: z.enum(['last-used', 'created']),
  idleDays: count,
  stale: z.boolean(),
};

const credential = z.discriminatedUnion('type', [
  z.object({ type: z.literal('password'), ...judged }).strict(),
  z
    .object({
      type: z.literal('access-key'),
      accessKeyId: z
        .string()
        .regex(/^[A-Z0-9]{16,128}$/)
        .nullable(),
      slot: z.union([z.literal(1), z.literal(2)]),
      active: z.boolean(),
      createdAt: instant.optional(),
      ...judged,
    })
    .strict(),
]);

export const userSchema = z
  .object({
    userName: z.string().min(1).max(64),
    arn: z.string(),
    createdAt: instant.nullable(),
    status: z.enum(USER_STATUSES),
    lastActivityAt: instant.nullable(),
    idleDays: count.nullable(),
    credentials: z.array(credential),
    error: z.string().optional(),
    exemptReason: z.string().optional(),
  })
  .strict();

const report = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    generatedAt: instant,
    evaluatedAt: instant,
    thresholdDays,
    credentialScope: z.enum(CREDENTIAL_SCOPES),
    source: z.enum(REPORT_SOURCES),
    accountId: z
      .string()
      .regex(/^\d{12}$/)
      .nullable(),
    credentialReportGeneratedAt: instant.nullable(),
    partial: z.boolean(),
    summary: summarySchema,
    users: z.array(userSchema),
    deletedDuringScan: z.array(z.string()),
  })
  .strict();

/**
 * The report stored at `where` (for messages), validated and with its instants as Dates; throws
 * InvalidInputError naming the first problem and where it is.
 */
export function parseStoredReport(json: unknown, where: string): ScanReport {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new InvalidInputError(
      `report ${where} has schemaVersion ${JSON.stringify(version) ?? 'none'}, expected ${REPORT_SCHEMA_VERSION}`,
    );
  }
  const parsed = report.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'the report';
    throw new InvalidInputError(
      `report ${where} is not a valid schemaVersion 1 report: ${path}: ${issue?.message}`,
    );
  }
  const stored = parsed.data as ScanReport;
  const problem = inconsistency(stored);
  if (problem) throw new InvalidInputError(`report ${where} is not consistent: ${problem}`);
  return stored;
}

/** What a report says of itself that its users contradict, or null. */
function inconsistency(stored: ScanReport): string | null {
  const names = new Set<string>();
  for (const u of stored.users) {
    const key = u.userName.toLowerCase();
    if (names.has(key)) return `user ${u.userName} is listed twice`;
    names.add(key);
  }
  const counted = summarize(stored.users);
  for (const [field, value] of Object.entries(counted)) {
    const stated = stored.summary[field as keyof typeof counted];
    if (stated !== value) return `summary.${field} is ${stated}, but the users listed give ${value}`;
  }
  if (stored.partial !== counted.errors > 0) {
    return `partial is ${stored.partial}, but ${counted.errors} user(s) could not be evaluated`;
  }
  return null;
}
