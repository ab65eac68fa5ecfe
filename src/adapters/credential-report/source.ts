import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  LimitExceededException,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { ReadOptions, ReportWait, UserInventory, UserSource } from '../../domain/scan/ports';
import { AwsReadError, describeAwsError } from '../../lib/errors';
import { createIamClient } from '../iam/client';
import { parseCredentialReport } from './csv';

export interface CredentialReportSourceOptions {
  readonly client?: IAMClient;
  /** Injected so tests do not wait; the default really waits. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Give up once the waits between calls add up to this (default 180_000, three minutes; a report
   * usually takes seconds). Only the time slept counts, not the calls themselves.
   */
  readonly maxWaitMs?: number;
  /**
   * What the caller's user can do when the report never becomes ready, ending the error's one line
   * (default "try again later"): the CLI names its --source api, a function its next run.
   */
  readonly whenNotReady?: string;
}

const DEFAULT_MAX_WAIT_MS = 180_000;

/** ReportNotPresent / ReportExpired after a COMPLETE generation: start again at most this often. */
export const MAX_REGENERATIONS = 3;

const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15_000;

/** Wait number `n` (1-based) of one read: 2 s, 4 s, 8 s, then 15 s each. */
function credentialReportDelayMs(n: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (n - 1));
}

const STOPPED = 'stopped waiting for the credential report: the run is about to time out';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The answers worth waiting for, by their wire codes (the API reference's names). The SDK surfaces
 * them as LimitExceededException, CredentialReportNotReadyException, ...
 */
type ReportFault = 'LimitExceeded' | 'ReportInProgress' | 'ReportNotPresent' | 'ReportExpired';

const FAULTS: readonly {
  code: ReportFault;
  sdkName: string;
  type: abstract new (...args: never[]) => Error;
}[] = [
  { code: 'LimitExceeded', sdkName: 'LimitExceededException', type: LimitExceededException },
  {
    code: 'ReportInProgress',
    sdkName: 'CredentialReportNotReadyException',
    type: CredentialReportNotReadyException,
  },
  {
    code: 'ReportNotPresent',
    sdkName: 'CredentialReportNotPresentException',
    type: CredentialReportNotPresentException,
  },
  {
    code: 'ReportExpired',
    sdkName: 'CredentialReportExpiredException',
    type: CredentialReportExpiredException,
  },
];

/** By class, or by name (an error from another copy of the SDK, a plain mock): like isNoSuchEntity. */
function reportFault(error: unknown): ReportFault | null {
  const name = error instanceof Error ? error.name : null;
  const fault = FAULTS.find(
    ({ code, sdkName, type }) => error instanceof type || name === code || name === sdkName,
  );
  return fault?.code ?? null;
}

/**
 * The fast path: one credential report covers the whole account in a handful of calls instead of
 * 2 to 4 per user. AWS regenerates it at most every 4 hours, so verdicts can be up to 4 hours old;
 * the report's GeneratedTime is carried into the scan report so nobody has to guess.
 *
 * Calls: GenerateCredentialReport until COMPLETE, then GetCredentialReport. With a report under
 * 4 hours old that is 2 calls; each poll adds one. LimitExceeded (Generate) and ReportInProgress
 * (Get) are waited out; ReportNotPresent and ReportExpired (Get) start a new generation. All the
 * waits of one read share one budget, `maxWaitMs`.
 */
export class CredentialReportSource implements UserSource {
  readonly kind = 'credential-report' as const;
  private readonly client: IAMClient;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;
  private readonly whenNotReady: string;

  constructor({
    client = createIamClient(),
    sleep = defaultSleep,
    maxWaitMs = DEFAULT_MAX_WAIT_MS,
    whenNotReady = 'try again later',
  }: CredentialReportSourceOptions = {}) {
    this.client = client;
    this.sleep = sleep;
    this.maxWaitMs = maxWaitMs;
    this.whenNotReady = whenNotReady;
  }

  async read({
    onProgress,
    onWait,
    onWarning,
    shouldStop,
    abortSignal,
  }: ReadOptions): Promise<UserInventory> {
    const waits = new WaitBudget(
      this.sleep,
      this.maxWaitMs,
      this.whenNotReady,
      () => Boolean(shouldStop?.() || abortSignal?.aborted),
      onWait,
    );
    let report: Report;
    try {
      report = await this.fetchReport(waits, abortSignal);
    } catch (error) {
      // A call cut off by the hard stop surfaces as an AbortError: say why instead.
      if (abortSignal?.aborted) throw new AwsReadError(STOPPED, { cause: error });
      throw error;
    }
    const { content, generatedAt } = report;
    const parsed = parseCredentialReport(content);
    for (const warning of parsed.warnings) onWarning?.(warning);
    onProgress?.({ done: parsed.users.length, total: parsed.users.length });
    return { users: parsed.users, accountId: parsed.accountId, credentialReportGeneratedAt: generatedAt };
  }

  private async fetchReport(waits: WaitBudget, abortSignal: AbortSignal | undefined): Promise<Report> {
    for (let regenerations = 0; ; regenerations++) {
      await this.waitUntilGenerated(waits, abortSignal);
      const answer = await this.getReport(waits, abortSignal);
      if (answer.kind === 'report') return answer;
      if (regenerations === MAX_REGENERATIONS) {
        throw new AwsReadError(
          `the credential report was not ready after ${MAX_REGENERATIONS} regenerations and ` +
            `${seconds(waits.waitedMs)} s (last answer: ${answer.code}); ${this.whenNotReady}`,
        );
      }
    }
  }

  private async waitUntilGenerated(waits: WaitBudget, abortSignal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      let answer: string;
      try {
        const { State } = await this.client.send(new GenerateCredentialReportCommand({}), { abortSignal });
        if (State === 'COMPLETE') return;
        answer = State ?? 'no State';
      } catch (error) {
        if (reportFault(error) !== 'LimitExceeded') {
          throw new AwsReadError(`generating the credential report failed: ${describeAwsError(error)}`, {
            cause: error,
          });
        }
        answer = 'LimitExceeded';
      }
      await waits.wait(answer);
    }
  }

  /** The report, or which answer says it must be generated again. */
  private async getReport(
    waits: WaitBudget,
    abortSignal: AbortSignal | undefined,
  ): Promise<Report | { kind: 'regenerate'; code: 'ReportNotPresent' | 'ReportExpired' }> {
    for (;;) {
      let response;
      try {
        response = await this.client.send(new GetCredentialReportCommand({}), { abortSignal });
      } catch (error) {
        const fault = reportFault(error);
        if (fault === 'ReportInProgress') {
          await waits.wait(fault);
          continue;
        }
        if (fault === 'ReportNotPresent' || fault === 'ReportExpired')
          return { kind: 'regenerate', code: fault };
        throw new AwsReadError(`fetching the credential report failed: ${describeAwsError(error)}`, {
          cause: error,
        });
      }
      if (!response.Content) throw new AwsReadError('GetCredentialReport returned no content');
      // The SDK has already decoded the base64 blob: Content holds the CSV bytes.
      return {
        kind: 'report',
        content: new TextDecoder('utf-8').decode(response.Content),
        generatedAt: response.GeneratedTime ?? null,
      };
    }
  }
}

