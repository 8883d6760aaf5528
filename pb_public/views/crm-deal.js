// One deal: its details, the chain it went through (deal → proposals →
// invoices → paid, from GET /api/kontor/deals/{id}/chain), marking it won or
// lost with a reason, and its activities.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { money, date, dateTime, typedDecimal } from '../lib/format.js';
import { session, openWorkspace } from '../lib/session.js';
import { reportError, clearAlert, clearFieldErrors, showAlert, flash, errorState, onSubmit } from '../lib/errors.js';
import { canWrite, crmTabs, contactName, dealBadge, loadStages, recordOptions, stageName } from './crm-common.js';
import { activityForm, activityList, refHref } from './crm-activities.js';

const EXPAND = 'stage,contact,company';

export async function page(ctx) {
  mount(ctx.root, crmTabs('deals'), loading(t('common.loading')));
  let deal = await pb.collection('deals').getOne(ctx.params.id, { expand: EXPAND, requestKey: null });
  if (!ctx.isCurrent()) return undefined;
  if (session.workspace?.id !== deal.workspace) openWorkspace(deal.workspace);
  const ws = session.workspace;
  const writable = canWrite();
  let alive = true;
  const [stages, contacts, companies] = await Promise.all([
    loadStages(ws),
    writable ? recordOptions('contacts', ws, contactName, { sort: 'last_name,first_name', fields: 'id,first_name,last_name,email' }) : [],
    writable ? recordOptions('companies', ws, (c) => c.name, { sort: 'name', fields: 'id,name' }) : [],
  ]);
  if (!ctx.isCurrent()) return undefined;

  const head = h('div', { class: 'page-head' });
  const facts = h('dl', { class: 'facts', 'data-testid': 'deal-facts' });
  const closeSlot = h('div');
  const chainEl = h('section', { class: 'card', 'aria-labelledby': 'deal-chain-title' });
  const activities = activityList({ deal: deal.id });

  function renderHead() {
    ctx.setTitle(deal.title);
    mount(head, h('h1', { 'data-testid': 'deal-heading' }, deal.title, ' ', dealBadge(deal.status)),
      h('a', { class: 'button secondary', href: '#/deals' }, t('crm.deal.back')));
    const contact = deal.expand?.contact;
    const company = deal.expand?.company;
    mount(facts,
      h('div', {}, h('dt', {}, t('crm.deal.value')), h('dd', { 'data-testid': 'deal-value' }, money(deal.value || '0', deal.currency))),
      h('div', {}, h('dt', {}, t('crm.deal.stage')), h('dd', { 'data-testid': 'deal-stage' }, deal.expand?.stage ? stageName(deal.expand.stage) : '—')),
      h('div', {}, h('dt', {}, t('crm.deal.contact')), h('dd', {}, contact ? h('a', { href: `#/contacts/${encodeURIComponent(contact.id)}` }, contactName(contact)) : '—')),
      h('div', {}, h('dt', {}, t('crm.deal.company')), h('dd', {}, company ? h('a', { href: `#/companies/${encodeURIComponent(company.id)}` }, company.name) : '—')),
      h('div', {}, h('dt', {}, t('crm.deal.expected_close')), h('dd', {}, date(deal.expected_close))),
      deal.won_at ? h('div', {}, h('dt', {}, t('crm.deal.won_at')), h('dd', {}, dateTime(deal.won_at))) : null,
      deal.lost_at ? h('div', {}, h('dt', {}, t('crm.deal.lost_at')), h('dd', {}, dateTime(deal.lost_at))) : null,
      deal.close_reason ? h('div', {}, h('dt', {}, t('crm.deal.close_reason')), h('dd', { 'data-testid': 'close-reason' }, deal.close_reason)) : null);
    renderClose();
  }

  // ---- won / lost with a reason ------------------------------------------------
  function renderClose() {
    const won = stages.find((s) => s.kind === 'won');
    const lost = stages.find((s) => s.kind === 'lost');
    if (!writable || deal.status !== 'open' || !won || !lost) { mount(closeSlot); return; }
    const formEl = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'deal-close-title' },
      h('h2', { id: 'deal-close-title' }, t('crm.deal.close_title')),
      field({ id: 'deal-close_reason', name: 'close_reason', label: t('crm.deal.close_reason'), type: 'textarea', wide: true, hint: t('crm.deal.close_reason_hint') }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', value: won.id, 'data-testid': 'mark-won' }, t('crm.deal.mark_won')),
        h('button', { type: 'submit', value: lost.id, class: 'danger', 'data-testid': 'mark-lost' }, t('crm.deal.mark_lost'))));
    formEl.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearAlert();
      clearFieldErrors(formEl);
      const button = e.submitter;
      const stage = button?.value;
      const target = stages.find((s) => s.id === stage);
      const { close_reason: reason } = formValues(formEl);
      await busy(button, async () => {
        try {
          deal = await pb.collection('deals').update(deal.id, { stage, close_reason: reason }, { expand: EXPAND, requestKey: null });
          showAlert(t(target?.kind === 'won' ? 'crm.deal.marked_won' : 'crm.deal.marked_lost', { title: deal.title }), { kind: 'success' });
          renderAll();
        } catch (err) {
          reportError(err, formEl);
        }
      });
    });
    mount(closeSlot, formEl);
  }

  // ---- the chain ----------------------------------------------------------------
  async function loadChain() {
    mount(chainEl, h('h2', { id: 'deal-chain-title' }, t('crm.chain.title')), loading(t('common.loading')));
    let chain;
    try {
      chain = await pb.send(`/api/kontor/deals/${encodeURIComponent(deal.id)}/chain`, { method: 'GET', requestKey: null });
    } catch (err) {
      if (err?.isAbort || !alive) return;
      mount(chainEl, h('h2', { id: 'deal-chain-title' }, t('crm.chain.title')), errorState(err, loadChain));
      return;
    }
    if (!alive) return;
    const proposals = chain?.proposals || [];
    const invoices = chain?.invoices || [];
    const events = chain?.events || [];
    const cur = (x) => x.currency || deal.currency;
    mount(chainEl, h('h2', { id: 'deal-chain-title' }, t('crm.chain.title')),
      h('h3', {}, t('crm.chain.proposals')),
      proposals.length === 0 ? h('p', { class: 'muted' }, t('crm.chain.no_proposals')) : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'chain-proposals' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('proposal.number')), h('th', { scope: 'col' }, t('invoice.status')),
          h('th', { scope: 'col' }, t('crm.chain.version')), h('th', { scope: 'col' }, t('crm.chain.signed_at')),
          h('th', { scope: 'col', class: 'num' }, t('totals.gross')))),
        h('tbody', {}, proposals.map((p) => h('tr', {},
          h('td', {}, h('a', { href: `#/proposals/${encodeURIComponent(p.id)}` }, p.number || t('proposal.draft_label'))),
          h('td', {}, p.status ? t(`proposal.status.${p.status}`) : '—'),
          h('td', {}, String(p.version ?? '—')),
          h('td', {}, p.signed_at ? dateTime(p.signed_at) : '—'),
          h('td', { class: 'num' }, money(p.total, cur(p)))))))),
      h('h3', {}, t('crm.chain.invoices')),
      invoices.length === 0 ? h('p', { class: 'muted' }, t('crm.chain.no_invoices')) : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'chain-invoices' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('invoice.number')), h('th', { scope: 'col' }, t('invoice.status')),
          h('th', { scope: 'col', class: 'num' }, t('totals.gross')), h('th', { scope: 'col', class: 'num' }, t('totals.due')))),
        h('tbody', {}, invoices.map((inv) => h('tr', {},
          h('td', {}, h('a', { href: `#/invoices/${encodeURIComponent(inv.id)}` }, inv.number || t('invoice.draft_invoice'))),
          h('td', {}, inv.status ? t(`status.${inv.status}`) : '—'),
          h('td', { class: 'num' }, money(inv.total, cur(inv))),
          h('td', { class: 'num' }, money(inv.amount_due, cur(inv)))))))),
      h('h3', {}, t('crm.chain.events')),
      events.length === 0 ? h('p', { class: 'muted' }, t('crm.chain.no_events')) : h('ol', { class: 'timeline', 'data-testid': 'chain-events' },
        events.map((ev) => h('li', { 'data-event-type': ev.kind || ev.type || '' },
          h('div', { class: 'timeline-head' },
            h('strong', {}, refHref(ev) && ev.ref_collection !== 'deals' ? h('a', { href: refHref(ev) }, ev.title || ev.kind) : (ev.title || ev.kind)),
            h('time', { datetime: ev.at || '' }, dateTime(ev.at)))))));
  }

  // ---- editing ------------------------------------------------------------------
  function editForm() {
    if (!writable) return null;
    const f = (name, label, opts = {}) => field({ id: `deal-edit-${name}`, name, label, value: deal[name] ?? '', ...opts });
    const formEl = h('form', { novalidate: true, 'data-testid': 'deal-edit' },
      h('div', { class: 'grid' },
        f('title', t('crm.deal.title'), { required: true, wide: true }),
        f('value', t('crm.deal.value'), { attrs: { inputmode: 'decimal' } }),
        f('currency', t('crm.deal.currency'), { attrs: { maxlength: 3, class: 'upper' } }),
        f('stage', t('crm.deal.stage'), { options: stages.map((s) => ({ value: s.id, label: stageName(s) })) }),
        f('expected_close', t('crm.deal.expected_close'), { type: 'date' }),
        f('contact', t('crm.deal.contact'), { options: contacts }),
        f('company', t('crm.deal.company'), { options: companies })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, t('common.save')),
        h('button', { type: 'button', class: 'danger', 'data-testid': 'delete-deal', onclick: remove }, t('crm.deal.delete'))));
    onSubmit(formEl, async () => {
      const values = formValues(formEl);
      values.value = typedDecimal(values.value) || '0';
      values.currency = values.currency.toUpperCase();
      deal = await pb.collection('deals').update(deal.id, values, { expand: EXPAND, requestKey: null });
      showAlert(t('crm.deal.saved'), { kind: 'success' });
      renderAll();
    });
    return h('details', { class: 'card' }, h('summary', {}, t('common.edit')), formEl);
  }

  async function remove(e) {
    if (!window.confirm(t('crm.deal.delete_confirm', { title: deal.title }))) return;
    await busy(e.target, async () => {
      try {
        await pb.collection('deals').delete(deal.id, { requestKey: null });
        flash(t('crm.deal.deleted', { title: deal.title }));
        ctx.navigate('/deals');
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  const editSlot = h('div');
  function renderAll() {
    renderHead();
    mount(editSlot, editForm());
    loadChain();
  }

  mount(ctx.root, crmTabs('deals'), head,
    h('section', { class: 'card' }, facts), closeSlot, editSlot, chainEl,
    h('section', { class: 'card', 'aria-labelledby': 'deal-activities-title' },
      h('h2', { id: 'deal-activities-title' }, t('crm.activity.title')),
      activityForm({ deal: deal.id }, () => activities.reload()),
      activities.el));
  renderAll();
  return () => { alive = false; };
}
