import { NO_EXEMPTIONS } from '../../../src/domain/verdict/exemptions';
import {
  MAX_SUBJECT_LENGTH,
  buildOperatorMessage,
  buildSubject,
  type OperatorMessage,
} from '../../../src/domain/notification/message';
import type { NotifyLanguage } from '../../../src/domain/notification/text';
import { executeRemediation, type ActionRecord } from '../../../src/domain/remediation/execute';
import { remediationSections } from '../../../src/domain/notification/remediation-sections';
import { planRemediation } from '../../../src/domain/remediation/plan';
import {
  MAX_SUMMARY_ITEMS,
  summarizeRecords,
  type RemediationSummary,
} from '../../../src/domain/remediation/summary';
import type { ScanReport } from '../../../src/domain/report/scan-report';
import { upcomingLosses } from '../../../src/domain/remediation/upcoming-losses';
import { displayWidth } from '../../../src/lib/text-width';
import { FakeLiveIam } from '../../support/fake-live-iam';
import { MemoryJournal } from '../../support/memory-journal';
import {
  AUDIT_RECORDS_KEY,
  RUN_AT,
  SERVICE_DEFAULTS,
  exemptUser,
  remediationSummary,
  summaryItem,
  capShare,
} from '../../support/remediation-builders';
import {
  LOCATION,
  activeUser,
  buildReport,
  daysBeforeEvaluation,
  errorUser,
  noCredentialsUser,
  password,
  staleUser,
} from '../../support/report-builder';

const ASCII = /^[\x20-\x7e]*$/;
const AUDIT_KEY = AUDIT_RECORDS_KEY;

const TWO_OF_THREE_STALE = buildReport([
  staleUser('alice', password(180)),
  staleUser('bob', password(200)),
  activeUser('sota', password(3)),
]);
const CLEAN = buildReport([activeUser('sota', password(3)), noCredentialsUser('kaito')]);

function messageWith(
  report: ScanReport,
  summary: RemediationSummary,
  options: { language?: NotifyLanguage; warningDays?: number } = {},
): OperatorMessage {
  const language = options.language ?? 'en';
  const warningDays = options.warningDays ?? 7;
  const losses = upcomingLosses(report, warningDays, summary.deactivateAccessKeys);
  const message = buildOperatorMessage(report, {
    language,
    location: LOCATION,
    notifyWhenClean: false,
    remediation: summary,
    hasWarnings: losses.length > 0,
    extraSections: remediationSections(summary, losses, { language, bucket: LOCATION.bucket, warningDays }),
  });
  if (!message) throw new Error('expected a message, got null');
  return message;
}

