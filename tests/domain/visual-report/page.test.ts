import { createHash } from 'node:crypto';
import { changesSince } from '../../../src/domain/visual-report/changes';
import { escapeHtml, jsonForScript, visible } from '../../../src/domain/visual-report/escape';
import { trendPointOf } from '../../../src/domain/visual-report/history';
import {
  contentSecurityPolicy,
  buildVisualReport,
  pageHtml,
  type VisualReportInput,
} from '../../../src/domain/visual-report/page';
import type { ReportView } from '../../../src/domain/visual-report/report-view';
import { TABLE_SCRIPT } from '../../../src/domain/visual-report/table-script';
import {
  SAMPLE_NOW,
  asOrganisation,
  generatedCsv,
  visualReportInputOf,
} from '../../../tools/fakes/visual-report-input';
import { activeUser, buildReport, password, staleUser } from '../../support/report-builder';

const HOSTILE = `<script>alert("x")</script>&'\u0007\u202egpj.exe`;

function inputFor(report: ReportView, previous: ReportView | null = null): VisualReportInput {
  return {
    report,
    trend: [trendPointOf({ ...report, staleCredentials: 1 })],
    changes: changesSince(previous, report, undefined),
    previousProblem: null,
    ignoredHistory: [],
    location: null,
  };
}

/** The table's data as the page's script will read it. */
function tableDataOf(page: string): { users: [number, string, string, string][] } {
  const match = /<script id="table-data" type="application\/json">(.*?)<\/script>/s.exec(page);
  if (!match?.[1]) throw new Error('no table data in the page');
  return JSON.parse(match[1]) as { users: [number, string, string, string][] };
}

describe('escaping report text for the page', () => {
  it('shows control and bidi characters as escapes, so nothing in a name is hidden or reordered', () => {
    expect(visible('a\u0000b\u0007c\u001bd\u007f\u0085\u202ee\u2066f\ufeff')).toBe(
      'a\\u{0000}b\\u{0007}c\\u{001B}d\\u{007F}\\u{0085}\\u{202E}e\\u{2066}f\\u{FEFF}',
    );
    expect(visible('岡田.ops+test@example')).toBe('岡田.ops+test@example');
  });

  it('shows characters that render as nothing as escapes: tag characters, soft hyphen, Hangul filler', () => {
    expect(visible('admin\u{E0041}\u{E007F} ad\u00admin \u3164')).toBe(
      'admin\\u{E0041}\\u{E007F} ad\\u{00AD}min \\u{3164}',
    );
  });

  it('escapes markup and both quotes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('writes JSON that cannot close its script element and reads back unchanged', () => {
    const value = { name: '</script><!-- & \u2028' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('the visual report page', () => {
  it('never lets a user name become markup, in the change lists or in the table data', () => {
    const previous = buildReport([activeUser(HOSTILE, password(80))]);
    const report = buildReport([staleUser(HOSTILE, password(95))]);

    const page = pageHtml(inputFor(report, previous), { histogram: '<svg></svg>', trend: '<svg></svg>' });

    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('\u0007');
    expect(page).not.toContain('\u202e');
    expect(page).toContain(
      '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;\\u{0007}\\u{202E}gpj.exe</td>',
    );
    expect(tableDataOf(page).users[0]?.[1]).toBe(`<script>alert("x")</script>&'\\u{0007}\\u{202E}gpj.exe`);
    // The only script elements: the JSON data block and the table script.
    expect(page.match(/<script/g)).toHaveLength(2);
  });

  it('escapes account names and errors of an organisation report', () => {
    const report = asOrganisation(buildReport([staleUser('ann'), staleUser('bob')]));
    const page = pageHtml(inputFor(report), { histogram: null, trend: '<svg></svg>' });

    expect(page).toContain('<td>staging &lt;eu&gt; &amp; &quot;tests&quot;</td>');
    expect(page).toContain('AccessDenied: not authorized to perform sts:AssumeRole');
    expect(page).toContain('1 account(s) could not be scanned completely');
  });

  it('forbids every fetch and allows exactly its own script and style sheet, by hash', () => {
    const page = pageHtml(inputFor(buildReport([staleUser('ann')])), {
      histogram: null,
      trend: '<svg></svg>',
    });
    const hash = createHash('sha256').update(TABLE_SCRIPT).digest('base64');

    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    );
    expect(contentSecurityPolicy()).toContain("default-src 'none'");
    expect(contentSecurityPolicy()).toContain(`script-src 'sha256-${hash}'`);
    expect(page).toContain(`<script>${TABLE_SCRIPT}</script>`);
    const style = /<style>(.*?)<\/style>/s.exec(page)?.[1] ?? '';
    expect(contentSecurityPolicy()).toContain(
      `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    );
    expect(contentSecurityPolicy()).not.toContain('unsafe-inline');
  });

  it('refers to no other host: no src, no href but the empty icon, no URL but SVG namespaces', async () => {
    const page = await buildVisualReport(visualReportInputOf(generatedCsv(300, SAMPLE_NOW), SAMPLE_NOW));

    expect(page.match(/\bsrc=/g)).toBeNull();
    expect(page.match(/\bhref=[^ >]*/g)).toEqual(['href="data:,"']);
    expect(page).not.toMatch(/url\(|@import|@font-face/);
    // The style sheet's hash allows no inline style attribute: there must be none, charts included.
    expect(page).not.toMatch(/\sstyle=/);
    const urls = new Set(page.match(/https?:\/\/[^"' ]+/g));
    expect(urls).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
  });

  it('stays under 2 MB for 5,000 users', async () => {
    const page = await buildVisualReport(visualReportInputOf(generatedCsv(5_000, SAMPLE_NOW), SAMPLE_NOW));

    expect(Buffer.byteLength(page)).toBeLessThan(2 * 1024 * 1024);
    expect(tableDataOf(page).users).toHaveLength(5_000);
  });
});
