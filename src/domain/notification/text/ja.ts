import { EXEMPT_TAG_KEY, SETTINGS } from '../../../settings/table';
import type { PlanBlock } from '../../remediation/plan';
import type { ExemptionCause } from '../../verdict/exemptions';
import type { NotificationText } from './index';

/** Every word of the operators' email in Japanese. */
export const ja: NotificationText = {
  title: (accountId) => `stale-iam レポート: AWS アカウント ${accountId}`,
  evaluatedAt: '評価日時',
  thresholdLabel: 'しきい値',
  threshold: (days) => `${days} 日を超えて使用されていない認証情報を長期未使用とします`,
  scope: '対象の認証情報',
  source: '取得元',
  reportGeneratedAt: (at) => `(AWS による生成日時 ${at})`,
  summary: (s) =>
    `ユーザー ${s.users} 人: 長期未使用 ${s.stale} 人、利用中 ${s.active} 人` +
    `(うち未使用の認証情報あり ${s.activeWithStale} 人)、認証情報なし ${s.noCredentials} 人、` +
    `除外 ${s.exempt} 人、評価できず ${s.errors} 人`,
  staleHeading: (days, count) => `${days} 日を超えて使用されていない IAM ユーザー (${count} 人):`,
  noneStale: (days) => `${days} 日を超えて使用されていない IAM ユーザーはいません。`,
  activeWithStaleHeading: (days, count) =>
    `利用中ですが ${days} 日を超えて使用されていない認証情報を持つユーザー (${count} 人):`,
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
  moreUsers: (count) => `... ほか ${count} 人 (詳細はレポート全文を参照してください)`,
  fullReport: 'レポート全文',
  visualReport: 'ビジュアルレポート (グラフと履歴。AWS コンソールにサインインして「開く」)',
  visualReportMissing: 'ビジュアルレポート: 今回は作成できませんでした (render 関数のログを参照)',
  password: 'パスワード',
  key: (idOrSlot) =>
    typeof idOrSlot === 'string' ? `アクセスキー ${idOrSlot}` : `アクセスキー${idOrSlot ?? ''}`,
  never: '未使用',
  days: (n) => `${n}日`,
  remediation: {
    enforceHeading: '自動無効化 (enforce): 以下の長期未使用の認証情報を無効化しました。',
    dryRunHeading: '自動無効化 (dry-run): 変更は行っていません。enforce の場合に実行される内容です。',
    blocked: (block) => {
      switch (block.code) {
        case 'scan-errors':
          return `実行を中止しました: ユーザー ${block.users} 人中 ${block.errors} 人をスキャンで評価できませんでした。`;
        case 'below-floor':
          return (
            `実行を中止しました: しきい値 ${block.thresholdDays} 日が下限 ${block.minEnforceDays} 日 ` +
            `(${SETTINGS.minEnforceDays.param}) を下回っています。`
          );
        case 'cap-actions':
          return (
            `実行を中止しました: 予定された処理 ${block.planned} 件が 1 回の上限 ${block.maxActions} 件 ` +
            `(${SETTINGS.maxActionsPerRun.param}) を超えています。`
          );
        case 'cap-share':
          return (
            `実行を中止しました: ${block.credential === 'password' ? 'コンソールパスワード' : '有効なアクセスキー'}` +
            `を持つユーザー ${block.holders} 人中 ${block.affected} 人が対象ですが、1 回に許されるのは ` +
            `${block.allowed} 人までです (${SETTINGS.maxPercent.param} ${block.maxPercent}%)。`
          );
        case 'cap-organization':
          return (
            `どのアカウントでも実行しませんでした: 組織全体で予定された処理 ${block.planned} 件が 1 回の上限 ` +
            `${block.maxActions} 件 (${SETTINGS.maxActionsPerOrganization.param}) を超えています。`
          );
        case 'over-allowance':
          return (
            `実行を中止しました: このアカウントの計画は ${block.planned} 件で、組織の計画が許した ${block.allowed} 件を` +
            '超えています (その間に設定またはレポートが変わりました)。'
          );
      }
    },
    belowFloor: (days, floor) =>
      `enforce の場合は何も実行されません: しきい値 ${days} 日が下限 ${floor} 日 (${SETTINGS.minEnforceDays.param}) を下回っています。`,
    outcomes: '結果 (認証情報の数)',
    outcome: {
      deleted: '削除',
      deactivated: '無効化',
      'would-delete': '削除予定',
      'would-deactivate': '無効化予定',
      'already-gone': '対応済み',
      exempt: '除外',
      'skipped-used-since': 'スキャン後に使用',
      'skipped-cap': '上限により保留',
      'skipped-scan-error': 'スキャンエラーにより保留',
      'skipped-floor': '下限により保留',
      'not-reached': '未処理',
      'outcome-unknown': '結果不明',
      failed: '失敗',
    },
    nothing: '対象なし',
    audit: '監査ログ (取り消しコマンド付き)',
    itemsHeading: '認証情報:',
    columns: { user: 'ユーザー名', credential: '認証情報', outcome: '結果', reason: '理由' },
    reason: (reason) => {
      switch (reason.code) {
        case 'exempt-in-report':
          return 'スキャンのレポートで除外';
        case 'exempt-now':
          return exemptNow(reason.cause);
        case 'user-gone':
          return 'スキャン後にユーザーが削除された';
        case 'login-profile-gone':
          return 'スキャン後にコンソールパスワードが削除された';
        case 'key-gone':
          return 'スキャン後にアクセスキーが削除された';
        case 'key-not-active':
          return `アクセスキーはすでに ${reason.status}`;
        case 'gone-on-write':
          return '直前に他の操作で削除された';
        case 'used-since':
          return `スキャン後の ${reason.at} に${reason.basis === 'created' ? '設定' : '使用'}された`;
        case 'password-reset':
          return `${reason.at} にパスワードが再設定された (認証情報レポート) ため未使用ではない`;
        case 'credential-report-unavailable':
          return `認証情報レポートを読めなかったため、この実行ではパスワードを削除しない: ${reason.error}`;
        case 'not-in-credential-report':
          return '認証情報レポートに無く、パスワードの最終設定日が分からないため削除しない';
        case 'ambiguous-key':
          return '同じ秒に作成されたアクセスキーが 2 つあるため特定できない';
        case 'aws-error':
          return `AWS エラー: ${reason.error}`;
        case 'blocked':
          return blockedShort(reason.block);
        case 'not-reached':
          return '実行時間の上限に達したため未処理 (次回に処理)';
        case 'audit-unavailable':
          return `監査ログを書き込めなかった: ${reason.error}`;
        case 'outcome-unknown':
          return `実行 ${reason.runId} が ${reason.intendedAt} の予定記録の後に停止: CloudTrail を確認してください`;
      }
    },
    omitted: (n) => `... ほか ${n} 件 (監査ログを参照してください)`,
    warningHeading: (days, dryRun) =>
      `${days} 日以内に使用されなければ無効化される予定${dryRun ? ' (remediation-mode を enforce にした場合)' : ''}:`,
    willLosePassword: (user, date) => `${user}: サインインしなければ ${date} にコンソールアクセスを失います`,
    willLoseKey: (user, slot, date) =>
      `${user}: アクセスキー${slot ?? ''} は使用されなければ ${date} に無効化されます`,
    noWarnings: 'なし',
    nextRunHeading: '次回の実行:',
    nextBlockedByCap: `上限を超えている間は実行されません。一覧を確認し、デプロイパラメータ ${SETTINGS.maxActionsPerRun.param} / ${SETTINGS.maxPercent.param} を引き上げるか、手動で対応してください。`,
    nextBlockedByOrganizationCap: `組織全体の計画が ${SETTINGS.maxActionsPerOrganization.param} を超えている間はどのアカウントでも実行されません。下のアカウントを確認し、引き上げるか手動で対応してください。計画後に変わった計画は次回の実行で改めて計画されます。`,
    nextAfterScanErrors: '評価できないユーザーがいる間は実行されません。上記のエラーを解消してください。',
    nextBelowFloor: `しきい値が ${SETTINGS.minEnforceDays.param} を下回っている間は実行されません。SSM パラメータ threshold-days を引き上げるか、デプロイパラメータ ${SETTINGS.minEnforceDays.param} を下げてください。`,
    nextEnforce: 'その時点で長期未使用となった認証情報を、再確認のうえ上限の範囲内で無効化します。',
    nextDryRun:
      '引き続き dry-run です。実行するには remediation-mode の SSM パラメータを enforce にしてください。',
  },
  securityHub: {
    heading: 'Security Hub の検出結果 (長期未使用の認証情報ごとに 1 件):',
    imported: (c) =>
      `新規 ${c.created} 件、更新 ${c.updated} 件、解決 ${c.resolved} 件 (PASSED としてアーカイブ)、拒否 ${c.failed} 件`,
    refused: (id, code, message) => `拒否: ${id}: ${code}${message ? ` (${message})` : ''}`,
    unreadable: (count) =>
      `stale-iam のプロダクトの検出結果 ${count} 件は stale-iam が書いた形式として読めなかったため、解決していません`,
    skippedPartial:
      '取り込みも解決も行っていません: 部分的なスキャンでは、評価できなかったユーザーの検出結果まで解決してしまうためです。',
    failed: (error, message) =>
      `取り込みに失敗しました (${error}): ${message}。Security Hub には前回の実行の検出結果が残っています。このメールとレポートは完全です。`,
    product: (arn) => `プロダクト: ${arn}`,
  },
  organization: {
    title: (accounts) => `stale-iam レポート: AWS 組織 (${accounts} アカウントをスキャン)`,
    partialRun: (failed, partial, accounts) =>
      `不完全: ${accounts} アカウント中 ${failed} アカウントをスキャンできず、${partial} アカウントは部分的なスキャンです ` +
      '(対処方法とともに下記参照)。合計には読み取れなかった分が含まれていません。',
    accounts: (c) =>
      `アカウント: スキャン ${c.scanned} (完了 ${c.complete}、部分的 ${c.partial}、失敗 ${c.failed})、対象外 ${c.skipped}`,
    noAccounts:
      'スキャンしたアカウントがありません。デプロイパラメータ includeOrganizationalUnits と excludeAccounts を確認してください。',
    failedHeading: (count) => `スキャンできなかったアカウント (${count}):`,
    advice: {
      'role-unavailable': ({ account, role }) =>
        `${account} にメンバーロール ${role} がないか、このスタックのスキャンロールを信頼していません。StackSet をデプロイしてください (管理アカウントでは member-role/stale-iam-member-role.yml をスタックとしてデプロイ)`,
      'access-denied': ({ account, role }) =>
        `${account} のメンバーロール ${role} でスキャンに必要な呼び出しが拒否されました。member-role/stale-iam-member-role.yml で更新してください (ScanSource は ${SETTINGS.scanSource.param} と同じにします)`,
      throttled: ({ account }) =>
        `${account} の IAM が再試行後も Throttling を返しました。次回の実行で再試行します。繰り返す場合は IAM を呼び出している他のツールを確認してください`,
      'report-not-ready': ({ account }) =>
        `${account} の認証情報レポートが取得できませんでした。次回の実行で再試行します。繰り返す場合は ${SETTINGS.scanSource.param}=api でデプロイしてください`,
      'timed-out': ({ account }) =>
        `${account} のスキャンが制限時間内に終わりませんでした。次回の実行で再試行します。${SETTINGS.scanSource.param}=api の場合は credential-report に切り替えてください`,
      'no-result': ({ account }) =>
        `${account} はスキャンされませんでした (Map の実行がその前に停止)。Step Functions コンソールで実行を確認してください`,
      'report-unreadable': ({ account }) =>
        `${account} のレポートを読み戻せませんでした。次回の実行で新しいレポートを書きます。繰り返す場合はバケットに書き込んでいる他の主体を確認してください`,
      failed: ({ account }) =>
        `${account} のスキャンに失敗しました。理由と scanMember 関数のログを確認してください`,
    },
    reason: (message) => `理由: ${message}`,
    partialHeading: (count) => `部分的にスキャンしたアカウント (${count}):`,
    partialAccount: (errors, users) =>
      `${users} 人中 ${errors} 人を評価できませんでした (アカウントのレポートを参照)`,
    staleHeading: (days, count) =>
      `${days} 日を超えて使用されていない IAM ユーザーが多いアカウント (${count}):`,
    noneStale: (days) => `${days} 日を超えて使用されていない IAM ユーザーがいるアカウントはありません。`,
    columns: {
      account: 'アカウント',
      name: '名前',
      stale: '未使用',
      activeWithStale: '利用中(未使用あり)',
      users: 'ユーザー',
    },
    moreAccounts: (count) => `... ほか ${count} アカウント (詳細はレポート全文を参照してください)`,
    skippedHeading: (count) => `意図的にスキャンしなかったアカウント (${count}):`,
    skipped: {
      'not-active': (state) => `有効ではありません (${state ?? '状態なし'})`,
      excluded: () => `除外 (${SETTINGS.excludeAccounts.param})`,
    },
    accountReports: '各アカウントのレポート',
    findingsHeading: (accounts) =>
      `Security Hub の検出結果 (各アカウント自身に取り込み、${accounts} アカウント):`,
    remediation: {
      heading: '自動無効化:',
      plan: '計画 (今回各アカウントが実行できる内容。各メンバーの無効化ステップが照合します)',
      notPlanned: (error, message) =>
        `自動無効化を実行しませんでした (${error}): ${message}。どのアカウントでも実行していません。次回の実行で改めて計画します。`,
      notCompleted: (error, message) =>
        `自動無効化が完了しませんでした (${error}): ${message}。実行したアカウントがある可能性があります。audit/<アカウント>/ の監査証跡を確認してください。`,
      byAccountHeading: (count) => `アカウントごとの自動無効化 (${count}):`,
      done: (counts, audit) => `${counts}。監査証跡 ${audit}`,
      nothingToDo: '対象なし',
      notScanned: (status) =>
        `実行なし: 今回のスキャンが${status === 'partial' ? '部分的' : '完了していません'}でした`,
      refused: (reason) => `実行なし: レポートを信頼できませんでした (${reason})`,
      roleUnavailable: ({ account, role }) =>
        `実行なし: ${account} にメンバー無効化ロール ${role} がないか、このスタックの disable-member ロールを信頼していません。無効化用の StackSet をデプロイしてください (member-role/stale-iam-member-remediation-role.yml)`,
      timedOut:
        '制限時間内に終わりませんでした。実行した内容は監査証跡にあり、結果のない意図は次回の実行で報告されます',
      noResult:
        '結果なし: Map の実行がその前に停止しました (Step Functions コンソールで実行を確認してください)',
      failed: (message) =>
        `自動無効化に失敗しました: ${message} (disableMember 関数のログとアカウントの監査証跡を確認してください)`,
    },
  },
};

/** 再確認の時点で除外の対象だった理由。 */
function exemptNow(cause: ExemptionCause): string {
  switch (cause.kind) {
    case 'tag':
      return `スキャン後にタグ ${EXEMPT_TAG_KEY}=true が付けられた`;
    case 'user-name':
      return '除外するユーザー名の一覧に含まれる';
    case 'path':
      return `除外するパス ${cause.prefix} の下にある`;
    case 'group':
      return `除外するグループ ${cause.group} に所属`;
  }
}

/** 中止された計画で保留された各認証情報の理由。 */
function blockedShort(block: PlanBlock): string {
  switch (block.code) {
    case 'scan-errors':
      return 'スキャンにエラーがあった';
    case 'below-floor':
      return `しきい値が ${block.minEnforceDays} 日未満`;
    case 'cap-actions':
      return `処理件数の上限 ${block.maxActions} 件を超過`;
    case 'cap-share':
      return `${block.credential === 'password' ? 'コンソールパスワード' : 'アクセスキー'}の上限を超過`;
    case 'cap-organization':
      return `組織の処理件数の上限 ${block.maxActions} 件を超過`;
    case 'over-allowance':
      return '組織の計画が許した件数を超過';
  }
}
