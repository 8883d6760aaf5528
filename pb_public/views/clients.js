// Clients: the buyers of the open workspace.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t, LANGUAGES } from '../lib/i18n.js';
import { reportError, clearAlert, clearFieldErrors, flash, showAlert, errorMessage, errorData, isLeaf, leafMessage } from '../lib/errors.js';
import { session } from '../lib/session.js';
import { loadFormats, addressFields } from '../lib/einvoice.js';
import { dateTime } from '../lib/format.js';

export async function list(ctx) {
  ctx.setTitle(t('clients.title'));
  const ws = session.workspace;
  mount(ctx.root, loading(t('common.loading')));
  const items = await pb.collection('clients').getFullList({
    filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'name',
  });
  if (!ctx.isCurrent()) return;
  const head = h('div', { class: 'page-head' },
    h('h1', {}, t('clients.title')),
    items.length ? h('a', { class: 'button', href: '#/clients/new' }, t('clients.add')) : null);
  if (items.length === 0) {
    mount(ctx.root, head, h('section', { class: 'empty-state', 'data-testid': 'clients-empty' },
      h('h2', {}, t('clients.empty_title')),
      h('p', {}, t('clients.empty_text')),
      h('a', { class: 'button', href: '#/clients/new' }, t('clients.add'))));
    return;
  }
  mount(ctx.root, head, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'clients-table' },
    h('caption', { class: 'visually-hidden' }, t('clients.title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('party.name')),
      h('th', { scope: 'col' }, t('party.email')),
      h('th', { scope: 'col' }, t('party.country')),
      h('th', { scope: 'col' }, t('party.vat_id')),
      h('th', { scope: 'col' }, t('vies.status')))),
    h('tbody', {}, items.map((c) => h('tr', {},
      h('td', {}, h('a', { href: `#/clients/${encodeURIComponent(c.id)}` }, c.name)),
      h('td', {}, c.email),
      h('td', {}, c.country),
      h('td', {}, c.vat_id),
      h('td', {}, c.vat_id ? vatBadge(c.vat_status) : '—')))))));
}

/** The VIES status of a client's VAT number as a badge. */
export function vatBadge(status, attrs = {}) {
  const s = status || 'unchecked';
  return h('span', { class: `badge vat-${s}`, 'data-vat-status': s, ...attrs }, t(`vies.status.${s}`));
}

