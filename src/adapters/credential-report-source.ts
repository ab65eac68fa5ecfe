import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { ReadOptions, UserInventory, UserSource } from '../domain/user-source';
import { AwsReadError, describeAwsError } from '../lib/errors';
import { createIamClient } from './aws-clients';
import { parseCredentialReport } from './credential-report-csv';

export interface CredentialReportSourceOptions {
  readonly client?: IAMClient;
  /** Injected so tests do not wait; the default really waits. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollIntervalMs?: number;
  /** Give up after this many polls (default: 60 x 2 s, two minutes; reports usually take seconds). */
  readonly maxPolls?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The fast path: one credential report covers the whole account in a handful of calls instead of
 * 2 to 4 per user. AWS regenerates it at most every 4 hours, so verdicts can be up to 4 hours old;
 * the report's GeneratedTime is carried into the scan report so nobody has to guess.
 */
export class CredentialReportSource implements UserSource {
  readonly kind = 'credential-report' as const;
  private readonly client: IAMClient;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly maxPolls: number;

  constructor({
    client = createIamClient(),
    sleep = defaultSleep,
    pollIntervalMs = 2000,
    maxPolls = 60,
  }: CredentialReportSourceOptions = {}) {
    this.client = client;
    this.sleep = sleep;
    this.pollIntervalMs = pollIntervalMs;
    this.maxPolls = maxPolls;
  }

  async read({ onProgress }: ReadOptions): Promise<UserInventory> {
    await this.waitUntilGenerated();
    const { content, generatedAt } = await this.fetchReport();
    const parsed = parseCredentialReport(content);
    onProgress?.({ done: parsed.users.length, total: parsed.users.length });
    return { users: parsed.users, accountId: parsed.accountId, credentialReportGeneratedAt: generatedAt };
  }

  private async waitUntilGenerated(): Promise<void> {
    for (let poll = 1; poll <= this.maxPolls; poll++) {
      let state: string | undefined;
      try {
        ({ State: state } = await this.client.send(new GenerateCredentialReportCommand({})));
      } catch (error) {
        throw new AwsReadError(`generating the credential report failed: ${describeAwsError(error)}`, {
          cause: error,
        });
      }
      if (state === 'COMPLETE') return;
      await this.sleep(this.pollIntervalMs);
    }
    throw new AwsReadError(
      `the credential report was not ready after ${this.maxPolls} polls; try again, or use --source api`,
    );
  }

  private async fetchReport(): Promise<{ content: string; generatedAt: Date | null }> {
    try {
      const { Content, GeneratedTime } = await this.client.send(new GetCredentialReportCommand({}));
      if (!Content) throw new AwsReadError('GetCredentialReport returned no content');
      // The SDK has already decoded the base64 blob: Content holds the CSV bytes.
      return { content: new TextDecoder('utf-8').decode(Content), generatedAt: GeneratedTime ?? null };
    } catch (error) {
      if (error instanceof AwsReadError) throw error;
      throw new AwsReadError(`fetching the credential report failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }
}
