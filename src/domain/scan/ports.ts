import type { CredentialScope } from '../verdict/evaluate';
import type { UserReading } from '../verdict/user-snapshot';
import type { ReportSource } from '../report/scan-report';

/** Everything one source knows about the account's users, read in one go. */
export interface UserInventory {
  readonly users: readonly UserReading[];
  /** From the users' ARNs (or the root row of a credential report); null when nothing names it. */
  readonly accountId: string | null;
  readonly credentialReportGeneratedAt: Date | null;
  /**
   * Users listed but deleted before their credentials could be read (the api source); scanAccount
   * adds those IAM no longer knows when the exemptions are read (see ExemptionDirectory.deletedOf).
   */
  readonly deletedDuringScan?: readonly string[];
}

export interface ReadProgress {
  readonly done: number;
  readonly total: number;
}

/** A wait for the credential report: AWS's last answer, and how long the source has waited so far. */
export interface ReportWait {
  /** `STARTED`, `INPROGRESS`, `ReportInProgress`, `LimitExceeded`, ... */
  readonly lastAnswer: string;
  readonly waitedMs: number;
  /** How long this wait lasts. */
  readonly nextWaitMs: number;
}

export interface ReadOptions {
  /** A source may skip reads that the scope does not need (no key calls for a password-only scan). */
  readonly scope: CredentialScope;
  readonly onProgress?: (progress: ReadProgress) => void;
  /** Called before each wait for a credential report that AWS is still generating. */
  readonly onWait?: (wait: ReportWait) => void;
  /**
   * Something a person should know about the input that did not stop it being read (one line,
   * e.g. a user on two rows of a credential report file).
   */
  readonly onWarning?: (warning: string) => void;
  /**
   * Asked before each new piece of work (a user's reads, another wait for the credential report).
   * Once it answers true the source starts nothing new: a Lambda near its timeout writes what it
   * has instead of being killed with nothing written.
   */
  readonly shouldStop?: () => boolean;
  /**
   * The hard stop, later than `shouldStop`: aborts the calls still in flight (a user whose reads
   * keep being throttled), so that what was read can still be written before the timeout.
   */
  readonly abortSignal?: AbortSignal;
}

/**
 * The port every source implements: the IAM API, a credential report fetched from AWS, or a
 * credential report file. A source throws when it cannot list the account at all; a user it lists
 * but cannot read is returned as `unreadable`, so the rest of the scan goes on.
 */
export interface UserSource {
  readonly kind: ReportSource;
  read(options: ReadOptions): Promise<UserInventory>;
}

/** `arn:aws:iam::123456789012:user/alice` -> `123456789012`. */
export function accountIdFromArn(arn: string): string | null {
  const match = /^arn:[^:]+:iam::(\d{12}):/.exec(arn);
  return match?.[1] ?? null;
}
