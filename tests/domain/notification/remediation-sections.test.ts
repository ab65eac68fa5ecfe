import { NO_EXEMPTIONS } from '../../../src/domain/verdict/exemptions';
import {
  MAX_SUBJECT_LENGTH,
  buildOperatorMessage,
  buildSubject,
  type OperatorMessage,
} from '../../../src/domain/notification/message';
import type { NotifyLanguage } from '../../../src/domain/notification/text';
import { executeRemediation } from '../../../src/domain/remediation/execute';
import { remediationSections } from '../../../src/domain/notification/remediation-sections';
import { planRemediation } from '../../../src/domain/remediation/plan';
import {
  MAX_SUMMARY_ITEMS,
  summarizeRecords,
  type RemediationSummary,
} from '../../../src/domain/remediation/summary';
import type { ScanReport } from '../../../src/domain/report/scan-report';
import { upcomingLosses } from '../../../src/domain/remediation/upcoming-losses';
import { FakeLiveIam } from '../../support/fake-live-iam';
import { RUN_AT, exemptUser, remediationSummary, summaryItem } from '../../support/remediation-builders';
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
const AUDIT_KEY = 'audit/123456789012/2026/11/28/disable-2026-11-28T000512Z.jsonl';

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
      'Outcomes: deleted: 2, deactivated: 1',
      `Audit trail (with undo commands): s3://${LOCATION.bucket}/${AUDIT_KEY}`,
    ]);
    expect(section(body, 'Credentials (user, credential, outcome, reason):')).toEqual([
      'alice  password  deleted',
      'bob  password  deleted',
      'svc  access key AKIAEXAMPLESVC000001  deactivated',
    ]);
  });

  it('say what was skipped and why: exempt, used since, already gone, failed', () => {
    const summary = remediationSummary({
      items: [
        summaryItem('carol', 'failed', 'EntityTemporarilyUnmodifiable: try again later'),
        summaryItem(
          'bob',
          'skipped-used-since',
          'password was used at 2026-11-27T23:10:00.000Z, after the scan',
        ),
        summaryItem('dave', 'already-gone', 'the login profile no longer exists'),
        summaryItem('breakglass', 'exempt', 'user is exempt (reported as exempt by the scan)'),
        summaryItem('eve', 'exempt', 'tag stale-iam:exempt=true (found at re-check)'),
      ],
    });

    const lines = section(
      messageWith(TWO_OF_THREE_STALE, summary).body,
      'Credentials (user, credential, outcome, reason):',
    );

    expect(lines).toEqual([
      'carol  password  failed (EntityTemporarilyUnmodifiable: try again later)',
      'bob  password  skipped-used-since (password was used at 2026-11-27T23:10:00.000Z, after the scan)',
      'dave  password  already-gone (the login profile no longer exists)',
      'breakglass  password  exempt (user is exempt (reported as exempt by the scan))',
      'eve  password  exempt (tag stale-iam:exempt=true (found at re-check))',
    ]);
  });

  it('say that nothing was done, and why, when the cap blocked the run, and what the next run will do', () => {
    const detail = '11 actions planned, more than the cap of 10 per run';
    const summary = remediationSummary({
      blocked: { reason: 'cap', detail },
      items: Array.from({ length: 11 }, (_, i) => summaryItem(`idle-${i}`, 'skipped-cap', detail)),
    });

    const { body } = messageWith(TWO_OF_THREE_STALE, summary);

    expect(section(body, 'Remediation (enforce): stale credentials were disabled as listed below.')).toEqual([
      `NO ACTION TAKEN: ${detail}.`,
      'Outcomes: skipped-cap: 11',
      `Audit trail (with undo commands): s3://${LOCATION.bucket}/${AUDIT_KEY}`,
    ]);
    expect(body).toContain(`idle-0  password  skipped-cap (${detail})`);
    expect(section(body, 'Next run:')).toEqual([
      'the plan is refused again while it exceeds the caps: review the list, then raise the maxActionsPerRun / maxPercent deploy parameters or remove users yourself.',
    ]);
  });

  it('say that nothing was done because of scan errors, and what to fix', () => {
    const detail = '1 user(s) could not be evaluated by the scan, so no action is taken this run';
    const report = buildReport([staleUser('alice', password(180)), errorUser('locked-down', 'AccessDenied')]);
    const summary = remediationSummary({
      blocked: { reason: 'scan-errors', detail },
      items: [summaryItem('alice', 'skipped-scan-error', detail)],
    });

    const { body } = messageWith(report, summary);

    expect(body).toContain(`NO ACTION TAKEN: ${detail}.`);
    expect(body).toContain(`alice  password  skipped-scan-error (${detail})`);
    expect(body).toContain('locked-down: AccessDenied');
    expect(section(body, 'Next run:')).toEqual([
      'no action while the scan has users it cannot evaluate; fix the errors listed above.',
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
      'Outcomes: would-delete: 2',
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

    const lines = section(
      messageWith(TWO_OF_THREE_STALE, summary).body,
      'Credentials (user, credential, outcome, reason):',
    );

    expect(lines).toEqual(['alice  password  deleted', '... and 5 more (see the audit trail)']);
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
    expect(sections[0]?.lines).toContain('Outcomes: nothing to do');
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

  it('are written in Japanese when the language is ja', () => {
    const summary = remediationSummary({
      blocked: { reason: 'cap', detail: '3 of the 10 users holding console passwords would lose them' },
      items: [summaryItem('alice', 'skipped-cap', 'cap')],
    });

    const { body, subject } = messageWith(TWO_OF_THREE_STALE, summary, { language: 'ja' });

    expect(body).toContain('自動無効化 (enforce): 以下の長期未使用の認証情報を無効化しました。');
    expect(body).toContain('実行を中止しました: 3 of the 10 users holding console passwords would lose them');
    expect(body).toContain('次回の実行:');
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
    const plan = planRemediation(report, { deactivateAccessKeys: false, maxActions: 10, maxPercent: 20 });
    const records = await executeRemediation(plan, {
      mode: 'enforce',
      thresholdDays: report.thresholdDays,
      rules: NO_EXEMPTIONS,
      live,
      clock: () => RUN_AT,
    });
    const summary = summarizeRecords(records, {
      mode: 'enforce',
      deactivateAccessKeys: false,
      auditKey: AUDIT_KEY,
      blocked: plan.blocked,
    });

    const { subject, body } = messageWith(report, summary);

    expect(subject).toBe('[stale-iam] 2 of 16 users unused for more than 90 days; 1 disabled (123456789012)');
    expect(section(body, 'Credentials (user, credential, outcome, reason):')).toEqual([
      'alice  password  deleted',
      `bob  password  skipped-used-since (password was used at ${new Date(RUN_AT.getTime() - 60_000).toISOString()}, after the scan)`,
      'breakglass  password  exempt (user is exempt (reported as exempt by the scan))',
    ]);
    expect(section(body, 'Will lose access within 7 days unless used:')).toEqual([
      'soon will lose console access on 2026-12-02 unless they sign in',
    ]);
  });

  it('list failures first and keep at most the summary limit inline, counting the rest', () => {
    const base = {
      time: RUN_AT.toISOString(),
      mode: 'enforce' as const,
      arn: 'arn:aws:iam::123456789012:user/x',
      credential: { type: 'password' as const, accessKeyId: null, slot: null },
      action: 'delete-login-profile' as const,
      reason: null,
      before: {},
      undo: null,
    };
    const records = [
      ...Array.from({ length: 149 }, (_, i) => ({
        ...base,
        userName: `exempt-${i}`,
        outcome: 'exempt' as const,
      })),
      { ...base, userName: 'carol', outcome: 'failed' as const, reason: 'AccessDenied' },
    ];

    const summary = summarizeRecords(records, {
      mode: 'enforce',
      deactivateAccessKeys: false,
      auditKey: AUDIT_KEY,
      blocked: null,
    });

    expect(summary.items).toHaveLength(MAX_SUMMARY_ITEMS);
    expect(summary.itemsOmitted).toBe(150 - MAX_SUMMARY_ITEMS);
    expect(summary.items[0]).toEqual(summaryItem('carol', 'failed', 'AccessDenied'));
    expect(summary.counts).toEqual({ exempt: 149, failed: 1 });
  });
});

describe('the subject with remediation', () => {
  it('says how many credentials were disabled after an enforcing run', () => {
    const summary = remediationSummary({
      items: [summaryItem('alice', 'deleted'), summaryItem('bob', 'deleted')],
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days; 2 disabled (123456789012)',
    );
  });

  it('says how many would be disabled in dry-run', () => {
    const summary = remediationSummary({
      mode: 'dry-run',
      items: [
        summaryItem('alice', 'would-delete'),
        summaryItem('bob', 'would-delete'),
        summaryItem('svc', 'would-deactivate', null, 'access key AKIAEXAMPLESVC000001'),
      ],
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days; 3 would be disabled (123456789012)',
    );
  });

  it('says the run was BLOCKED by the cap', () => {
    const summary = remediationSummary({ blocked: { reason: 'cap', detail: 'too many' } });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days; remediation BLOCKED by cap (123456789012)',
    );
  });

  it('says remediation was skipped after scan errors', () => {
    const report = buildReport([staleUser('alice'), errorUser('locked-down', 'AccessDenied')]);
    const summary = remediationSummary({ blocked: { reason: 'scan-errors', detail: '1 user(s)' } });

    expect(buildSubject(report, summary)).toBe(
      '[stale-iam] PARTIAL scan: 1/2 users idle >90d, 1 not evaluated; remediation skipped (123456789012)',
    );
  });

  it('says how many FAILED next to how many were disabled', () => {
    const summary = remediationSummary({
      items: [summaryItem('alice', 'deleted'), summaryItem('bob', 'failed', 'EntityTemporarilyUnmodifiable')],
    });

    expect(buildSubject(TWO_OF_THREE_STALE, summary)).toBe(
      '[stale-iam] 2 of 3 users unused for more than 90 days; 1 disabled, 1 FAILED (123456789012)',
    );
  });

  it('adds nothing when the run did nothing and nothing would be done', () => {
    const summary = remediationSummary({
      items: [summaryItem('breakglass', 'exempt', 'user name is exempt')],
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

    const subject = buildSubject(report, remediationSummary({ blocked: { reason: 'cap', detail: 'x' } }));

    expect(subject).toBe(
      '[stale-iam] 12345/99999 users idle >3650d; remediation BLOCKED by cap (123456789012)',
    );
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });

  it.each<[string, Partial<RemediationSummary>, number, string]>([
    ['BLOCKED by cap', { blocked: { reason: 'cap', detail: 'x' } }, 0, '; remediation BLOCKED by cap'],
    [
      'skipped after 5-digit scan errors',
      { blocked: { reason: 'scan-errors', detail: 'x' } },
      12_345,
      '; remediation skipped',
    ],
    ['10000 disabled', { counts: { deleted: 10_000 } }, 0, '; 10000 disabled'],
    [
      '10000 would be disabled',
      { mode: 'dry-run', counts: { 'would-delete': 10_000 } },
      0,
      '; 10000 would be disabled',
    ],
    [
      'disabled and FAILED',
      { counts: { deleted: 5_000, deactivated: 4_000, failed: 1_000 } },
      0,
      '; 9000 disabled, 1000 FAILED',
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
      items: [summaryItem('breakglass', 'exempt', 'user name is exempt')],
    });

    expect(buildOperatorMessage(CLEAN, options(summary))).toBeNull();
  });

  it('sends an email when somebody is about to lose access, even with nothing stale yet', () => {
    const message = buildOperatorMessage(CLEAN, options(remediationSummary(), true));

    expect(message?.subject).toBe('[stale-iam] no users unused for more than 90 days (123456789012)');
  });

  it('sends an email when the run was blocked', () => {
    const summary = remediationSummary({ blocked: { reason: 'cap', detail: 'x' } });

    expect(buildOperatorMessage(CLEAN, options(summary))).not.toBeNull();
  });

  it('sends an email when something was done', () => {
    const summary = remediationSummary({ items: [summaryItem('alice', 'already-gone', 'gone')] });

    expect(buildOperatorMessage(CLEAN, options(summary))).not.toBeNull();
  });
});
