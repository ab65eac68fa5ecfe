import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { IAMClient } from '@aws-sdk/client-iam';
import { IamLiveAccess } from '../adapters/iam/live-access';
import { TEXT } from '../domain/notification/text';
import { recordReasonText } from '../domain/notification/remediation-sections';
import { executeRemediation, type ActionRecord } from '../domain/remediation/execute';
import { unknownOutcome } from '../domain/remediation/journal';
import {
  planRemediation,
  type PlannedAction,
  type RemediationPlan,
  type RemediationSettings,
} from '../domain/remediation/plan';
import { OUTCOME_ORDER } from '../domain/remediation/summary';
import type { ScanReport } from '../domain/report/scan-report';
import { scanAccount } from '../domain/scan/scan-account';
import { CREDENTIAL_SCOPES, type CredentialScope } from '../domain/verdict/evaluate';
import { parseChoice, parseInstant } from '../lib/config';
import { InvalidConfigError } from '../lib/errors';
import { EXEMPT_TAG_KEY, SETTINGS, closestName, type SettingKey } from '../settings/table';
import { AuditFile } from './audit-file';
import { iamClientFor } from './aws';
import { EXIT, fail, parsedCommand, printError, printWarning, type AwsFlags, type CliIo } from './io';
import {
  AWS_OPTIONS,
  DAYS_OPTION,
  EXEMPTION_OPTIONS,
  SOURCE_OPTIONS,
  parseAwsFlags,
  parseCommandLine,
  parseDaysFlag,
  parseExemptionFlags,
  parseSourceFlags,
  type ExemptionFlags,
  type ScanSourceChoice,
} from './options';
import { exemptionDirectory, makeSource } from './sources';

/**
 * `stale-iam disable`: the service's disable step run by hand, with the credentials of whoever runs
 * it. The same scan (exemptions included), the same plan with its guards (scan errors, caps, floor),
 * the same live re-check just before each action and the same write-ahead audit lines, to a local
 * file and stdout. Dry-run unless --enforce; --enforce asks at the terminal unless --yes, and
 * without a terminal needs --yes. A credential report file gives a plan only: nothing is ever done
 * on the strength of a file, without a live re-check.
 */

/** The settings file holds deploy parameters by their names, the same values a deployment has. */
const SETTINGS_FILE_KEYS: readonly SettingKey[] = [
  'exemptUserNames',
  'exemptPathPrefixes',
  'exemptGroupNames',
  'maxActionsPerRun',
  'maxPercent',
  'minEnforceDays',
  'thresholdDays',
];
const DEFAULT_AUDIT_FILE = 'stale-iam-audit.jsonl';

/**
 * Exit codes of `stale-iam disable`: 0 to 3 mean what they mean for `stale-iam scan`; 4 is left to
 * the scan's --fail-on-stale, so a code never means two things.
 */
export const DISABLE_EXIT = {
  complete: EXIT.complete,
  failed: EXIT.failed,
  usage: EXIT.usage,
  partial: EXIT.partial,
  /** A cap or the floor refused the plan: nothing was done. */
  refused: 5,
  /** Asked at the terminal, the answer was not "yes": nothing was done. */
  declined: 6,
} as const;

export const DISABLE_USAGE = `Usage: stale-iam disable [options]

Take stale console passwords (and, if asked, access keys) away from the IAM users of the account
your AWS credentials reach, with the plan, guards, live re-check and audit trail of the service.
A dry run unless --enforce.

Options:
  --days N                   idle threshold in whole days, 1..3650 (default ${SETTINGS.thresholdDays.default})
  --source api|credential-report
                             read live from AWS (default credential-report)
  --credential-report FILE   plan from a credential report file, offline: a plan only, nothing is
                             ever done from a file (users exempt by tag or group are not known there)
  --credentials password|access-key|all
                             what to take away (default password): console passwords are deleted,
                             access keys deactivated (never deleted)
  --exempt-users NAME        a user never touched (repeat the flag, or give a JSON array
                             '["a","b"]'; IAM names may contain commas)
  --exempt-paths PATH        users under this IAM path prefix are never touched (e.g. /breakglass/)
  --exempt-groups NAME       members of this group are never touched (live sources only)
  --settings FILE            a JSON object of deploy parameters, the service's own values:
                             ${SETTINGS_FILE_KEYS.map((key) => SETTINGS[key].param).join(', ')}
                             (flags win; exemption flags add to the file's lists)
  --max-actions N            at most N actions in the run (default ${SETTINGS.maxActionsPerRun.default})
  --max-percent N            at most N% of the holders of a credential type lose it (default ${SETTINGS.maxPercent.default})
  --min-enforce-days N       with a threshold under N days, --enforce acts on nothing (default ${SETTINGS.minEnforceDays.default})
  --audit-file FILE          where the audit lines are appended (default ${DEFAULT_AUDIT_FILE})
  --enforce                  act; without it, nothing is changed
  --yes                      do not ask before acting (required with --enforce without a terminal)
  --now ISO-8601             a dry run as of this instant (not with --enforce)
  --concurrency N            users read in parallel with --source api
  --profile NAME             AWS profile to use (default: AWS_PROFILE, then the default chain)
  --region REGION            AWS Region for the SDK (default: AWS_REGION; IAM itself is global)
  -h, --help                 show this help

Users tagged ${EXEMPT_TAG_KEY}=true (any letter case of the key, as IAM matches tag keys) are
never touched. AWS settings come from the SDK's standard chain (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL, ...).

Exit codes: 0 done (the dry run listed, or every action was done), 1 failed (an AWS or input
            error, an action failed, or an earlier run left an outcome unknown), 2 invalid usage
            (--enforce without --yes and no terminal included), 3 partial scan: nothing done,
            ${DISABLE_EXIT.refused} refused by a cap or the floor: nothing done, ${DISABLE_EXIT.declined} not confirmed: nothing done.
`;