export async function form(ctx) {
  const ws = session.workspace;
  const editing = ctx.params.id && ctx.params.id !== 'new';
  ctx.setTitle(editing ? t('clients.edit_title') : t('clients.new_title'));
  mount(ctx.root, loading(t('common.loading')));
  // without the formats the form still works: only the preference is disabled
  const [record, formats] = await Promise.all([
    editing ? pb.collection('clients').getOne(ctx.params.id) : {},
    loadFormats().catch((err) => { if (err?.isAbort) throw err; return null; }),
  ]);
  if (!ctx.isCurrent()) return;
  const f = (name, label, opts = {}) => field({ id: `client-${name}`, name, label, value: record[name] ?? '', ...opts });
  const languageOptions = [{ value: '', label: t('clients.language_default') }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.name }))];
  const formatOptions = [{ value: '', label: t('clients.format_none') }, ...(formats || []).map((x) => ({ value: x.name, label: x.title }))];
  if (record.preferred_format && !formatOptions.some((o) => o.value === record.preferred_format)) {
    formatOptions.push({ value: record.preferred_format, label: t('clients.format_unavailable', { name: record.preferred_format }) });
  }
  // ---- the VAT number's check with VIES (saved clients with a VAT number) ----
  const badgeSlot = h('span', { 'data-testid': 'vat-status' });
  const renderBadge = () => mount(badgeSlot, vatBadge(record.vat_status),
    record.vat_checked_at ? [' ', h('span', { class: 'muted' }, t('vies.checked_at', { when: dateTime(record.vat_checked_at) }))] : null);
  renderBadge();
  const checkButton = h('button', { type: 'button', class: 'secondary', 'data-testid': 'vies-check' }, t('vies.check'));
  checkButton.addEventListener('click', () => busy(checkButton, async () => {
    clearAlert();
    try {
      const res = await pb.send(`/api/kontor/clients/${encodeURIComponent(record.id)}/check-vat`, { method: 'POST' });
      if (res?.client) Object.assign(record, { vat_status: res.client.vat_status, vat_checked_at: res.client.vat_checked_at });
      renderBadge();
      // 202: VIES could not answer now, a retry is queued (the client is pending)
      if (res?.check?.status === 'unavailable' || res?.client?.vat_status === 'pending') {
        showAlert(t('vies.unavailable'), { kind: 'info' });
      } else {
        showAlert(res?.message || t(`vies.status.${record.vat_status || 'unchecked'}`), { kind: record.vat_status === 'invalid' ? 'error' : 'success' });
      }
    } catch (err) {
      if (err?.isAbort) return;
      const message = err?.status ? (err.response?.message || errorMessage(err)) : errorMessage(err);
      const details = Object.values(errorData(err)).filter(isLeaf).map(leafMessage).filter((m) => m !== message);
      showAlert(message, { details });
    }
  }));
  const vatCheck = h('div', { class: 'vat-check', style: 'margin-top:1rem' },
    h('strong', {}, t('vies.status')), badgeSlot,
    checkButton,
    h('span', { class: 'muted' }, t('vies.hint')));

  const formEl = h('form', { novalidate: true, 'aria-labelledby': 'client-title' },
    h('div', { class: 'grid' },
      f('name', t('party.name'), { required: true, wide: true }),
      f('email', t('party.email'), { type: 'email' }),
      f('address_line', t('party.address'), { wide: true }),
      f('city', t('party.city')),
      f('postal_code', t('party.postal_code')),
      f('country', t('party.country'), { hint: t('party.country_hint'), attrs: { maxlength: 2, style: 'text-transform:uppercase' } }),
      f('vat_id', t('party.vat_id'), { hint: t('party.vat_id_hint') }),
      f('tax_id', t('clients.tax_id'), { hint: t('clients.tax_id_hint'), attrs: { maxlength: 30 } }),
      f('language', t('clients.language'), { options: languageOptions, hint: t('clients.language_hint') }),
      f('currency', t('party.currency'), { hint: t('clients.currency_hint', { currency: ws.currency || 'EUR' }), attrs: { maxlength: 3, style: 'text-transform:uppercase', placeholder: ws.currency || 'EUR' } }),
      f('notes', t('clients.notes'), { type: 'textarea', wide: true })),
    editing && record.vat_id ? vatCheck : null,
    h('fieldset', { style: 'margin-top:1rem' }, h('legend', {}, t('einvoice.legend')),
      h('div', { class: 'grid' },
        addressFields(f, 'client', t('clients.address_hint')),
        f('preferred_format', t('clients.preferred_format'), {
          options: formatOptions,
          hint: formats ? t('clients.format_hint') : t('clients.formats_failed'),
          attrs: { disabled: !formats },
        }))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, editing ? t('common.save') : t('clients.add')),
      h('a', { class: 'button secondary', href: '#/clients' }, t('common.cancel'))));

  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(formEl);
    const body = formValues(formEl);
    await busy(formEl.querySelector('button[type=submit]'), async () => {
      try {
        const saved = editing
          ? await pb.collection('clients').update(record.id, body)
          : await pb.collection('clients').create({ ...body, workspace: ws.id });
        flash(editing ? t('clients.saved', { name: saved.name }) : t('clients.created', { name: saved.name }));
        ctx.navigate('/clients');
      } catch (err) {
        reportError(err, formEl);
      }
    });
  });

  mount(ctx.root, h('section', { class: 'card' },
    h('h1', { id: 'client-title' }, editing ? t('clients.edit_title') : t('clients.new_title')),
    formEl));
}
