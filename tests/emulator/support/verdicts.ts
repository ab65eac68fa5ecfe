import type { ScanReportJson } from '../../../src/domain/report/scan-report';

/**
 * What a verdict is made of: the status (and why a user is exempt), and each credential's
 * reference, basis, idle days and staleness. Two scans agree on a user when these are equal.
 */
export function verdictOf(user: ScanReportJson['users'][number]) {
  return {
    userName: user.userName,
    status: user.status,
    exemptReason: user.exemptReason,
    idleDays: user.idleDays,
    lastActivityAt: user.lastActivityAt,
    credentials: user.credentials.map((c) => ({
      type: c.type,
      slot: c.slot,
      active: c.active,
      referenceAt: c.referenceAt,
      basis: c.basis,
      idleDays: c.idleDays,
      stale: c.stale,
    })),
  };
}
