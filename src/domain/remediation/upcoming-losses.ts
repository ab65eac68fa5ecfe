import type { ScanReport } from '../report/scan-report';
import { DAY_MS, staleAt } from '../verdict/threshold';

export interface UpcomingLoss {
  readonly userName: string;
  readonly credential: 'password' | 'access-key';
  readonly slot: 1 | 2 | null;
  /** The instant the credential crosses the threshold; the first run after it acts. */
  readonly staleAt: Date;
}

/**
 * Credentials that are fresh today but will be stale within `warningDays`: the email names them so
 * nobody loses console access by surprise. Exempt users and users in error are left out (nothing will
 * be done to them); keys only when the key switch is on.
 */
export function upcomingLosses(
  report: ScanReport,
  warningDays: number,
  includeAccessKeys: boolean,
): UpcomingLoss[] {
  const horizon = report.evaluatedAt.getTime() + warningDays * DAY_MS;
  const losses: UpcomingLoss[] = [];
  for (const user of report.users) {
    if (user.status === 'exempt' || user.status === 'error') continue;
    for (const c of user.credentials) {
      if (c.stale || (c.type === 'access-key' && (!includeAccessKeys || c.active !== true))) continue;
      const at = staleAt(c.referenceAt, report.thresholdDays);
      if (at.getTime() <= horizon) {
        losses.push({ userName: user.userName, credential: c.type, slot: c.slot ?? null, staleAt: at });
      }
    }
  }
  return losses.sort(
    (a, b) => a.staleAt.getTime() - b.staleAt.getTime() || (a.userName < b.userName ? -1 : 1),
  );
}
