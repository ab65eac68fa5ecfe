import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseCredentialReport, parseCsvRows } from '../../src/adapters/credential-report/csv';
import {
  evaluateUsers,
  type CredentialVerdict,
  type UserStatus,
  type UserVerdict,
} from '../../src/domain/verdict/evaluate';
import type { IamUserSnapshot } from '../../src/domain/verdict/user-snapshot';
import { hasStaleCredential, summarize } from '../../src/domain/report/scan-report';
import { CREDENTIAL_REPORT_HEADER } from '../support/credential-report-fixture';

// The README runs the sample as of this instant with the default threshold: T = 2026-08-30T00:00:00Z.
const NOW = new Date('2026-11-28T00:00:00Z');
const ROOT_DIR = join(__dirname, '..', '..');
const SAMPLE = join(ROOT_DIR, 'examples', 'credential-report.csv');

const text = readFileSync(SAMPLE, 'utf8');
const parsed = parseCredentialReport(text);
const snapshots: IamUserSnapshot[] = parsed.users.flatMap((r) => (r.kind === 'read' ? [r.user] : []));
const verdicts = evaluateUsers(parsed.users, { thresholdDays: 90, now: NOW, scope: 'all' });

function verdict(name: string): UserVerdict {
  const found = verdicts.find((v) => v.userName === name);
  if (!found) throw new Error(`${name} is not in the sample`);
  return found;
}

const status = (name: string): UserStatus => verdict(name).status;

function credential(name: string, type: CredentialVerdict['type'], slot?: 1 | 2): CredentialVerdict {
  const found = verdict(name).credentials.find(
    (c) => c.type === type && (slot === undefined || c.slot === slot),
  );
  if (!found) throw new Error(`${name} has no ${type}${slot ? ` in slot ${slot}` : ''}`);
  return found;
}

const namesWith = (wanted: UserStatus) =>
  verdicts
    .filter((v) => v.status === wanted)
    .map((v) => v.userName)
    .sort();

