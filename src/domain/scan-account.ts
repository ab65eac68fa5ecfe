import { evaluateUsers, type EvaluationSettings } from './evaluate-users';
import { buildScanReport, type ScanReport } from './scan-report';
import type { ReadProgress, UserSource } from './user-source';

export interface ScanOptions extends EvaluationSettings {
  /** Stamps `generatedAt` once the reading is done; injected so the domain never reads the clock. */
  readonly clock: () => Date;
  readonly onProgress?: (progress: ReadProgress) => void;
}

/** The one use case the CLI and the scan Lambda share: read a source, judge every user, build the report. */
export async function scanAccount(source: UserSource, options: ScanOptions): Promise<ScanReport> {
  const inventory = await source.read({ scope: options.scope, onProgress: options.onProgress });
  const verdicts = evaluateUsers(inventory.users, options);
  return buildScanReport(verdicts, {
    generatedAt: options.clock(),
    evaluatedAt: options.now,
    thresholdDays: options.thresholdDays,
    credentialScope: options.scope,
    source: source.kind,
    accountId: inventory.accountId,
    credentialReportGeneratedAt: inventory.credentialReportGeneratedAt,
  });
}
