import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseIntentEntry } from '../contracts/audit-entry';
import type { ActionRecord } from '../domain/remediation/execute';
import {
  intentEntry,
  outcomeEntry,
  recordEntry,
  runEntry,
  type ActionIntent,
  type AuditJournal,
  type DescribeReason,
  type OrphanIntent,
  type RunHeader,
} from '../domain/remediation/journal';
import { InvalidInputError } from '../lib/errors';

/**
 * The audit trail of `stale-iam disable`: the same JSON lines as the service's trail in S3,
 * appended to a local file (and echoed to stdout). Each line is on disk (fsync) before the call
 * that follows it: an intent before its IAM write. A run killed between the two leaves an intent
 * with no outcome; the next run on the same file reports it as unknown.
 */
export class AuditFile implements AuditJournal {
  constructor(
    private readonly path: string,
    private readonly runId: string,
    private readonly describe: DescribeReason,
    private readonly echo: (line: string) => void,
  ) {}

  async intend(intent: ActionIntent): Promise<void> {
    this.append(intentEntry(this.runId, intent));
  }

  async settle(intent: ActionIntent, outcome: ActionRecord): Promise<void> {
    this.append(outcomeEntry(this.runId, intent.seq, outcome, this.describe));
  }

  run(startedAt: Date, header: RunHeader): void {
    this.append(runEntry(this.runId, startedAt, header));
  }

  record(record: ActionRecord): void {
    this.append(recordEntry(record, this.describe));
  }

  /**
   * Intents of earlier runs in this file with no outcome beside them. (Two runs on one file at the
   * same time would take each other's intents in flight for lost ones: give each its own file.)
   */
  findOrphans(): OrphanIntent[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new InvalidInputError(`cannot read the audit file ${this.path}`, { cause: error });
    }
    const intents = new Map<string, OrphanIntent>();
    const settled = new Set<string>();
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      let entry: { kind?: unknown; runId?: unknown; seq?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch (error) {
        throw new InvalidInputError(`${this.path} line ${index + 1} is not JSON`, { cause: error });
      }
      const id = `${String(entry.runId)}#${String(entry.seq)}`;
      if (entry.kind === 'outcome') settled.add(id);
      if (entry.kind !== 'intent' || entry.runId === this.runId) return;
      const parsed = parseIntentEntry(entry);
      if (!parsed.ok) throw new InvalidInputError(`${this.path} line ${index + 1}: ${parsed.problem}`);
      intents.set(id, { runId: parsed.runId, intent: parsed.intent });
    });
    return [...intents].filter(([id]) => !settled.has(id)).map(([, orphan]) => orphan);
  }

  settleOrphan(orphan: OrphanIntent, outcome: ActionRecord): void {
    this.append({
      ...outcomeEntry(orphan.runId, orphan.intent.seq, outcome, this.describe),
      settledBy: this.runId,
    });
  }

  private append(entry: Record<string, unknown>): void {
    const line = JSON.stringify(entry);
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'a');
      writeSync(fd, `${line}\n`);
      fsyncSync(fd);
    } catch (error) {
      throw new AuditFileError(`cannot write the audit file ${this.path}: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    this.echo(line);
  }
}

/** The audit file cannot be written: nothing more is done (the run stops before its next IAM write). */
export class AuditFileError extends Error {
  override name = 'AuditFileError';
}
