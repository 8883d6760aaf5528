// The companies (accounts) of the open workspace: a list with a search.
import { pb } from '../lib/pb.js';
import { h, mount, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { session } from '../lib/session.js';
import { errorState } from '../lib/errors.js';
import { canWrite, crmTabs, hashQuery } from './crm-common.js';

export async function list(ctx) {
  ctx.setTitle(t('crm.companies.title'));
  const ws = session.workspace;
  const writable = canWrite();
  let alive = true;
  let search = hashQuery().get('q') || '';
  const body = h('div');
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('crm.companies.title')),
    writable ? h('a', { class: 'button', href: '#/companies/new' }, t('crm.companies.new')) : null);
  const searchInput = h('input', { id: 'companies-search', type: 'search', name: 'q', value: search, placeholder: t('crm.companies.search_hint') });
  let timer = null;
  searchInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      search = searchInput.value.trim();
      window.history.replaceState(null, '', search ? `#/companies?q=${encodeURIComponent(search)}` : '#/companies');
      load();
    }, 250);
  });
  mount(ctx.root, crmTabs('companies'), head,
    h('div', { class: 'filter-bar' }, h('label', { for: 'companies-search' }, t('crm.contacts.search')), searchInput), body);

  let loadSeq = 0;
  async function load() {
    const seq = ++loadSeq;
    const current = () => alive && seq === loadSeq && ctx.isCurrent();
    mount(body, loading(t('common.loading')));
    let items;
    try {
      const filter = search
        ? pb.filter('workspace = {:ws} && (name ~ {:q} || domain ~ {:q} || city ~ {:q})', { ws: ws.id, q: search })
        : pb.filter('workspace = {:ws}', { ws: ws.id });
      items = await pb.collection('companies').getFullList({ filter, sort: 'name', requestKey: null });
    } catch (err) {
      if (!current() || err?.isAbort) return;
      mount(body, errorState(err, load));
      return;
    }
    if (!current()) return;
    if (items.length === 0) {
      mount(body, search
        ? h('p', { class: 'muted', 'data-testid': 'companies-none' }, t('crm.companies.none_matching'))
        : h('section', { class: 'empty-state', 'data-testid': 'companies-empty' },
          h('h2', {}, t('crm.companies.empty_title')),
          h('p', {}, t('crm.companies.empty_text')),
          writable ? h('a', { class: 'button', href: '#/companies/new' }, t('crm.companies.new')) : null));
      return;
    }
    mount(body, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'companies-table' },
      h('caption', { class: 'visually-hidden' }, t('crm.companies.title')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('crm.company.name')),
        h('th', { scope: 'col' }, t('crm.company.domain')),
        h('th', { scope: 'col' }, t('crm.company.industry')),
        h('th', { scope: 'col' }, t('crm.company.country')),
        h('th', { scope: 'col', class: 'num' }, t('crm.company.employees')))),
      h('tbody', {}, items.map((c) => h('tr', { 'data-company-id': c.id },
        h('td', {}, h('a', { href: `#/companies/${encodeURIComponent(c.id)}` }, c.name),
          c.client ? [' ', h('span', { class: 'badge contact-customer' }, t('crm.company.is_client'))] : null),
        h('td', {}, c.domain || '—'),
        h('td', {}, c.industry || '—'),
        h('td', {}, c.country || '—'),
        h('td', { class: 'num' }, c.employees ? String(c.employees) : '—')))))));
  }

  await load();
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}
