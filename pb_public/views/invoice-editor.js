// The draft editor of invoices and credit notes. Totals are never computed
// here: as the person types, the lines go (debounced) to the server's
// EN 16931 engine, POST /api/kontor/invoices/preview, and the panel shows
// exactly what the server will store (lib/totals.js).
import { pb } from '../lib/pb.js';
import { h, mount, field, busy, loading } from '../lib/dom.js';
import { t, has, LANGUAGES } from '../lib/i18n.js';
import { toLine, linePayload } from '../lib/lines.js';
import { createLineEditor } from '../lib/line-editor.js';
import { createLivePreview, emptyPreview } from '../lib/totals.js';
import { openPdf } from '../lib/pdf.js';
import { clearAlert, clearFieldErrors, showAlert, errorMessage, reportSaveError, flash } from '../lib/errors.js';
import { session } from '../lib/session.js';

const HEADER_FIELDS = ['client', 'issue_date', 'due_date', 'currency', 'exchange_rate', 'language', 'buyer_reference', 'order_reference', 'notes'];
// The editor's state survives a re-render of the same document (e.g. when
// the language changes), so nothing typed is lost.
let live = null;

export function newInvoice(ctx) {
  return editor(ctx, null);
}

export function editInvoice(ctx, record) {
  return editor(ctx, record);
}

function fromRecord(record) {
  const lines = Array.isArray(record?.lines) && record.lines.length ? record.lines.map(toLine) : [toLine()];
  const state = {
    id: record?.id || null,
    documentType: record?.document_type || 'invoice',
    credited: record?.expand?.credited_invoice || null,
    lines,
    dirty: false,
    saveAttempted: false,
    preview: emptyPreview(),
    warnings: Array.isArray(record?.warnings) ? record.warnings : [],
  };
  for (const f of HEADER_FIELDS) state[f] = record?.[f] ?? '';
  return state;
}

