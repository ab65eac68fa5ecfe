import type { ScanReport } from '../report/scan-report';
import type { UserSource } from '../scan/ports';
import { scanAccount, type ExemptionDirectory, type ScanOptions } from '../scan/scan-account';
import type { ExemptionRules } from '../verdict/exemptions';
import type { AccountRef } from './accounts';
import { accountFailure, type AccountFailure } from './account-outcome';

/** What reading one member account needs once its role is assumed: the same ports as a single-account scan. */
export interface MemberSession {
  readonly source: UserSource;
  /** Tags, paths and groups of the account's users; absent: each user's path from their ARN (the CLI's --ignore-exempt-tag). */
  readonly exemptionDirectory?: ExemptionDirectory;
}

/** Where an error happened: opening the session (assuming the member role), or the scan in the account. */
export type MemberScanStage = 'session' | 'scan';

export interface MemberScanDependencies {
  /** Assumes the member role in the account and builds its ports; throws when it cannot. */
  readonly open: (account: AccountRef) => Promise<MemberSession>;
  /** The scan's settings, as for a single account (threshold, `now`, scope, clock, deadline). */
  readonly scan: Omit<ScanOptions, 'exemptions'>;
  /** When given, exempt users are reported as `exempt` (the service, and the CLI with its --exempt-* flags). */
  readonly exemptionRules?: ExemptionRules;
  /** The failure an error stands for (adapters know the AWS error names). */
  readonly failureOf: (error: unknown, stage: MemberScanStage) => AccountFailure;
}

export type MemberScan =
  | { readonly status: 'scanned'; readonly account: AccountRef; readonly report: ScanReport }
  | { readonly status: 'failed'; readonly account: AccountRef; readonly error: AccountFailure };

/**
 * One member account, scanned exactly as a single account is (`scanAccount` with the same ports,
 * reached through the member role): the report, or why there is none. It never throws for
 * something that went wrong in the account, so one account cannot stop the others.
 *
 * The report always names the account that was asked for: a credential report without users names
 * no account, and a report whose users belong to another account means the credentials reached
 * the wrong place, which is a failure, not a report.
 */
export async function scanMemberAccount(
  account: AccountRef,
  deps: MemberScanDependencies,
): Promise<MemberScan> {
  const failed = (error: AccountFailure): MemberScan => ({ status: 'failed', account, error });
  let session: MemberSession;
  try {
    session = await deps.open(account);
  } catch (error) {
    return failed(deps.failureOf(error, 'session'));
  }
  let report: ScanReport;
  try {
    report = await scanAccount(session.source, {
      ...deps.scan,
      ...(deps.exemptionRules
        ? { exemptions: { rules: deps.exemptionRules, directory: session.exemptionDirectory } }
        : {}),
    });
  } catch (error) {
    return failed(deps.failureOf(error, 'scan'));
  }
  if (report.accountId !== null && report.accountId !== account.accountId) {
    return failed(
      accountFailure(
        'failed',
        `the member role's credentials read the users of account ${report.accountId}, not ${account.accountId}`,
      ),
    );
  }
  return { status: 'scanned', account, report: { ...report, accountId: account.accountId } };
}
