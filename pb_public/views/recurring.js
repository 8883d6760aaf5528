// Recurring invoices: an invoice the server makes on a schedule (monthly,
// quarterly, yearly or a cron expression), left as a draft, issued, or
// issued and emailed. next_run, last_period and last_error are the server's.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { dateTime, today } from '../lib/format.js';
import { CATEGORIES, toLine, linePayload } from '../lib/lines.js';
import {
  reportError, clearAlert, clearFieldErrors, flash, errorData, isLeaf, leafMessage, setFieldError,
} from '../lib/errors.js';
import { session } from '../lib/session.js';

const SCHEDULES = ['monthly', 'quarterly', 'yearly'];
const MODES = ['draft', 'issue', 'issue_and_send'];
const LINE_FIELDS = ['description', 'quantity', 'unit_price', 'vat_category', 'vat_rate', 'discount_percent'];

/** "Monthly", or the cron expression as written. */
function scheduleLabel(schedule) {
  return SCHEDULES.includes(schedule) ? t(`recurring.schedule.${schedule}`) : schedule;
}

export async function list(ctx) {
  ctx.setTitle(t('recurring.title'));
  const ws = session.workspace;
  mount(ctx.root, loading(t('common.loading')));
  const items = await pb.collection('recurring_invoices').getFullList({
    filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'name', expand: 'client',
  });
  if (!ctx.isCurrent()) return;
  const head = h('div', { class: 'page-head' },
    h('h1', {}, t('recurring.title')),
    items.length ? h('a', { class: 'button', href: '#/recurring/new' }, t('recurring.new')) : null);
  if (items.length === 0) {
    mount(ctx.root, head, h('section', { class: 'empty-state', 'data-testid': 'recurring-empty' },
      h('h2', {}, t('recurring.empty_title')),
      h('p', {}, t('recurring.empty_text')),
      h('a', { class: 'button', href: '#/recurring/new' }, t('recurring.new'))));
    return;
  }
  mount(ctx.root, head, h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'recurring-table' },
    h('caption', { class: 'visually-hidden' }, t('recurring.title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('recurring.name')),
      h('th', { scope: 'col' }, t('invoice.client')),
      h('th', { scope: 'col' }, t('recurring.schedule')),
      h('th', { scope: 'col' }, t('recurring.mode')),
      h('th', { scope: 'col' }, t('recurring.next_run')),
      h('th', { scope: 'col' }, t('recurring.state')))),
    h('tbody', {}, items.map((r) => h('tr', { 'data-recurring-id': r.id },
      h('td', {}, h('a', { href: `#/recurring/${encodeURIComponent(r.id)}` }, r.name)),
      h('td', {}, r.expand?.client?.name || '—'),
      h('td', {}, scheduleLabel(r.schedule)),
      h('td', {}, t(`recurring.mode.${r.mode}`)),
      h('td', {}, r.active ? dateTime(r.next_run) : '—'),
      h('td', {},
        h('span', { class: r.active ? 'badge status-issued' : 'badge recurring-paused' }, r.active ? t('recurring.active_badge') : t('recurring.paused_badge')),
        r.last_error ? h('div', { class: 'field-error' }, r.last_error) : null)))))));
}

