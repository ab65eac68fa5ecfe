/**
 * `npm run bench` (scripts/bench.mjs bundles this and runs it): the numbers issue 5 asks for.
 *
 * 1. Scans: for each user count, the api source, the credential-report source and a
 *    re-implementation of the original Lambda each scan a generated account through the real SDK
 *    client, in a child process of their own, against the loopback fake IAM endpoint run here with
 *    a fixed latency and a token-bucket rate limit. Verdicts are compared with the ground truth.
 * 2. Bundles: the four functions packaged by `osls package`; zipped size and cold require() time.
 * 3. In-process cases: credential report parsing and the operator email at scale; the visual
 *    report page (size and build time) for growing accounts.
 * Figures are measured and printed, never asserted: PASS / over marks each target of the issue.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateUsers } from '../tools/fakes/generate-users';
import { measureBundle, type BundleMeasurement } from './bundle-load-time';
import { groundTruth } from './ground-truth';
import { describeMachine } from './machine';
import { runMicroCases } from './micro-cases';
import { runVisualReportCases, visualReportTable } from './visual-report-case';
import { parseBenchOptions, type BenchOptions, type BenchPart } from './options';
import { emulatorAvailable, runOrganizationCase, type OrganizationCaseOutcome } from './organization-case';
import { runOrganizationCliCase, type CliCaseOutcome } from './organization-cli-case';
import {
  organizationCallsTable,
  organizationCliCallsTable,
  organizationCliTable,
  organizationCliTargets,
  organizationTable,
  organizationTargets,
} from './organization-tables';
import { NO_EMULATOR_MESSAGE } from '../tools/emulator/moto';
import { packageFunctions } from './package-functions';
import {
  bundleTable,
  callsTable,
  failureNotes,
  microTable,
  performanceTable,
  verdictTable,
} from './result-tables';
import { runScanCase, type ScanCaseOutcome } from './run-scan-case';
import { SCAN_SOURCES } from './scan-case';
import { checkTargets, formatTargets } from './targets';
import { describeEndpoint } from './throttled-endpoint';
import { count, seconds } from './units';

const NOW = new Date('2026-11-28T00:00:00Z');
const THRESHOLD_DAYS = 90;
/** Longer than any scan should take; a stuck one is reported as failed instead of stalling the bench. */
const SCAN_TIMEOUT_MS = 150_000;
/** The organisation run (packaging included), at most. */
const ORGANIZATION_TIMEOUT_MS = 600_000;

const progress = (line: string) => console.error(`  .. ${line}`);

async function runScans(options: BenchOptions): Promise<ScanCaseOutcome[]> {
  const outcomes: ScanCaseOutcome[] = [];
  for (const userCount of options.userCounts) {
    const users = generateUsers(userCount, NOW, THRESHOLD_DAYS);
    const truth = {
      all: groundTruth(users, { thresholdDays: THRESHOLD_DAYS, now: NOW, scope: 'all' }),
      password: groundTruth(users, { thresholdDays: THRESHOLD_DAYS, now: NOW, scope: 'password' }),
    };
    for (const source of SCAN_SOURCES) {
      const outcome = await runScanCase(source, users, {
        childScript: path.join(__dirname, 'scan-child.js'),
        endpoint: options.endpoint,
        concurrency: options.concurrency,
        evaluation: { thresholdDays: THRESHOLD_DAYS, now: NOW },
        truth,
        timeoutMs: SCAN_TIMEOUT_MS,
      });
      progress(`${source}, ${count(userCount)} users: ${seconds(outcome.wallMs)}`);
      outcomes.push(outcome);
    }
  }
  return outcomes;
}

async function measureBundles(options: BenchOptions, workDir: string): Promise<BundleMeasurement[]> {
  const functions = await packageFunctions(process.cwd(), workDir);
  progress(`packaged ${functions.map((f) => `${f.name}.zip`).join(', ')} with osls`);
  const measurements: BundleMeasurement[] = [];
  for (const fn of functions) {
    measurements.push(
      await measureBundle(fn, {
        probeScript: path.join(__dirname, 'load-probe.js'),
        workDir,
        samples: options.loadSamples,
      }),
    );
  }
  return measurements;
}