interface Report {
  readonly kind: 'report';
  readonly content: string;
  readonly generatedAt: Date | null;
}

/** The waits of one read: growing delays, one total budget, and the run's own deadline. */
class WaitBudget {
  waitedMs = 0;
  private waits = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;
  private readonly whenNotReady: string;
  private readonly shouldStop: (() => boolean) | undefined;
  private readonly onWait: ((wait: ReportWait) => void) | undefined;

  constructor(
    sleep: (ms: number) => Promise<void>,
    maxWaitMs: number,
    whenNotReady: string,
    shouldStop?: () => boolean,
    onWait?: (wait: ReportWait) => void,
  ) {
    this.sleep = sleep;
    this.maxWaitMs = maxWaitMs;
    this.whenNotReady = whenNotReady;
    this.shouldStop = shouldStop;
    this.onWait = onWait;
  }

  /** Waits before the next call, or throws when the run must stop or the budget is spent. */
  async wait(lastAnswer: string): Promise<void> {
    if (this.shouldStop?.()) {
      throw new AwsReadError(STOPPED);
    }
    const left = this.maxWaitMs - this.waitedMs;
    if (left <= 0) {
      throw new AwsReadError(
        `the credential report was not ready after ${seconds(this.waitedMs)} s ` +
          `(last answer: ${lastAnswer}); ${this.whenNotReady}`,
      );
    }
    this.waits++;
    const delay = Math.min(credentialReportDelayMs(this.waits), left);
    this.onWait?.({ lastAnswer, waitedMs: this.waitedMs, nextWaitMs: delay });
    await this.sleep(delay);
    this.waitedMs += delay;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
}
