import type { CredentialVerdict, UserVerdict } from '../../../src/domain/verdict/evaluate';
import {
  EXEMPT_TAG_KEY,
  NO_EXEMPTIONS,
  applyExemptions,
  exemptionReason,
  exemptionRules,
  type UserDirectoryEntry,
} from '../../../src/domain/verdict/exemptions';
import { InvalidConfigError } from '../../../src/lib/errors';

function entry(userName: string, overrides: Partial<UserDirectoryEntry> = {}): UserDirectoryEntry {
  return { userName, path: '/', tags: new Map(), groupNames: [], ...overrides };
}

function tagged(userName: string, value: string): UserDirectoryEntry {
  return entry(userName, { tags: new Map([[EXEMPT_TAG_KEY, value]]) });
}

function directoryOf(...entries: UserDirectoryEntry[]): ReadonlyMap<string, UserDirectoryEntry> {
  return new Map(entries.map((e) => [e.userName, e]));
}

const STALE_PASSWORD: CredentialVerdict = {
  type: 'password',
  lastUsedAt: new Date('2026-05-01T00:00:00Z'),
  referenceAt: new Date('2026-05-01T00:00:00Z'),
  basis: 'last-used',
  idleDays: 211,
  stale: true,
};

const STALE_KEY: CredentialVerdict = {
  type: 'access-key',
  accessKeyId: 'AKIAEXAMPLESTALE0001',
  slot: 1,
  active: true,
  createdAt: new Date('2024-01-01T00:00:00Z'),
  lastUsedAt: null,
  referenceAt: new Date('2024-01-01T00:00:00Z'),
  basis: 'created',
  idleDays: 1062,
  stale: true,
};

function verdict(userName: string, status: UserVerdict['status'] = 'stale'): UserVerdict {
  return {
    userName,
    arn: `arn:aws:iam::123456789012:user/${userName}`,
    createdAt: new Date('2021-01-19T02:00:14Z'),
    status,
    lastActivityAt: status === 'error' ? null : STALE_PASSWORD.referenceAt,
    idleDays: status === 'error' ? null : 211,
    credentials: status === 'error' ? [] : [STALE_PASSWORD, STALE_KEY],
    ...(status === 'error' ? { error: 'AccessDenied: iam:ListAccessKeys' } : {}),
  };
}

describe('exemption by tag', () => {
  it.each(['true', 'TRUE', 'True', ' true '])('exempts a user tagged %p', (value) => {
    expect(exemptionReason(tagged('breakglass', value), NO_EXEMPTIONS)).toBe('tag stale-iam:exempt=true');
  });

  it.each(['false', 'FALSE', '', 'yes', '1', 'truee'])('does not exempt a user tagged %p', (value) => {
    expect(exemptionReason(tagged('alice', value), NO_EXEMPTIONS)).toBeNull();
  });

  it('does not exempt a user with other tags only', () => {
    const user = entry('alice', { tags: new Map([['team', 'stale-iam:exempt=true']]) });

    expect(exemptionReason(user, NO_EXEMPTIONS)).toBeNull();
  });

  it('honours the tag without any rule configured', () => {
    expect(NO_EXEMPTIONS.userNames.size).toBe(0);
    expect(NO_EXEMPTIONS.pathPrefixes).toEqual([]);
    expect(NO_EXEMPTIONS.groupNames.size).toBe(0);
    expect(exemptionReason(tagged('breakglass', 'true'), NO_EXEMPTIONS)).not.toBeNull();
  });
});

describe('exemption by user name', () => {
  const rules = exemptionRules({ userNames: ['breakglass', 'ci-deploy'] });

  it('exempts a listed user name', () => {
    expect(exemptionReason(entry('breakglass'), rules)).toBe('user name is exempt');
    expect(exemptionReason(entry('ci-deploy'), rules)).toBe('user name is exempt');
  });

  it('does not exempt a name that only starts like a listed one', () => {
    expect(exemptionReason(entry('breakglass2'), rules)).toBeNull();
    expect(exemptionReason(entry('ci'), rules)).toBeNull();
  });

  it('exempts a listed user name whatever its case, as IAM user names are unique regardless of case', () => {
    // IAM: "Names are not distinguished by case": BreakGlass in the settings can only mean this user.
    expect(exemptionReason(entry('BreakGlass'), rules)).toBe('user name is exempt');
  });
});

describe('exemption by path prefix', () => {
  it.each(['/breakglass/', '/breakglass'])(
    'exempts users under the rule %p, written with or without the trailing slash',
    (rule) => {
      const rules = exemptionRules({ pathPrefixes: [rule] });

      expect(exemptionReason(entry('admin', { path: '/breakglass/' }), rules)).toBe(
        'path /breakglass/ is under exempt prefix /breakglass/',
      );
      expect(exemptionReason(entry('admin2', { path: '/breakglass/emea/' }), rules)).toBe(
        'path /breakglass/emea/ is under exempt prefix /breakglass/',
      );
    },
  );

  it.each(['/breakglass/', '/breakglass'])(
    'does not exempt a sibling path that merely starts with the same letters under the rule %p',
    (rule) => {
      const rules = exemptionRules({ pathPrefixes: [rule] });

      expect(exemptionReason(entry('intern', { path: '/breakglass-trainees/' }), rules)).toBeNull();
      expect(exemptionReason(entry('alice', { path: '/' }), rules)).toBeNull();
    },
  );

  it('never silently ignores a prefix written without the leading slash: it matches, or the setting is refused', () => {
    // IAM paths always start with "/": taken literally, "breakglass/" could never match anybody,
    // and the break-glass users it was meant to protect would lose their passwords.
    let rules;
    try {
      rules = exemptionRules({ pathPrefixes: ['breakglass'] });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      return;
    }
    expect(exemptionReason(entry('admin', { path: '/breakglass/' }), rules)).not.toBeNull();
  });

  it('checks every configured prefix', () => {
    const rules = exemptionRules({ pathPrefixes: ['/breakglass/', '/system/robots'] });

    expect(exemptionReason(entry('bot', { path: '/system/robots/' }), rules)).toBe(
      'path /system/robots/ is under exempt prefix /system/robots/',
    );
  });
});