export interface DisableCommand {
  readonly thresholdDays: number;
  readonly source: ScanSourceChoice;
  /** What to take away: console passwords, access keys, or both. */
  readonly credentials: CredentialScope;
  /** The settings file's lists and the flags, parsed as the scan parses them. */
  readonly exemptions: ExemptionFlags;
  readonly maxActions: number;
  readonly maxPercent: number;
  readonly minEnforceDays: number;
  readonly auditFile: string;
  readonly enforce: boolean;
  readonly yes: boolean;
  /** Null: as of the moment the command runs. */
  readonly now: Date | null;
  readonly aws: AwsFlags;
}

/** What the CLI needs beyond CliIo: someone to ask at the terminal. */
export interface DisableTerminal {
  /**
   * Asks a question and returns the answer; null when nobody can be asked (no terminal). Default:
   * stdin and stderr, when both are terminals.
   */
  readonly ask?: ((question: string) => Promise<string>) | null;
}

export type DisableIo = CliIo & DisableTerminal;

const DISABLE_OPTIONS = {
  ...DAYS_OPTION,
  ...SOURCE_OPTIONS,
  // Not --ignore-exempt-tag: a user tagged exempt is never touched, by hand or by the service.
  'exempt-users': EXEMPTION_OPTIONS['exempt-users'],
  'exempt-paths': EXEMPTION_OPTIONS['exempt-paths'],
  'exempt-groups': EXEMPTION_OPTIONS['exempt-groups'],
  ...AWS_OPTIONS,
  credentials: { type: 'string' },
  settings: { type: 'string' },
  'max-actions': { type: 'string' },
  'max-percent': { type: 'string' },
  'min-enforce-days': { type: 'string' },
  'audit-file': { type: 'string' },
  enforce: { type: 'boolean' },
  yes: { type: 'boolean' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Turns `disable` arguments into a validated command, or throws InvalidConfigError with one clear line. */
export function parseDisableCommand(args: readonly string[]): DisableCommand | 'help' {
  const values = parseCommandLine('disable', args, DISABLE_OPTIONS);
  if (values.help) return 'help';
  const enforce = values.enforce === true;
  if (enforce && values['credential-report'] !== undefined) {
    throw new InvalidConfigError(
      '--credential-report gives a plan only; --enforce acts on a live source, after a live re-check (--source)',
    );
  }
  if (enforce && values.now !== undefined) {
    throw new InvalidConfigError('--now is for a dry run; --enforce acts as of now');
  }
  const source = parseSourceFlags(values);
  const aws = parseAwsFlags(values, source);

  const file = values.settings === undefined ? {} : readSettingsFile(values.settings);
  const number = (key: 'maxActionsPerRun' | 'maxPercent' | 'minEnforceDays', flag: string, raw?: string) =>
    raw !== undefined
      ? SETTINGS[key].parse(raw, flag)
      : ((file[key] as number | undefined) ??
        SETTINGS[key].parse(SETTINGS[key].default, `the default of ${key}`));
  // The file's lists go in as the JSON arrays the exemption flags take, so one parser reads both.
  const listed = (key: 'exemptUserNames' | 'exemptPathPrefixes' | 'exemptGroupNames', flags?: string[]) => [
    ...(file[key] === undefined ? [] : [JSON.stringify(file[key])]),
    ...(flags ?? []),
  ];
  const days = values.days ?? (file.thresholdDays === undefined ? undefined : String(file.thresholdDays));
  return {
    thresholdDays: parseDaysFlag({ days }),
    source,
    credentials: parseChoice('--credentials', values.credentials ?? 'password', CREDENTIAL_SCOPES),
    exemptions: parseExemptionFlags(
      {
        'exempt-users': listed('exemptUserNames', values['exempt-users']),
        'exempt-paths': listed('exemptPathPrefixes', values['exempt-paths']),
        'exempt-groups': listed('exemptGroupNames', values['exempt-groups']),
      },
      source,
    ),
    maxActions: number('maxActionsPerRun', '--max-actions', values['max-actions']),
    maxPercent: number('maxPercent', '--max-percent', values['max-percent']),
    minEnforceDays: number('minEnforceDays', '--min-enforce-days', values['min-enforce-days']),
    auditFile: values['audit-file'] ?? DEFAULT_AUDIT_FILE,
    enforce,
    yes: values.yes === true,
    now: values.now === undefined ? null : parseInstant('--now', values.now),
    aws,
  };
}

/** The settings file, every value parsed by the settings table as packaging parses it. */
function readSettingsFile(path: string): Partial<Record<SettingKey, unknown>> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON object';
    throw new InvalidConfigError(`--settings ${path}: ${why}`, { cause: error });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new InvalidConfigError(`--settings ${path}: not a JSON object`);
  }
  const names = new Map(SETTINGS_FILE_KEYS.map((key) => [SETTINGS[key].param ?? key, key]));
  const parsed: Partial<Record<SettingKey, unknown>> = {};
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    const key = names.get(name);
    if (!key) {
      const closest = closestName(name, [...names.keys()]);
      throw new InvalidConfigError(
        `--settings ${path}: unknown setting "${name}"${closest ? `; did you mean "${closest}"?` : ''}`,
      );
    }
    parsed[key] = SETTINGS[key].parse(raw, `${name} in ${path}`);
  }
  return parsed;
}

