import { z } from 'zod';
import { SKIP_REASONS, type AccountRef } from '../domain/organization/accounts';
import { REPORT_KEY } from '../domain/report/object-keys';
import type { Jsonified } from '../lib/jsonified';
import { ACCOUNT_ID } from '../settings/parsers';
import { instant, thresholdDays } from './stored-report';

/**
 * What every step of one organisation run shares: the run's name (its execution name, which names
 * its folder under `runs/` and the member sessions), the instant every account is evaluated at
 * (the execution's start) and the threshold read once for the whole run.
 */
export interface OrganizationRun {
  readonly name: string;
  readonly evaluatedAt: Date;
  readonly thresholdDays: number;
}

export type OrganizationRunJson = Jsonified<OrganizationRun>;

/**
 * A Step Functions execution name: 1 to 80 characters without white space, brackets, wildcards,
 * the characters `"#%\^|~`$&,;:/` or control characters (StartExecution's `name`). It is safe in
 * an S3 key.
 */
// eslint-disable-next-line no-control-regex
export const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export const runSchema = z
  .object({
    name: z.string().regex(EXECUTION_NAME, 'not a Step Functions execution name'),
    evaluatedAt: instant,
    thresholdDays,
  })
  .strict();

/** An account as the map's items and results name it. Organizations names are at most 50 characters. */
export const accountRefSchema = z
  .object({
    accountId: z.string().regex(ACCOUNT_ID, 'not a 12-digit account id'),
    name: z.string().max(256),
  })
  .strict();

export const accountListSchema = z.array(accountRefSchema).superRefine((accounts, ctx) => {
  const seen = new Set<string>();
  for (const [index, account] of accounts.entries()) {
    if (seen.has(account.accountId)) {
      ctx.addIssue({
        code: 'custom',
        path: [index],
        message: `account ${account.accountId} is listed twice`,
      });
    }
    seen.add(account.accountId);
  }
});

export const skippedListSchema = z.array(
  accountRefSchema.extend({ reason: z.enum(SKIP_REASONS), state: z.string().nullable() }).strict(),
);

/**
 * A report location of an account, as a step names it: the scan's key shape, the CSV beside it, and
 * the S3 version the scan wrote when the bucket is versioned (ReportLocation).
 */
export const reportLocationSchema = z
  .object({
    bucket: z.string().min(1),
    key: z.string().regex(REPORT_KEY),
    csvKey: z.string(),
    versionId: z.string().min(1).max(1024).optional(),
  })
  .strict()
  .refine((l) => l.csvKey === l.key.replace(/\.json$/, '.csv'), 'csvKey is not the CSV beside key');

export function jsonOfRun(run: OrganizationRun): OrganizationRunJson {
  return { name: run.name, evaluatedAt: run.evaluatedAt.toISOString(), thresholdDays: run.thresholdDays };
}

export type { AccountRef };
