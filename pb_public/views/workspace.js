// Workspaces: the legal seller. Choose one, create one, edit its settings.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t, LANGUAGES, getLanguage } from '../lib/i18n.js';
import { reportError, clearAlert, clearFieldErrors, flash } from '../lib/errors.js';
import { session, loadWorkspaces, openWorkspace, rememberWorkspace } from '../lib/session.js';
import { addressFields, TAX_REGIME_OPTIONS } from '../lib/einvoice.js';
import { paymentAccountsSection } from './payment-accounts.js';

export async function list(ctx) {
  ctx.setTitle(t('workspace.title'));
  mount(ctx.root, loading(t('common.loading')));
  const items = await loadWorkspaces();
  if (!ctx.isCurrent()) return;
  if (items.length === 0) {
    mount(ctx.root, h('section', { class: 'empty-state', 'data-testid': 'workspaces-empty' },
      h('h1', {}, t('workspace.empty_title')),
      h('p', {}, t('workspace.empty_text')),
      h('a', { class: 'button', href: '#/workspaces/new' }, t('workspace.create'))));
    return;
  }
  mount(ctx.root,
    h('div', { class: 'page-head' },
      h('h1', {}, t('workspace.title')),
      h('a', { class: 'button secondary', href: '#/workspaces/new' }, t('workspace.new'))),
    h('ul', { class: 'workspace-list' }, items.map((w) => h('li', { class: 'card' },
      h('div', {},
        h('strong', {}, w.name),
        h('div', { class: 'muted' }, [w.city, w.country, w.vat_id].filter(Boolean).join(' · '))),
      h('div', { class: 'actions', style: 'margin-top:0' },
        w.id === session.workspace?.id
          ? h('span', { class: 'badge' }, t('workspace.current'))
          : h('button', { type: 'button', onclick: () => { openWorkspace(w.id); ctx.navigate('/invoices'); } }, t('workspace.open')),
        h('a', { class: 'button secondary', href: `#/workspaces/${encodeURIComponent(w.id)}/edit` }, t('common.edit')))))));
}

