// One contact: the form that adds or edits it, and its page with the lead
// score and what made it, the timeline, activities, deals and the email
// sequences it is enrolled in.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t, LANGUAGES } from '../lib/i18n.js';
import { money, dateTime } from '../lib/format.js';
import { session, openWorkspace } from '../lib/session.js';
import { reportError, clearAlert, showAlert, flash, errorState, errorMessage, onSubmit } from '../lib/errors.js';
import { canWrite, crmTabs, contactName, contactBadge, dealBadge, CONTACT_STATUSES, recordOptions, stageName } from './crm-common.js';
import { activityForm, timeline } from './crm-activities.js';
import { convertContact, scoreBadge } from './crm-contacts.js';
import { callButton } from './telephony-accounts.js';

/** The fields of the contact form, bound to the record given. */
function contactFields(record, companies) {
  const f = (name, label, opts = {}) => field({ id: `contact-${name}`, name, label, value: record[name] ?? '', ...opts });
  return h('div', { class: 'grid' },
    f('first_name', t('crm.contact.first_name')),
    f('last_name', t('crm.contact.last_name')),
    f('email', t('crm.contact.email'), { type: 'email' }),
    f('phone', t('crm.contact.phone'), { type: 'tel', hint: t('crm.contact.phone_hint') }),
    f('job_title', t('crm.contact.job_title')),
    f('company', t('crm.contact.company'), { options: companies }),
    f('status', t('crm.contact.status'), { value: record.status || 'lead', options: CONTACT_STATUSES.map((s) => ({ value: s, label: t(`crm.contact_status.${s}`) })) }),
    f('source', t('crm.contact.source')),
    f('country', t('crm.contact.country'), { hint: t('party.country_hint'), attrs: { maxlength: 2, class: 'upper' } }),
    f('timezone', t('crm.contact.timezone'), { hint: t('crm.contact.timezone_hint') }),
    f('language', t('crm.contact.language'), { options: [{ value: '', label: '—' }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.name }))] }),
    f('notes', t('crm.contact.notes'), { type: 'textarea', wide: true }));
}

/** Values of the contact form as the API takes them. */
function contactValues(formEl) {
  const values = formValues(formEl);
  values.country = (values.country || '').toUpperCase();
  return values;
}

/** #/contacts/new: the form of a new contact. */
export async function form(ctx) {
  ctx.setTitle(t('crm.contacts.new'));
  const ws = session.workspace;
  mount(ctx.root, crmTabs('contacts'), loading(t('common.loading')));
  const companies = await recordOptions('companies', ws, (c) => c.name, { sort: 'name', fields: 'id,name' });
  if (!ctx.isCurrent()) return;
  const formEl = h('form', { novalidate: true, 'aria-labelledby': 'contact-title' },
    contactFields({}, companies),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t('crm.contacts.new')),
      h('a', { class: 'button secondary', href: '#/contacts' }, t('common.cancel'))));
  onSubmit(formEl, async () => {
    const saved = await pb.collection('contacts').create({ ...contactValues(formEl), workspace: ws.id }, { requestKey: null });
    flash(t('crm.contacts.created', { name: contactName(saved) }));
    ctx.navigate(`/contacts/${encodeURIComponent(saved.id)}`);
  });
  mount(ctx.root, crmTabs('contacts'), h('section', { class: 'card' },
    h('h1', { id: 'contact-title' }, t('crm.contacts.new')), formEl));
}

