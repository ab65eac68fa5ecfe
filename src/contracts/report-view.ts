import { organizationView, type ReportView } from '../domain/visual-report/report-view';
import { parseOrganizationReport } from './organization-report';
import { parseStoredReport } from './stored-report';

/**
 * The report the visual report shows, validated whole, in either shape:
 * - a single-account report: exactly what parseStoredReport accepts;
 * - an organisation report, as the roll-up stores it (`accounts`, `skippedAccounts`, `accountId` on
 *   every user): exactly what parseOrganizationReport accepts (each account once, every user in a
 *   listed account and once in it, the accounts' counts agreeing with their users, the totals the
 *   sum of the accounts, `partial` what they say), then shown through organizationView.
 */
export function parseReportView(json: unknown, where: string): ReportView {
  if (json === null || typeof json !== 'object' || !('accounts' in json))
    return parseStoredReport(json, where);
  const report = parseOrganizationReport(json, where);
  return organizationView(report, report.users);
}
