import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_IAM_CONCURRENCY, MAX_IAM_CONCURRENCY } from '../adapters/iam/api-source';
import { exemptionRules, type ExemptionRules } from '../domain/verdict/exemptions';
import { DEFAULT_THRESHOLD_DAYS, parseChoice, parseThresholdDays, parseWholeNumber } from '../lib/config';
import { InvalidConfigError } from '../lib/errors';
import { groupNames, pathPrefixes, userNames, type Parser } from '../settings/parsers';
import { EXEMPT_TAG_KEY, SCAN_SOURCES, SETTINGS } from '../settings/table';
import type { AwsFlags } from './io';

/**
 * The flags more than one command takes, each with its parser, so that `scan` and any other command
 * read `--days`, the source, the exemptions and `--profile`/`--region` the same way. A command
 * spreads the option groups it takes into `parseCommandLine` and hands the values to the parsers.
 */

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs for one command: strict, no positionals, one clear line on a mistake. */
export function parseCommandLine<T extends OptionsConfig>(
  command: string,
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({
      args: joinNegativeNumbers(args, options),
      strict: true,
      allowPositionals: false,
      options,
    }).values;
  } catch (error) {
    // node:util's messages are one sentence; keep the first and point at --help.
    const raw = error instanceof Error ? error.message : String(error);
    const firstSentence = (raw.replace(/^\w*Error \[[A-Z_]+\]: /, '').split(/\.( |$)|\n/)[0] ?? '').trim();
    throw new InvalidConfigError(`${firstSentence} (see stale-iam ${command} --help)`);
  }
}

/**
 * `--days -5` as `--days=-5`: parseArgs takes `-5` for an option and calls the value ambiguous,
 * where the person plainly gave a (negative) number that the flag's own parser then refuses with its
 * range.
 */
