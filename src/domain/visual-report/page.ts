import { createHash } from 'node:crypto';
import type { ReportSummary } from '../report/scan-report';
import type { CredentialChange, CredentialRef, RunChanges } from './changes';
import { idleDaysHistogram, staleTrend } from './charts';
import { html, jsonForScript } from './escape';
import { staleCredentialsOf, type TrendPoint } from './history';
import type { ReportView } from './report-view';
import { renderSvg } from './svg';
import { tableData } from './table-data';
import { TABLE_SCRIPT } from './table-script';
import { PAGE_TEXT as T } from './text';

/**
 * The visual report: one self-contained HTML page (styles, charts as inline SVG, the table's data
 * and script all inside it). Its Content-Security-Policy forbids every fetch, so the page can load
 * nothing from anywhere, whether opened from a disk or from S3; the only script it runs is the
 * one whose hash the policy names.
 */

export interface VisualReportInput {
  readonly report: ReportView;
  /** This run and the ones before it, oldest first (history.ts, trendOf). */
  readonly trend: readonly TrendPoint[];
  readonly changes: RunChanges;
  /** Why the previous run's report could not be compared with this one, or null. */
  readonly previousProblem: string | null;
  /** History entries that were refused, each with its reason. */
  readonly ignoredHistory: readonly string[];
  /** Where the same report is as JSON and CSV, for the footer; null when not stored (the CLI). */
  readonly location: { readonly bucket: string; readonly key: string; readonly csvKey: string } | null;
}