/** The whole command: returns the exit code, never exits, never throws. */
export async function runDisableCommand(args: readonly string[], io: DisableIo): Promise<number> {
  const command = parsedCommand(io, () => parseDisableCommand(args), DISABLE_USAGE);
  if ('exit' in command) return command.exit;
  const ask = io.ask === undefined ? terminalAsk(io) : io.ask;
  if (command.enforce && !command.yes && !ask) {
    printError(io, '--enforce without a terminal to confirm at needs --yes (nothing was done)');
    return DISABLE_EXIT.usage;
  }
  const aws = command.source.kind === 'file' ? null : iamClientFor(io, command.aws);
  const progress = { auditStarted: false };
  try {
    return await disable(command, io, ask, aws?.client ?? null, progress);
  } catch (error) {
    const code = fail(io, error, aws?.endpoint() ?? null);
    if (progress.auditStarted) {
      printError(io, `nothing more was done; the audit lines in ${command.auditFile} say what was`);
    }
    return code;
  }
}

async function disable(
  command: DisableCommand,
  io: DisableIo,
  ask: ((question: string) => Promise<string>) | null,
  client: IAMClient | null,
  progress: { auditStarted: boolean },
): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const t = TEXT.en.remediation;
  const report = await scanWithExemptions(command, client, io);
  const settings: RemediationSettings = {
    mode: command.enforce ? 'enforce' : 'dry-run',
    deletePasswords: command.credentials !== 'access-key',
    deactivateAccessKeys: command.credentials !== 'password',
    maxActions: command.maxActions,
    maxPercent: command.maxPercent,
    minEnforceDays: command.minEnforceDays,
  };
  const plan = planRemediation(report, settings);
  say(
    command.enforce
      ? `stale-iam disable: ENFORCE on account ${report.accountId ?? 'unknown'}`
      : `stale-iam disable: dry run on account ${report.accountId ?? 'unknown'}, nothing is changed (--enforce acts)`,
  );
  say(
    `${report.summary.stale} of ${report.summary.users} users stale for more than ${report.thresholdDays} days ` +
      `(source ${report.source}, as of ${report.evaluatedAt.toISOString()}; exemptions: ${command.exemptions.description})`,
  );
  showPlan(plan, say);
  if (plan.belowFloor && !plan.blocked)
    say(t.belowFloor(plan.belowFloor.thresholdDays, plan.belowFloor.minEnforceDays));

  if (!client) {
    // A plan only: from a file, nothing is re-checked, so nothing is done.
    for (const a of plan.actions) io.stdout.write(`${JSON.stringify(plannedLine(a, plan))}\n`);
    say(
      'a plan from a file only: tags and groups are not known offline, and nothing is done without a live re-check',
    );
    return exitOfBlock(plan) ?? DISABLE_EXIT.complete;
  }

  const runAt = io.clock();
  const runId = `${runAt.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const describe = (reason: Parameters<typeof recordReasonText>[0]) => recordReasonText(reason, 'en');
  const trail = new AuditFile(command.auditFile, runId, describe, (line) => io.stdout.write(`${line}\n`));
  const unknown: ActionRecord[] = [];
  for (const orphan of trail.findOrphans()) {
    const record = unknownOutcome(orphan, runAt);
    trail.settleOrphan(orphan, record);
    progress.auditStarted = true;
    unknown.push(record);
    say(
      `OUTCOME UNKNOWN: ${orphan.intent.userName} ${orphan.intent.action}: ${describe(record.reason ?? { code: 'not-reached' })}`,
    );
  }

  if (!plan.blocked && command.enforce && plan.actions.length > 0 && !command.yes) {
    const answer = ask
      ? await ask(
          `Take these ${plan.actions.length} credentials away in account ${report.accountId ?? 'unknown'}? Type "yes" to go on: `,
        )
      : '';
    if (answer.trim().toLowerCase() !== 'yes') {
      say('not confirmed: nothing was done');
      return unknown.length > 0 ? DISABLE_EXIT.failed : DISABLE_EXIT.declined;
    }
  }

  progress.auditStarted = true;
  trail.run(runAt, {
    mode: settings.mode,
    report: null,
    source: report.source,
    thresholdDays: report.thresholdDays,
    deactivateAccessKeys: settings.deactivateAccessKeys,
    blocked: plan.blocked,
  });
  const records = await executeRemediation(plan, {
    mode: settings.mode,
    thresholdDays: report.thresholdDays,
    rules: command.exemptions.rules,
    live: new IamLiveAccess(client),
    clock: command.now ? () => command.now ?? runAt : io.clock,
    journal: trail,
  });
  for (const record of records) trail.record(record);
  const all = [...unknown, ...records];
  const counts = OUTCOME_ORDER.map((o) => [o, all.filter((r) => r.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${t.outcome[o]}`);
  say(`${t.outcomes}: ${counts.join(', ') || t.nothing} (audit lines in ${command.auditFile})`);
  if (all.some((r) => r.outcome === 'failed' || r.outcome === 'outcome-unknown')) return DISABLE_EXIT.failed;
  return exitOfBlock(plan) ?? DISABLE_EXIT.complete;
}