function joinNegativeNumbers(args: readonly string[], options: OptionsConfig): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    const option = arg.startsWith('--') ? options[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

export const DAYS_OPTION = { days: { type: 'string' } } as const;

/** `--days N`: whole days, the settings table's range. */
export function parseDaysFlag(values: { days?: string }): number {
  return parseThresholdDays(values.days ?? String(DEFAULT_THRESHOLD_DAYS), '--days');
}

export const SOURCE_OPTIONS = {
  source: { type: 'string' },
  'credential-report': { type: 'string' },
  concurrency: { type: 'string' },
} as const;

/** The live sources: the same two the service's scanSource setting allows. */
export const LIVE_SOURCES = SCAN_SOURCES;

export type ScanSourceChoice =
  | { readonly kind: 'api'; readonly concurrency: number }
  | { readonly kind: 'credential-report' }
  | { readonly kind: 'file'; readonly path: string };

/** `--source api|credential-report`, `--credential-report FILE`, `--concurrency N`. */
export function parseSourceFlags(values: {
  source?: string;
  'credential-report'?: string;
  concurrency?: string;
}): ScanSourceChoice {
  const file = values['credential-report'];
  if (file !== undefined && values.source !== undefined) {
    throw new InvalidConfigError('use either --source or --credential-report, not both');
  }
  if (file === '') throw new InvalidConfigError('--credential-report needs a file path');
  const liveSource =
    file === undefined
      ? parseChoice('--source', values.source ?? SETTINGS.scanSource.default, LIVE_SOURCES)
      : null;
  if (values.concurrency !== undefined && liveSource !== 'api') {
    throw new InvalidConfigError('--concurrency applies to --source api only');
  }
  if (file !== undefined) return { kind: 'file', path: file };
  if (liveSource === 'credential-report') return { kind: 'credential-report' };
  return {
    kind: 'api',
    concurrency: parseWholeNumber(
      '--concurrency',
      values.concurrency ?? String(DEFAULT_IAM_CONCURRENCY),
      1,
      MAX_IAM_CONCURRENCY,
    ),
  };
}

export const EXEMPTION_OPTIONS = {
  'exempt-users': { type: 'string', multiple: true },
  'exempt-paths': { type: 'string', multiple: true },
  'exempt-groups': { type: 'string', multiple: true },
  'ignore-exempt-tag': { type: 'boolean' },
} as const;

export interface ExemptionFlags {
  readonly rules: ExemptionRules;
  /**
   * Read every user's tags, path and groups from IAM (GetAccountAuthorizationDetails), as the
   * service does; false: the path from each user's ARN, no tags, no groups.
   */
  readonly readDirectory: boolean;
  /** What the exemptions were, for a person: `tag stale-iam:exempt=true; users alice; ...`. */
  readonly description: string;
}

/**
 * `--exempt-users`, `--exempt-paths`, `--exempt-groups`: one name per flag (repeat the flag), or a
 * JSON array as the deploy parameters take (`'["alice","bob"]'`). IAM names may contain commas, so
 * `alice,bob` could be one name or two: it is refused rather than guessed. Every entry goes through
 * the settings table's parser, so the CLI and the service agree on what is legal and who matches.
 * The `stale-iam:exempt` tag counts whenever the source can read it (not from a file, not with
 * `--ignore-exempt-tag`).
 */
export function parseExemptionFlags(
  values: {
    'exempt-users'?: string[];
    'exempt-paths'?: string[];
    'exempt-groups'?: string[];
    'ignore-exempt-tag'?: boolean;
  },
  source: ScanSourceChoice,
): ExemptionFlags {
  const users = nameFlag('--exempt-users', values['exempt-users'], userNames);
  const paths = nameFlag('--exempt-paths', values['exempt-paths'], pathPrefixes);
  const groups = nameFlag('--exempt-groups', values['exempt-groups'], groupNames);
  const readDirectory = source.kind !== 'file' && values['ignore-exempt-tag'] !== true;
  if (groups.length > 0 && !readDirectory) {
    throw new InvalidConfigError(
      source.kind === 'file'
        ? '--exempt-groups needs a live source: a credential report file does not say who is in which group'
        : "--exempt-groups needs the users' groups, which --ignore-exempt-tag does not read",
    );
  }
  const parts = [
    readDirectory
      ? `tag ${EXEMPT_TAG_KEY}=true`
      : `tag ${EXEMPT_TAG_KEY} not read (${source.kind === 'file' ? 'a credential report file has no tags' : '--ignore-exempt-tag'})`,
    ...(users.length > 0 ? [`users ${users.join(' ')}`] : []),
    ...(paths.length > 0 ? [`paths ${paths.join(' ')}`] : []),
    ...(groups.length > 0 ? [`groups ${groups.join(' ')}`] : []),
  ];
  return {
    rules: exemptionRules({ userNames: users, pathPrefixes: paths, groupNames: groups }),
    readDirectory,
    description: parts.join('; '),
  };
}

function nameFlag(flag: string, given: readonly string[] | undefined, parse: Parser<string[]>): string[] {
  const entries: string[] = [];
  for (const value of given ?? []) {
    if (value.trim().startsWith('[')) {
      entries.push(...parse(value, flag));
    } else if (value.includes(',')) {
      throw new InvalidConfigError(
        `${flag} ${JSON.stringify(value)}: IAM names may contain commas, so this could be one name or several; ` +
          `repeat the flag for each (${flag} a ${flag} b), or give a JSON array ('["a","b"]', or '["a,b"]' for one name)`,
      );
    } else {
      entries.push(value);
    }
  }
  return parse(entries, flag);
}

export const AWS_OPTIONS = { profile: { type: 'string' }, region: { type: 'string' } } as const;

/** AWS Regions: `us-east-1`, `ap-northeast-1`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** Profile names as the AWS CLI writes them: no spaces, brackets or control characters. */
const PROFILE = /^[A-Za-z0-9_.@+=:/-]{1,128}$/;

/**
 * `--profile NAME` and `--region REGION`; unset, the SDK's standard chain decides. Refused with a
 * credential report file, which needs no AWS call.
 */
export function parseAwsFlags(
  values: { profile?: string; region?: string },
  source: ScanSourceChoice,
): AwsFlags {
  if (source.kind === 'file' && (values.profile !== undefined || values.region !== undefined)) {
    throw new InvalidConfigError(
      '--profile and --region apply to live sources; a credential report file needs no AWS call',
    );
  }
  const flags: { profile?: string; region?: string } = {};
  if (values.profile !== undefined) {
    if (!PROFILE.test(values.profile)) {
      throw new InvalidConfigError(
        `--profile must be a profile name from your AWS config, such as prod-readonly, got ${JSON.stringify(values.profile)}`,
      );
    }
    flags.profile = values.profile;
  }
  if (values.region !== undefined) {
    if (!REGION.test(values.region)) {
      throw new InvalidConfigError(
        `--region must be an AWS Region such as us-east-1, got ${JSON.stringify(values.region)}`,
      );
    }
    flags.region = values.region;
  }
  return flags;
}
