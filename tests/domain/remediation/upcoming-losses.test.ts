import { remediationSections } from '../../../src/domain/notification/remediation-sections';
import type { MessageSection } from '../../../src/domain/notification/message';
import type { NotifyLanguage } from '../../../src/domain/notification/text';
import { upcomingLosses, type UpcomingLoss } from '../../../src/domain/remediation/upcoming-losses';
import { exemptUser, remediationSummary } from '../../support/remediation-builders';
import {
  accessKey,
  activeUser,
  buildReport,
  errorUser,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';

/** Evaluated 2026-11-28 with a 90-day threshold: 85 idle days cross it on 2026-12-03. */
const WARNING_DAYS = 7;

function describeLosses(losses: readonly UpcomingLoss[]): string[] {
  return losses.map(
    (l) =>
      `${l.userName} ${l.credential}${l.slot ? ` ${l.slot}` : ''} ${l.staleAt.toISOString().slice(0, 10)}`,
  );
}

function warningLines(sections: readonly MessageSection[], language: NotifyLanguage): readonly string[] {
  const heading =
    language === 'en'
      ? `Will lose access within ${WARNING_DAYS} days unless used:`
      : `${WARNING_DAYS} 日以内に使用されなければ無効化される予定:`;
  const section = sections.find((s) => s.heading === heading);
  if (!section) throw new Error(`no warning section in ${JSON.stringify(sections.map((s) => s.heading))}`);
  return section.lines;
}

describe('upcomingLosses', () => {
  it('lists a password within the warning days of the threshold, with the date it crosses it', () => {
    const losses = upcomingLosses(buildReport([activeUser('alice', password(85))]), WARNING_DAYS, false);

    expect(losses).toEqual([
      {
        userName: 'alice',
        credential: 'password',
        slot: null,
        staleAt: new Date('2026-12-03T00:00:00.000Z'),
      },
    ]);
  });

  it('dates the loss at the reference instant plus the threshold days', () => {
    const reference = new Date('2026-09-04T18:30:00.000Z');
    const credential = { ...password(84), referenceAt: reference, lastUsedAt: reference };
    const [loss] = upcomingLosses(buildReport([activeUser('alice', credential)]), WARNING_DAYS, false);

    expect(loss?.staleAt.toISOString()).toBe('2026-12-03T18:30:00.000Z');
  });

  it('includes a credential crossing exactly at the end of the warning period and not one a day later', () => {
    const report = buildReport([activeUser('bob', password(83)), activeUser('carol', password(82))]);

    expect(describeLosses(upcomingLosses(report, WARNING_DAYS, false))).toEqual(['bob password 2026-12-05']);
  });

  it('leaves out credentials that are already stale: the run acts on those now', () => {
    const report = buildReport([
      staleUser('dave', password(120)),
      activeUser('haruto', password(200), accessKey(1, 1)),
    ]);

    expect(upcomingLosses(report, WARNING_DAYS, true)).toEqual([]);
  });

  it('leaves out exempt users and users the scan could not evaluate: nothing will be done to them', () => {
    const report = buildReport([
      exemptUser('breakglass', 'tag stale-iam:exempt=true', password(85)),
      { ...errorUser('locked-down', 'AccessDenied'), credentials: [password(85)] },
      noCredentialsUser('kaito'),
    ]);

    expect(upcomingLosses(report, WARNING_DAYS, true)).toEqual([]);
  });

  it('lists access keys only when the key switch is on', () => {
    const report = buildReport([activeUser('svc', accessKey(1, 86), accessKey(2, 1))]);

    expect(upcomingLosses(report, WARNING_DAYS, false)).toEqual([]);
    expect(describeLosses(upcomingLosses(report, WARNING_DAYS, true))).toEqual([
      'svc access-key 1 2026-12-02',
    ]);
  });

  it('never lists an inactive key', () => {
    const report = buildReport([activeUser('svc', password(1), accessKey(1, 86, { active: false }))]);

    expect(upcomingLosses(report, WARNING_DAYS, true)).toEqual([]);
  });

  it('sorts by date, then by user name', () => {
    const report = buildReport([
      activeUser('zoe', password(88)),
      activeUser('bob', password(85)),
      activeUser('amy', password(85)),
    ]);

    expect(describeLosses(upcomingLosses(report, WARNING_DAYS, false))).toEqual([
      'zoe password 2026-11-30',
      'amy password 2026-12-03',
      'bob password 2026-12-03',
    ]);
  });

  it('widens with the warning days', () => {
    const report = buildReport([activeUser('carol', password(60))]);

    expect(upcomingLosses(report, 7, false)).toEqual([]);
    expect(describeLosses(upcomingLosses(report, 30, false))).toEqual(['carol password 2026-12-28']);
  });
});

describe('the warning lines of the email', () => {
  const report = buildReport([
    activeUser('alice', password(85)),
    activeUser('svc', accessKey(1, 86)),
    staleUser('dave', password(120)),
  ]);

  it('says in English who will lose console access on which day unless they sign in', () => {
    const sections = remediationSections(remediationSummary(), upcomingLosses(report, WARNING_DAYS, true), {
      language: 'en',
      bucket: 'reports-bucket',
      warningDays: WARNING_DAYS,
    });

    expect(warningLines(sections, 'en')).toEqual([
      'svc: access key 1 will be deactivated on 2026-12-02 unless used',
      'alice will lose console access on 2026-12-03 unless they sign in',
    ]);
  });

  it('says the same in Japanese', () => {
    const sections = remediationSections(remediationSummary(), upcomingLosses(report, WARNING_DAYS, false), {
      language: 'ja',
      bucket: 'reports-bucket',
      warningDays: WARNING_DAYS,
    });

    expect(warningLines(sections, 'ja')).toEqual([
      'alice: サインインしなければ 2026-12-03 にコンソールアクセスを失います',
    ]);
  });

  it('says nobody when nobody is close to the threshold', () => {
    const sections = remediationSections(remediationSummary(), [], {
      language: 'en',
      bucket: 'reports-bucket',
      warningDays: WARNING_DAYS,
    });

    expect(warningLines(sections, 'en')).toEqual(['nobody']);
  });
});