/** #/contacts/:id: one contact's page. */
export async function page(ctx) {
  mount(ctx.root, crmTabs('contacts'), loading(t('common.loading')));
  let contact = await pb.collection('contacts').getOne(ctx.params.id, { expand: 'company', requestKey: null });
  if (!ctx.isCurrent()) return undefined;
  if (session.workspace?.id !== contact.workspace) openWorkspace(contact.workspace);
  const ws = session.workspace;
  const writable = canWrite();
  let alive = true;
  const companies = writable ? await recordOptions('companies', ws, (c) => c.name, { sort: 'name', fields: 'id,name' }) : [];
  if (!ctx.isCurrent()) return undefined;

  const head = h('div', { class: 'page-head' });
  const details = h('section', { class: 'card', 'data-testid': 'contact-details' });
  const scoreEl = h('section', { class: 'card', 'aria-labelledby': 'score-title', 'data-testid': 'contact-score' });
  const history = timeline({ contact: contact.id });
  const dealsEl = h('div');
  const enrolEl = h('section', { class: 'card', 'aria-labelledby': 'enrol-title' });

  function renderHead() {
    ctx.setTitle(contactName(contact));
    const convert = writable && !contact.client
      ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'convert' }, t('crm.contacts.convert')) : null;
    if (convert) {
      convert.addEventListener('click', () => busy(convert, async () => {
        clearAlert();
        try {
          const res = await convertContact(contact);
          if (res?.contact) contact = { ...contact, ...res.contact, expand: contact.expand };
          else contact = await pb.collection('contacts').getOne(contact.id, { expand: 'company', requestKey: null });
          renderAll();
        } catch (err) {
          reportError(err, null);
        }
      }));
    }
    mount(head, h('h1', { 'data-testid': 'contact-heading' }, contactName(contact), ' ', contactBadge(contact.status)),
      h('div', { class: 'actions' }, callButton(contact, () => history.reload()), convert,
        contact.client ? h('a', { class: 'button secondary', href: `#/clients/${encodeURIComponent(contact.client)}` }, t('crm.contacts.client_link')) : null));
  }

  function renderDetails() {
    const company = contact.expand?.company;
    const dl = h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, t('crm.contact.email')), h('dd', {}, contact.email || '—')),
      h('div', {}, h('dt', {}, t('crm.contact.phone')), h('dd', {}, contact.phone || '—')),
      h('div', {}, h('dt', {}, t('crm.contact.job_title')), h('dd', {}, contact.job_title || '—')),
      h('div', {}, h('dt', {}, t('crm.contact.company')), h('dd', {}, company ? h('a', { href: `#/companies/${encodeURIComponent(company.id)}` }, company.name) : '—')),
      h('div', {}, h('dt', {}, t('crm.contact.country')), h('dd', {}, contact.country || '—')),
      h('div', {}, h('dt', {}, t('crm.contact.source')), h('dd', {}, contact.source || '—')),
      h('div', {}, h('dt', {}, t('crm.contact.last_activity')), h('dd', {}, dateTime(contact.last_activity_at))),
      contact.unsubscribed ? h('div', {}, h('dt', {}, t('crm.contact.unsubscribed')), h('dd', {}, dateTime(contact.unsubscribed_at))) : null);
    if (!writable) { mount(details, dl); return; }
    const formEl = h('form', { novalidate: true, 'data-testid': 'contact-edit' }, contactFields(contact, companies),
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, t('common.save')),
        h('button', { type: 'button', class: 'danger', onclick: remove }, t('crm.contact.delete'))));
    onSubmit(formEl, async () => {
      contact = await pb.collection('contacts').update(contact.id, contactValues(formEl), { expand: 'company', requestKey: null });
      showAlert(t('crm.contact.saved'), { kind: 'success' });
      renderAll();
    });
    mount(details, dl, h('details', {}, h('summary', {}, t('common.edit')), formEl));
  }

  async function remove(e) {
    if (!window.confirm(t('crm.contact.delete_confirm', { name: contactName(contact) }))) return;
    await busy(e.target, async () => {
      try {
        await pb.collection('contacts').delete(contact.id, { requestKey: null });
        flash(t('crm.contact.deleted', { name: contactName(contact) }));
        ctx.navigate('/contacts');
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  // ---- the score and what made it -------------------------------------------------
  function renderScore() {
    const ex = contact.score_explanation && typeof contact.score_explanation === 'object' ? contact.score_explanation : null;
    const signals = [...(ex?.signals || [])].sort((a, b) => Math.abs(b.contribution || 0) - Math.abs(a.contribution || 0));
    const refresh = h('button', { type: 'button', class: 'secondary', 'data-testid': 'rescore' }, t('crm.score.recompute'));
    refresh.addEventListener('click', () => busy(refresh, async () => {
      try {
        const res = await pb.send(`/api/kontor/contacts/${encodeURIComponent(contact.id)}/score`, { method: 'GET', requestKey: null });
        contact = {
          ...contact,
          score: res?.score ?? contact.score,
          score_model: res?.score_model ?? res?.model ?? res?.explanation?.model ?? contact.score_model,
          score_explanation: res?.score_explanation ?? res?.explanation ?? contact.score_explanation,
        };
        renderScore();
      } catch (err) {
        reportError(err, null);
      }
    }));
    mount(scoreEl, h('h2', { id: 'score-title' }, t('crm.score.title'), ' ', scoreBadge(contact.score)),
      ex ? h('p', { class: 'muted' }, t(`crm.score.model.${ex.model || contact.score_model || 'rules'}`), ' · ', t('crm.score.base', { base: ex.base ?? 0 })) : null,
      signals.length === 0 ? h('p', { class: 'muted' }, t('crm.score.no_signals')) : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'score-signals' },
        h('caption', { class: 'visually-hidden' }, t('crm.score.signals')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('crm.score.signal')),
          h('th', { scope: 'col' }, t('crm.score.value')),
          h('th', { scope: 'col', class: 'num' }, t('crm.score.weight')),
          h('th', { scope: 'col', class: 'num' }, t('crm.score.contribution')))),
        h('tbody', {}, signals.map((s) => h('tr', { 'data-signal': s.signal || '' },
          h('td', {}, s.label || s.signal),
          h('td', {}, s.value === undefined || s.value === null ? '—' : String(s.value)),
          h('td', { class: 'num' }, String(s.weight ?? '—')),
          h('td', { class: 'num' }, `${Number(s.contribution) > 0 ? '+' : ''}${s.contribution ?? 0}`)))))),
      h('div', { class: 'actions' }, refresh));
  }

  // ---- deals ----------------------------------------------------------------------
  async function loadDeals() {
    mount(dealsEl, loading(t('common.loading')));
    try {
      const items = await pb.collection('deals').getFullList({
        filter: pb.filter('contact = {:id}', { id: contact.id }), sort: '-created', expand: 'stage', requestKey: null,
      });
      if (!alive) return;
      mount(dealsEl, items.length === 0 ? h('p', { class: 'muted' }, t('crm.contact.no_deals'))
        : h('ul', { class: 'plain-list' }, items.map((d) => h('li', {},
          h('a', { href: `#/deals/${encodeURIComponent(d.id)}` }, d.title), ' ',
          dealBadge(d.status), ' ', h('span', { class: 'muted' }, stageName(d.expand?.stage)), ' ',
          money(d.value || '0', d.currency)))));
    } catch (err) {
      if (!err?.isAbort && alive) mount(dealsEl, errorState(err, loadDeals));
    }
  }

  // ---- sequences ------------------------------------------------------------------
  async function loadEnrolments() {
    mount(enrolEl, h('h2', { id: 'enrol-title' }, t('crm.enrol.title')), loading(t('common.loading')));
    let enrolments;
    let sequences;
    try {
      [enrolments, sequences] = await Promise.all([
        pb.collection('sequence_enrollments').getFullList({
          filter: pb.filter('contact = {:id}', { id: contact.id }), sort: '-created', expand: 'sequence', requestKey: null,
        }),
        writable ? pb.collection('sequences').getFullList({
          filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'name', requestKey: null,
        }) : [],
      ]);
    } catch (err) {
      if (err?.isAbort || !alive) return;
      mount(enrolEl, h('h2', { id: 'enrol-title' }, t('crm.enrol.title')), errorState(err, loadEnrolments));
      return;
    }
    if (!alive) return;
    const list = enrolments.length === 0 ? h('p', { class: 'muted' }, t('crm.enrol.none'))
      : h('ul', { class: 'plain-list', 'data-testid': 'enrolments' }, enrolments.map((en) => h('li', { 'data-status': en.status },
        h('a', { href: `#/sequences/${encodeURIComponent(en.sequence)}` }, en.expand?.sequence?.name || en.sequence), ' ',
        h('span', { class: `badge enrol-${en.status}` }, t(`crm.enrol.status.${en.status}`)), ' ',
        h('span', { class: 'muted' }, t('crm.enrol.sent', { n: en.sent_count || 0 })),
        en.next_send_at && en.status === 'active' ? h('span', { class: 'muted' }, ` · ${t('crm.enrol.next', { when: dateTime(en.next_send_at) })}`) : null,
        writable && en.status === 'active' ? [' ', stopButton(en)] : null)));
    let enrolForm = null;
    if (writable) {
      const choices = sequences.filter((s) => s.active);
      const select = h('select', { id: 'enrol-sequence', name: 'sequence' },
        choices.map((s) => h('option', { value: s.id }, s.name)));
      const button = h('button', { type: 'submit', disabled: choices.length === 0 }, t('crm.enrol.enrol'));
      enrolForm = h('form', { class: 'filter-bar', novalidate: true },
        h('label', { for: 'enrol-sequence' }, t('crm.enrol.sequence')), select, button,
        choices.length === 0 ? h('span', { class: 'muted' }, t('crm.enrol.no_sequences')) : null);
      enrolForm.addEventListener('submit', (e) => {
        e.preventDefault();
        clearAlert();
        busy(button, async () => {
          try {
            const res = await pb.send(`/api/kontor/sequences/${encodeURIComponent(select.value)}/enroll`, {
              method: 'POST', body: { contacts: [contact.id] }, requestKey: null,
            });
            const skipped = res?.skipped || [];
            if (skipped.length) showAlert(t('crm.enrol.skipped'), { kind: 'info', details: skipped.map((s) => s.reason) });
            else showAlert(t('crm.enrol.done'), { kind: 'success' });
            loadEnrolments();
          } catch (err) {
            reportError(err, null);
          }
        });
      });
    }
    mount(enrolEl, h('h2', { id: 'enrol-title' }, t('crm.enrol.title')),
      contact.unsubscribed ? h('p', { class: 'notice-warning' }, t('crm.enrol.unsubscribed')) : null,
      list, enrolForm);
  }

  function stopButton(en) {
    const button = h('button', { type: 'button', class: 'link' }, t('crm.enrol.stop'));
    button.addEventListener('click', () => busy(button, async () => {
      try {
        await pb.send(`/api/kontor/enrollments/${encodeURIComponent(en.id)}/stop`, { method: 'POST', requestKey: null });
        loadEnrolments();
      } catch (err) {
        showAlert(errorMessage(err));
      }
    }));
    return button;
  }

  function renderAll() {
    renderHead();
    renderDetails();
    renderScore();
  }

  mount(ctx.root, crmTabs('contacts'), head, details, scoreEl,
    h('section', { class: 'card', 'aria-labelledby': 'contact-deals-title' },
      h('h2', { id: 'contact-deals-title' }, t('crm.contact.deals')), dealsEl),
    enrolEl,
    h('section', { class: 'card', 'aria-labelledby': 'contact-timeline-title' },
      h('h2', { id: 'contact-timeline-title' }, t('crm.timeline.title')),
      activityForm({ contact: contact.id }, () => history.reload()),
      history.el));
  renderAll();
  loadDeals();
  loadEnrolments();
  return () => { alive = false; };
}
