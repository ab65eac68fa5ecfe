import type { IAMClient } from '@aws-sdk/client-iam';
import { classifyScanFailure } from '../adapters/iam/scan-failure';
import { OrganizationsAccountDirectory } from '../adapters/organizations/account-directory';
import { callerIdentity, type CallerIdentity } from '../adapters/sts/caller-identity';
import { MemberRoleAssumer, memberSessionName } from '../adapters/sts/member-role';
import type { AccountRef } from '../domain/organization/accounts';
import { discoverAccounts, type Discovery } from '../domain/organization/discover-accounts';
import {
  OrganizationReportWriter,
  type OrganizationReportHead,
  type OrganizationSummary,
} from '../domain/organization/organization-report';
import { scanMemberAccount, type MemberScan } from '../domain/organization/scan-member-account';
import type { ScanReport } from '../domain/report/scan-report';
import { forEachInOrder } from '../lib/concurrency';
import { InvalidConfigError, InvalidInputError } from '../lib/errors';
import { cliIamClient, cliOrganizationsClient, cliStsClient, trackEndpoint } from './aws';
import { EXIT, fail, printError, printWarning, type CliIo } from './io';
import type { OrganizationFlags } from './organization-options';
import { organizationOutput } from './organization-output';
import { organizationProgress } from './progress';
import type { OrganizationScanCommand } from './scan-command';
import { exemptionDirectory, makeSource } from './sources';

/**
 * Accounts held at once per account scanned at a time: running, or done and waiting until every
 * account before them in the report is written. Twice the concurrency keeps the slots busy past a
 * slow account while bounding memory by that many accounts' reports.
 */
const WINDOW_PER_SLOT = 2;

/** Failed accounts named on stderr; the report lists every one. */
const MAX_FAILURES_LISTED = 10;

/**
 * `stale-iam scan --organization`: every active account of the organisation scanned as the service
 * scans it, with the caller's credentials (the management account or a delegated administrator).
 * The same building blocks as the service's run: discoverAccounts (State ACTIVE, then Status; the
 * OU and exclusion filters) over the Organizations adapter, MemberRoleAssumer (one hour, the
 * account checked), scanMemberAccount with the same failure kinds, and the OrganizationReportWriter,
 * which streams the organisation report in account-id order as accounts finish.
 */
export async function runOrganizationScan(command: OrganizationScanCommand, io: CliIo): Promise<number> {
  const flags = command.organization;
  const organizations = (io.organizationsClient ?? cliOrganizationsClient)(command.aws);
  const sts = (io.stsClient ?? cliStsClient)(command.aws);
  const endpoints = [trackEndpoint(sts.middlewareStack), trackEndpoint(organizations.middlewareStack)];
  const lastEndpoint = () => endpoints.map((endpoint) => endpoint()).find((e) => e !== null) ?? null;
  const progress = organizationProgress(io);

  let caller: CallerIdentity;
  let discovery: Discovery;
  try {
    progress.listing();
    caller = await callerIdentity(sts);
    discovery = await discoverAccounts(new OrganizationsAccountDirectory(organizations), {
      includeOrganizationalUnits: flags.organizationalUnits,
      excludeAccounts: flags.excludeAccounts,
      onlyAccounts: flags.accounts,
    });
    checkDiscovery(discovery, flags);
  } catch (error) {
    progress.clear();
    return fail(io, error, lastEndpoint());
  }
  for (const id of discovery.unknownExclusions) {
    printWarning(io, `--exclude-accounts: ${id} is not an account the organization lists`);
  }

  const now = command.now ?? io.clock();
  const head: OrganizationReportHead = {
    generatedAt: io.clock(),
    evaluatedAt: now,
    thresholdDays: command.thresholdDays,
    credentialScope: command.scope,
    source: command.source.kind,
  };
  const assumer = new MemberRoleAssumer({
    client: sts,
    roleName: flags.roleName,
    partition: caller.partition,
    // Named in each member account's CloudTrail: assumed-role/<role>/stale-iam-cli-<instant>.
    sessionName: memberSessionName(`cli-${head.generatedAt.toISOString()}`),
  });
  const output = organizationOutput(command.format, command, io);
  const writer = new OrganizationReportWriter(head, output.sinks);
  const warnings: string[] = [];

  const scanOne = async (account: AccountRef): Promise<MemberScan> => {
    const clients: IAMClient[] = [];
    try {
      return await scanMemberAccount(account, {
        open: async ({ accountId }) => {
          const iam = (io.iamClient ?? cliIamClient)(command.aws, await assumer.assume(accountId));
          clients.push(iam);
          return {
            source: makeSource(command.source, iam, io, now),
            ...(command.exemptions.readDirectory ? { exemptionDirectory: exemptionDirectory(iam) } : {}),
          };
        },
        scan: {
          thresholdDays: command.thresholdDays,
          scope: command.scope,
          now,
          clock: io.clock,
          onWarning: (warning) => warnings.push(`${account.accountId}: ${warning}`),
        },
        exemptionRules: command.exemptions.rules,
        failureOf: classifyScanFailure,
      });
    } finally {
      for (const client of clients) client.destroy();
    }
  };

  let summary: OrganizationSummary;
  try {
    await writer.begin();
    await output.begin(head, discovery.selected.length);
    progress.scanning(discovery.selected.length);
    const limit = flags.accountConcurrency;
    await forEachInOrder(
      discovery.selected,
      { limit, window: limit * WINDOW_PER_SLOT },
      async (account) => {
        const scan = await scanOne(account);
        progress.accountDone(scan.status === 'failed');
        return scan;
      },
      async (scan) => {
        progress.clear();
        if (scan.status === 'failed') writer.addFailure(scan.account, scan.error);
        else await writer.addReport(scan.account, listedUsers(scan.report, command), null);
        await output.account(scan);
        progress.redraw();
      },
    );
    summary = await writer.end(discovery.skipped);
    progress.clear();
    await output.end(summary);
  } catch (error) {
    progress.clear();
    return fail(io, error, lastEndpoint());
  }
  return exitCode(summary, command, warnings, caller, io);
}

