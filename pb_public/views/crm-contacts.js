// The contacts (leads and customers) of the open workspace: a list with a
// search, a status filter and the lead score; a lead becomes a client with
// "Convert to client".
import { pb } from '../lib/pb.js';
import { h, mount, busy, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { session } from '../lib/session.js';
import { errorState, showAlert, clearAlert, reportError } from '../lib/errors.js';
import { canWrite, crmTabs, contactName, contactBadge, CONTACT_STATUSES, hashQuery } from './crm-common.js';

/** Converts a contact into a client; returns the server's {client, contact}. */
export async function convertContact(contact) {
  const res = await pb.send(`/api/kontor/contacts/${encodeURIComponent(contact.id)}/convert`, { method: 'POST', requestKey: null });
  showAlert(t('crm.contacts.converted', { name: contactName(contact) }), { kind: 'success' });
  return res;
}

/** The score of a contact as a small meter-like badge ("—" before it has one). */
export function scoreBadge(score) {
  if (score === null || score === undefined || score === '') return h('span', { class: 'muted' }, '—');
  const n = Math.max(0, Math.min(100, Math.trunc(Number(score) || 0)));
  const band = n >= 70 ? 'hot' : n >= 40 ? 'warm' : 'cold';
  return h('span', { class: `badge score-${band}`, 'data-score': String(n), title: t(`crm.score.band.${band}`) }, String(n));
}

export async function list(ctx) {
  ctx.setTitle(t('crm.contacts.title'));
  const ws = session.workspace;
  const writable = canWrite();
  let alive = true;
  const query = hashQuery();
  let search = query.get('q') || '';
  let status = CONTACT_STATUSES.includes(query.get('status')) ? query.get('status') : '';

  const body = h('div');
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('crm.contacts.title')),
    writable ? h('a', { class: 'button', href: '#/contacts/new' }, t('crm.contacts.new')) : null);
  const searchInput = h('input', { id: 'contacts-search', type: 'search', name: 'q', value: search, placeholder: t('crm.contacts.search_hint') });
  const statusSelect = h('select', { id: 'contacts-status', name: 'status' },
    h('option', { value: '', selected: !status }, t('crm.contacts.filter_all')),
    CONTACT_STATUSES.map((s) => h('option', { value: s, selected: s === status }, t(`crm.contact_status.${s}`))));
  let timer = null;
  const keepInAddress = () => {
    const q = new URLSearchParams();
    if (search) q.set('q', search);
    if (status) q.set('status', status);
    window.history.replaceState(null, '', `#/contacts${q.toString() ? `?${q}` : ''}`);
  };
  searchInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { search = searchInput.value.trim(); keepInAddress(); load(); }, 250);
  });
  statusSelect.addEventListener('change', () => { status = statusSelect.value; keepInAddress(); load(); });
  const filterBar = h('div', { class: 'filter-bar' },
    h('label', { for: 'contacts-search' }, t('crm.contacts.search')), searchInput,
    h('label', { for: 'contacts-status' }, t('crm.contacts.filter_status')), statusSelect);
  mount(ctx.root, crmTabs('contacts'), head, filterBar, body);

  let loadSeq = 0;
  async function load() {
    const seq = ++loadSeq;
    const current = () => alive && seq === loadSeq && ctx.isCurrent();
    mount(body, loading(t('common.loading')));
    const parts = ['workspace = {:ws}'];
    if (status) parts.push('status = {:status}');
    if (search) parts.push('(first_name ~ {:q} || last_name ~ {:q} || email ~ {:q} || company.name ~ {:q})');
    let items;
    try {
      items = await pb.collection('contacts').getFullList({
        filter: pb.filter(parts.join(' && '), { ws: ws.id, status, q: search }),
        sort: '-score,last_name,first_name', expand: 'company', requestKey: null,
      });
    } catch (err) {
      if (!current() || err?.isAbort) return;
      mount(body, errorState(err, load));
      return;
    }
    if (!current()) return;
    if (items.length === 0) {
      mount(body, search || status
        ? h('p', { class: 'muted', 'data-testid': 'contacts-none' }, t('crm.contacts.none_matching'))
        : h('section', { class: 'empty-state', 'data-testid': 'contacts-empty' },
          h('h2', {}, t('crm.contacts.empty_title')),
          h('p', {}, t('crm.contacts.empty_text')),
          writable ? h('a', { class: 'button', href: '#/contacts/new' }, t('crm.contacts.new')) : null,
          ' ', h('a', { class: 'button secondary', href: '#/crm/import' }, t('crm.import.title'))));
      return;
    }
    mount(body, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'contacts-table' },
      h('caption', { class: 'visually-hidden' }, t('crm.contacts.title')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('crm.contact.name')),
        h('th', { scope: 'col' }, t('crm.contact.company')),
        h('th', { scope: 'col' }, t('crm.contact.email')),
        h('th', { scope: 'col' }, t('crm.contact.status')),
        h('th', { scope: 'col', class: 'num' }, t('crm.contact.score')),
        writable ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('crm.contacts.actions'))) : null)),
      h('tbody', {}, items.map((c) => h('tr', { 'data-contact-id': c.id },
        h('td', {}, h('a', { href: `#/contacts/${encodeURIComponent(c.id)}` }, contactName(c)),
          c.job_title ? h('div', { class: 'muted' }, c.job_title) : null),
        h('td', {}, c.expand?.company
          ? h('a', { href: `#/companies/${encodeURIComponent(c.company)}` }, c.expand.company.name) : '—'),
        h('td', {}, c.email || '—'),
        h('td', {}, contactBadge(c.status), c.unsubscribed ? [' ', h('span', { class: 'badge' }, t('crm.contact.unsubscribed'))] : null),
        h('td', { class: 'num' }, scoreBadge(c.score)),
        writable ? h('td', {}, c.client
          ? h('a', { href: `#/clients/${encodeURIComponent(c.client)}` }, t('crm.contacts.client_link'))
          : convertButton(c)) : null))))));
  }

  function convertButton(c) {
    const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'convert' }, t('crm.contacts.convert'));
    button.addEventListener('click', () => busy(button, async () => {
      clearAlert();
      try {
        await convertContact(c);
        if (alive) load();
      } catch (err) {
        reportError(err, null);
      }
    }));
    return button;
  }

  await load();
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}