async function editor(ctx, record) {
  const ws = session.workspace;
  const key = record?.id || 'new';
  let state;
  if (ctx.rerender && live && live.key === key) {
    state = live.state;
  } else {
    state = fromRecord(record);
    live = { key, state };
  }
  const isCredit = state.documentType === 'credit_note';
  ctx.setTitle(isCredit ? t('editor.title_credit_note') : t('editor.title_invoice'));

  mount(ctx.root, loading(t('common.loading')));
  const clients = await pb.collection('clients').getFullList({
    filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'name', fields: 'id,name,currency,language,country,vat_id',
  });
  if (!ctx.isCurrent()) return undefined;

  const clientOf = () => clients.find((c) => c.id === state.client) || null;
  const currency = () => (state.currency || clientOf()?.currency || ws.currency || 'EUR').toUpperCase();
  const previewLanguage = () => state.language || clientOf()?.language || ws.language || 'en';

  // ---- header: client, dates and options -------------------------------
  const clientOptions = [{ value: '', label: t('editor.choose_client') }, ...clients.map((c) => ({ value: c.id, label: c.name }))];
  const languageOptions = [{ value: '', label: t('editor.language_default') }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.name }))];
  const hf = (name, label, opts = {}) => field({ id: `invoice-${name}`, name, label, value: state[name], ...opts });

  const headerFields = h('div', {},
    h('div', { class: 'grid' },
      hf('client', t('invoice.client'), {
        options: clientOptions,
        hint: clients.length ? null : t('editor.no_clients'),
        attrs: { disabled: isCredit },
      }),
      hf('issue_date', t('invoice.issue_date'), { type: 'date', hint: t('editor.issue_date_hint') }),
      hf('due_date', t('invoice.due_date'), { type: 'date', hint: t('editor.due_date_hint', { days: ws.payment_terms_days ?? 30 }) })),
    clients.length ? null : h('p', {}, h('a', { href: '#/clients/new' }, t('clients.add'))),
    h('details', { open: !!((state.currency && state.currency !== ws.currency) || state.exchange_rate || state.notes || state.buyer_reference || state.order_reference) },
      h('summary', {}, t('editor.more_options')),
      h('div', { class: 'grid', style: 'margin-top:.75rem' },
        hf('currency', t('party.currency'), { hint: t('editor.currency_hint', { currency: ws.currency || 'EUR' }), attrs: { maxlength: 3, style: 'text-transform:uppercase', disabled: isCredit } }),
        hf('exchange_rate', t('editor.exchange_rate'), { hint: t('editor.exchange_rate_hint', { currency: ws.currency || 'EUR' }), attrs: { inputmode: 'decimal', disabled: isCredit } }),
        hf('language', t('editor.language'), { options: languageOptions }),
        hf('buyer_reference', t('editor.buyer_reference')),
        hf('order_reference', t('editor.order_reference')),
        hf('notes', t('editor.notes'), { type: 'textarea', wide: true }))));

  headerFields.addEventListener('input', (e) => {
    const name = e.target.name;
    if (!HEADER_FIELDS.includes(name)) return;
    state[name] = e.target.value;
    state.dirty = true;
    if (name === 'client' || name === 'currency') preview.render();
    if (name === 'client' || name === 'language') preview.schedule();
  });

  // ---- lines (the shared line editor) -----------------------------------
  const lineEditor = createLineEditor({
    getLines: () => state.lines,
    setLines: (lines) => { state.lines = lines; },
    onChange: () => { state.dirty = true; preview.schedule(); },
    boxId: 'invoice-lines',
    errorId: 'invoice-lines-error',
  });
  const { box: linesBox, errorEl: linesError, addButton } = lineEditor;

  function renderLines() {
    lineEditor.render();
    preview.renderNets();
  }

  // ---- totals panel (server-computed) -----------------------------------
  const preview = createLivePreview({
    state,
    lineEditor,
    route: '/api/kontor/invoices/preview',
    requestKey: 'invoice-preview',
    payload: (l) => linePayload(l),
    language: previewLanguage,
    currency,
  });

  // ---- save, issue, delete ----------------------------------------------
  const form = h('form', { novalidate: true, 'aria-labelledby': 'editor-title' });

  function body() {
    const b = { lines: state.lines.map(linePayload) };
    for (const f of HEADER_FIELDS) {
      if (isCredit && ['client', 'currency', 'exchange_rate'].includes(f)) continue; // follow the credited invoice
      b[f] = typeof state[f] === 'string' ? state[f].trim() : state[f];
    }
    return b;
  }

  /** Field errors of a save or issue: header fields, lines, then the rest in the alert. */
  function showSaveError(err) {
    reportSaveError(err, {
      root: headerFields, fields: HEADER_FIELDS, lineEditor, form,
      hint: (f) => (f === 'seller' ? h('a', { href: `#/workspaces/${encodeURIComponent(ws.id)}/edit` }, t('editor.seller_hint')) : null),
    });
  }

  async function save() {
    clearAlert();
    state.saveAttempted = true;
    preview.cancel();
    try {
      const options = { expand: 'client,credited_invoice' };
      const rec = state.id
        ? await pb.collection('invoices').update(state.id, body(), options)
        : await pb.collection('invoices').create({ ...body(), workspace: ws.id, document_type: 'invoice' }, options);
      const wasNew = !state.id;
      const fresh = fromRecord(rec);
      Object.assign(state, fresh);
      live = { key: rec.id, state };
      if (wasNew) window.history.replaceState(null, '', `#/invoices/${encodeURIComponent(rec.id)}`);
      clearFieldErrors(headerFields);
      syncHeader();
      titleEl.textContent = titleText();
      renderLines();
      renderActions();
      renderWarnings();
      preview.run();
      return rec;
    } catch (err) {
      showSaveError(err);
      return null;
    }
  }

  /** After a save the server may have filled defaults (currency, language). */
  function syncHeader() {
    for (const f of HEADER_FIELDS) {
      const c = headerFields.querySelector(`[name="${f}"]`);
      if (c && c.value !== state[f]) c.value = state[f] ?? '';
    }
  }

  async function issue(button) {
    await busy(button, async () => {
      if (state.dirty || !state.id) {
        const rec = await save();
        if (!rec) return;
      }
      clearAlert();
      try {
        const issued = await pb.send(`/api/kontor/invoices/${encodeURIComponent(state.id)}/issue`, { method: 'POST' });
        live = null;
        flash(t(isCredit ? 'editor.issued_credit_note' : 'editor.issued_invoice', { number: issued.number }));
        ctx.navigate(`/invoices/${issued.id}`);
      } catch (err) {
        showSaveError(err);
      }
    });
  }

  async function remove(button) {
    if (!state.id) { live = null; ctx.navigate('/invoices'); return; }
    if (!window.confirm(t('editor.delete_confirm'))) return;
    await busy(button, async () => {
      try {
        await pb.collection('invoices').delete(state.id);
        live = null;
        flash(t('editor.deleted'));
        ctx.navigate('/invoices');
      } catch (err) {
        showSaveError(err);
      }
    });
  }

  /** Saves the draft, then shows its PDF (marked as a draft by the server). */
  async function previewPdf(button) {
    await busy(button, async () => {
      const rec = await save();
      if (!rec) return;
      try {
        await openPdf(rec.id);
      } catch (err) {
        showAlert(t('pdf.failed', { message: errorMessage(err) }));
      }
    });
  }

  const actions = h('div', { class: 'actions' });
  function renderActions() {
    mount(actions,
      h('button', { type: 'submit', 'data-testid': 'save-draft' }, t('editor.save_draft')),
      h('button', { type: 'button', onclick: (e) => issue(e.currentTarget), 'data-testid': 'issue' },
        isCredit ? t('editor.issue_credit_note') : t('editor.issue_invoice')),
      h('button', { type: 'button', class: 'secondary', onclick: (e) => previewPdf(e.currentTarget), 'data-testid': 'pdf-preview' }, t('pdf.preview')),
      h('button', { type: 'button', class: 'danger', onclick: (e) => remove(e.currentTarget) },
        state.id ? t('editor.delete_draft') : t('common.cancel')),
      h('span', { class: 'muted' }, t('editor.issue_hint')));
  }
  renderActions();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy(form.querySelector('button[type=submit]'), async () => {
      const rec = await save();
      if (rec) showAlert(t('editor.saved'), { kind: 'success' });
    });
  });

  const titleText = () => (isCredit
    ? (state.id ? t('editor.title_credit_note') : t('editor.new_credit_note'))
    : (state.id ? t('editor.title_invoice') : t('editor.new_invoice')));
  const titleEl = h('h1', { id: 'editor-title' }, titleText());

  // the saved draft's warnings (server-owned): they do not stop issuing
  const warningsBox = h('div');
  function renderWarnings() {
    const list = (state.warnings || []).filter((w) => w && (w.code || w.message));
    if (!list.length) { mount(warningsBox); return; }
    mount(warningsBox, h('div', { class: 'notice-warning', role: 'status', 'data-testid': 'invoice-warnings' },
      h('strong', {}, t('warnings.title')),
      h('ul', {}, list.map((w) => h('li', { 'data-warning': w.code || null },
        has(`warnings.${w.code}`) ? t(`warnings.${w.code}`) : w.message,
        w.code === 'buyer_vat_unverified' && state.client ? [' ', h('a', { href: `#/clients/${encodeURIComponent(state.client)}` }, t('warnings.check_client'))] : null)))));
  }
  renderWarnings();

  mount(form,
    h('div', { class: 'editor' },
      h('div', {},
        h('section', { class: 'card' },
          h('div', { class: 'page-head' },
            titleEl,
            h('span', { class: 'badge status-draft', 'data-testid': 'invoice-status', 'data-status': 'draft' }, t('status.draft'))),
          warningsBox,
          isCredit && state.credited ? h('p', {}, t('editor.credits'), ' ',
            h('a', { href: `#/invoices/${encodeURIComponent(state.credited.id)}` }, state.credited.number)) : null,
          headerFields),
        h('section', { class: 'card', 'aria-labelledby': 'lines-title' },
          h('h2', { id: 'lines-title', style: 'margin-top:0' }, t('editor.lines')),
          linesBox, linesError, addButton),
        actions),
      preview.panel));
  mount(ctx.root, form);
  renderLines();
  preview.render();
  if (state.preview.status !== 'ok' || ctx.rerender) preview.run();

  const beforeUnload = (e) => { if (state.dirty) { e.preventDefault(); e.returnValue = ''; } };
  window.addEventListener('beforeunload', beforeUnload);
  return () => {
    preview.stop();
    window.removeEventListener('beforeunload', beforeUnload);
  };
}