export async function form(ctx) {
  const ws = session.workspace;
  const editing = ctx.params.id && ctx.params.id !== 'new';
  ctx.setTitle(editing ? t('recurring.edit_title') : t('recurring.new_title'));
  mount(ctx.root, loading(t('common.loading')));
  const [record, clients] = await Promise.all([
    editing ? pb.collection('recurring_invoices').getOne(ctx.params.id) : { mode: 'draft', schedule: 'monthly', active: true, start_date: today() },
    pb.collection('clients').getFullList({ filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'name', fields: 'id,name' }),
  ]);
  if (!ctx.isCurrent()) return;

  let lines = Array.isArray(record.lines) && record.lines.length ? record.lines.map(toLine) : [toLine()];
  const custom = !SCHEDULES.includes(record.schedule);
  const f = (name, label, opts = {}) => field({ id: `rec-${name}`, name, label, value: record[name] ?? '', ...opts });

  const clientOptions = [{ value: '', label: t('editor.choose_client') }, ...clients.map((c) => ({ value: c.id, label: c.name }))];
  const scheduleField = f('schedule', t('recurring.schedule'), {
    value: custom ? 'custom' : record.schedule,
    options: [...SCHEDULES, 'custom'].map((s) => ({ value: s, label: t(`recurring.schedule.${s}`) })),
    hint: t('recurring.schedule_hint'),
  });
  const cronField = f('cron', t('recurring.cron'), {
    value: custom ? record.schedule : '', hint: t('recurring.cron_hint'),
    attrs: { autocomplete: 'off', spellcheck: 'false', placeholder: '0 9 1 * *' },
  });
  cronField.hidden = !custom;
  const scheduleSelect = scheduleField.querySelector('select');
  scheduleSelect.addEventListener('change', () => {
    cronField.hidden = scheduleSelect.value !== 'custom';
    if (!cronField.hidden) cronField.querySelector('input').focus();
  });

  const activeBox = h('input', { type: 'checkbox', id: 'rec-active', name: 'active', checked: record.active !== false, 'aria-describedby': 'rec-active-error' });

  // ---- lines ---------------------------------------------------------------
  const linesBox = h('div', { 'data-testid': 'recurring-lines' });
  const linesError = h('p', { class: 'field-error', id: 'rec-lines-error', role: 'alert' });
  const addButton = h('button', { type: 'button', class: 'secondary', onclick: addLine }, t('editor.add_line'));

  function lineEl(l, index) {
    const lf = (name, label, opts = {}) => field({ id: `rline-${l.key}-${name}`, name: `line-${name}`, label, value: l[name], ...opts });
    const el = h('fieldset', { class: 'line', 'data-line-key': l.key },
      h('legend', {}, t('line.legend', { n: index + 1 })),
      h('div', { class: 'line-grid' },
        lf('description', t('line.description'), { className: 'description' }),
        lf('quantity', t('line.quantity'), { attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
        lf('unit_price', t('line.unit_price'), { attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
        lf('discount_percent', t('line.discount'), { attrs: { inputmode: 'decimal', autocomplete: 'off', placeholder: '0' } }),
        lf('vat_category', t('line.vat_category'), {
          options: (CATEGORIES.includes(l.vat_category) ? CATEGORIES : [...CATEGORIES, l.vat_category]).map((c) => ({ value: c, label: `${c} – ${t(`vat.${c}`)}` })),
        }),
        lf('vat_rate', t('line.vat_rate'), { attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
        lf('exemption_reason', t('line.exemption_reason'), { className: 'reason', hint: t('line.reason_optional') })),
      h('div', { class: 'line-head' },
        h('button', {
          type: 'button', class: 'link', 'aria-label': t('line.remove_n', { n: index + 1 }),
          onclick: () => { lines = lines.filter((x) => x.key !== l.key); renderLines(); addButton.focus(); },
        }, t('line.remove'))));
    const sync = (e) => {
      const name = (e.target.name || '').replace(/^line-/, '');
      if (!(name in l)) return;
      l[name] = e.target.value;
      if (name === 'vat_category' && ['Z', 'E', 'AE', 'K', 'G', 'O'].includes(l.vat_category)) {
        l.vat_rate = '0';
        const rate = document.getElementById(`rline-${l.key}-vat_rate`);
        if (rate) rate.value = '0';
      }
    };
    el.addEventListener('input', sync);
    el.addEventListener('change', sync);
    return el;
  }

  function renderLines() {
    mount(linesBox, lines.map((l, i) => lineEl(l, i)));
  }

  function addLine() {
    const prev = lines[lines.length - 1];
    const l = toLine(prev ? { vat_category: prev.vat_category, vat_rate: prev.vat_rate } : {});
    lines.push(l);
    renderLines();
    document.getElementById(`rline-${l.key}-description`)?.focus();
  }

  /** The server's line errors: a message for all lines, or per line and field. */
  function showLineErrors(data) {
    linesError.textContent = '';
    const unplaced = [];
    if (!data) return unplaced;
    if (isLeaf(data)) { linesError.textContent = leafMessage(data); return unplaced; }
    for (const [idx, fields] of Object.entries(data)) {
      const l = lines[Number(idx)];
      if (!l || !fields || typeof fields !== 'object') continue;
      for (const [name, leaf] of Object.entries(fields)) {
        if (!isLeaf(leaf)) continue;
        const control = document.getElementById(`rline-${l.key}-${name}`);
        if (!control || !LINE_FIELDS.concat('exemption_reason').includes(name)) { unplaced.push(leafMessage(leaf)); continue; }
        setFieldError(linesBox, control, leafMessage(leaf));
      }
    }
    return unplaced;
  }

  // ---- server-owned state -----------------------------------------------------
  const serverState = editing ? h('dl', { class: 'facts', 'data-testid': 'recurring-state' },
    h('div', {}, h('dt', {}, t('recurring.next_run')), h('dd', { 'data-testid': 'recurring-next-run' }, record.active ? dateTime(record.next_run) : t('recurring.paused_badge'))),
    h('div', {}, h('dt', {}, t('recurring.last_period')), h('dd', {}, record.last_period || t('recurring.none_yet'))),
    record.last_error ? h('div', { style: 'grid-column:1/-1' }, h('dt', {}, t('recurring.last_error')),
      h('dd', { class: 'field-error', 'data-testid': 'recurring-last-error' }, record.last_error)) : null) : null;

  const formEl = h('form', { novalidate: true, 'aria-labelledby': 'rec-title' },
    h('div', { class: 'grid' },
      f('name', t('recurring.name'), { required: true, wide: true, hint: t('recurring.name_hint'), attrs: { maxlength: 200 } }),
      f('client', t('invoice.client'), { options: clientOptions, required: true, hint: clients.length ? null : t('editor.no_clients') }),
      scheduleField,
      cronField,
      f('start_date', t('recurring.start_date'), { type: 'date', required: true, hint: t('recurring.start_date_hint') }),
      f('end_date', t('recurring.end_date'), { type: 'date', hint: t('recurring.end_date_hint') }),
      f('mode', t('recurring.mode'), {
        options: MODES.map((m) => ({ value: m, label: t(`recurring.mode.${m}`) })),
        hint: t('recurring.mode_hint'),
        wide: true,
      }),
      h('div', { class: 'field' },
        h('label', { class: 'check', for: 'rec-active' }, activeBox, t('recurring.active')),
        h('p', { class: 'hint' }, t('recurring.active_hint')),
        h('p', { class: 'field-error', id: 'rec-active-error', 'data-error-for': 'active' }))),
    h('details', { open: !!(record.currency || record.notes || record.buyer_reference) },
      h('summary', {}, t('editor.more_options')),
      h('div', { class: 'grid', style: 'margin-top:.75rem' },
        f('currency', t('party.currency'), { hint: t('recurring.currency_hint'), attrs: { maxlength: 3, style: 'text-transform:uppercase' } }),
        f('buyer_reference', t('editor.buyer_reference')),
        f('notes', t('editor.notes'), { type: 'textarea', wide: true }))),
    h('section', { 'aria-labelledby': 'rec-lines-title', style: 'margin-top:1rem' },
      h('h2', { id: 'rec-lines-title' }, t('editor.lines')),
      linesBox, linesError, addButton),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', 'data-testid': 'recurring-save' }, editing ? t('common.save') : t('recurring.create')),
      editing ? h('button', { type: 'button', class: 'danger', onclick: (e) => remove(e.currentTarget) }, t('recurring.delete')) : null,
      h('a', { class: 'button secondary', href: '#/recurring' }, t('common.cancel'))));

  function showError(err) {
    reportError(err, formEl);
    const data = errorData(err);
    if (isLeaf(data.schedule) && !cronField.hidden) setFieldError(formEl, 'cron', leafMessage(data.schedule));
    showLineErrors(data.lines);
  }

  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(formEl);
    showLineErrors(null);
    const v = formValues(formEl);
    const body = {
      name: v.name,
      client: v.client,
      schedule: v.schedule === 'custom' ? v.cron : v.schedule,
      start_date: v.start_date,
      end_date: v.end_date,
      mode: v.mode,
      active: activeBox.checked,
      currency: v.currency,
      buyer_reference: v.buyer_reference,
      notes: v.notes,
      lines: lines.map(linePayload),
    };
    await busy(formEl.querySelector('button[type=submit]'), async () => {
      try {
        const saved = editing
          ? await pb.collection('recurring_invoices').update(record.id, body)
          : await pb.collection('recurring_invoices').create({ ...body, workspace: ws.id });
        flash(editing ? t('recurring.saved', { name: saved.name }) : t('recurring.created', { name: saved.name }));
        ctx.navigate('/recurring');
      } catch (err) {
        showError(err);
      }
    });
  });

  async function remove(button) {
    if (!window.confirm(t('recurring.delete_confirm'))) return;
    await busy(button, async () => {
      clearAlert();
      try {
        await pb.collection('recurring_invoices').delete(record.id);
        flash(t('recurring.deleted'));
        ctx.navigate('/recurring');
      } catch (err) {
        reportError(err, formEl);
      }
    });
  }

  mount(ctx.root, h('section', { class: 'card' },
    h('h1', { id: 'rec-title' }, editing ? t('recurring.edit_title') : t('recurring.new_title')),
    h('p', { class: 'muted' }, t('recurring.intro')),
    serverState,
    formEl));
  renderLines();
}
