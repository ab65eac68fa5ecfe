import { z } from 'zod';
import type { AccountRef, SkippedAccount } from '../domain/organization/accounts';
import { MAP_MANIFEST_KEY, runKeys } from '../domain/report/object-keys';
import { InvalidInputError } from '../lib/errors';
import { instant } from './stored-report';
import {
  EXECUTION_NAME,
  accountListSchema,
  runSchema,
  skippedListSchema,
  type OrganizationRun,
  type OrganizationRunJson,
} from './organization-run';
import { parseWith } from './validation';

/**
 * The first steps of an organisation run. Discover receives the execution's name and start time
 * (from the context object) and returns where it put the account list: the list itself goes to S3
 * as the map's ItemReader input, never into the state payload (256 KB), whatever the size of the
 * organisation. The roll-up receives all of it back, plus where the map's ResultWriter put the
 * results.
 */

export interface DiscoverEvent {
  readonly executionName: string;
  readonly startTime: Date;
}

const discoverEventSchema = z
  .object({
    executionName: z.string().regex(EXECUTION_NAME, 'not a Step Functions execution name'),
    startTime: instant,
  })
  .strict();

export function parseDiscoverEvent(event: unknown): DiscoverEvent {
  return parseWith(discoverEventSchema, event, 'the discover input ({ executionName, startTime })');
}

/** What discover returns: the run, and where its account lists are. */
export interface DiscoveryResult {
  readonly run: OrganizationRunJson;
  /** The accounts to scan: one JSON array of `{ accountId, name }`, the map's items. */
  readonly accounts: { readonly bucket: string; readonly key: string; readonly count: number };
  /** The accounts not scanned and why (not active, excluded). */
  readonly skipped: { readonly key: string; readonly count: number };
}

const count = z.number().int().nonnegative();

const rollUpEventSchema = z.object({
  run: runSchema,
  accounts: z.object({ bucket: z.string().min(1), key: z.string(), count }).strict(),
  skipped: z.object({ key: z.string(), count }).strict(),
  scan: z.object({
    ResultWriterDetails: z.object({ Bucket: z.string().min(1), Key: z.string() }),
  }),
});

export interface RollUpEvent {
  readonly run: OrganizationRun;
  readonly accountsKey: string;
  readonly skippedKey: string;
  /** The buckets the event names: the handler checks they are its own. */
  readonly buckets: readonly string[];
  readonly manifestKey: string;
}

/**
 * The roll-up's input: discover's result and the map's (`scan`). Every key must be where this run
 * writes (`runs/<run name>/`): the roll-up reads nothing else from `runs/`.
 */
export function parseRollUpEvent(event: unknown): RollUpEvent {
  const parsed = parseWith(rollUpEventSchema, event, 'the rollup input ({ run, accounts, skipped, scan })');
  const expected = runKeys(parsed.run.name);
  const manifestKey = parsed.scan.ResultWriterDetails.Key;
  if (parsed.accounts.key !== expected.accountsKey || parsed.skipped.key !== expected.skippedKey) {
    throw new InvalidInputError(
      `the rollup input names account lists ${parsed.accounts.key} and ${parsed.skipped.key}, not this run's ${expected.accountsKey} and ${expected.skippedKey}`,
    );
  }
  if (!MAP_MANIFEST_KEY.test(manifestKey)) {
    throw new InvalidInputError(
      `the rollup input names the map manifest ${manifestKey}, not one the map's ResultWriter writes (${MAP_MANIFEST_KEY.source})`,
    );
  }
  return {
    run: parsed.run,
    accountsKey: parsed.accounts.key,
    skippedKey: parsed.skipped.key,
    buckets: [parsed.accounts.bucket, parsed.scan.ResultWriterDetails.Bucket],
    manifestKey,
  };
}

export function parseAccountList(json: unknown, where: string): AccountRef[] {
  return parseWith(accountListSchema, json, `the account list ${where}`);
}

export function parseSkippedList(json: unknown, where: string): SkippedAccount[] {
  return parseWith(skippedListSchema, json, `the skipped account list ${where}`);
}
