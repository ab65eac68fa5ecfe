/** The words of the operators' email, per language. Subjects stay ASCII: SNS refuses anything else there. */
import { NOTIFY_LANGUAGES } from '../../../settings/table';

export { NOTIFY_LANGUAGES };
export type NotifyLanguage = (typeof NOTIFY_LANGUAGES)[number];

export interface NotificationText {
  title(accountId: string): string;
  evaluatedAt: string;
  threshold(days: number): string;
  scope: string;
  source: string;
  summary(s: {
    users: number;
    stale: number;
    active: number;
    activeWithStale: number;
    noCredentials: number;
    exempt: number;
    errors: number;
  }): string;
  staleHeading(days: number, count: number): string;
  noneStale(days: number): string;
  activeWithStaleHeading(days: number, count: number): string;
  errorsHeading(count: number): string;
  /** The line under the title when some users could not be evaluated. */
  partialScan(errors: number, users: number): string;
  deletedHeading(count: number): string;
  columns: { user: string; idleDays: string; credentials: string; lastActivity: string };
  more(count: number): string;
  fullReport: string;
  password: string;
  key(slot: number | undefined): string;
  never: string;
  days(n: number): string;
}

export const TEXT: Record<NotifyLanguage, NotificationText> = {
  en: {
    title: (accountId) => `stale-iam report for AWS account ${accountId}`,
    evaluatedAt: 'Evaluated at',
    threshold: (days) => `${days} days`,
    scope: 'Credentials checked',
    source: 'Source',
    summary: (s) =>
      `${s.users} users: ${s.stale} stale, ${s.active} active (${s.activeWithStale} holding a stale credential), ` +
      `${s.noCredentials} without credentials, ${s.exempt} exempt, ${s.errors} could not be evaluated`,
    staleHeading: (days, count) => `IAM users idle for ${days}+ days (${count}):`,
    noneStale: (days) => `No IAM user has been idle for ${days}+ days.`,
    activeWithStaleHeading: (days, count) =>
      `Active users still holding a credential unused for ${days}+ days (${count}):`,
    errorsHeading: (count) => `Users that could not be evaluated (${count}):`,
    partialScan: (errors, users) =>
      `PARTIAL SCAN: ${errors} of ${users} users could not be evaluated (listed below), so this report is ` +
      'incomplete. Automatic remediation does not act on a partial scan.',
    deletedHeading: (count) => `Users deleted while the scan ran, so not judged (${count}):`,
    columns: {
      user: 'USER',
      idleDays: 'IDLE DAYS',
      credentials: 'CREDENTIALS',
      lastActivity: 'LAST ACTIVITY',
    },
    more: (count) => `... and ${count} more (see the full report)`,
    fullReport: 'Full report',
    password: 'password',
    key: (slot) => `access key ${slot ?? ''}`.trimEnd(),
    never: 'never used',
    days: (n) => `${n}d`,
  },
  ja: {
    title: (accountId) => `stale-iam レポート: AWS アカウント ${accountId}`,
    evaluatedAt: '評価日時',
    threshold: (days) => `${days} 日`,
    scope: '対象の認証情報',
    source: '取得元',
    summary: (s) =>
      `ユーザー ${s.users} 人: 長期未使用 ${s.stale} 人、利用中 ${s.active} 人` +
      `(うち未使用の認証情報あり ${s.activeWithStale} 人)、認証情報なし ${s.noCredentials} 人、` +
      `除外 ${s.exempt} 人、評価できず ${s.errors} 人`,
    staleHeading: (days, count) => `${days} 日以上使用されていない IAM ユーザー (${count} 人):`,
    noneStale: (days) => `${days} 日以上使用されていない IAM ユーザーはいません。`,
    activeWithStaleHeading: (days, count) =>
      `利用中ですが ${days} 日以上使用されていない認証情報を持つユーザー (${count} 人):`,
    errorsHeading: (count) => `評価できなかったユーザー (${count} 人):`,
    partialScan: (errors, users) =>
      `部分的なスキャン: ${users} 人中 ${errors} 人を評価できませんでした (下記参照)。このレポートは不完全です。` +
      '部分的なスキャンでは自動修復は行われません。',
    deletedHeading: (count) => `スキャン中に削除されたため評価対象外のユーザー (${count} 人):`,
    columns: {
      user: 'ユーザー名',
      idleDays: '未使用日数',
      credentials: '認証情報',
      lastActivity: '最終利用',
    },
    more: (count) => `... ほか ${count} 件 (詳細はレポート全文を参照してください)`,
    fullReport: 'レポート全文',
    password: 'パスワード',
    key: (slot) => `アクセスキー${slot ?? ''}`,
    never: '未使用',
    days: (n) => `${n}日`,
  },
};