/** At most this many rows in each "what changed" list. */
export const MAX_CHANGE_ROWS = 200;
/** A longer list starts folded (a native <details>, no script), so that the table stays in reach. */
const OPEN_LIST_ROWS = 15;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * default-src 'none': no fetch, image, font, frame or connection of any kind. The one script and
 * the one style sheet run because their hashes are named; nothing else inline can (the charts'
 * SVG carries no style attribute).
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256(TABLE_SCRIPT)}'`,
    `style-src 'sha256-${sha256(STYLE)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export async function buildVisualReport(input: VisualReportInput): Promise<string> {
  const { report } = input;
  const users = report.users.filter((u) => u.idleDays !== null).length;
  const [histogram, trend] = await Promise.all([
    users > 0
      ? renderSvg(idleDaysHistogram(report, { axisX: T.histogram.axisX, axisY: T.histogram.axisY }))
      : Promise.resolve(null),
    renderSvg(staleTrend(input.trend, { axisY: T.trend.axisY })),
  ]);
  return pageHtml(input, { histogram, trend });
}

/** The page around already rendered charts (null: nothing to chart). */
export function pageHtml(
  input: VisualReportInput,
  charts: { readonly histogram: string | null; readonly trend: string },
): string {
  const { report } = input;
  const account = report.accounts ? T.organisation : (report.accountId ?? T.unknownAccount);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    // An empty icon: otherwise a browser asks the server for /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<title>${html(T.title(account))}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    header(report, account),
    figures(report.summary, staleCredentialsOf(report), input.trend),
    '<section class="charts">',
    `<div class="chart"><h2>${T.histogram.heading}</h2><p class="note">${html(T.histogram.note(report.thresholdDays))}</p>${
      charts.histogram ?? `<p>${T.histogram.noData}</p>`
    }</div>`,
    `<div class="chart"><h2>${T.trend.heading}</h2>${charts.trend}${trendNotes(input)}</div>`,
    '</section>',
    changesSection(input),
    report.accounts ? accountsSection(report) : '',
    tableSection(report),
    footer(input),
    `<script id="table-data" type="application/json">${jsonForScript(tableData(report))}</script>`,
    `<script>${TABLE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function header(report: ReportView, account: string): string {
  const failed = (report.accounts ?? []).filter((a) => a.status !== 'complete').length;
  const warnings = [
    ...(report.partial && report.summary.errors > 0
      ? [T.partial(report.summary.errors, report.summary.users)]
      : []),
    ...(failed > 0 ? [T.failedAccounts(failed)] : []),
  ];
  return [
    `<header><h1>${html(T.title(account))}</h1>`,
    `<p class="meta">${T.evaluatedAt} ${html(report.evaluatedAt.toISOString())} · ${html(
      T.threshold(report.thresholdDays),
    )} · ${html(T.scope(report.credentialScope))} · ${html(T.source(report.source))}</p>`,
    ...warnings.map((w) => `<p class="warning" role="alert">${html(w)}</p>`),
    '</header>',
  ].join('\n');
}

function figures(summary: ReportSummary, stale: number, trend: readonly TrendPoint[]): string {
  const before = trend.length >= 2 ? trend[trend.length - 2] : undefined;
  const figure = (label: string, value: number, className = '', delta?: number) =>
    `<div class="figure ${className}"><span class="value">${value.toLocaleString('en-US')}</span><span class="label">${html(label)}</span>${
      delta === undefined ? '' : `<span class="delta">${html(T.figures.sincePrevious(delta))}</span>`
    }</div>`;
  return [
    '<section class="figures" aria-label="headline figures">',
    figure(T.figures.users, summary.users),
    figure(
      T.figures.stale,
      summary.stale,
      summary.stale > 0 ? 'alert' : '',
      before && summary.stale - before.stale,
    ),
    figure(
      T.figures.activeWithStale,
      summary.activeWithStaleCredentials,
      summary.activeWithStaleCredentials > 0 ? 'alert' : '',
    ),
    figure(T.figures.staleCredentials, stale, '', before && stale - before.staleCredentials),
    figure(T.figures.noCredentials, summary.noCredentials),
    figure(T.figures.exempt, summary.exempt),
    figure(T.figures.errors, summary.errors, summary.errors > 0 ? 'alert' : ''),
    '</section>',
  ].join('\n');
}

function trendNotes(input: VisualReportInput): string {
  const notes: string[] = [];
  if (input.trend.length <= 1) notes.push(`<p class="note">${T.trend.onlyThisRun}</p>`);
  if (input.trend.some((p) => p.partial)) notes.push(`<p class="note">${T.trend.partial}</p>`);
  if (input.ignoredHistory.length > 0) {
    notes.push(
      `<div class="warning"><p>${html(T.trend.ignored(input.ignoredHistory.length))}</p><ul>${input.ignoredHistory
        .map((reason) => `<li>${html(reason)}</li>`)
        .join('')}</ul></div>`,
    );
  }
  return notes.join('\n');
}

function changesSection(input: VisualReportInput): string {
  const { changes } = input;
  const parts = [`<section id="changes"><h2>${T.changes.heading}</h2>`];
  if (input.previousProblem) {
    parts.push(`<p class="warning">${html(T.changes.previousUnreadable(input.previousProblem))}</p>`);
  } else if (changes.previousAt) {
    parts.push(`<p>${html(T.changes.previous(changes.previousAt.toISOString()))}</p>`);
    parts.push(...changes.caveats.map((c) => `<p class="warning">${html(T.changes.caveat(c))}</p>`));
    if (changes.notComparable > 0)
      parts.push(`<p class="note">${html(T.changes.notComparable(changes.notComparable))}</p>`);
    parts.push(
      changeList(
        T.changes.newlyStale(changes.newlyStale.length),
        changes.newlyStale,
        (r) => T.changes.newlyStaleReason[r],
      ),
      changeList(
        T.changes.noLongerStale(changes.noLongerStale.length),
        changes.noLongerStale,
        (r) => T.changes.noLongerStaleReason[r],
      ),
    );
  } else {
    parts.push(`<p>${T.changes.noPrevious}</p>`);
  }
  parts.push(disabledList(changes), '</section>');
  return parts.join('\n');
}

function changeList<Reason>(
  heading: string,
  rows: readonly CredentialChange<Reason>[],
  reason: (r: Reason) => string,
): string {
  const org = rows.some((r) => r.accountId !== null);
  return listTable(
    heading,
    [
      ...(org ? [T.columns.account] : []),
      T.columns.user,
      T.columns.credential,
      T.columns.idleDays,
      T.columns.why,
    ],
    rows.map((r) => [
      ...(org ? [r.accountId ?? ''] : []),
      r.userName,
      credentialText(r.credential),
      String(r.idleDays),
      reason(r.reason),
    ]),
    rows.length,
  );
}

function disabledList(changes: RunChanges): string {
  const d = changes.disabled;
  if (!d) return `<h3>${T.changes.disabledHeading}</h3><p class="note">${T.changes.disabledNotRun}</p>`;
  const notes = [
    ...(d.blocked ? [`<p class="warning">${html(T.changes.disabledBlocked(d.blocked))}</p>`] : []),
    ...(d.failed > 0 ? [`<p class="warning">${html(T.changes.disabledFailed(d.failed))}</p>`] : []),
  ];
  return (
    listTable(
      T.changes.disabled(d.count, d.mode === 'dry-run'),
      [T.columns.user, T.columns.credential, T.columns.outcome],
      d.items.map((i) => [i.userName, credentialText(i.credential), i.outcome]),
      d.count,
    ) + notes.join('\n')
  );
}

/**
 * A heading and a static table of at most MAX_CHANGE_ROWS rows of `total`, folded when long;
 * cells are escaped here.
 */
function listTable(
  heading: string,
  columns: readonly string[],
  rows: readonly string[][],
  total: number,
): string {
  if (rows.length === 0) return `<h3>${html(heading)}</h3><p class="note">${T.changes.none}</p>`;
  const shown = rows.slice(0, MAX_CHANGE_ROWS);
  const more = total - shown.length;
  return [
    `<details class="list"${total <= OPEN_LIST_ROWS ? ' open' : ''}><summary><h3>${html(heading)}</h3></summary>`,
    '<table class="list"><thead><tr>',
    columns.map((c) => `<th scope="col">${html(c)}</th>`).join(''),
    '</tr></thead><tbody>',
    shown.map((cells) => `<tr>${cells.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`).join('\n'),
    '</tbody></table>',
    more > 0 ? `<p class="note">${html(T.changes.more(more))}</p>` : '',
    '</details>',
  ].join('');
}

function credentialText(credential: CredentialRef): string {
  return T.credential(credential);
}

function accountsSection(report: ReportView): string {
  const accounts = report.accounts ?? [];
  return listTableSection(
    T.accounts.heading,
    [
      T.columns.account,
      T.columns.accountName,
      T.columns.scan,
      T.accounts.users,
      T.accounts.stale,
      T.accounts.activeWithStale,
      T.accounts.errors,
      T.columns.note,
    ],
    accounts.map((a) => [
      a.accountId,
      a.name,
      T.accounts.status[a.status],
      a.summary ? String(a.summary.users) : '—',
      a.summary ? String(a.summary.stale) : '—',
      a.summary ? String(a.summary.activeWithStaleCredentials) : '—',
      a.summary ? String(a.summary.errors) : '—',
      a.error ?? '',
    ]),
    accounts.map((a) => (a.status === 'complete' ? '' : 'alert')),
  );
}

function listTableSection(
  heading: string,
  columns: readonly string[],
  rows: readonly string[][],
  rowClasses: readonly string[],
): string {
  return [
    `<section id="accounts"><h2>${html(heading)}</h2><table class="list"><thead><tr>`,
    columns.map((c) => `<th scope="col">${html(c)}</th>`).join(''),
    '</tr></thead><tbody>',
    rows
      .map(
        (cells, i) =>
          `<tr class="${rowClasses[i] ?? ''}">${cells.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`,
      )
      .join('\n'),
    '</tbody></table></section>',
  ].join('');
}

function tableSection(report: ReportView): string {
  const org = report.accounts !== undefined;
  const columns: [string, string][] = [
    ...(org ? [['account', T.columns.account] as [string, string]] : []),
    ['user', T.columns.user],
    ['status', T.columns.status],
    ['credential', T.columns.credential],
    ['idle', T.columns.idleDays],
    ['lastUsed', T.columns.lastUsed],
    ['stale', T.columns.stale],
    ['note', T.columns.note],
  ];
  const statuses = Object.entries(T.statuses)
    .map(([value, label]) => `<option value="${html(value)}">${html(label)}</option>`)
    .join('');
  const accounts = (report.accounts ?? [])
    .map((a) => `<option value="${html(a.accountId)}">${html(`${a.name} (${a.accountId})`)}</option>`)
    .join('');
  return [
    `<section id="table"><h2>${T.table.heading}</h2>`,
    `<noscript><p class="warning">${T.table.noScript}</p></noscript>`,
    '<div id="table-controls" class="controls" hidden>',
    `<label>${T.table.filter} <input id="filter" type="search" placeholder="${html(T.table.filterPlaceholder)}"></label>`,
    `<label>${T.table.status} <select id="status"><option value="">${T.table.allStatuses}</option>${statuses}</select></label>`,
    org
      ? `<label>${T.table.account} <select id="account"><option value="">${T.table.allAccounts}</option>${accounts}</select></label>`
      : '',
    `<label><input id="stale-only" type="checkbox"> ${T.table.staleOnly}</label>`,
    `<span class="pager"><button id="prev" type="button">${T.table.previous}</button> <span id="range" aria-live="polite"></span> <button id="next" type="button">${T.table.next}</button></span>`,
    '</div>',
    '<table id="users" class="list"><thead><tr>',
    columns
      .map(([key, label]) =>
        key === 'note'
          ? `<th scope="col" data-sort="note">${html(label)}</th>`
          : `<th scope="col" data-sort="${key}" aria-sort="none"${key === 'idle' ? ' class="num"' : ''}><button type="button">${html(label)}</button></th>`,
      )
      .join(''),
    '</tr></thead><tbody id="rows"></tbody></table>',
    '</section>',
  ].join('\n');
}

function footer(input: VisualReportInput): string {
  const { location, report } = input;
  const sources = location
    ? `<br>${T.sources}: s3://${html(location.bucket)}/${html(location.key)} · s3://${html(location.bucket)}/${html(location.csvKey)}`
    : '';
  return `<footer><p class="note">${html(T.footer(report.generatedAt.toISOString()))}${sources}</p></footer>`;
}

const STYLE = `
:root { color-scheme: light; --stale: #d62728; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; padding: 24px; max-width: 1200px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .note { color: var(--muted); }
.warning { background: #fff4e5; border-left: 4px solid #d97706; padding: 6px 10px; margin: 8px 0; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 150px; flex: 1 1 150px; }
.figure .value { display: block; font-size: 28px; font-weight: 600; }
.figure .label { display: block; color: var(--muted); }
.figure .delta { display: block; font-size: 12px; color: var(--muted); }
.figure.alert .value { color: var(--stale); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
.chart { flex: 1 1 560px; min-width: 0; }
.chart svg { max-width: 100%; height: auto; }
table.list { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
table.list th, table.list td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
table.list th { background: #f6f8fa; position: sticky; top: 0; }
table.list td.num, table.list th.num { text-align: right; font-variant-numeric: tabular-nums; }
details.list summary { cursor: pointer; }
details.list summary h3 { display: inline; }
tr.stale td, tr.alert td { background: #fdecea; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0; }
.controls input[type="search"] { width: 16em; }
.pager { margin-left: auto; }
footer { margin-top: 32px; }
`;