export async function form(ctx) {
  const editing = !!ctx.params.id;
  ctx.setTitle(editing ? t('workspace.edit_title') : t('workspace.new_title'));
  let record = { currency: 'EUR', language: getLanguage(), payment_terms_days: 30, tax_regime: 'RF01' };
  if (editing) {
    mount(ctx.root, loading(t('common.loading')));
    record = await pb.collection('workspaces').getOne(ctx.params.id);
    if (!ctx.isCurrent()) return;
  }
  const f = (name, label, opts = {}) => field({ id: `ws-${name}`, name, label, value: record[name] ?? '', ...opts });
  const languageOptions = LANGUAGES.map((l) => ({ value: l.code, label: l.name }));
  // ---- reminders: levels as days after the due date, and late payment ----
  const daysText = Array.isArray(record.reminder_days) && record.reminder_days.length ? record.reminder_days.join(', ') : '3, 10, 20';
  const remindersBox = h('input', { type: 'checkbox', id: 'ws-reminders_enabled', name: 'reminders_enabled', checked: record.reminders_enabled !== false, 'aria-describedby': 'ws-reminders_enabled-hint ws-reminders_enabled-error' });
  const daysField = f('reminder_days', t('reminders.days'), { value: daysText, hint: t('reminders.days_hint'), attrs: { autocomplete: 'off', inputmode: 'numeric', 'data-testid': 'reminder-days' } });
  const levelField = h('div');
  let levelValue = String(record.late_payment_from_level ?? 0);
  function renderLevelField() {
    const count = parseDays(daysField.querySelector('input').value).filter((d) => typeof d === 'number').length || 3;
    const n = Math.min(5, Math.max(count, Number(levelValue) || 0));
    mount(levelField, f('late_payment_from_level', t('reminders.late_from'), {
      value: levelValue,
      options: [{ value: '0', label: t('reminders.late_off') }, ...Array.from({ length: n }, (_, i) => ({ value: String(i + 1), label: t('reminders.late_from_level', { n: i + 1 }) }))],
      hint: t('reminders.late_hint'),
      attrs: { onchange: (e) => { levelValue = e.target.value; } },
    }));
  }
  daysField.querySelector('input').addEventListener('input', renderLevelField);
  renderLevelField();
  const remindersFieldset = h('fieldset', {}, h('legend', {}, t('reminders.legend')),
    h('div', { class: 'grid' },
      h('div', { class: 'field wide' },
        h('label', { class: 'check', for: 'ws-reminders_enabled' }, remindersBox, t('reminders.enabled')),
        h('p', { class: 'hint', id: 'ws-reminders_enabled-hint' }, t('reminders.enabled_hint')),
        h('p', { class: 'field-error', id: 'ws-reminders_enabled-error', 'data-error-for': 'reminders_enabled' })),
      daysField,
      levelField));

  const formEl = h('form', { novalidate: true, 'aria-labelledby': 'ws-title' },
    h('fieldset', {}, h('legend', {}, t('workspace.legal')),
      h('div', { class: 'grid' },
        f('name', t('workspace.name'), { required: true, wide: true, hint: t('workspace.name_hint'), attrs: { autocomplete: 'organization' } }),
        f('address_line', t('party.address'), { wide: true, attrs: { autocomplete: 'street-address' } }),
        f('city', t('party.city'), { attrs: { autocomplete: 'address-level2' } }),
        f('postal_code', t('party.postal_code'), { attrs: { autocomplete: 'postal-code' } }),
        f('country', t('party.country'), { hint: t('party.country_hint'), attrs: { maxlength: 2, autocomplete: 'country', style: 'text-transform:uppercase' } }),
        f('vat_id', t('party.vat_id'), { hint: t('party.vat_id_hint') }),
        f('tax_id', t('workspace.tax_id')),
        f('email', t('party.email'), { type: 'email', attrs: { autocomplete: 'email' } }))),
    h('fieldset', {}, h('legend', {}, t('workspace.payment')),
      h('div', { class: 'grid' },
        f('iban', t('workspace.iban')),
        f('bic', t('workspace.bic')),
        f('currency', t('party.currency'), { hint: t('party.currency_hint'), attrs: { maxlength: 3, style: 'text-transform:uppercase' } }),
        f('payment_terms_days', t('workspace.payment_terms'), { type: 'number', attrs: { min: 0, max: 365, step: 1, inputmode: 'numeric' } }),
        f('language', t('workspace.language'), { options: languageOptions, hint: t('workspace.language_hint') }))),
    h('fieldset', {}, h('legend', {}, t('einvoice.legend')),
      h('div', { class: 'grid' },
        addressFields(f, 'ws', t('workspace.address_hint')),
        f('contact_name', t('workspace.contact_name'), { attrs: { autocomplete: 'name' } }),
        f('phone', t('workspace.phone'), { type: 'tel', attrs: { autocomplete: 'tel' } }),
        f('tax_regime', t('workspace.tax_regime'), { options: TAX_REGIME_OPTIONS, hint: t('workspace.tax_regime_hint') }))),
    remindersFieldset,
    h('fieldset', {}, h('legend', {}, t('workspace.logo')),
      record.logo ? h('img', { class: 'logo-preview', alt: t('workspace.logo_current'), src: pb.files.getURL(record, record.logo, { thumb: '0x80' }) }) : null,
      field({ id: 'ws-logo', name: 'logo', label: t('workspace.logo_file'), type: 'file', hint: t('workspace.logo_hint'), attrs: { accept: 'image/png,image/jpeg' } })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, editing ? t('common.save') : t('workspace.create')),
      h('a', { class: 'button secondary', href: '#/workspaces' }, t('common.cancel'))));

  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(formEl);
    const v = formValues(formEl);
    const body = { ...v };
    body.payment_terms_days = v.payment_terms_days === '' ? null : v.payment_terms_days;
    if (body.payment_terms_days === null) delete body.payment_terms_days; // the server's default
    body.reminders_enabled = remindersBox.checked;
    body.reminder_days = parseDays(v.reminder_days);
    body.late_payment_from_level = Number(v.late_payment_from_level) || 0;
    await busy(formEl.querySelector('button[type=submit]'), async () => {
      try {
        const saved = editing
          ? await pb.collection('workspaces').update(record.id, body)
          : await pb.collection('workspaces').create(body);
        rememberWorkspace(saved);
        flash(editing ? t('workspace.saved') : t('workspace.created', { name: saved.name }));
        ctx.navigate(editing ? '/workspaces' : '/clients');
      } catch (err) {
        reportError(err, formEl);
      }
    });
  });

  // the providers buyers pay through: for the workspace's owners and admins
  const role = editing ? session.roles[record.id] : null;
  mount(ctx.root, h('section', { class: 'card' },
    h('h1', { id: 'ws-title' }, editing ? t('workspace.edit_title') : t('workspace.new_title')),
    editing ? null : h('p', { class: 'muted' }, t('workspace.intro')),
    formEl),
  role === 'owner' || role === 'admin' ? paymentAccountsSection(record.id) : null);
}

/** "3, 10, 20" → [3, 10, 20]; a part that is not a whole number is sent as
 * typed, for the server to refuse with its message beside the field. */
function parseDays(text) {
  return String(text || '').split(/[,;\s]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
