import type { ScanReport } from '../report/scan-report';

const DAY_MS = 86_400_000;

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
  const evaluatedAt = Date.parse(report.evaluatedAt);
  const horizon = evaluatedAt + warningDays * DAY_MS;
  const losses: UpcomingLoss[] = [];
  for (const user of report.users) {
    if (user.status === 'exempt' || user.status === 'error') continue;
    for (const c of user.credentials) {
      if (c.stale || (c.type === 'access-key' && (!includeAccessKeys || c.active !== true))) continue;
      const staleAt = Date.parse(c.referenceAt) + report.thresholdDays * DAY_MS;
      if (staleAt <= horizon) {
        losses.push({
          userName: user.userName,
          credential: c.type,
          slot: c.slot ?? null,
          staleAt: new Date(staleAt),
        });
      }
    }
  }
  return losses.sort(
    (a, b) => a.staleAt.getTime() - b.staleAt.getTime() || (a.userName < b.userName ? -1 : 1),
  );
}
