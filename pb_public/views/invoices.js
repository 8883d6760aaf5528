// The invoices (and credit notes) of the open workspace.
import { pb } from '../lib/pb.js';
import { h, mount, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { money, date } from '../lib/format.js';
import { session } from '../lib/session.js';

/** The status badge of a document. */
export function statusBadge(status, attrs = {}) {
  return h('span', { class: `badge status-${status}`, 'data-status': status, ...attrs }, t(`status.${status}`));
}

/** "INV-2026-0001", or "Draft" for a document without a number yet. */
export function documentLabel(inv) {
  if (inv.number) return inv.number;
  return inv.document_type === 'credit_note' ? t('invoice.draft_credit_note') : t('invoice.draft_invoice');
}

export async function list(ctx) {
  ctx.setTitle(t('invoices.title'));
  const ws = session.workspace;
  mount(ctx.root, loading(t('common.loading')));
  const items = await pb.collection('invoices').getFullList({
    filter: pb.filter('workspace = {:ws}', { ws: ws.id }),
    sort: '-created',
    expand: 'client',
    fields: 'id,number,status,document_type,issue_date,due_date,currency,totals,expand.client.name,client',
  });
  if (!ctx.isCurrent()) return;
  const head = h('div', { class: 'page-head' },
    h('h1', {}, t('invoices.title')),
    items.length ? h('a', { class: 'button', href: '#/invoices/new' }, t('invoices.new')) : null);
  if (items.length === 0) {
    mount(ctx.root, head, h('section', { class: 'empty-state', 'data-testid': 'invoices-empty' },
      h('h2', {}, t('invoices.empty_title')),
      h('p', {}, t('invoices.empty_text')),
      h('a', { class: 'button', href: '#/invoices/new' }, t('invoices.new'))));
    return;
  }
  mount(ctx.root, head, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'invoices-table' },
    h('caption', { class: 'visually-hidden' }, t('invoices.title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('invoice.number')),
      h('th', { scope: 'col' }, t('invoice.status')),
      h('th', { scope: 'col' }, t('invoice.client')),
      h('th', { scope: 'col' }, t('invoice.issue_date')),
      h('th', { scope: 'col' }, t('invoice.due_date')),
      h('th', { scope: 'col', class: 'num' }, t('totals.gross')),
      h('th', { scope: 'col', class: 'num' }, t('totals.due')))),
    h('tbody', {}, items.map((inv) => h('tr', { 'data-invoice-id': inv.id },
      h('td', {},
        h('a', { href: `#/invoices/${encodeURIComponent(inv.id)}` }, documentLabel(inv)),
        inv.document_type === 'credit_note' && inv.number ? h('div', { class: 'muted' }, t('invoice.credit_note')) : null),
      h('td', {}, statusBadge(inv.status)),
      h('td', {}, inv.expand?.client?.name || '—'),
      h('td', {}, date(inv.issue_date)),
      h('td', {}, date(inv.due_date)),
      h('td', { class: 'num' }, money(inv.totals?.gross, inv.currency)),
      h('td', { class: 'num' }, inv.status === 'draft' ? '—' : money(inv.totals?.due, inv.currency))))))));
}