/**
 * The scan every run starts with, the service's: every credential judged, exemptions applied. Live,
 * every user's tags, path and groups are read as the scan function reads them (and a user tagged
 * exempt is never touched, so there is no way round reading them); from a file, the path comes from
 * each ARN (scanAccount's default) and tags and groups are not known.
 */
async function scanWithExemptions(
  command: DisableCommand,
  client: IAMClient | null,
  io: CliIo,
): Promise<ScanReport> {
  const now = command.now ?? io.clock();
  return scanAccount(makeSource(command.source, client ?? undefined, io, now), {
    thresholdDays: command.thresholdDays,
    scope: 'all',
    now,
    clock: io.clock,
    onWarning: (warning) => printWarning(io, warning),
    exemptions: {
      rules: command.exemptions.rules,
      directory: client
        ? exemptionDirectory(
            client,
            'allow iam:GetAccountAuthorizationDetails; disable cannot do without them',
          )
        : undefined,
    },
  });
}

function showPlan(plan: RemediationPlan, say: (line: string) => void): void {
  const t = TEXT.en.remediation;
  if (plan.blocked) {
    say(t.blocked(plan.blocked));
    return;
  }
  const passwords = plan.actions.filter((a) => a.action === 'delete-login-profile').length;
  say(
    `plan: ${passwords} console password(s) to delete, ${plan.actions.length - passwords} access key(s) to deactivate; ` +
      `${plan.exempt.length} stale credential(s) of exempt users left alone`,
  );
  for (const a of plan.actions) {
    say(
      `  ${a.userName}  ${a.credential.type === 'password' ? 'password' : `access key ${a.credential.accessKeyId ?? a.credential.slot ?? ''}`}  ${a.action}`,
    );
  }
}

function plannedLine(action: PlannedAction, plan: RemediationPlan): Record<string, unknown> {
  return {
    kind: 'planned',
    userName: action.userName,
    arn: action.arn,
    action: action.action,
    credential: {
      type: action.credential.type,
      accessKeyId: action.credential.accessKeyId ?? null,
      slot: action.credential.slot ?? null,
    },
    blocked: plan.blocked,
  };
}

function exitOfBlock(plan: RemediationPlan): number | null {
  if (!plan.blocked) return null;
  return plan.blocked.code === 'scan-errors' ? DISABLE_EXIT.partial : DISABLE_EXIT.refused;
}

/** Asks at the terminal when stdin and stderr are both terminals; else null. */
function terminalAsk(io: CliIo): ((question: string) => Promise<string>) | null {
  if (!process.stdin.isTTY || io.stderr.isTTY !== true) return null;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