describe('exemption by group', () => {
  const rules = exemptionRules({ groupNames: ['breakglass-admins'] });

  it('exempts a member of an exempt group', () => {
    const user = entry('admin', { groupNames: ['developers', 'breakglass-admins'] });

    expect(exemptionReason(user, rules)).toBe('member of exempt group breakglass-admins');
  });

  it('does not exempt a user in other groups only', () => {
    expect(exemptionReason(entry('alice', { groupNames: ['developers'] }), rules)).toBeNull();
  });

  it('does not exempt a user whose groups were not read', () => {
    expect(exemptionReason(entry('alice', { groupNames: null }), rules)).toBeNull();
  });

  it('exempts a member of an exempt group whatever the case, as IAM group names are unique regardless of case', () => {
    const user = entry('admin', { groupNames: ['BreakGlass-Admins'] });

    expect(exemptionReason(user, rules)).toMatch(/^member of exempt group breakglass-admins$/i);
  });
});

describe('exemption rules from settings', () => {
  it('gives no rule for empty settings', () => {
    const rules = exemptionRules({ userNames: [], pathPrefixes: [], groupNames: [] });

    expect(rules.userNames.size).toBe(0);
    expect(rules.pathPrefixes).toEqual([]);
    expect(rules.groupNames.size).toBe(0);
    expect(
      exemptionReason(entry('alice', { path: '/breakglass/', groupNames: ['admins'] }), rules),
    ).toBeNull();
  });

  it('ends every path prefix with a slash', () => {
    expect(exemptionRules({ pathPrefixes: ['/breakglass', '/ops/'] }).pathPrefixes).toEqual([
      '/breakglass/',
      '/ops/',
    ]);
  });
});

describe('applyExemptions', () => {
  it('marks an exempt user exempt with the reason, keeping its credential verdicts for the record', () => {
    const [result] = applyExemptions(
      [verdict('breakglass')],
      directoryOf(tagged('breakglass', 'true')),
      NO_EXEMPTIONS,
    );

    expect(result?.status).toBe('exempt');
    expect(result?.exemptReason).toBe('tag stale-iam:exempt=true');
    expect(result?.credentials).toEqual([STALE_PASSWORD, STALE_KEY]);
    expect(result?.idleDays).toBe(211);
    expect(result?.lastActivityAt).toEqual(STALE_PASSWORD.referenceAt);
  });

  it('marks an active user exempt too: exemption does not depend on staleness', () => {
    const rules = exemptionRules({ userNames: ['sota'] });
    const [result] = applyExemptions([verdict('sota', 'active')], directoryOf(entry('sota')), rules);

    expect(result?.status).toBe('exempt');
    expect(result?.exemptReason).toBe('user name is exempt');
  });

  it('leaves users that are not exempt exactly as they were', () => {
    const alice = verdict('alice');
    const [result] = applyExemptions([alice], directoryOf(entry('alice')), NO_EXEMPTIONS);

    expect(result).toEqual(alice);
    expect(result?.exemptReason).toBeUndefined();
  });

  it('leaves error users alone, even when the directory says they are exempt', () => {
    const locked = verdict('locked', 'error');
    const [result] = applyExemptions([locked], directoryOf(tagged('locked', 'true')), NO_EXEMPTIONS);

    expect(result).toEqual(locked);
    expect(result?.status).toBe('error');
    expect(result?.exemptReason).toBeUndefined();
  });

  it('leaves an error user alone when the directory does not know it either', () => {
    const locked = verdict('locked', 'error');

    expect(applyExemptions([locked], directoryOf(), NO_EXEMPTIONS)).toEqual([locked]);
  });

  it('makes a user missing from the directory an error: its exemption could not be checked', () => {
    const [result] = applyExemptions([verdict('new-hire')], directoryOf(entry('alice')), NO_EXEMPTIONS);

    expect(result?.status).toBe('error');
    expect(result?.error).toBe(
      'user not found in the exemption directory (created during the scan?); not evaluated',
    );
    expect(result?.exemptReason).toBeUndefined();
  });

  it('decides each user on its own and keeps the order', () => {
    const rules = exemptionRules({ pathPrefixes: ['/breakglass'] });
    const results = applyExemptions(
      [verdict('admin'), verdict('alice'), verdict('bob', 'active'), verdict('ghost')],
      directoryOf(entry('admin', { path: '/breakglass/' }), entry('alice'), entry('bob')),
      rules,
    );

    expect(results.map((r) => [r.userName, r.status])).toEqual([
      ['admin', 'exempt'],
      ['alice', 'stale'],
      ['bob', 'active'],
      ['ghost', 'error'],
    ]);
  });
});