describe('examples/credential-report.csv', () => {
  describe('the file', () => {
    it('has the 22 AWS columns in AWS order, every row complete, and ends with a newline', () => {
      const rows = parseCsvRows(text);

      expect(rows[0]?.fields).toEqual([...CREDENTIAL_REPORT_HEADER]);
      expect(rows.every((r) => r.fields.length === 22)).toBe(true);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.endsWith('\n\n')).toBe(false);
      expect(text).not.toContain('\r');
    });

    it('starts with the root account, which is not a user, and names account 123456789012', () => {
      expect(parseCsvRows(text)[1]?.fields.slice(0, 7)).toEqual([
        '<root_account>',
        'arn:aws:iam::123456789012:root',
        '2019-03-14T09:12:44+00:00',
        'not_supported',
        '2026-10-02T07:31:18+00:00',
        'not_supported',
        'not_supported',
      ]);
      expect(parsed.accountId).toBe('123456789012');
      expect(verdicts.map((v) => v.userName)).not.toContain('<root_account>');
    });

    it('holds 30 to 40 users, all readable, all in account 123456789012', () => {
      expect(verdicts.length).toBeGreaterThanOrEqual(30);
      expect(verdicts.length).toBeLessThanOrEqual(40);
      expect(snapshots).toHaveLength(verdicts.length);
      expect(new Set(verdicts.map((v) => v.userName)).size).toBe(verdicts.length);
      for (const v of verdicts) expect(v.arn).toBe(`arn:aws:iam::123456789012:user/${v.userName}`);
    });

    it('is consistent in time: nothing after now, no credential older than its user, no use before creation', () => {
      for (const u of snapshots) {
        const created = u.createdAt.getTime();
        expect(created).toBeLessThanOrEqual(NOW.getTime());
        if (u.passwordLastUsedAt) {
          expect(u.passwordLastUsedAt.getTime()).toBeGreaterThanOrEqual(created);
          expect(u.passwordLastUsedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
        }
        if (u.loginProfile) {
          expect(u.loginProfile.createdAt.getTime()).toBeGreaterThanOrEqual(created);
          expect(u.loginProfile.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
        }
        for (const k of u.accessKeys) {
          expect(k.createdAt.getTime()).toBeGreaterThanOrEqual(created);
          if (k.lastUsedAt) {
            expect(k.lastUsedAt.getTime()).toBeGreaterThanOrEqual(k.createdAt.getTime());
            expect(k.lastUsedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
          }
        }
      }
    });

    it('says N/A for the region and service of a key never used, and names them for a used key', () => {
      const rows = parseCsvRows(text).slice(2);
      for (const { fields } of rows) {
        for (const offset of [10, 15]) {
          const lastUsed = fields[offset];
          const regionAndService = fields.slice(offset + 1, offset + 3);
          if (lastUsed === 'N/A') expect(regionAndService).toEqual(['N/A', 'N/A']);
          else expect(regionAndService).not.toContain('N/A');
        }
      }
    });

    it('is what scripts/make-sample-report.mjs writes', () => {
      expect(() =>
        execFileSync(process.execPath, [join(ROOT_DIR, 'scripts', 'make-sample-report.mjs'), '--check'], {
          stdio: 'pipe',
        }),
      ).not.toThrow();
    });
  });

  describe('as of 2026-11-28 with 90 days', () => {
    it('prints a meaningful mix: 10+ stale, 12+ active (some holding a stale credential), 5+ without credentials', () => {
      const summary = summarize(verdicts);

      expect(summary).toEqual({
        users: 36,
        stale: 12,
        active: 18,
        noCredentials: 6,
        exempt: 0,
        errors: 0,
        activeWithStaleCredentials: 4,
      });
    });

    it('lists exactly these stale users', () => {
      expect(namesWith('stale')).toEqual(
        [
          'backup-agent',
          'breakglass-admin',
          'd.okafor',
          'emma.kowalski',
          'grafana-reader',
          'kenji.watanabe',
          'legacy-etl',
          'mika.sato',
          'olivia.chen',
          'sara.lindqvist',
          'sftp-ingest',
          'takeshi.ito',
        ].sort(),
      );
    });

    it('lists exactly these users without credentials', () => {
      expect(namesWith('no-credentials')).toEqual(
        [
          'aoi.hayashi',
          'james.oconnor',
          'lambda-deployer',
          'old-jenkins',
          'platform-viewer',
          'readonly-auditor',
        ].sort(),
      );
    });

    it('lists exactly these active users holding a stale credential', () => {
      const holding = verdicts
        .filter((v) => v.status === 'active' && hasStaleCredential(v))
        .map((v) => v.userName)
        .sort();

      expect(holding).toEqual(['github-actions', 'kaito.shimizu', 'nina.petrova', 'terraform']);
    });

    it('password used recently: active', () => {
      for (const name of [
        'alice.tanaka',
        'hiroshi.yamamoto',
        'yuki.nakamura',
        'bob.martinez',
        'ren.suzuki@example.com',
      ]) {
        expect([name, status(name)]).toEqual([name, 'active']);
        expect(credential(name, 'password').basis).toBe('last-used');
      }
    });

    it('password used long ago: stale', () => {
      expect(status('mika.sato')).toBe('stale');
      expect(credential('mika.sato', 'password')).toMatchObject({
        basis: 'last-used',
        stale: true,
        idleDays: 270,
      });
      expect(status('kenji.watanabe')).toBe('stale');
      expect(status('d.okafor')).toBe('stale');
    });

    it('password last used exactly at the threshold instant: not stale; one second earlier: stale', () => {
      expect(credential('tomo.fujii', 'password').referenceAt).toEqual(new Date('2026-08-30T00:00:00Z'));
      expect(status('tomo.fujii')).toBe('active');
      expect(credential('sara.lindqvist', 'password').referenceAt).toEqual(new Date('2026-08-29T23:59:59Z'));
      expect(status('sara.lindqvist')).toBe('stale');
    });

    it('password never used, set long ago: stale, aged from when it was set', () => {
      for (const name of ['takeshi.ito', 'emma.kowalski', 'breakglass-admin']) {
        expect([name, status(name)]).toEqual([name, 'stale']);
        expect(credential(name, 'password')).toMatchObject({
          lastUsedAt: null,
          basis: 'created',
          stale: true,
        });
      }
      // breakglass-admin exists since 2019; its password was set in 2024: the password's age is what counts.
      expect(credential('breakglass-admin', 'password').referenceAt).toEqual(
        new Date('2024-03-20T15:18:44Z'),
      );
    });

    it('password never used, set yesterday on a user created in 2020: not stale', () => {
      expect(verdict('haruka.kobayashi').createdAt).toEqual(new Date('2020-05-11T03:27:45Z'));
      expect(credential('haruka.kobayashi', 'password')).toMatchObject({
        lastUsedAt: null,
        referenceAt: new Date('2026-11-27T16:05:40Z'),
        basis: 'created',
        stale: false,
        idleDays: 0,
      });
      expect(status('haruka.kobayashi')).toBe('active');
    });

    it('password reset after its last use: as fresh as the reset', () => {
      expect(credential('ryo.matsumoto', 'password')).toMatchObject({
        lastUsedAt: new Date('2026-01-10T10:31:02Z'),
        referenceAt: new Date('2026-11-01T12:00:37Z'),
        basis: 'created',
        stale: false,
      });
      expect(status('ryo.matsumoto')).toBe('active');
    });

    it('login profile removed after an old sign-in: no password credential', () => {
      const james = snapshots.find((u) => u.userName === 'james.oconnor');
      expect(james?.passwordLastUsedAt).toEqual(new Date('2025-02-14T08:21:39Z'));
      expect(james?.loginProfile).toBeNull();
      expect(verdict('james.oconnor').credentials).toEqual([]);
      expect(status('james.oconnor')).toBe('no-credentials');

      expect(verdict('daniel.kim').credentials.map((c) => c.type)).toEqual(['access-key']);
      expect(status('daniel.kim')).toBe('active');
    });

    it('console-only users have no key credentials', () => {
      for (const name of ['alice.tanaka', 'mika.sato', 'haruka.kobayashi']) {
        expect(verdict(name).credentials.map((c) => c.type)).toEqual(['password']);
      }
    });

    it('key-only service users have no password credential', () => {
      for (const name of [
        'ci-deploy',
        'terraform',
        'backup-agent',
        'grafana-reader',
        'datadog-integration',
      ]) {
        expect(verdict(name).credentials.every((c) => c.type === 'access-key')).toBe(true);
      }
    });

    it('key-only users: fresh key active, stale key stale', () => {
      expect(status('ci-deploy')).toBe('active');
      expect(status('backup-agent')).toBe('stale');
      expect(status('legacy-etl')).toBe('stale');
    });

    it('key never used, created long ago: stale, aged from its creation', () => {
      expect(credential('grafana-reader', 'access-key', 1)).toMatchObject({
        lastUsedAt: null,
        referenceAt: new Date('2025-10-10T06:29:40Z'),
        basis: 'created',
        stale: true,
      });
      expect(status('grafana-reader')).toBe('stale');
    });

    it('key never used, created recently: active', () => {
      expect(credential('datadog-integration', 'access-key', 1)).toMatchObject({
        lastUsedAt: null,
        basis: 'created',
        stale: false,
      });
      expect(status('datadog-integration')).toBe('active');
      expect(credential('monitoring-bot', 'access-key', 2)).toMatchObject({ lastUsedAt: null, stale: false });
    });

    it('key 2 stale while key 1 fresh: active, holding a stale credential', () => {
      expect(credential('terraform', 'access-key', 1).stale).toBe(false);
      expect(credential('terraform', 'access-key', 2).stale).toBe(true);
      expect(status('terraform')).toBe('active');
      expect(credential('github-actions', 'access-key', 1).stale).toBe(true);
      expect(credential('github-actions', 'access-key', 2).stale).toBe(false);
      expect(status('github-actions')).toBe('active');
    });

    it('both keys stale: stale', () => {
      expect(status('sftp-ingest')).toBe('stale');
    });

    it('an inactive old key does not count', () => {
      expect(credential('s3-log-shipper', 'access-key', 1)).toMatchObject({ active: false, stale: false });
      expect(status('s3-log-shipper')).toBe('active');
      expect(verdict('s3-log-shipper').lastActivityAt).toEqual(new Date('2026-11-27T22:59:30Z'));

      expect(credential('old-jenkins', 'access-key', 1)).toMatchObject({ active: false, stale: false });
      expect(status('old-jenkins')).toBe('no-credentials');
    });

    it('password and keys: a stale password with a fresh key is active, holding a stale credential', () => {
      expect(credential('kaito.shimizu', 'password').stale).toBe(true);
      expect(credential('kaito.shimizu', 'access-key', 1).stale).toBe(false);
      expect(status('kaito.shimizu')).toBe('active');
      expect(verdict('kaito.shimizu').lastActivityAt).toEqual(new Date('2026-11-26T11:05:48Z'));
    });

    it('password and keys: a fresh password with a stale key is active, holding a stale credential', () => {
      expect(credential('nina.petrova', 'password').stale).toBe(false);
      expect(credential('nina.petrova', 'access-key', 1).stale).toBe(true);
      expect(status('nina.petrova')).toBe('active');
    });

    it('password and keys: both fresh is active, both stale is stale', () => {
      expect(status('priya.raman')).toBe('active');
      expect(hasStaleCredential(verdict('priya.raman'))).toBe(false);
      expect(status('olivia.chen')).toBe('stale');
    });

    it('users with no credentials at all', () => {
      for (const name of ['readonly-auditor', 'platform-viewer', 'aoi.hayashi', 'lambda-deployer']) {
        expect([name, status(name)]).toEqual([name, 'no-credentials']);
        expect(verdict(name).credentials).toEqual([]);
      }
    });
  });

  describe('other scopes', () => {
    it('password scope: key-only users have no credentials, and a stale password is no longer rescued by a key', () => {
      const byPassword = evaluateUsers(parsed.users, { thresholdDays: 90, now: NOW, scope: 'password' });
      const statusOf = (name: string) => byPassword.find((v) => v.userName === name)?.status;

      expect(statusOf('ci-deploy')).toBe('no-credentials');
      expect(statusOf('kaito.shimizu')).toBe('stale');
      expect(statusOf('alice.tanaka')).toBe('active');
    });

    it('access-key scope: console-only users have no credentials, and a fresh password no longer rescues a stale key', () => {
      const byKey = evaluateUsers(parsed.users, { thresholdDays: 90, now: NOW, scope: 'access-key' });
      const statusOf = (name: string) => byKey.find((v) => v.userName === name)?.status;

      expect(statusOf('alice.tanaka')).toBe('no-credentials');
      expect(statusOf('nina.petrova')).toBe('stale');
      expect(statusOf('terraform')).toBe('active');
    });
  });
});
