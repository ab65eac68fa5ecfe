import { InvalidInputError } from '../../lib/errors';
import type { ScanReport, UserEntry } from '../report/scan-report';
import { GENERATOR_ID, productArnOf, type AsffFinding } from './asff';
import { PRODUCT_FIELD, staleCredentialFinding, type BuildContext } from './build';
import { findingId, parseFindingId, type CredentialKind } from './finding-id';

/**
 * What one run does to Security Hub: an ACTIVE, FAILED finding for each stale credential (new, or
 * the existing one updated with CreatedAt kept), and the resolution, in the same run, of each of
 * our active findings whose credential is no longer stale, with the reason. A finding about a
 * credential kind the report did not judge (a password-only scan) is left as it is.
 */

/** Why a finding is resolved (`stale-iam/Resolution` in its ProductFields). */
export type ResolutionReason =
  /** The credential is in the report and not stale: used again, or the key deactivated. */
  | 'no-longer-stale'
  /** Its user is exempt now. */
  | 'exempt'
  /** The user is in the report but this credential is gone (password or key deleted). */
  | 'credential-removed'
  /** The user is not in the report any more (deleted). */
  | 'user-removed';

export interface FindingsPlan {
  /** Stale credentials without an active finding. */
  readonly created: AsffFinding[];
  /** Stale credentials whose active finding is updated, CreatedAt kept. */
  readonly updated: AsffFinding[];
  /** Active findings archived as PASSED, each with the reason. */
  readonly resolved: { readonly finding: AsffFinding; readonly reason: ResolutionReason }[];
}

/**
 * The findings of every stale credential in `report` (what `stale-iam scan --format asff` prints):
 * none for exempt users or users that could not be evaluated.
 */
export function staleCredentialFindings(report: ScanReport, context: BuildContext): AsffFinding[] {
  return planFindings(report, [], context).created;
}

/**
 * The plan for `report`, given the findings Security Hub holds. `existing` may hold anything a
 * GetFindings call returned: only ours (our product, generator, account and id shape) that are
 * ACTIVE count, whatever filters the store applied.
 */
export function planFindings(
  report: ScanReport,
  existing: readonly AsffFinding[],
  context: BuildContext,
): FindingsPlan {
  const { accountId } = context.identity;
  if (report.accountId !== null && report.accountId !== accountId) {
    throw new InvalidInputError(
      `the report describes account ${report.accountId}, but findings are imported into ${accountId}: ` +
        'with the default product, AwsAccountId must be the calling account',
    );
  }
  const active = new Map(ownActiveFindings(existing, context).map((f) => [f.Id, f]));
  const judged = judgedCredentials(report, accountId);

  const created: AsffFinding[] = [];
  const updated: AsffFinding[] = [];
  for (const { user, credential } of judged.values()) {
    if (user.status === 'exempt' || user.status === 'error' || !credential.stale) continue;
    const previous = active.get(findingId(accountId, user.userName, credential, user.credentials));
    const finding = staleCredentialFinding(report, user, credential, context, previous?.CreatedAt);
    (previous ? updated : created).push(finding);
  }

  const stillStale = new Set([...created, ...updated].map((f) => f.Id));
  const users = new Map(report.users.map((u) => [u.userName.toLowerCase(), u]));
  const resolved: FindingsPlan['resolved'] = [];
  for (const finding of active.values()) {
    if (stillStale.has(finding.Id)) continue;
    const parts = parseFindingId(finding.Id);
    if (!parts || !inScope(report, parts.credential)) continue;
    const current = judged.get(finding.Id);
    const reason: ResolutionReason = current
      ? current.user.status === 'exempt'
        ? 'exempt'
        : 'no-longer-stale'
      : users.has(parts.userName.toLowerCase())
        ? 'credential-removed'
        : 'user-removed';
    resolved.push({ finding: resolvedFinding(finding, reason, context.now), reason });
  }
  return { created, updated, resolved };
}

/** Ours and ACTIVE: filtered here because a store may ignore filters (moto does) or hold other products. */
export function ownActiveFindings(findings: readonly AsffFinding[], context: BuildContext): AsffFinding[] {
  const productArn = productArnOf(context.identity);
  return findings.filter(
    (f) =>
      f.ProductArn === productArn &&
      f.GeneratorId === GENERATOR_ID &&
      f.AwsAccountId === context.identity.accountId &&
      f.RecordState === 'ACTIVE' &&
      parseFindingId(f.Id)?.accountId === context.identity.accountId,
  );
}

/**
 * The existing finding as PASSED and ARCHIVED: everything we own sent again (a re-import replaces
 * the provider's fields; moto merges them shallowly, so the same top-level members go every time),
 * severity INFORMATIONAL as Security Hub gives its own passed checks, and the reason recorded.
 */
export function resolvedFinding(finding: AsffFinding, reason: ResolutionReason, now: Date): AsffFinding {
  const informational = { Label: 'INFORMATIONAL', Original: 'INFORMATIONAL' } as const;
  return {
    ...finding,
    UpdatedAt: now.toISOString(),
    Severity: { ...informational },
    FindingProviderFields: { Severity: { ...informational }, Types: [...finding.Types] },
    ProductFields: {
      ...finding.ProductFields,
      [PRODUCT_FIELD.resolution]: reason,
      [PRODUCT_FIELD.resolvedAt]: now.toISOString(),
    },
    Compliance: { Status: 'PASSED' },
    RecordState: 'ARCHIVED',
  };
}

/** Every credential the report judged, by the id its finding has. */
function judgedCredentials(
  report: ScanReport,
  accountId: string,
): Map<string, { user: UserEntry; credential: UserEntry['credentials'][number] }> {
  const byId = new Map<string, { user: UserEntry; credential: UserEntry['credentials'][number] }>();
  for (const user of report.users) {
    for (const credential of user.credentials) {
      byId.set(findingId(accountId, user.userName, credential, user.credentials), { user, credential });
    }
  }
  return byId;
}

function inScope(report: ScanReport, credential: CredentialKind): boolean {
  return report.credentialScope === 'all' || report.credentialScope === credential;
}
