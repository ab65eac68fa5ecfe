import type { UserStatus } from '../src/domain/verdict/evaluate';

/**
 * The message contract between the orchestrator (which runs the fake IAM endpoint) and the child
 * process that runs one scan, so that the child's peak RSS is the scan's own.
 */

export const SCAN_SOURCES = ['api', 'credential-report', 'original'] as const;
export type ScanSource = (typeof SCAN_SOURCES)[number];

export interface ScanCaseRequest {
  readonly source: ScanSource;
  readonly endpoint: string;
  /** api source only. */
  readonly concurrency: number;
  readonly thresholdDays: number;
  /** ISO instant the verdicts are taken at. */
  readonly now: string;
}

interface Measured {
  readonly wallMs: number;
  /** process.resourceUsage().maxRSS of the child, in KiB. */
  readonly maxRssKib: number;
}

export type ScanCaseResult =
  | (Measured & {
      readonly ok: true;
      /** Every user the scan returned, with its verdict status. */
      readonly statuses: ReadonlyArray<readonly [string, UserStatus]>;
      /** Why each `error` (unreadable) user could not be read. */
      readonly unreadableReasons: readonly string[];
    })
  | (Measured & { readonly ok: false; readonly error: string });
