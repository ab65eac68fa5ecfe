import { fork } from 'node:child_process';
import type { EvaluationSettings, UserStatus } from '../src/domain/verdict/evaluate';
import { startFakeIam, type FakeUser } from '../tools/fakes/fake-iam-server';
import type { ScanCaseRequest, ScanCaseResult, ScanSource } from './scan-case';
import { emptyTally, throttledIntercept, type EndpointModel } from './throttled-endpoint';
import { compareVerdicts, type VerdictAgreement } from './verdict-agreement';

/** One row of the scan table: what the endpoint saw, what the child measured, how right it was. */
export interface ScanCaseOutcome {
  readonly source: ScanSource;
  readonly users: number;
  /** The scope the verdicts were compared on: the original only judges passwords. */
  readonly scope: 'all' | 'password';
  /** Calls the endpoint answered (not counting Throttling answers), by action. */
  readonly callsByAction: ReadonlyMap<string, number>;
  readonly throttlingAnswers: number;
  readonly wallMs: number;
  readonly maxRssKib: number;
  /** Users returned as `error`. */
  readonly unreadable: number;
  /** Users left unreadable by a Throttling that got past the retries, plus 1 if one ended the whole scan. */
  readonly unhandledThrottling: number;
  /** Set when the scan as a whole failed (it returned no verdicts at all). */
  readonly failure: string | null;
  readonly agreement: VerdictAgreement;
}

export interface ScanCaseSettings {
  readonly childScript: string;
  readonly endpoint: EndpointModel;
  readonly concurrency: number;
  readonly evaluation: Omit<EvaluationSettings, 'scope'>;
  /** Ground truth for scope `all` and for scope `password`. */
  readonly truth: Record<'all' | 'password', ReadonlyMap<string, UserStatus>>;
  /** A stuck child is killed after this long and the case reported as failed. */
  readonly timeoutMs: number;
}

const THROTTLING = /\bThrottling\b/;

/** Every request the endpoint received, Throttling answers included. */
export function totalRequests(s: ScanCaseOutcome): number {
  return [...s.callsByAction.values()].reduce((a, b) => a + b, 0) + s.throttlingAnswers;
}

export async function runScanCase(
  source: ScanSource,
  users: FakeUser[],
  settings: ScanCaseSettings,
): Promise<ScanCaseOutcome> {
  const tally = emptyTally();
  const fake = await startFakeIam({
    users,
    maxPageSize: 1000,
    // The report is not ready on the first GenerateCredentialReport: STARTED once, then COMPLETE.
    reportPollsBeforeComplete: 1,
    intercept: throttledIntercept(settings.endpoint, tally),
  });
  let result: ScanCaseResult;
  try {
    result = await runChild(settings.childScript, settings.timeoutMs, {
      source,
      endpoint: fake.endpoint,
      concurrency: settings.concurrency,
      thresholdDays: settings.evaluation.thresholdDays,
      now: settings.evaluation.now.toISOString(),
    });
  } finally {
    await fake.close();
  }

  const scope = source === 'original' ? 'password' : 'all';
  const scanned = new Map<string, UserStatus>(result.ok ? result.statuses : []);
  const unreadableReasons = result.ok ? result.unreadableReasons : [];
  const failedOnThrottling = !result.ok && THROTTLING.test(result.error);
  return {
    source,
    users: users.length,
    scope,
    callsByAction: tally.answered,
    throttlingAnswers: [...tally.throttled.values()].reduce((a, b) => a + b, 0),
    wallMs: result.wallMs,
    maxRssKib: result.maxRssKib,
    unreadable: unreadableReasons.length,
    unhandledThrottling:
      unreadableReasons.filter((reason) => THROTTLING.test(reason)).length + (failedOnThrottling ? 1 : 0),
    failure: result.ok ? null : result.error,
    agreement: compareVerdicts(settings.truth[scope], scanned),
  };
}

/** Resolves with the child's report; a child that crashes or hangs becomes a failed case, not a failed bench. */
function runChild(script: string, timeoutMs: number, request: ScanCaseRequest): Promise<ScanCaseResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = fork(script, [JSON.stringify(request)], {
      // Plain node, as the Lambda runtime starts it: not the orchestrator's --expose-gc.
      execArgv: [],
      env: withoutAwsSettings(process.env),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle();
    };
    const failed = (error: string): ScanCaseResult => ({
      ok: false,
      error,
      wallMs: performance.now() - start,
      // Unknown: the child never reported it.
      maxRssKib: Number.NaN,
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => resolve(failed(`did not finish within ${timeoutMs / 1000} s (killed)`)));
    }, timeoutMs);
    child.on('message', (message) => finish(() => resolve(message as ScanCaseResult)));
    child.on('error', (error) => finish(() => reject(error)));
    child.on('exit', (code, signal) =>
      finish(() => resolve(failed(`the scan process exited with ${signal ?? code} before reporting`))),
    );
  });
}

/** The scan must reach the fake endpoint only: no profile, region or endpoint from the caller's shell. */
function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('AWS_')) clean[name] = value;
  }
  return clean;
}
