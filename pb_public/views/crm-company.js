// One company: the form that adds or edits it, and its page with its
// contacts, deals and timeline.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { money } from '../lib/format.js';
import { session, openWorkspace } from '../lib/session.js';
import { reportError, showAlert, flash, errorState, onSubmit } from '../lib/errors.js';
import { canWrite, crmTabs, contactName, contactBadge, dealBadge, stageName } from './crm-common.js';
import { activityForm, timeline } from './crm-activities.js';

function companyFields(record) {
  const f = (name, label, opts = {}) => field({ id: `company-${name}`, name, label, value: record[name] ?? '', ...opts });
  return h('div', { class: 'grid' },
    f('name', t('crm.company.name'), { required: true, wide: true }),
    f('domain', t('crm.company.domain'), { hint: t('crm.company.domain_hint') }),
    f('website', t('crm.company.website'), { type: 'url' }),
    f('industry', t('crm.company.industry')),
    f('employees', t('crm.company.employees'), { type: 'number', attrs: { min: 0, step: 1 } }),
    f('vat_id', t('party.vat_id')),
    f('address_line', t('party.address'), { wide: true }),
    f('city', t('party.city')),
    f('postal_code', t('party.postal_code')),
    f('country', t('party.country'), { hint: t('party.country_hint'), attrs: { maxlength: 2, class: 'upper' } }),
    f('notes', t('crm.contact.notes'), { type: 'textarea', wide: true }));
}

function companyValues(formEl) {
  const values = formValues(formEl);
  values.country = (values.country || '').toUpperCase();
  values.domain = (values.domain || '').toLowerCase();
  if (values.employees === '') values.employees = 0;
  return values;
}

/** #/companies/new: the form of a new company. */
export async function form(ctx) {
  ctx.setTitle(t('crm.companies.new'));
  const ws = session.workspace;
  const formEl = h('form', { novalidate: true, 'aria-labelledby': 'company-title' }, companyFields({}),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t('crm.companies.new')),
      h('a', { class: 'button secondary', href: '#/companies' }, t('common.cancel'))));
  onSubmit(formEl, async () => {
    const saved = await pb.collection('companies').create({ ...companyValues(formEl), workspace: ws.id }, { requestKey: null });
    flash(t('crm.companies.created', { name: saved.name }));
    ctx.navigate(`/companies/${encodeURIComponent(saved.id)}`);
  });
  mount(ctx.root, crmTabs('companies'), h('section', { class: 'card' },
    h('h1', { id: 'company-title' }, t('crm.companies.new')), formEl));
}

/** #/companies/:id: one company's page. */
export async function page(ctx) {
  mount(ctx.root, crmTabs('companies'), loading(t('common.loading')));
  let company = await pb.collection('companies').getOne(ctx.params.id, { requestKey: null });
  if (!ctx.isCurrent()) return undefined;
  if (session.workspace?.id !== company.workspace) openWorkspace(company.workspace);
  const writable = canWrite();
  let alive = true;
  const head = h('div', { class: 'page-head' });
  const details = h('section', { class: 'card', 'data-testid': 'company-details' });
  const related = h('div');
  const history = timeline({ company: company.id });

  function renderDetails() {
    ctx.setTitle(company.name);
    mount(head, h('h1', { 'data-testid': 'company-heading' }, company.name),
      company.client ? h('a', { class: 'button secondary', href: `#/clients/${encodeURIComponent(company.client)}` }, t('crm.contacts.client_link')) : null);
    const dl = h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, t('crm.company.domain')), h('dd', {}, company.domain || '—')),
      h('div', {}, h('dt', {}, t('crm.company.website')), h('dd', {}, company.website || '—')),
      h('div', {}, h('dt', {}, t('crm.company.industry')), h('dd', {}, company.industry || '—')),
      h('div', {}, h('dt', {}, t('crm.company.employees')), h('dd', {}, company.employees ? String(company.employees) : '—')),
      h('div', {}, h('dt', {}, t('party.vat_id')), h('dd', {}, company.vat_id || '—')),
      h('div', {}, h('dt', {}, t('party.country')), h('dd', {}, company.country || '—')),
      h('div', {}, h('dt', {}, t('party.city')), h('dd', {}, company.city || '—')));
    if (!writable) { mount(details, dl); return; }
    const formEl = h('form', { novalidate: true, 'data-testid': 'company-edit' }, companyFields(company),
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, t('common.save')),
        h('button', { type: 'button', class: 'danger', onclick: remove }, t('crm.company.delete'))));
    onSubmit(formEl, async () => {
      company = await pb.collection('companies').update(company.id, companyValues(formEl), { requestKey: null });
      showAlert(t('crm.company.saved'), { kind: 'success' });
      renderDetails();
    });
    mount(details, dl, h('details', {}, h('summary', {}, t('common.edit')), formEl));
  }

  async function remove(e) {
    if (!window.confirm(t('crm.company.delete_confirm', { name: company.name }))) return;
    await busy(e.target, async () => {
      try {
        await pb.collection('companies').delete(company.id, { requestKey: null });
        flash(t('crm.company.deleted', { name: company.name }));
        ctx.navigate('/companies');
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  async function loadRelated() {
    mount(related, loading(t('common.loading')));
    let contacts;
    let deals;
    try {
      [contacts, deals] = await Promise.all([
        pb.collection('contacts').getFullList({ filter: pb.filter('company = {:id}', { id: company.id }), sort: 'last_name,first_name', requestKey: null }),
        pb.collection('deals').getFullList({ filter: pb.filter('company = {:id}', { id: company.id }), sort: '-created', expand: 'stage', requestKey: null }),
      ]);
    } catch (err) {
      if (!err?.isAbort && alive) mount(related, errorState(err, loadRelated));
      return;
    }
    if (!alive) return;
    mount(related,
      h('section', { class: 'card', 'aria-labelledby': 'company-contacts-title' },
        h('h2', { id: 'company-contacts-title' }, t('crm.company.contacts')),
        contacts.length === 0 ? h('p', { class: 'muted' }, t('crm.company.no_contacts'))
          : h('ul', { class: 'plain-list', 'data-testid': 'company-contacts' }, contacts.map((c) => h('li', {},
            h('a', { href: `#/contacts/${encodeURIComponent(c.id)}` }, contactName(c)), ' ',
            c.job_title ? h('span', { class: 'muted' }, c.job_title) : null, ' ', contactBadge(c.status))))),
      h('section', { class: 'card', 'aria-labelledby': 'company-deals-title' },
        h('h2', { id: 'company-deals-title' }, t('crm.contact.deals')),
        deals.length === 0 ? h('p', { class: 'muted' }, t('crm.contact.no_deals'))
          : h('ul', { class: 'plain-list' }, deals.map((d) => h('li', {},
            h('a', { href: `#/deals/${encodeURIComponent(d.id)}` }, d.title), ' ', dealBadge(d.status), ' ',
            h('span', { class: 'muted' }, stageName(d.expand?.stage)), ' ', money(d.value || '0', d.currency))))));
  }

  mount(ctx.root, crmTabs('companies'), head, details, related,
    h('section', { class: 'card', 'aria-labelledby': 'company-timeline-title' },
      h('h2', { id: 'company-timeline-title' }, t('crm.timeline.title')),
      activityForm({ company: company.id }, () => history.reload()),
      history.el));
  renderDetails();
  loadRelated();
  return () => { alive = false; };
}
