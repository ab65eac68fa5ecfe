/**
 * The page's only script: the users-and-credentials table, sorted, filtered and paged in the
 * browser from the JSON data block the page carries (`#table-data`, see table-data.ts). Plain
 * browser JavaScript kept as text, not compiled from TypeScript: the bundler's helpers (keepNames)
 * must never end up in the page. Cells are filled with `textContent` only, so no user name can
 * become markup. The page's Content-Security-Policy allows exactly this text (its SHA-256), and
 * tests/browser runs it in Chromium.
 */
export const TABLE_SCRIPT = `(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('table-data').textContent);
  const L = data.labels;
  const PAGE = 50;
  const $ = (id) => document.getElementById(id);
  const state = { sort: 'stale', desc: true, text: '', status: '', staleOnly: false, account: '', page: 0 };
  const rows = data.rows.map((r) => {
    const u = data.users[r[0]];
    const a = u[0] >= 0 ? data.accounts[u[0]] : null;
    const account = a ? a[1] + ' (' + a[0] + ')' : '';
    return {
      user: u[1], status: u[2], note: u[3], account: account, accountId: a ? a[0] : '',
      credential: r[1], active: r[2], lastUsed: r[3], idle: r[4], stale: r[5],
      search: (u[1] + ' ' + r[1] + ' ' + account).toLowerCase(),
    };
  });
  const text = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const compare = {
    user: (a, b) => text(a.user, b.user) || text(a.credential, b.credential),
    account: (a, b) => text(a.account, b.account) || text(a.user, b.user),
    status: (a, b) => text(a.status, b.status) || text(a.user, b.user),
    credential: (a, b) => text(a.credential, b.credential) || text(a.user, b.user),
    idle: (a, b) => a.idle - b.idle || text(a.user, b.user),
    lastUsed: (a, b) => text(a.lastUsed, b.lastUsed) || text(a.user, b.user),
    stale: (a, b) => a.stale - b.stale || a.idle - b.idle || text(b.user, a.user),
  };
  const columns = data.org
    ? ['account', 'user', 'status', 'credential', 'idle', 'lastUsed', 'stale', 'note']
    : ['user', 'status', 'credential', 'idle', 'lastUsed', 'stale', 'note'];
  const cell = {
    account: (r) => r.account,
    user: (r) => r.user,
    status: (r) => data.statuses[r.status] || r.status,
    credential: (r) => (r.credential === '' ? '—' : r.active === 0 ? r.credential + ' (' + L.inactive + ')' : r.credential),
    idle: (r) => (r.idle < 0 ? '—' : String(r.idle)),
    lastUsed: (r) => (r.credential === '' ? '—' : r.lastUsed === '' ? L.never : r.lastUsed),
    stale: (r) => (r.credential === '' ? '—' : r.stale ? L.yes : L.no),
    note: (r) => r.note,
  };
  let shown = rows;
  function select() {
    const words = state.text.toLowerCase().split(/\\s+/).filter(Boolean);
    shown = rows.filter((r) =>
      (!state.status || r.status === state.status) &&
      (!state.staleOnly || r.stale === 1) &&
      (!state.account || r.accountId === state.account) &&
      words.every((w) => r.search.includes(w)));
    const order = compare[state.sort];
    shown.sort(state.desc ? (a, b) => order(b, a) : order);
    state.page = Math.min(state.page, Math.max(0, Math.ceil(shown.length / PAGE) - 1));
  }
  function draw() {
    const start = state.page * PAGE;
    const page = shown.slice(start, start + PAGE);
    const body = document.createDocumentFragment();
    for (const r of page) {
      const tr = document.createElement('tr');
      if (r.stale) tr.className = 'stale';
      for (const c of columns) {
        const td = document.createElement('td');
        td.textContent = cell[c](r);
        if (c === 'idle') td.className = 'num';
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    $('rows').replaceChildren(body);
    $('range').textContent = shown.length === 0
      ? L.noRows
      : L.range.replace('{from}', String(start + 1)).replace('{to}', String(start + page.length))
          .replace('{count}', String(shown.length)).replace('{all}', String(rows.length));
    $('prev').disabled = state.page === 0;
    $('next').disabled = start + PAGE >= shown.length;
    for (const th of document.querySelectorAll('#users thead th')) {
      const key = th.getAttribute('data-sort');
      th.setAttribute('aria-sort', key === state.sort ? (state.desc ? 'descending' : 'ascending') : 'none');
    }
  }
  function update() { select(); draw(); }
  for (const button of document.querySelectorAll('#users thead button')) {
    button.addEventListener('click', () => {
      const key = button.parentElement.getAttribute('data-sort');
      state.desc = state.sort === key ? !state.desc : key === 'idle' || key === 'stale';
      state.sort = key;
      update();
    });
  }
  $('filter').addEventListener('input', (e) => { state.text = e.target.value; state.page = 0; update(); });
  $('status').addEventListener('change', (e) => { state.status = e.target.value; state.page = 0; update(); });
  $('stale-only').addEventListener('change', (e) => { state.staleOnly = e.target.checked; state.page = 0; update(); });
  const account = $('account');
  if (account) account.addEventListener('change', (e) => { state.account = e.target.value; state.page = 0; update(); });
  $('prev').addEventListener('click', () => { state.page -= 1; draw(); });
  $('next').addEventListener('click', () => { state.page += 1; draw(); });
  $('table-controls').hidden = false;
  update();
})();`;
