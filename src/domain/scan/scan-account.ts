import { evaluateUsers, type EvaluationSettings } from '../verdict/evaluate';
import {
  applyExemptions,
  directoryFromArns,
  type ExemptionRules,
  type UserDirectoryEntry,
} from '../verdict/exemptions';
import { buildScanReport, type ScanReport } from '../report/scan-report';
import type { ReadOptions, UserInventory, UserSource } from './ports';

/** Tags, paths and groups of every user, for exemptions (GetAccountAuthorizationDetails in the service). */
export interface ExemptionDirectory {
  readAll(): Promise<ReadonlyMap<string, UserDirectoryEntry>>;
  /**
   * Of the users a source read but `readAll` did not return, those IAM no longer knows (GetUser
   * answers NoSuchEntity in the service): deleted after the source read them (a credential report
   * is up to 4 hours old). Any other user, or any doubt, is left out, so it stays an `error`.
   * Without it every such user is an `error`.
   */
  deletedOf?(userNames: readonly string[]): Promise<ReadonlySet<string>>;
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
  const deleted = directory
    ? await deletedSinceRead(inventory, directory, options.exemptions?.directory)
    : [];
  const users = inventory.users.filter(({ user }) => !deleted.includes(user.userName));
  const judged = evaluateUsers(users, options);
  const verdicts = options.exemptions
    ? applyExemptions(judged, directory ?? directoryFromArns(users), options.exemptions.rules)
    : judged;
  return buildScanReport(verdicts, {
    generatedAt: options.clock(),
    evaluatedAt: options.now,
    thresholdDays: options.thresholdDays,
    credentialScope: options.scope,
    source: source.kind,
    accountId: inventory.accountId,
    credentialReportGeneratedAt: inventory.credentialReportGeneratedAt,
    deletedDuringScan: [...(inventory.deletedDuringScan ?? []), ...deleted],
  });
}

/**
 * The users the source read that the directory does not know and IAM confirms are gone: deleted
 * during the scan, reported as such and not judged, like a user the api source lists and then
 * cannot read. A user missing for any other reason is lost, not deleted: it stays an `error`.
 */
async function deletedSinceRead(
  inventory: UserInventory,
  directory: ReadonlyMap<string, UserDirectoryEntry>,
  port: ExemptionDirectory | undefined,
): Promise<string[]> {
  const missing = inventory.users.map(({ user }) => user.userName).filter((name) => !directory.has(name));
  if (missing.length === 0 || !port?.deletedOf) return [];
  const gone = await port.deletedOf(missing);
  return missing.filter((name) => gone.has(name));
}