/** An organisation case on the emulator (the service's or the CLI's), or why it was not run. */
async function onTheEmulator<T>(
  what: string,
  options: BenchOptions,
  run: (organization: BenchOptions['organization'] & { latencyMs: number }) => Promise<T>,
): Promise<T | string> {
  if (!emulatorAvailable()) return `not run: ${NO_EMULATOR_MESSAGE.replace('emulator tests skipped: ', '')}`;
  const { accounts, users } = options.organization;
  progress(`${what}: ${count(accounts)} accounts, ${count(users)} users on the emulator`);
  return run({ ...options.organization, latencyMs: options.endpoint.latencyMs }).catch(
    (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** The service's organisation run (the packaged functions through the state machine). */
function runOrganization(options: BenchOptions): Promise<OrganizationCaseOutcome | string> {
  return onTheEmulator('organisation', options, (organization) =>
    runOrganizationCase({ repoRoot: process.cwd(), ...organization, timeoutMs: ORGANIZATION_TIMEOUT_MS }),
  );
}

/** The CLI's organisation mode, on an organisation of its own, seeded afresh. */
function runOrganizationCli(options: BenchOptions): Promise<CliCaseOutcome | string> {
  return onTheEmulator('CLI --organization', options, async (organization) => {
    // The binary loads dist/cli.js: build it from the current source first.
    execFileSync(process.execPath, [path.join(process.cwd(), 'scripts', 'build-cli.mjs')], {
      stdio: 'inherit',
    });
    return runOrganizationCliCase({
      repoRoot: process.cwd(),
      rssProbe: path.join(__dirname, 'cli-rss-probe.js'),
      ...organization,
      timeoutMs: ORGANIZATION_TIMEOUT_MS,
    });
  });
}

function organizationCliSection(outcome: CliCaseOutcome | string | null): string[] {
  if (outcome === null) return [];
  if (typeof outcome === 'string') return ['## CLI organisation mode (emulator)', outcome, ''];
  return [
    '## CLI organisation mode (emulator)',
    `stale-iam scan --organization, the real binary, through the proxy holding every call ${outcome.latencyMs} ms; credential-report source; json first (the reports are generated in that run), then table.`,
    '',
    organizationCliTable(outcome),
    '',
    organizationCliCallsTable(outcome),
    ...(outcome.failure ? ['', `Failure: ${outcome.failure}`] : []),
    ...outcome.runs
      .filter((r) => r.exitCode !== 0)
      .map((r) => `\n--format ${r.format} stderr: ${r.stderrTail}`),
    '',
  ];
}

function organizationSection(outcome: OrganizationCaseOutcome | string | null): string[] {
  if (outcome === null) return [];
  if (typeof outcome === 'string') return ['## Organisation run (emulator)', outcome, ''];
  return [
    '## Organisation run (emulator)',
    `moto behind a proxy holding every call ${outcome.latencyMs} ms; the packaged functions through the compiled state machine (npm run invoke-local), each invocation a fresh Node process; credential-report source.`,
    '',
    organizationTable(outcome),
    '',
    organizationCallsTable(outcome),
    ...(outcome.failure ? ['', `Failure: ${outcome.failure}`] : []),
    '',
  ];
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const runs = (part: BenchPart) => options.parts.includes(part);
  const machine = describeMachine();
  const started = performance.now();
  const workDir = mkdtempSync(path.join(tmpdir(), 'stale-iam-bench-'));
  try {
    if (runs('scans')) progress('scans (one child process each)');
    const scans = runs('scans') ? await runScans(options) : [];
    if (runs('bundles')) progress('bundles');
    // A packaging failure must not throw away the scan figures: it is printed instead of the bundle table.
    const { bundles, bundleFailure } = runs('bundles')
      ? await measureBundles(options, workDir).then(
          (measured) => ({ bundles: measured, bundleFailure: null }),
          (error: unknown) => ({
            bundles: [],
            bundleFailure: `packaging or loading the bundles failed: ${error instanceof Error ? error.message : String(error)}`,
          }),
        )
      : { bundles: [], bundleFailure: null };
    if (runs('micro')) progress('in-process cases');
    const micro = runs('micro') ? runMicroCases(NOW, THRESHOLD_DAYS) : [];
    const organization = runs('organization') ? await runOrganization(options) : null;
    const organizationCli = runs('organization-cli') ? await runOrganizationCli(options) : null;
    if (runs('visual-report')) progress('visual report pages');
    const pages = runs('visual-report') ? await runVisualReportCases(NOW) : [];

    const when = (part: BenchPart, lines: string[]) => (runs(part) ? lines : []);
    const sections = [
      '## Machine',
      `CPU: ${machine.cpu}, ${machine.cores} cores; RAM: ${machine.memoryGib.toFixed(1)} GiB; OS: ${machine.os}; Node ${machine.node}`,
      '',
      ...when('scans', [
        '## Scans',
        `Endpoint: loopback fake IAM (query protocol), ${describeEndpoint(options.endpoint)}.`,
        `Account: generateUsers(n, ${NOW.toISOString()}), threshold ${THRESHOLD_DAYS} days; api source concurrency ${options.concurrency}; ` +
          'credential report COMPLETE on the 2nd GenerateCredentialReport, poll sleep injected (no wait).',
        '',
        performanceTable(scans),
        '',
        callsTable(scans),
        '',
        verdictTable(scans),
        ...failureNotes(scans).map((note) => `\n${note}`),
        '',
      ]),
      ...when('bundles', [
        '## Function bundles (osls package --param remediation=true)',
        bundleFailure ?? bundleTable(bundles),
        '',
      ]),
      ...when('micro', ['## In-process cases (orchestrator, --expose-gc)', microTable(micro), '']),
      ...when('visual-report', [
        '## Visual report page (render function, in-process: charts, history, changes, table data)',
        visualReportTable(pages),
        '',
      ]),
      ...organizationSection(organization),
      ...organizationCliSection(organizationCli),
      '## Targets (issues 5 and 11; measured, not asserted)',
      formatTargets([
        ...checkTargets(scans, bundles),
        ...(organization === null
          ? []
          : organizationTargets(typeof organization === 'string' ? null : organization)),
        ...(organizationCli === null
          ? []
          : organizationCliTargets(typeof organizationCli === 'string' ? null : organizationCli)),
      ]),
      '',
      `Whole bench: ${seconds(performance.now() - started)}`,
    ];
    console.log(`\n${sections.join('\n')}`);
    if (bundleFailure) process.exitCode = 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
