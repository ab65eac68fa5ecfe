import { credentialRef } from './changes';
import { visible } from './escape';
import type { ReportView } from './report-view';
import { PAGE_TEXT } from './text';

/**
 * The table's data, compact, for the page's JSON data block: one row per credential (a user
 * without any gets one row without a credential), each pointing at its user, each user at its
 * account, so a name is written once however many credentials it has. About 60 bytes a row:
 * 5,000 users fit in well under a megabyte. Every text is made `visible` here; the script only
 * ever sets it as `textContent`.
 */

/** [account index or -1, user name, status, note] */
type UserRow = [number, string, string, string];
/** [user index, credential ('' for none), active (1, 0, or -1 for none/password), last used (YYYY-MM-DD, '' never), idle days (-1 none), stale (1/0)] */
type CredentialRow = [number, string, number, string, number, number];

export interface TableData {
  org: boolean;
  accounts: [string, string][];
  users: UserRow[];
  rows: CredentialRow[];
  statuses: Record<string, string>;
  labels: Record<'never' | 'yes' | 'no' | 'inactive' | 'range' | 'noRows', string>;
}

export function tableData(report: ReportView): TableData {
  const accounts = (report.accounts ?? []).map((a): [string, string] => [a.accountId, visible(a.name)]);
  const accountIndex = new Map(accounts.map(([id], i) => [id, i]));
  const users: UserRow[] = [];
  const rows: CredentialRow[] = [];
  for (const user of report.users) {
    const index = users.length;
    users.push([
      user.accountId === undefined ? -1 : (accountIndex.get(user.accountId) ?? -1),
      visible(user.userName),
      user.status,
      visible(user.error ?? user.exemptReason ?? ''),
    ]);
    if (user.credentials.length === 0) rows.push([index, '', -1, '', user.idleDays ?? -1, 0]);
    for (const c of user.credentials) {
      rows.push([
        index,
        visible(PAGE_TEXT.credential(credentialRef(c))),
        c.type === 'access-key' ? (c.active === false ? 0 : 1) : -1,
        c.lastUsedAt ? c.lastUsedAt.toISOString().slice(0, 10) : '',
        c.idleDays,
        c.stale ? 1 : 0,
      ]);
    }
  }
  return {
    org: report.accounts !== undefined,
    accounts,
    users,
    rows,
    statuses: { ...PAGE_TEXT.statuses },
    labels: {
      never: PAGE_TEXT.never,
      yes: PAGE_TEXT.yes,
      no: PAGE_TEXT.no,
      inactive: PAGE_TEXT.inactive,
      range: PAGE_TEXT.table.range,
      noRows: PAGE_TEXT.table.noRows,
    },
  };
}
