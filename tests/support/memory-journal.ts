import type { ActionRecord } from '../../src/domain/remediation/execute';
import type { ActionIntent, AuditJournal } from '../../src/domain/remediation/journal';
import type { FakeLiveIam } from './fake-live-iam';

export interface JournalEntry {
  readonly kind: 'intent' | 'outcome';
  readonly seq: number;
  readonly userName: string;
  readonly outcome?: ActionRecord['outcome'];
  /** How many IAM writes the fake had received when this entry was written. */
  readonly writesBefore: number;
}

/**
 * The audit journal in memory, for domain tests: what was written, in order, and how many IAM
 * writes had been sent at that moment, so a test can prove that each intent comes before its write.
 * `failOn` makes the journal refuse an entry, as S3 would when it cannot be reached.
 */
export class MemoryJournal implements AuditJournal {
  readonly entries: JournalEntry[] = [];
  readonly intents: ActionIntent[] = [];
  private failure: { kind: 'intent' | 'outcome'; seq: number; error: Error } | null = null;

  constructor(private readonly live?: FakeLiveIam) {}

  failOn(kind: 'intent' | 'outcome', seq: number, error: Error): this {
    this.failure = { kind, seq, error };
    return this;
  }

  async intend(intent: ActionIntent): Promise<void> {
    this.enter('intent', intent.seq);
    this.intents.push(intent);
    this.entries.push({
      kind: 'intent',
      seq: intent.seq,
      userName: intent.userName,
      writesBefore: this.writes(),
    });
  }

  async settle(intent: ActionIntent, outcome: ActionRecord): Promise<void> {
    this.enter('outcome', intent.seq);
    this.entries.push({
      kind: 'outcome',
      seq: intent.seq,
      userName: intent.userName,
      outcome: outcome.outcome,
      writesBefore: this.writes(),
    });
  }

  private enter(kind: 'intent' | 'outcome', seq: number): void {
    if (this.failure && this.failure.kind === kind && this.failure.seq === seq) throw this.failure.error;
  }

  private writes(): number {
    return this.live?.writes().length ?? 0;
  }
}