/** The lines under `heading`, up to the next blank line. */
function section(body: string, heading: string): string[] {
  const lines = body.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no section "${heading}" in:\n${body}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('the remediation sections of the email', () => {
  it('say what was done, with the outcomes, the audit trail and each credential', () => {
    const summary = remediationSummary({
      items: [
        summaryItem('alice', 'deleted'),
        summaryItem('bob', 'deleted'),
        summaryItem('svc', 'deactivated', null, 'access key AKIAEXAMPLESVC000001'),
      ],
      deactivateAccessKeys: true,
    });

    const { body } = messageWith(TWO_OF_THREE_STALE, summary);

    expect(section(body, 'Remediation (enforce): stale credentials were disabled as listed below.')).toEqual([
      'Credentials by outcome: 2 deleted, 1 deactivated',
      `Audit trail (with undo commands): s3://${LOCATION.bucket}/${AUDIT_KEY}`,
    ]);
    expect(section(body, 'Credentials:')).toEqual([
      'USER   CREDENTIAL                       OUTCOME      REASON',
      'alice  password                         deleted',
      'bob    password                         deleted',
      'svc    access key AKIAEXAMPLESVC000001  deactivated',
    ]);
  });

  it('say what was skipped and why, one plain reason per credential: exempt, used since, already gone, failed', () => {
    const summary = remediationSummary({
      items: [
        summaryItem('carol', 'failed', {
          code: 'aws-error',
          error: 'EntityTemporarilyUnmodifiable: try again later',
        }),
        summaryItem('bob', 'skipped-used-since', {
          code: 'used-since',
          basis: 'last-used',
          at: '2026-11-27T23:10:00.000Z',
        }),
        summaryItem('dave', 'already-gone', { code: 'login-profile-gone' }),
        summaryItem('breakglass', 'exempt', { code: 'exempt-in-report' }),
        summaryItem('eve', 'exempt', { code: 'exempt-now', cause: { kind: 'tag' } }),
      ],
    });

    const lines = section(messageWith(TWO_OF_THREE_STALE, summary).body, 'Credentials:');

    expect(lines).toEqual([
      'USER        CREDENTIAL  OUTCOME              REASON',
      'carol       password    FAILED               EntityTemporarilyUnmodifiable: try again later',
      'bob         password    used since the scan  used at 2026-11-27T23:10:00.000Z, after the scan',
      'dave        password    already gone         console password removed since the scan',
      'breakglass  password    exempt               exempt in the scan report',
      'eve         password    exempt               tagged stale-iam:exempt=true since the scan',
    ]);
    expect(lines.join('\n')).not.toMatch(/\(.*\(/);
  });

  it('say that nothing was done, and why, when the cap blocked the run, and what the next run will do', () => {
    const block = { code: 'cap-actions', planned: 11, maxActions: 10 } as const;
    const summary = remediationSummary({
      blocked: block,
      items: Array.from({ length: 11 }, (_, i) =>
        summaryItem(`idle-${i}`, 'skipped-cap', { code: 'blocked', block }),
      ),
    });

    const { body } = messageWith(TWO_OF_THREE_STALE, summary);

    expect(section(body, 'Remediation (enforce): stale credentials were disabled as listed below.')).toEqual([
      'NO ACTION TAKEN: 11 actions planned, more than the cap of 10 per run (maxActionsPerRun).',
      'Credentials by outcome: 11 held back by a cap',
      `Audit trail (with undo commands): s3://${LOCATION.bucket}/${AUDIT_KEY}`,
    ]);
    expect(body).toContain('idle-0   password    held back by a cap  over the cap of 10 actions');
    expect(section(body, 'Next run:')).toEqual([
      'the plan is refused again while it exceeds the caps: review the list, then raise the maxActionsPerRun / maxPercent deploy parameters or remove users yourself.',
    ]);
  });

  it('say how many of the holders a share cap allows', () => {
    const block = capShare(3, 10, 2);

    const { body } = messageWith(TWO_OF_THREE_STALE, remediationSummary({ blocked: block }));

    expect(body).toContain(
      'NO ACTION TAKEN: 3 of the 10 users holding console passwords would lose them; at most 2 may in one run (maxPercent 20%).',
    );
  });

  it('say that nothing was done because of scan errors, and what to fix', () => {
    const block = { code: 'scan-errors', errors: 1, users: 2 } as const;
    const report = buildReport([staleUser('alice', password(180)), errorUser('locked-down', 'AccessDenied')]);
    const summary = remediationSummary({
      blocked: block,
      items: [summaryItem('alice', 'skipped-scan-error', { code: 'blocked', block })],
    });

    const { body } = messageWith(report, summary);

    expect(body).toContain('NO ACTION TAKEN: 1 of 2 users could not be evaluated by the scan.');
    expect(body).toContain('alice  password    held back by scan errors  the scan had errors');
    expect(body).toContain('locked-down: AccessDenied');
    expect(section(body, 'Next run:')).toEqual([
      'no action while the scan has users it cannot evaluate; fix the errors listed above.',
    ]);
  });

  it('say that an enforcing run under the floor did nothing, and what to change', () => {
    const block = { code: 'below-floor', thresholdDays: 7, minEnforceDays: 30 } as const;

    const { body } = messageWith(TWO_OF_THREE_STALE, remediationSummary({ blocked: block }));

    expect(body).toContain(
      'NO ACTION TAKEN: the threshold of 7 days is under the floor of 30 days (minEnforceDays).',
    );
    expect(section(body, 'Next run:')).toEqual([
      'no action while the threshold is under minEnforceDays: raise the threshold-days SSM parameter, or lower the minEnforceDays deploy parameter.',
    ]);
  });

  it('say in a dry run under the floor what it would do, and that enforcing would not', () => {
    const summary = remediationSummary({
      mode: 'dry-run',
      belowFloor: { thresholdDays: 7, minEnforceDays: 30 },
      items: [summaryItem('alice', 'would-delete')],
    });

    const { body } = messageWith(TWO_OF_THREE_STALE, summary);

    expect(
      section(body, 'Remediation (dry-run): nothing was changed; this is what an enforcing run would do.'),
    ).toEqual([
      'An enforcing run would act on nothing: the threshold of 7 days is under the floor of 30 days (minEnforceDays).',
      'Credentials by outcome: 1 would delete',
      `Audit trail (with undo commands): s3://${LOCATION.bucket}/${AUDIT_KEY}`,
    ]);
  });

  it('say in dry-run that nothing was changed, what would be, and how to start enforcing', () => {
    const summary = remediationSummary({
      mode: 'dry-run',
      items: [summaryItem('alice', 'would-delete'), summaryItem('bob', 'would-delete')],
    });

    const { body } = messageWith(TWO_OF_THREE_STALE, summary);

    expect(
      section(body, 'Remediation (dry-run): nothing was changed; this is what an enforcing run would do.'),
    ).toEqual([
      'Credentials by outcome: 2 would delete',
      `Audit trail (with undo commands): s3://${LOCATION.bucket}/${AUDIT_KEY}`,
    ]);
    expect(section(body, 'Next run:')).toEqual([
      'still a dry run. Set the remediation-mode SSM parameter to enforce to act.',
    ]);
    expect(body).not.toContain('were disabled');
  });

  it('say in dry-run that the warned users lose access only once remediation enforces', () => {
    const report = buildReport([staleUser('alice', password(180)), activeUser('soon', password(88))]);

    const dryRun = messageWith(report, remediationSummary({ mode: 'dry-run' })).body;
    const enforcing = messageWith(report, remediationSummary({ mode: 'enforce' })).body;

    expect(
      section(dryRun, 'Will lose access within 7 days unless used (once remediation-mode is enforce):'),
    ).toEqual(['soon will lose console access on 2026-11-30 unless they sign in']);
    expect(section(enforcing, 'Will lose access within 7 days unless used:')).toEqual([
      'soon will lose console access on 2026-11-30 unless they sign in',
    ]);
  });

  it('say what the next enforcing run does', () => {
    const { body } = messageWith(
      TWO_OF_THREE_STALE,
      remediationSummary({ items: [summaryItem('alice', 'deleted')] }),
    );

    expect(section(body, 'Next run:')).toEqual([
      'credentials that have become stale by then are disabled, within the caps, after a live re-check.',
    ]);
  });

  it('say how many items the audit trail has beyond those listed', () => {
    const summary = remediationSummary({ items: [summaryItem('alice', 'deleted')], itemsOmitted: 5 });

    const lines = section(messageWith(TWO_OF_THREE_STALE, summary).body, 'Credentials:');

    expect(lines).toEqual([
      'USER   CREDENTIAL  OUTCOME  REASON',
      'alice  password    deleted',
      '... and 5 more (see the audit trail)',
    ]);
  });

  it('say an earlier run left an action whose outcome is unknown, and where to look', () => {
    const summary = remediationSummary({
      items: [
        summaryItem('alice', 'outcome-unknown', {
          code: 'outcome-unknown',
          runId: 'c0ffee00-0000-4000-8000-000000000001',
          intendedAt: '2026-11-27T00:04:00.000Z',
        }),
      ],
    });

    const { body, subject } = messageWith(TWO_OF_THREE_STALE, summary);

    expect(body).toContain(
      'alice  password    OUTCOME UNKNOWN  run c0ffee00-0000-4000-8000-000000000001 stopped after its intent at 2026-11-27T00:04:00.000Z: check CloudTrail',
    );
    expect(subject).toContain('; 1 outcome UNKNOWN');
  });

  it('say "nothing to do" and list no credentials when the run had nothing to act on', () => {
    const sections = remediationSections(remediationSummary(), [], {
      language: 'en',
      bucket: LOCATION.bucket,
      warningDays: 7,
    });

    expect(sections.map((s) => s.heading)).toEqual([
      'Remediation (enforce): stale credentials were disabled as listed below.',
      'Will lose access within 7 days unless used:',
      'Next run:',
    ]);
    expect(sections[0]?.lines).toContain('Credentials by outcome: nothing to do');
  });

  it('come after the lists of the report and before the link to it', () => {
    const { body } = messageWith(
      TWO_OF_THREE_STALE,
      remediationSummary({ items: [summaryItem('alice', 'deleted')] }),
    );

    const stale = body.indexOf('IAM users unused for more than 90 days (2 users):');
    const remediation = body.indexOf('Remediation (enforce)');
    const link = body.indexOf(`Full report: s3://${LOCATION.bucket}/${LOCATION.key}`);
    expect(stale).toBeGreaterThan(-1);
    expect(remediation).toBeGreaterThan(stale);
    expect(link).toBeGreaterThan(remediation);
  });

  it('are written in Japanese when the language is ja, with no English word of ours in them', () => {
    const block = capShare(3, 10, 2);
    const summary = remediationSummary({
      blocked: block,
      items: [
        summaryItem('alice', 'skipped-cap', { code: 'blocked', block }),
        summaryItem('bob', 'exempt', { code: 'exempt-now', cause: { kind: 'group', group: 'admins' } }),
        summaryItem('carol', 'skipped-used-since', {
          code: 'used-since',
          basis: 'last-used',
          at: '2026-11-28T00:01:00.000Z',
        }),
      ],
    });

    const { body, subject } = messageWith(TWO_OF_THREE_STALE, summary, { language: 'ja' });
    const remediationPart = body.slice(body.indexOf('自動無効化'), body.indexOf('レポート全文'));

    expect(remediationPart).toContain(
      '実行を中止しました: コンソールパスワードを持つユーザー 10 人中 3 人が対象ですが、1 回に許されるのは 2 人までです (maxPercent 20%)。',
    );
    expect(remediationPart).toContain('次回の実行:');
    // Only names, ids, instants, parameter and SSM names, and the S3 address remain in Latin letters.
    const words = remediationPart
      .replace(/s3:\/\/\S+/g, '')
      .replace(
        /\b(alice|bob|carol|admins|maxPercent|maxActionsPerRun|remediation-mode|enforce|dry-run)\b/g,
        '',
      )
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '')
      .match(/[A-Za-z]{3,}/g);
    expect(words).toBeNull();
    expect(subject).toMatch(ASCII);
  });

  it('report a real run end to end: plan, re-check, outcomes, summary, email', async () => {
    const report = buildReport([
      staleUser('alice', password(180)),
      staleUser('bob', password(200)),
      exemptUser('breakglass', 'tag stale-iam:exempt=true', password(400)),
      ...Array.from({ length: 12 }, (_, i) => activeUser(`fresh-${i}`, password(3))),
      activeUser('soon', password(86)),
    ]);
    const live = new FakeLiveIam([
      {
        userName: 'alice',
        passwordLastUsedAt: new Date(daysBeforeEvaluation(180)),
        loginProfile: { createdAt: new Date('2024-01-15T09:30:00Z') },
      },
      {
        userName: 'bob',
        passwordLastUsedAt: new Date(RUN_AT.getTime() - 60_000),
        loginProfile: { createdAt: new Date('2024-01-15T09:30:00Z') },
      },
    ]);
    const plan = planRemediation(report, SERVICE_DEFAULTS);
    const records = await executeRemediation(plan, {
      mode: 'enforce',
      thresholdDays: report.thresholdDays,
      rules: NO_EXEMPTIONS,
      live,
      clock: () => RUN_AT,
      journal: new MemoryJournal(live),
    });
    const summary = summarizeRecords(records, {
      mode: 'enforce',
      deactivateAccessKeys: false,
      auditKey: AUDIT_KEY,
      blocked: plan.blocked,
      belowFloor: plan.belowFloor,
    });

    const { subject, body } = messageWith(report, summary);

    expect(subject).toBe(
      '[stale-iam] 2 of 16 users unused for more than 90 days; 1 credential disabled (123456789012)',
    );
    expect(section(body, 'Credentials:')).toEqual([
      'USER        CREDENTIAL  OUTCOME              REASON',
      'alice       password    deleted',
      `bob         password    used since the scan  used at ${new Date(RUN_AT.getTime() - 60_000).toISOString()}, after the scan`,
      'breakglass  password    exempt               exempt in the scan report',
    ]);
    expect(section(body, 'Will lose access within 7 days unless used:')).toEqual([
      'soon will lose console access on 2026-12-02 unless they sign in',
    ]);
  });

  it('list failures first and keep at most the summary limit inline, counting the rest', () => {
    const base: Omit<ActionRecord, 'userName' | 'outcome'> = {
      time: RUN_AT.toISOString(),
      mode: 'enforce',
      arn: 'arn:aws:iam::123456789012:user/x',
      credential: { type: 'password', accessKeyId: null, slot: null },
      action: 'delete-login-profile',
      reason: null,
      before: {},
      undo: null,
    };
    const denied = { code: 'aws-error', error: 'AccessDenied' } as const;
    const records: ActionRecord[] = [
      ...Array.from({ length: 149 }, (_, i) => ({
        ...base,
        userName: `exempt-${i}`,
        outcome: 'exempt' as const,
      })),
      { ...base, userName: 'carol', outcome: 'failed', reason: denied },
    ];

    const summary = summarizeRecords(records, {
      mode: 'enforce',
      deactivateAccessKeys: false,
      auditKey: AUDIT_KEY,
      blocked: null,
      belowFloor: null,
    });

    expect(summary.items).toHaveLength(MAX_SUMMARY_ITEMS);
    expect(summary.itemsOmitted).toBe(150 - MAX_SUMMARY_ITEMS);
    expect(summary.items[0]).toEqual(summaryItem('carol', 'failed', denied));
    expect(summary.counts).toEqual({ exempt: 149, failed: 1 });
  });

  it('line the rows up in display columns when names or words are double width', () => {
    const summary = remediationSummary({
      items: [summaryItem('山田', 'deleted'), summaryItem('alice', 'exempt', { code: 'exempt-in-report' })],
    });

    const lines = section(messageWith(TWO_OF_THREE_STALE, summary, { language: 'ja' }).body, '認証情報:');

    const outcomeColumn = lines.map((line) => displayWidth(line.slice(0, line.search(/削除|除外|結果/))));
    expect(new Set(outcomeColumn).size).toBe(1);
  });
});

describe('the subject with remediation', () => {
  it('says how many credentials were disabled after an enforcing run', () => {
    const summary = remediationSummary({
      items: [summaryItem('alice', 'deleted'), summaryItem('bob', 'deleted')],
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days; 2 credentials disabled (123456789012)',
    );
  });

  // Over 100 characters in the long form, so the subject falls back to the short one (SNS's limit).
  it('says how many credentials would be disabled in dry-run', () => {
    const summary = remediationSummary({
      mode: 'dry-run',
      items: [
        summaryItem('alice', 'would-delete'),
        summaryItem('bob', 'would-delete'),
        summaryItem('svc', 'would-deactivate', null, 'access key AKIAEXAMPLESVC000001'),
      ],
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2/3 users idle >90d; 3 credentials would be disabled (123456789012)',
    );
  });

  it('says the run was BLOCKED by the cap', () => {
    const summary = remediationSummary({ blocked: { code: 'cap-actions', planned: 11, maxActions: 10 } });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days; remediation BLOCKED by cap (123456789012)',
    );
  });

  it('says the run was BLOCKED by the floor', () => {
    const summary = remediationSummary({
      blocked: { code: 'below-floor', thresholdDays: 7, minEnforceDays: 30 },
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days; remediation BLOCKED by floor (123456789012)',
    );
  });

  it('says remediation was skipped after scan errors', () => {
    const report = buildReport([staleUser('alice'), errorUser('locked-down', 'AccessDenied')]);
    const summary = remediationSummary({ blocked: { code: 'scan-errors', errors: 1, users: 2 } });

    expect(buildSubject(report, summary)).toBe(
      '[stale-iam] PARTIAL scan: 1/2 users idle >90d, 1 not evaluated; remediation skipped (123456789012)',
    );
  });

  it('says how many FAILED next to how many were disabled', () => {
    const summary = remediationSummary({
      items: [
        summaryItem('alice', 'deleted'),
        summaryItem('bob', 'failed', { code: 'aws-error', error: 'EntityTemporarilyUnmodifiable' }),
      ],
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2/3 users idle >90d; 1 credential disabled, 1 FAILED (123456789012)',
    );
  });

  it('adds nothing when the run did nothing and nothing would be done', () => {
    const summary = remediationSummary({
      items: [summaryItem('breakglass', 'exempt', { code: 'exempt-in-report' })],
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days (123456789012)',
    );
  });

  it('keeps 5-digit counts, a 3650-day threshold and BLOCKED by cap within 99 characters', () => {
    const report = buildReport([staleUser('alice')], {
      thresholdDays: 3650,
      summary: { ...TWO_OF_THREE_STALE.summary, users: 99_999, stale: 12_345, errors: 0 },
    });

    const subject = buildSubject(
      report,
      remediationSummary({ blocked: { code: 'cap-actions', planned: 11, maxActions: 10 } }),
    );

    expect(subject).toBe(
      '[stale-iam] 12345/99999 users idle >3650d; remediation BLOCKED by cap (123456789012)',
    );
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });

  it.each<[string, Partial<RemediationSummary>, number, string]>([
    [
      'BLOCKED by cap',
      { blocked: { code: 'cap-actions', planned: 11, maxActions: 10 } },
      0,
      '; remediation BLOCKED by cap',
    ],
    [
      'skipped after 5-digit scan errors',
      { blocked: { code: 'scan-errors', errors: 12_345, users: 123_456 } },
      12_345,
      '; remediation skipped',
    ],
    ['10000 disabled', { counts: { deleted: 10_000 } }, 0, '; 10000 credentials disabled'],
    [
      '10000 would be disabled',
      { mode: 'dry-run', counts: { 'would-delete': 10_000 } },
      0,
      '; 10000 credentials would be disabled',
    ],
    [
      'disabled and FAILED',
      { counts: { deleted: 5_000, deactivated: 4_000, failed: 1_000 } },
      0,
      '; 9000 credentials disabled, 1000 FAILED',
    ],
  ])(
    'keeps the subject within 99 ASCII characters, remediation and account included, for 98765 of 123456 users at 3650 days: %s',
    (_what, overrides, errors, phrase) => {
      const report = buildReport([staleUser('alice')], {
        thresholdDays: 3650,
        summary: { ...TWO_OF_THREE_STALE.summary, users: 123_456, stale: 98_765, errors },
      });

      const subject = buildSubject(report, remediationSummary(overrides));

      expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
      expect(subject).toMatch(ASCII);
      expect(subject).toContain(phrase);
      expect(subject.endsWith(' (123456789012)')).toBe(true);
      expect(subject).toContain('3650');
    },
  );
});

describe('whether there is an email at all', () => {
  const options = (summary: RemediationSummary, hasWarnings = false) => ({
    language: 'en' as const,
    location: LOCATION,
    notifyWhenClean: false,
    remediation: summary,
    hasWarnings,
    extraSections: remediationSections(summary, [], {
      language: 'en',
      bucket: LOCATION.bucket,
      warningDays: 7,
    }),
  });

  it('sends nothing when nothing is stale, nothing was acted on and nobody is about to lose access', () => {
    expect(buildOperatorMessage(CLEAN, options(remediationSummary()))).toBeNull();
  });

  it('sends nothing when the only outcomes are exempt users', () => {
    const summary = remediationSummary({
      items: [summaryItem('breakglass', 'exempt', { code: 'exempt-in-report' })],
    });

    expect(buildOperatorMessage(CLEAN, options(summary))).toBeNull();
  });

  it('sends an email when somebody is about to lose access, even with nothing stale yet', () => {
    const message = buildOperatorMessage(CLEAN, options(remediationSummary(), true));

    expect(message?.subject).toBe('[stale-iam] no users unused for more than 90 days (123456789012)');
  });

  it('sends an email when the run was blocked', () => {
    const summary = remediationSummary({ blocked: { code: 'cap-actions', planned: 11, maxActions: 10 } });

    expect(buildOperatorMessage(CLEAN, options(summary))).not.toBeNull();
  });

  it('sends an email when something was done', () => {
    const summary = remediationSummary({
      items: [summaryItem('alice', 'already-gone', { code: 'user-gone' })],
    });

    expect(buildOperatorMessage(CLEAN, options(summary))).not.toBeNull();
  });
});
