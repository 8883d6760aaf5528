// The proposals (quotes) of the open workspace: a list with a status filter.
// One proposal's page is proposals-page.js.
import { pb } from '../lib/pb.js';
import { h, mount, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { money, date } from '../lib/format.js';
import { session } from '../lib/session.js';
import { errorState } from '../lib/errors.js';

/** The statuses of a proposal, in the order it goes through them. */
export const PROPOSAL_STATUSES = ['draft', 'sent', 'viewed', 'signed', 'declined', 'expired'];

/** The status badge of a proposal. */
export function proposalBadge(status, attrs = {}) {
  const s = PROPOSAL_STATUSES.includes(status) ? status : 'draft';
  return h('span', { class: `badge status-${s}`, 'data-status': s, ...attrs }, t(`proposal.status.${s}`));
}

/** "QUO-2026-0001", or "Draft proposal" before its first send. */
export function proposalLabel(p) {
  return p.number || t('proposal.draft_label');
}

/** The status filter of the list, kept in the address: #/proposals?status=sent. */
function filterFromHash() {
  const query = window.location.hash.split('?')[1] || '';
  const status = new URLSearchParams(query).get('status') || '';
  return PROPOSAL_STATUSES.includes(status) ? status : '';
}

export async function list(ctx) {
  ctx.setTitle(t('proposals.title'));
  const ws = session.workspace;
  let alive = true;
  let status = filterFromHash();
  const body = h('div');
  const newLink = () => h('a', { class: 'button', href: '#/proposals/new' }, t('proposals.new'));
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('proposals.title')));
  const filter = h('select', {
    id: 'proposals-status-filter', name: 'status',
    onchange: (e) => {
      status = e.target.value;
      window.history.replaceState(null, '', status ? `#/proposals?status=${encodeURIComponent(status)}` : '#/proposals');
      load();
    },
  },
  h('option', { value: '', selected: status === '' }, t('proposals.filter_all')),
  PROPOSAL_STATUSES.map((s) => h('option', { value: s, selected: s === status }, t(`proposal.status.${s}`))));
  const filterBar = h('div', { class: 'filter-bar' },
    h('label', { for: 'proposals-status-filter' }, t('proposals.filter_status')), filter);

  mount(ctx.root, head, body);

  // each load (a filter change) outdates the one before it
  let loadSeq = 0;
  async function load() {
    const seq = ++loadSeq;
    const current = () => alive && seq === loadSeq && ctx.isCurrent();
    mount(body, loading(t('common.loading')));
    let items;
    let any = true;
    try {
      const filterText = status
        ? pb.filter('workspace = {:ws} && status = {:status}', { ws: ws.id, status })
        : pb.filter('workspace = {:ws}', { ws: ws.id });
      items = await pb.collection('proposals').getFullList({
        filter: filterText,
        sort: '-created',
        expand: 'client',
        fields: 'id,number,title,status,currency,totals,valid_until,client,expand.client.name',
        requestKey: null,
      });
      if (status && items.length === 0) {
        // is the workspace empty, or only this status?
        const page = await pb.collection('proposals').getList(1, 1, {
          filter: pb.filter('workspace = {:ws}', { ws: ws.id }), fields: 'id', requestKey: null,
        });
        any = page.totalItems > 0;
      }
    } catch (err) {
      if (!current() || err?.isAbort) return;
      mount(head, h('h1', {}, t('proposals.title')));
      mount(body, errorState(err, load));
      return;
    }
    if (!current()) return;
    const empty = items.length === 0 && (!status || !any);
    mount(head, h('h1', {}, t('proposals.title')), empty ? null : newLink());
    if (empty) {
      mount(body, h('section', { class: 'empty-state', 'data-testid': 'proposals-empty' },
        h('h2', {}, t('proposals.empty_title')),
        h('p', {}, t('proposals.empty_text')),
        newLink()));
      return;
    }
    if (items.length === 0) {
      mount(body, filterBar, h('p', { class: 'muted', 'data-testid': 'proposals-none' }, t('proposals.none_with_status')));
      return;
    }
    mount(body, filterBar, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'proposals-table' },
      h('caption', { class: 'visually-hidden' }, t('proposals.title')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('proposal.number')),
        h('th', { scope: 'col' }, t('proposal.title')),
        h('th', { scope: 'col' }, t('invoice.client')),
        h('th', { scope: 'col' }, t('invoice.status')),
        h('th', { scope: 'col', class: 'num' }, t('totals.gross')),
        h('th', { scope: 'col' }, t('proposal.valid_until')))),
      h('tbody', {}, items.map((p) => h('tr', { 'data-proposal-id': p.id },
        h('td', {}, h('a', { href: `#/proposals/${encodeURIComponent(p.id)}` }, proposalLabel(p))),
        h('td', {}, p.title || '—'),
        h('td', {}, p.expand?.client?.name || '—'),
        h('td', {}, proposalBadge(p.status)),
        h('td', { class: 'num' }, money(p.totals?.gross, p.currency)),
        h('td', {}, date(p.valid_until))))))));
  }

  await load();
  return () => {
    alive = false;
  };
}
