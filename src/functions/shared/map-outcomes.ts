import type { S3Objects } from '../../adapters/s3/objects';
import { parseMapManifest, readMapResultFile, type MapItemKind } from '../../contracts/map-results';
import type { AccountRef } from '../../domain/organization/accounts';
import { logger } from '../../lib/logger';

/**
 * Every outcome a Distributed Map run returned, by account, from its ResultWriter's manifest and
 * result files (each checked whole). Should an account appear twice (a redriven map run), an
 * outcome that is not a failure wins over a failure.
 */
export async function readMapOutcomes<T extends { readonly account: AccountRef; readonly status: string }>(
  objects: S3Objects,
  manifestKey: string,
  kind: MapItemKind<T>,
): Promise<Map<string, T>> {
  const outcomes = new Map<string, T>();
  for (const file of parseMapManifest(await objects.readJson(manifestKey), manifestKey)) {
    const { outcomes: found, unattributed } = readMapResultFile(
      await objects.readJson(file.key),
      objects.where(file.key),
      file.status,
      kind,
    );
    if (unattributed.length > 0)
      logger.warn('map results that name no account', { file: file.key, unattributed });
    for (const outcome of found) {
      const earlier = outcomes.get(outcome.account.accountId);
      if (!earlier || (earlier.status === 'failed' && outcome.status !== 'failed')) {
        outcomes.set(outcome.account.accountId, outcome);
      }
    }
  }
  return outcomes;
}
