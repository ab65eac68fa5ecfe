import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { parseStoredFinding } from '../../contracts/stored-finding';
import {
  ASFF_LIMITS,
  GENERATOR_ID,
  productArnOf,
  type AsffFinding,
  type FindingsIdentity,
} from '../../domain/findings/asff';
import type {
  ActiveFindings,
  FailedFinding,
  FindingsStore,
  UnreadableFinding,
} from '../../domain/findings/sync';
import { AwsReadError, AwsWriteError, describeAwsError } from '../../lib/errors';
import { pacer } from '../../lib/pace';

/**
 * Security Hub as the findings store of one account and Region: the client's credentials are that
 * account's (in an organisation, the member role's).
 *
 * Reads: GetFindings filtered on our product ARN, generator and RecordState ACTIVE, 100 per page,
 * until no NextToken (a page may be empty while more remain). Security Hub may hold other
 * products' findings and an emulator may ignore filters, so the use case filters again.
 *
 * Writes: BatchImportFindings, at most 100 findings per request, one request at a time. Both calls
 * are paced below their quotas (GetFindings 3/s, burst 6; BatchImportFindings 10/s, burst 30, per
 * account and Region and shared with every other importer); the SDK's retry strategy
 * (./client.ts) absorbs the throttling that remains. Findings a request refuses (FailedFindings) are
 * sent again, a few rounds with a growing wait, unless the refusal says the finding itself is
 * invalid; those still refused are returned. A request that fails as a whole (no Security Hub in
 * the account, AccessDenied, throttled beyond the retries) stops the import with an error that
 * says how far it got.
 */

/** Per-finding error codes that retrying the same finding cannot fix. */
const PERMANENT_FAILURE = /^InvalidInput/i;

export interface SecurityHubFindingsStoreOptions {
  readonly client: SecurityHubClient;
  readonly identity: FindingsIdentity;
  /** BatchImportFindings requests per second (default 5: half the quota, which other importers share). */
  readonly importsPerSecond?: number;
  /** GetFindings requests per second (default 2; the quota is 3). */
  readonly readsPerSecond?: number;
  /** Rounds of re-sending refused findings after the first attempt (default 3). */
  readonly retryRounds?: number;
  /** Wait before re-sending refused findings, by round (1-based); default 1 s, 2 s, 4 s. */
  readonly retryDelayMs?: (round: number) => number;
  /** Injected so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds on a monotonic clock, for the pacing; injected in tests. */
  readonly now?: () => number;
}

export class SecurityHubFindingsStore implements FindingsStore {
  private readonly client: SecurityHubClient;
  private readonly productArn: string;
  private readonly accountId: string;
  private readonly paceImport: () => Promise<void>;
  private readonly paceRead: () => Promise<void>;
  private readonly retryRounds: number;
  private readonly retryDelayMs: (round: number) => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: SecurityHubFindingsStoreOptions) {
    this.client = options.client;
    this.productArn = productArnOf(options.identity);
    this.accountId = options.identity.accountId;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const clock = { sleep: this.sleep, ...(options.now ? { now: options.now } : {}) };
    this.paceImport = pacer(1000 / (options.importsPerSecond ?? 5), clock);
    this.paceRead = pacer(1000 / (options.readsPerSecond ?? 2), clock);
    this.retryRounds = options.retryRounds ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? ((round) => 1000 * 2 ** (round - 1));
  }

  async listActive(): Promise<ActiveFindings> {
    const equals = (Value: string) => [{ Value, Comparison: 'EQUALS' as const }];
    const findings: AsffFinding[] = [];
    const unreadable: UnreadableFinding[] = [];
    let nextToken: string | undefined;
    do {
      await this.paceRead();
      let page;
      try {
        page = await this.client.send(
          new GetFindingsCommand({
            Filters: {
              ProductArn: equals(this.productArn),
              GeneratorId: equals(GENERATOR_ID),
              AwsAccountId: equals(this.accountId),
              RecordState: equals('ACTIVE'),
            },
            MaxResults: 100,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
      } catch (error) {
        throw new AwsReadError(`reading the active findings failed: ${describeAwsError(error)}`, {
          cause: error,
        });
      }
      for (const raw of page.Findings ?? []) {
        // Another product's finding is not ours to read, let alone to resend.
        if (raw.ProductArn !== this.productArn || raw.GeneratorId !== GENERATOR_ID) continue;
        const parsed = parseStoredFinding(raw);
        if ('finding' in parsed) findings.push(parsed.finding);
        else unreadable.push({ id: raw.Id ?? '(no Id)', problem: parsed.problem });
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken);
    return { findings, unreadable };
  }

  async import(findings: readonly AsffFinding[]): Promise<FailedFinding[]> {
    const failures: FailedFinding[] = [];
    let accepted = 0;
    for (let start = 0; start < findings.length; start += ASFF_LIMITS.findingsPerImport) {
      const batch = findings.slice(start, start + ASFF_LIMITS.findingsPerImport);
      const refused = await this.importBatch(
        batch,
        () => `${accepted} of ${findings.length} findings were imported before it`,
      );
      failures.push(...refused);
      accepted += batch.length - refused.length;
    }
    return failures;
  }

  /** One batch, re-sending what it refuses; what is still refused after the rounds. */
  private async importBatch(batch: readonly AsffFinding[], progress: () => string): Promise<FailedFinding[]> {
    const final: FailedFinding[] = [];
    let pending = batch;
    for (let round = 0; ; round++) {
      const refused = await this.send(pending, progress);
      const sent = new Set(pending.map((f) => f.Id));
      const retry = refused.filter((f) => sent.has(f.id) && !PERMANENT_FAILURE.test(f.code));
      final.push(...refused.filter((f) => !retry.includes(f)));
      if (retry.length === 0) return final;
      if (round === this.retryRounds) return [...final, ...retry];
      await this.sleep(this.retryDelayMs(round + 1));
      const again = new Set(retry.map((f) => f.id));
      pending = pending.filter((f) => again.has(f.Id));
    }
  }

  private async send(findings: readonly AsffFinding[], progress: () => string): Promise<FailedFinding[]> {
    await this.paceImport();
    try {
      // Our shape is a subset of the SDK's; the type checker holds one against the other here.
      const Findings: AwsSecurityFinding[] = [...findings];
      const { FailedFindings = [] } = await this.client.send(new BatchImportFindingsCommand({ Findings }));
      return FailedFindings.map((f) => ({
        id: f.Id ?? '(no Id)',
        code: f.ErrorCode ?? 'Unknown',
        message: f.ErrorMessage ?? '',
      }));
    } catch (error) {
      throw new AwsWriteError(
        `importing findings into Security Hub failed (${progress()}): ${describeAwsError(error)}`,
        { cause: error },
      );
    }
  }
}
