import { evaluateUsers, type EvaluationSettings } from '../verdict/evaluate';
import {
  applyExemptions,
  directoryFromArns,
  type ExemptionRules,
  type UserDirectoryEntry,
} from '../verdict/exemptions';
import { buildScanReport, type ScanReport } from '../report/scan-report';
import type { ReadOptions, UserSource } from './ports';

/** Tags, paths and groups of every user, for exemptions (GetAccountAuthorizationDetails in the service). */
export interface ExemptionDirectory {
  readAll(): Promise<ReadonlyMap<string, UserDirectoryEntry>>;
}

export interface ScanOptions extends EvaluationSettings {
  /** Stamps `generatedAt` once the reading is done; injected so the domain never reads the clock. */
  readonly clock: () => Date;
  readonly onProgress?: ReadOptions['onProgress'];
  readonly onWait?: ReadOptions['onWait'];
  readonly onWarning?: ReadOptions['onWarning'];
  /** Passed to the source: true once no new work should start (a Lambda near its timeout). */
  readonly shouldStop?: () => boolean;
  /** Passed to the source: aborts the reads still in flight (the run's hard stop). */
  readonly abortSignal?: AbortSignal;
  /**
   * When given, exempt users are reported as `exempt`, with the reason. Without a directory (a
   * credential report file has no tags or groups) each user's path is read from their ARN.
   */
  readonly exemptions?: { readonly rules: ExemptionRules; readonly directory?: ExemptionDirectory };
}

/** The one use case the CLI and the scan Lambda share: read a source, judge every user, build the report. */
export async function scanAccount(source: UserSource, options: ScanOptions): Promise<ScanReport> {
  const [inventory, directory] = await Promise.all([
    source.read({
      scope: options.scope,
      onProgress: options.onProgress,
      onWait: options.onWait,
      onWarning: options.onWarning,
      shouldStop: options.shouldStop,
      abortSignal: options.abortSignal,
    }),
    options.exemptions?.directory?.readAll(),
  ]);
  const judged = evaluateUsers(inventory.users, options);
  const verdicts = options.exemptions
    ? applyExemptions(judged, directory ?? directoryFromArns(inventory.users), options.exemptions.rules)
    : judged;
  return buildScanReport(verdicts, {
    generatedAt: options.clock(),
    evaluatedAt: options.now,
    thresholdDays: options.thresholdDays,
    credentialScope: options.scope,
    source: source.kind,
    accountId: inventory.accountId,
    credentialReportGeneratedAt: inventory.credentialReportGeneratedAt,
    deletedDuringScan: inventory.deletedDuringScan ?? [],
  });
}
