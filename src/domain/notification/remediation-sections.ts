import type { MessageSection } from './message';
import type { NotifyLanguage } from './text';
import type { RemediationSummary } from '../remediation/summary';
import type { UpcomingLoss } from '../remediation/upcoming-losses';

/**
 * The email sections the disable step adds: what was done (or would be, in dry-run), what was
 * skipped and why, who will lose access soon, and what the next run will do.
 */
export function remediationSections(
  summary: RemediationSummary,
  losses: readonly UpcomingLoss[],
  context: { language: NotifyLanguage; bucket: string; warningDays: number },
): MessageSection[] {
  const t = TEXT[context.language];
  const sections: MessageSection[] = [];
  const counts = Object.entries(summary.counts)
    .map(([outcome, n]) => `${outcome}: ${n}`)
    .join(', ');
  sections.push({
    heading: summary.mode === 'enforce' ? t.enforceHeading : t.dryRunHeading,
    lines: [
      ...(summary.blocked ? [t.blocked(summary.blocked.detail)] : []),
      `${t.outcomes}: ${counts || t.nothing}`,
      `${t.audit}: s3://${context.bucket}/${summary.auditKey}`,
    ],
  });
  if (summary.items.length > 0) {
    sections.push({
      heading: t.itemsHeading,
      lines: [
        ...summary.items.map(
          (i) => `${i.userName}  ${i.credential}  ${i.outcome}${i.reason ? ` (${i.reason})` : ''}`,
        ),
        ...(summary.itemsOmitted > 0 ? [t.omitted(summary.itemsOmitted)] : []),
      ],
    });
  }
  sections.push({
    heading: t.warningHeading(context.warningDays, summary.mode === 'dry-run'),
    lines:
      losses.length > 0
        ? losses.map((l) =>
            l.credential === 'password'
              ? t.willLosePassword(l.userName, day(l.staleAt))
              : t.willLoseKey(l.userName, l.slot, day(l.staleAt)),
          )
        : [t.noWarnings],
  });
  sections.push({ heading: t.nextRunHeading, lines: [nextRun(summary, t)] });
  return sections;
}

function nextRun(summary: RemediationSummary, t: RemediationText): string {
  if (summary.blocked?.reason === 'cap') return t.nextBlockedByCap;
  if (summary.blocked?.reason === 'scan-errors') return t.nextAfterScanErrors;
  return summary.mode === 'enforce' ? t.nextEnforce : t.nextDryRun;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

interface RemediationText {
  enforceHeading: string;
  dryRunHeading: string;
  blocked(detail: string): string;
  outcomes: string;
  nothing: string;
  audit: string;
  itemsHeading: string;
  omitted(n: number): string;
  warningHeading(days: number, dryRun: boolean): string;
  willLosePassword(user: string, date: string): string;
  willLoseKey(user: string, slot: number | null, date: string): string;
  noWarnings: string;
  nextRunHeading: string;
  nextBlockedByCap: string;
  nextAfterScanErrors: string;
  nextEnforce: string;
  nextDryRun: string;
}

const TEXT: Record<NotifyLanguage, RemediationText> = {
  en: {
    enforceHeading: 'Remediation (enforce): stale credentials were disabled as listed below.',
    dryRunHeading: 'Remediation (dry-run): nothing was changed; this is what an enforcing run would do.',
    blocked: (detail) => `NO ACTION TAKEN: ${detail}.`,
    outcomes: 'Outcomes',
    nothing: 'nothing to do',
    audit: 'Audit trail (with undo commands)',
    itemsHeading: 'Credentials (user, credential, outcome, reason):',
    omitted: (n) => `... and ${n} more (see the audit trail)`,
    warningHeading: (days, dryRun) =>
      `Will lose access within ${days} days unless used${dryRun ? ' (once remediation-mode is enforce)' : ''}:`,
    willLosePassword: (user, date) => `${user} will lose console access on ${date} unless they sign in`,
    willLoseKey: (user, slot, date) =>
      `${user}: access key ${slot ?? ''} will be deactivated on ${date} unless used`,
    noWarnings: 'nobody',
    nextRunHeading: 'Next run:',
    nextBlockedByCap:
      'the plan is refused again while it exceeds the caps: review the list, then raise MAX_ACTIONS / MAX_PERCENT or remove users yourself.',
    nextAfterScanErrors:
      'no action while the scan has users it cannot evaluate; fix the errors listed above.',
    nextEnforce:
      'credentials that have become stale by then are disabled, within the caps, after a live re-check.',
    nextDryRun: 'still a dry run. Set the remediation-mode SSM parameter to enforce to act.',
  },
  ja: {
    enforceHeading: '自動無効化 (enforce): 以下の長期未使用の認証情報を無効化しました。',
    dryRunHeading: '自動無効化 (dry-run): 変更は行っていません。enforce の場合に実行される内容です。',
    blocked: (detail) => `実行を中止しました: ${detail}`,
    outcomes: '結果',
    nothing: '対象なし',
    audit: '監査ログ (取り消しコマンド付き)',
    itemsHeading: '認証情報 (ユーザー、認証情報、結果、理由):',
    omitted: (n) => `... ほか ${n} 件 (監査ログを参照してください)`,
    warningHeading: (days, dryRun) =>
      `${days} 日以内に使用されなければ無効化される予定${dryRun ? ' (remediation-mode を enforce にした場合)' : ''}:`,
    willLosePassword: (user, date) => `${user}: サインインしなければ ${date} にコンソールアクセスを失います`,
    willLoseKey: (user, slot, date) =>
      `${user}: アクセスキー${slot ?? ''} は使用されなければ ${date} に無効化されます`,
    noWarnings: 'なし',
    nextRunHeading: '次回の実行:',
    nextBlockedByCap:
      '上限を超えている間は実行されません。一覧を確認し、MAX_ACTIONS / MAX_PERCENT を引き上げるか、手動で対応してください。',
    nextAfterScanErrors: '評価できないユーザーがいる間は実行されません。上記のエラーを解消してください。',
    nextEnforce: 'その時点で長期未使用となった認証情報を、再確認のうえ上限の範囲内で無効化します。',
    nextDryRun:
      '引き続き dry-run です。実行するには remediation-mode の SSM パラメータを enforce にしてください。',
  },
};