/**
 * Each `--accounts` id must be one the listing gave (a typo would otherwise scan nothing and say
 * nothing), and something must be left to scan: as in the service, a selection of nothing is a
 * mistake, not an all-clear.
 */
function checkDiscovery(discovery: Discovery, flags: OrganizationFlags): void {
  const [unlisted] = discovery.unlistedAccounts;
  if (unlisted !== undefined) {
    const where =
      flags.organizationalUnits.length > 0 ? ` under --ou ${flags.organizationalUnits.join(',')}` : '';
    throw new InvalidConfigError(`--accounts: ${unlisted} is not an account the organization lists${where}`);
  }
  if (discovery.selected.length === 0) {
    const skipped = discovery.skipped.map(
      (a) =>
        `${a.accountId} ${a.reason === 'excluded' ? 'excluded' : `not active (${a.state ?? 'no state'})`}`,
    );
    throw new InvalidInputError(
      `no account to scan: of ${discovery.listed} account(s) listed, none is active and selected` +
        (skipped.length > 0
          ? ` (${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', ...' : ''})`
          : ''),
    );
  }
}

/** `--status` filters the CSV's rows (the summaries still count everyone); the JSON always lists every user. */
function listedUsers(report: ScanReport, command: OrganizationScanCommand): ScanReport {
  const { statuses } = command;
  if (!statuses || command.format !== 'csv') return report;
  return { ...report, users: report.users.filter((u) => statuses.has(u.status)) };
}

/** What the run came to on stderr, and the exit code: 3 when any account failed or was partial. */
function exitCode(
  summary: OrganizationSummary,
  command: OrganizationScanCommand,
  warnings: readonly string[],
  caller: CallerIdentity,
  io: CliIo,
): number {
  for (const warning of warnings) printWarning(io, warning);
  if (summary.deletedDuringScan.length > 0) {
    printError(io, `deleted while the scan ran, so not judged: ${summary.deletedDuringScan.join(', ')}`);
  }
  const failed = summary.accounts.filter((a) => a.status === 'failed');
  const partial = summary.accounts.filter((a) => a.status === 'partial');
  for (const account of failed.slice(0, MAX_FAILURES_LISTED)) {
    printError(
      io,
      `account ${account.accountId} failed (${account.errorKind ?? 'failed'}): ${account.error ?? ''}`,
    );
  }
  if (failed.length > MAX_FAILURES_LISTED) {
    printError(
      io,
      `... and ${failed.length - MAX_FAILURES_LISTED} more failed accounts (see the report's accounts)`,
    );
  }
  if (failed.some((a) => a.errorKind === 'role-unavailable')) {
    printError(
      io,
      `the member role ${command.organization.roleName} must exist in each account and trust ${caller.arn} ` +
        "(the member role template's OperatorPrincipalArn parameter; docs/organization.md)",
    );
  }
  if (summary.partial) {
    printError(
      io,
      `${failed.length} of ${summary.accounts.length} accounts failed, ${partial.length} partial, ` +
        `${summary.summary.errors} users could not be evaluated; the report is partial`,
    );
    return EXIT.partial;
  }
  if (command.failOnStale && summary.summary.stale > 0) {
    printError(
      io,
      `${summary.summary.stale} of ${summary.summary.users} users are stale (unused for more than ${summary.thresholdDays} days) in ${summary.accounts.length} accounts; exit ${EXIT.staleFound} (--fail-on-stale)`,
    );
    return EXIT.staleFound;
  }
  return EXIT.complete;
}
