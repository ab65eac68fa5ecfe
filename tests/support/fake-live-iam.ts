import type {
  LiveAccessKey,
  LiveIam,
  LiveLoginProfile,
  LiveUser,
  PasswordsLastSet,
} from '../../src/domain/remediation/ports';

/**
 * An in-memory IAM behind the disable step's LiveIam port: the state the re-check reads and the
 * writes change, and a journal of every call so a test can prove what was (not) read or written.
 */

export interface FakeUserState {
  userName: string;
  path?: string;
  tags?: Record<string, string>;
  groups?: string[];
  passwordLastUsedAt?: Date | null;
  /** Null or absent: the user has no console password. */
  loginProfile?: { createdAt: Date; passwordResetRequired?: boolean } | null;
  /**
   * The credential report's `password_last_changed`: by default the profile's creation (null
   * without one), as AWS writes it for a password never reset; a later date is an administrator's
   * reset. `'absent'`: the report does not list the user.
   */
  passwordLastChanged?: Date | null | 'absent';
  accessKeys?: {
    accessKeyId: string;
    status: 'Active' | 'Inactive';
    createdAt: Date;
    lastUsedAt?: Date | null;
  }[];
}

export type LiveIamMethod = keyof LiveIam;

export interface LiveIamCall {
  readonly method: LiveIamMethod;
  readonly userName: string;
  readonly accessKeyId?: string;
  readonly withGroups?: boolean;
}

const WRITES: readonly LiveIamMethod[] = ['deleteLoginProfile', 'deactivateAccessKey'];

/** The user name a call of the whole account is journalled (and failed, with failOn) under. */
export const WHOLE_ACCOUNT = '*';

/** When the fake's credential report was generated. */
export const FAKE_REPORT_GENERATED_AT = new Date('2026-11-28T00:00:00Z');

export class FakeLiveIam implements LiveIam {
  readonly calls: LiveIamCall[] = [];
  private readonly users = new Map<string, FakeUserState>();
  private readonly failures = new Map<string, Error>();
  private readonly vanishing = new Set<string>();

  constructor(users: readonly FakeUserState[] = []) {
    for (const user of users) this.users.set(user.userName, structuredClone(user));
  }

  /** The next and every later call of `method` for `userName` throws `error`. */
  failOn(method: LiveIamMethod, userName: string, error: Error): this {
    this.failures.set(`${method}:${userName}`, error);
    return this;
  }

  /**
   * Somebody else removes the user's login profile between the re-check and the delete: the
   * re-check still sees it, the delete answers NoSuchEntity (the port's `already-gone`).
   */
  loginProfileVanishesBeforeDelete(userName: string): this {
    this.vanishing.add(userName);
    return this;
  }

  /** The current state of one user, to check what a write changed. */
  state(userName: string): FakeUserState | undefined {
    return this.users.get(userName);
  }

  writes(): LiveIamCall[] {
    return this.calls.filter((c) => WRITES.includes(c.method));
  }

  async readUser(userName: string, withGroups: boolean): Promise<LiveUser | null> {
    this.enter({ method: 'readUser', userName, withGroups });
    const user = this.users.get(userName);
    if (!user) return null;
    return {
      userName,
      path: user.path ?? '/',
      tags: new Map(Object.entries(user.tags ?? {})),
      passwordLastUsedAt: user.passwordLastUsedAt ?? null,
      groupNames: withGroups ? [...(user.groups ?? [])] : null,
    };
  }

  async readLoginProfile(userName: string): Promise<LiveLoginProfile | null> {
    this.enter({ method: 'readLoginProfile', userName });
    const profile = this.users.get(userName)?.loginProfile;
    if (!profile) return null;
    return { createdAt: profile.createdAt, passwordResetRequired: profile.passwordResetRequired ?? false };
  }

  async readPasswordsLastSet(): Promise<PasswordsLastSet> {
    this.enter({ method: 'readPasswordsLastSet', userName: WHOLE_ACCOUNT });
    const users: PasswordsLastSet['users'][number][] = [];
    for (const user of this.users.values()) {
      const changed = user.passwordLastChanged;
      if (changed === 'absent') continue;
      users.push({
        userName: user.userName,
        lastSetAt: changed === undefined ? (user.loginProfile?.createdAt ?? null) : changed,
      });
    }
    return { generatedAt: FAKE_REPORT_GENERATED_AT, users };
  }

  async readAccessKeys(userName: string): Promise<LiveAccessKey[]> {
    this.enter({ method: 'readAccessKeys', userName });
    return (this.users.get(userName)?.accessKeys ?? []).map((k) => ({
      accessKeyId: k.accessKeyId,
      status: k.status,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt ?? null,
    }));
  }

  async deleteLoginProfile(userName: string): Promise<'deleted' | 'already-gone'> {
    this.enter({ method: 'deleteLoginProfile', userName });
    const user = this.users.get(userName);
    if (!user?.loginProfile || this.vanishing.has(userName)) {
      if (user) user.loginProfile = null;
      return 'already-gone';
    }
    user.loginProfile = null;
    return 'deleted';
  }

  async deactivateAccessKey(userName: string, accessKeyId: string): Promise<'deactivated' | 'already-gone'> {
    this.enter({ method: 'deactivateAccessKey', userName, accessKeyId });
    const key = this.users.get(userName)?.accessKeys?.find((k) => k.accessKeyId === accessKeyId);
    if (!key) return 'already-gone';
    key.status = 'Inactive';
    return 'deactivated';
  }

  private enter(call: LiveIamCall): void {
    this.calls.push(call);
    const failure = this.failures.get(`${call.method}:${call.userName}`);
    if (failure) throw failure;
  }
}
