// The access log of the open workspace, for its owners: who read personal
// data (clients, invoices with their buyer, members, exports) through the
// API, and when; never the data itself. See docs/privacy.md.
import { pb } from '../lib/pb.js';
import { h, mount, loading, busy } from '../lib/dom.js';
import { t, has } from '../lib/i18n.js';
import { dateTime } from '../lib/format.js';
import { session } from '../lib/session.js';
import { errorState, reportError } from '../lib/errors.js';

const PAGE = 100;

function actor(entry) {
  if (entry.actor_kind === 'superuser') return t('privacy.log.superuser');
  if (entry.actor_kind === 'guest') return t('privacy.log.guest');
  const u = entry.expand?.actor;
  return u ? (u.name || u.email || u.id) : (entry.actor || '—');
}

function what(entry) {
  const ids = Array.isArray(entry.record_ids) ? entry.record_ids : [];
  const collection = has(`privacy.log.collection.${entry.collection}`) ? t(`privacy.log.collection.${entry.collection}`) : entry.collection;
  return t('privacy.log.records', { collection, n: ids.length });
}

function rows(items) {
  return items.map((e) => h('tr', { 'data-id': e.id },
    h('td', { class: 'nowrap' }, dateTime(e.created)),
    h('td', {}, actor(e)),
    h('td', {}, has(`privacy.log.action.${e.action}`) ? t(`privacy.log.action.${e.action}`) : e.action),
    h('td', { title: (e.record_ids || []).join(', ') }, what(e)),
    h('td', { class: 'nowrap' }, e.ip || '—')));
}

export async function page(ctx) {
  ctx.setTitle(t('privacy.log.title'));
  const ws = session.workspace;
  mount(ctx.root,
    h('div', { class: 'page-head' }, h('h1', {}, t('privacy.log.title'))),
    h('p', { class: 'muted' }, t('privacy.log.intro')));
  if (session.roles[ws.id] !== 'owner') {
    ctx.root.append(h('div', { class: 'empty-state', 'data-testid': 'access-log-owners' }, h('p', {}, t('privacy.log.owners_only'))));
    return;
  }
  const body = h('div');
  ctx.root.append(body);
  mount(body, loading(t('common.loading')));

  let pageNo = 1;
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary' }, t('privacy.log.more'));

  async function fetchPage(n) {
    return pb.collection('access_log').getList(n, PAGE, {
      filter: pb.filter('workspace = {:ws}', { ws: ws.id }),
      sort: '-created',
      expand: 'actor',
      requestKey: `access-log-${n}`,
    });
  }

  let first;
  try {
    first = await fetchPage(1);
  } catch (err) {
    if (err?.isAbort || !ctx.isCurrent()) return;
    mount(body, errorState(err, () => page(ctx)));
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!first.items.length) {
    mount(body, h('div', { class: 'empty-state' }, h('p', {}, t('privacy.log.empty'))));
    return;
  }
  mount(tbody, ...rows(first.items));
  more.hidden = first.page >= first.totalPages;
  more.addEventListener('click', async () => {
    await busy(more, async () => {
      try {
        const next = await fetchPage(pageNo + 1);
        pageNo = next.page;
        tbody.append(...rows(next.items));
        more.hidden = next.page >= next.totalPages;
      } catch (err) { reportError(err, body); }
    });
  });
  mount(body,
    h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'access-log' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('privacy.log.when')),
        h('th', { scope: 'col' }, t('privacy.log.who')),
        h('th', { scope: 'col' }, t('privacy.log.action')),
        h('th', { scope: 'col' }, t('privacy.log.what')),
        h('th', { scope: 'col' }, t('privacy.log.ip')))),
      tbody)),
    more);
}
