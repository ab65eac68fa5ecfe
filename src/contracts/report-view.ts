import { z } from 'zod';
import { summarize } from '../domain/report/scan-report';
import {
  ACCOUNT_SCAN_STATUSES,
  type AccountEntry,
  type ReportView,
  type ViewUser,
} from '../domain/visual-report/report-view';
import { InvalidInputError } from '../lib/errors';
import { parseStoredReport, summarySchema, userSchema } from './stored-report';

/**
 * The report the visual report shows, validated whole, in either shape:
 * - a single-account report: exactly what parseStoredReport accepts;
 * - an organisation report: the same fields, plus `accountId` on every user and an `accounts`
 *   array ({ accountId, name, status, error?, summary? }). Every user belongs to a listed account,
 *   no user appears twice in one account, the summary agrees with the users, and the report is
 *   partial when a user could not be evaluated or an account was not scanned completely.
 */

const accountId = z.string().regex(/^\d{12}$/);
const organisationParts = z.object({
  accounts: z.array(
    z
      .object({
        accountId,
        name: z.string().max(256),
        status: z.enum(ACCOUNT_SCAN_STATUSES),
        error: z.string().optional(),
        summary: summarySchema.optional(),
      })
      .strict(),
  ),
  users: z.array(userSchema.extend({ accountId })),
  summary: summarySchema,
  partial: z.boolean(),
});

export function parseReportView(json: unknown, where: string): ReportView {
  if (json === null || typeof json !== 'object' || !('accounts' in json))
    return parseStoredReport(json, where);

  // Every field but the organisation's own, checked by the one report validator (without users).
  const header: Record<string, unknown> = { ...json, users: [], summary: summarize([]), partial: false };
  delete header.accounts;
  const checkedHeader = parseStoredReport(header, where);
  const parsed = organisationParts.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : 'the report';
    throw new InvalidInputError(`organisation report ${where} is not valid: ${path}: ${issue?.message}`);
  }
  const accounts = parsed.data.accounts as AccountEntry[];
  const users = parsed.data.users as ViewUser[];
  const problem = inconsistency(accounts, users, parsed.data.summary, parsed.data.partial);
  if (problem) throw new InvalidInputError(`organisation report ${where} is not consistent: ${problem}`);
  return { ...checkedHeader, users, accounts, summary: parsed.data.summary, partial: parsed.data.partial };
}

function inconsistency(
  accounts: readonly AccountEntry[],
  users: readonly ViewUser[],
  stated: z.infer<typeof summarySchema>,
  partial: boolean,
): string | null {
  const ids = new Set<string>();
  for (const a of accounts) {
    if (ids.has(a.accountId)) return `account ${a.accountId} is listed twice`;
    ids.add(a.accountId);
  }
  const names = new Set<string>();
  for (const u of users) {
    if (!ids.has(u.accountId ?? ''))
      return `user ${u.userName} belongs to account ${u.accountId}, which is not listed`;
    const key = `${u.accountId}/${u.userName.toLowerCase()}`;
    if (names.has(key)) return `user ${u.userName} is listed twice in account ${u.accountId}`;
    names.add(key);
  }
  const counted = summarize(users);
  for (const [field, value] of Object.entries(counted)) {
    const given = stated[field as keyof typeof counted];
    if (given !== value) return `summary.${field} is ${given}, but the users listed give ${value}`;
  }
  const incomplete = counted.errors > 0 || accounts.some((a) => a.status !== 'complete');
  if (partial !== incomplete) {
    return `partial is ${partial}, but ${counted.errors} user(s) could not be evaluated and ${
      accounts.filter((a) => a.status !== 'complete').length
    } account(s) were not scanned completely`;
  }
  return null;
}
