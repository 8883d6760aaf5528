// One proposal: the editor of its content while it is not signed (totals
// from the server's engine, POST /api/kontor/proposals/preview, as the
// person types), its state and actions (send, PDF, verify, invoice,
// delete), the link made by a send, and its audit trail. The record and its
// events are followed live: when the buyer opens or signs, the page shows
// it without a reload. A signed proposal is read-only.
import { pb } from '../lib/pb.js';
import { h, mount, field, busy, loading } from '../lib/dom.js';
import { t, has, LANGUAGES } from '../lib/i18n.js';
import { money, decimal, date, dateTime } from '../lib/format.js';
import { toLine, linePayload, isBlank } from '../lib/lines.js';
import { createLineEditor } from '../lib/line-editor.js';
import { createLivePreview, emptyPreview, totalsRows, vatBreakdownTable, linesTableHead } from '../lib/totals.js';
import { openProposalPdf } from '../lib/pdf.js';
import {
  clearAlert, showAlert, errorMessage, errorState, flash, reportError, reportSaveError,
} from '../lib/errors.js';
import { session, openWorkspace } from '../lib/session.js';
import { proposalBadge } from './proposals.js';

const CONTENT_FIELDS = ['client', 'title', 'intro', 'terms', 'valid_until', 'currency', 'language'];
const EVENT_TYPES = ['created', 'sent', 'opened', 'signed', 'declined', 'expired', 'converted'];
const EXPAND = 'client,converted_invoice';

// What the page holds across a re-render of the same proposal (the language
// changed): what was typed, the link of the last send, the last check.
let live = null;

/** #/proposals/new and #/proposals/:id */
export async function page(ctx) {
  const id = ctx.params.id || null;
  const key = id || 'new';
  const kept = ctx.rerender && live && live.key === key ? live : null;
  mount(ctx.root, loading(t('common.loading')));

  let record = null;
  if (id) {
    record = await pb.collection('proposals').getOne(id, { expand: EXPAND });
    if (!ctx.isCurrent()) return undefined;
    if (session.workspace?.id !== record.workspace) openWorkspace(record.workspace);
  }
  const ws = session.workspace;
  const clients = await pb.collection('clients').getFullList({
    filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'name', fields: 'id,name,email,currency,language',
  });
  if (!ctx.isCurrent()) return undefined;

  const view = kept || { key, state: fromRecord(record), publicLink: null, verify: null };
  live = view;
  const state = view.state;
  let alive = true;
  let deleting = false;
  let events = [];
  let eventsError = null;

  const signed = () => record?.status === 'signed';
  const clientOf = () => clients.find((c) => c.id === (signed() ? record.client : state.client)) || null;
  const currency = () => ((signed() ? record.currency : state.currency) || clientOf()?.currency || ws.currency || 'EUR').toUpperCase();
  const previewLanguage = () => state.language || clientOf()?.language || ws.language || 'en';

  const setTitle = () => ctx.setTitle(record?.number ? t('proposal.title_number', { number: record.number }) : t('proposals.new'));
  setTitle();

  // ---- head and state ----------------------------------------------------
  const head = h('div');
  const statusBox = h('div');
  const bodyBox = h('div');
  const timelineBox = h('section', { class: 'card', 'aria-labelledby': 'timeline-title', 'data-testid': 'timeline' });

  function renderHead() {
    const title = record
      ? (record.number ? t('proposal.title_number', { number: record.number }) : t('proposal.draft_label'))
      : t('proposals.new');
    mount(head, h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'muted', style: 'margin:0' }, t('proposal.proposal')),
        h('h1', { id: 'proposal-page-title', 'data-testid': 'proposal-heading' }, title)),
      proposalBadge(record?.status || 'draft', { 'data-testid': 'proposal-status' })));
  }

  function fact(label, value, testid) {
    return h('div', {}, h('dt', {}, label), h('dd', { 'data-testid': testid }, value));
  }

  function renderStatus() {
    if (!record) { mount(statusBox); return; }
    const r = record;
    const actions = h('div', { class: 'actions' });
    if (!signed()) {
      actions.append(h('button', { type: 'button', 'data-testid': 'proposal-send', onclick: (e) => send(e.currentTarget) },
        r.version > 0 ? t('proposal.send_again') : t('proposal.send')));
    }
    actions.append(
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'proposal-pdf', onclick: (e) => pdf(e.currentTarget) },
        signed() ? t('proposal.download_signed_pdf') : t('pdf.download')),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'proposal-verify', onclick: (e) => verify(e.currentTarget) },
        t('proposal.verify')));
    if (signed() && !r.converted_invoice) {
      actions.append(h('button', { type: 'button', 'data-testid': 'proposal-invoice', onclick: (e) => toInvoice(e.currentTarget) },
        t('proposal.create_invoice')));
    }
    if (r.status === 'draft' && !(r.version > 0)) {
      actions.append(h('button', { type: 'button', class: 'danger', 'data-testid': 'proposal-delete', onclick: (e) => remove(e.currentTarget) },
        t('proposal.delete')));
    }
    const email = clientOf()?.email || '';
    const invoice = r.expand?.converted_invoice;
    mount(statusBox, h('section', { class: 'card', 'aria-labelledby': 'proposal-state-title', 'data-testid': 'proposal-state' },
      h('h2', { id: 'proposal-state-title', style: 'margin-top:0' }, t('proposal.state')),
      h('dl', { class: 'facts' },
        fact(t('proposal.number'), r.number || '—', 'proposal-number'),
        fact(t('proposal.version'), String(r.version || 0), 'proposal-version'),
        fact(t('proposal.valid_until'), date(r.valid_until), 'proposal-valid-until'),
        fact(t('proposal.sent_at'), dateTime(r.sent_at), 'proposal-sent-at'),
        fact(t('proposal.viewed_at'), dateTime(r.viewed_at), 'proposal-viewed-at'),
        fact(t('proposal.signed_at'), dateTime(r.signed_at), 'proposal-signed-at'),
        r.declined_at ? fact(t('proposal.declined_at'), dateTime(r.declined_at), 'proposal-declined-at') : null,
        r.expired_at ? fact(t('proposal.expired_at'), dateTime(r.expired_at), 'proposal-expired-at') : null,
        r.signer_name ? fact(t('proposal.signer'), [r.signer_name, r.signer_email ? ` <${r.signer_email}>` : ''].join(''), 'proposal-signer') : null),
      r.status === 'declined' && r.decline_reason ? h('p', { 'data-testid': 'proposal-decline-reason' },
        h('strong', {}, t('proposal.decline_reason')), ' ', r.decline_reason) : null,
      r.changed_since_sent && !signed() ? h('div', { class: 'notice-warning', role: 'status', 'data-testid': 'proposal-changed' },
        t('proposal.changed_since_sent')) : null,
      r.converted_invoice ? h('p', { 'data-testid': 'proposal-converted' }, t('proposal.converted'), ' ',
        h('a', { href: `#/invoices/${encodeURIComponent(r.converted_invoice)}` }, invoice?.number || t('invoice.draft_invoice'))) : null,
      !signed() ? h('p', { class: 'muted', 'data-testid': 'proposal-send-hint' },
        email ? t('proposal.send_hint', { email }) : t('proposal.send_hint_no_email')) : null,
      actions,
      linkBox(),
      verifyBox()));
  }

  /** The link a send made: shown this once, with a Copy button. */
  function linkBox() {
    const link = view.publicLink;
    if (!link) return null;
    const input = h('input', {
      type: 'text', readonly: true, id: 'proposal-public-url', value: link.url, 'data-testid': 'public-url',
      onfocus: (e) => e.target.select(),
    });
    const copied = h('span', { class: 'muted', role: 'status' });
    const copy = h('button', {
      type: 'button', class: 'secondary', 'data-testid': 'copy-public-url',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(link.url);
        } catch {
          input.select();
          document.execCommand?.('copy');
        }
        copied.textContent = t('proposal.link_copied');
      },
    }, t('proposal.copy'));
    return h('div', { class: 'link-box', 'data-testid': 'public-link' },
      h('label', { for: 'proposal-public-url' }, t('proposal.public_link')),
      h('div', { class: 'link-row' }, input, copy, copied),
      h('p', { class: 'hint' }, t('proposal.link_once')),
      h('p', { 'data-testid': 'proposal-emailed' },
        link.emailed ? t('proposal.emailed', { email: link.email || '' }) : t('proposal.not_emailed')));
  }

  /** The last check of the audit trail. */
  function verifyBox() {
    const v = view.verify;
    if (!v) return null;
    const problems = Array.isArray(v.problems) ? v.problems : [];
    if (v.intact) {
      return h('div', { class: 'verify verify-ok', role: 'status', 'data-testid': 'verify-result', 'data-intact': 'true' },
        h('strong', {}, t('proposal.verify_intact')), ' ',
        t('proposal.verify_detail', { events: v.events ?? 0, head: shortHash(v.chain_head) }),
        h('span', { class: 'muted' }, ` (${t('proposal.verify_checked', { when: dateTime(v.checkedAt) })})`));
    }
    return h('div', { class: 'verify verify-broken', role: 'alert', 'data-testid': 'verify-result', 'data-intact': 'false' },
      h('strong', {}, t('proposal.verify_broken')),
      problems.length ? h('ul', {}, problems.map((p) => h('li', {}, p))) : null);
  }

  // ---- the content: editor, or read-only once signed --------------------
  const clientOptions = [{ value: '', label: t('editor.choose_client') }, ...clients.map((c) => ({ value: c.id, label: c.name }))];
  const languageOptions = [{ value: '', label: t('editor.language_default') }, ...LANGUAGES.map((l) => ({ value: l.code, label: l.name }))];
  const hf = (name, label, opts = {}) => field({ id: `proposal-${name}`, name, label, value: state[name], ...opts });

  let headerFields = null;
  let form = null;

  const lineEditor = createLineEditor({
    getLines: () => state.lines,
    setLines: (lines) => { state.lines = lines; },
    onChange: () => { state.dirty = true; preview.schedule(); },
    withOptional: true,
    boxId: 'proposal-lines',
    errorId: 'proposal-lines-error',
  });

  // the totals (server-computed); a signed proposal shows its stored ones
  const preview = createLivePreview({
    state,
    lineEditor,
    route: '/api/kontor/proposals/preview',
    requestKey: 'proposal-preview',
    payload: (l) => linePayload(l, { withOptional: true }),
    language: previewLanguage,
    currency,
    hint: () => (state.lines.some((l) => l.optional)
      ? h('p', { class: 'hint', 'data-testid': 'totals-optional-hint' }, t('proposal.totals_optional_hint')) : null),
    enabled: () => !signed(),
  });

  function renderBody() {
    if (signed()) {
      renderSigned();
      return;
    }
    headerFields = h('div', {},
      h('div', { class: 'grid' },
        hf('client', t('invoice.client'), { options: clientOptions, hint: clients.length ? null : t('editor.no_clients') }),
        hf('title', t('proposal.title'), { attrs: { maxlength: 300 } }),
        hf('valid_until', t('proposal.valid_until'), { type: 'date', hint: t('proposal.valid_until_hint') }),
        hf('currency', t('party.currency'), { hint: t('editor.currency_hint', { currency: ws.currency || 'EUR' }), attrs: { maxlength: 3, style: 'text-transform:uppercase' } }),
        hf('language', t('proposal.language'), { options: languageOptions }),
        hf('intro', t('proposal.intro'), { type: 'textarea', wide: true, hint: t('proposal.intro_hint') }),
        hf('terms', t('proposal.terms'), { type: 'textarea', wide: true, hint: t('proposal.terms_hint') })),
      clients.length ? null : h('p', {}, h('a', { href: '#/clients/new' }, t('clients.add'))));
    headerFields.addEventListener('input', (e) => {
      const name = e.target.name;
      if (!CONTENT_FIELDS.includes(name)) return;
      state[name] = e.target.value;
      state.dirty = true;
      if (name === 'client' || name === 'currency') { preview.render(); renderStatus(); }
      if (name === 'client' || name === 'language') preview.schedule();
    });

    const saveButton = h('button', { type: 'submit', 'data-testid': 'proposal-save' }, record ? t('common.save') : t('proposal.save_draft'));
    form = h('form', { novalidate: true, 'aria-labelledby': 'proposal-page-title' },
      h('div', { class: 'editor' },
        h('div', {},
          h('section', { class: 'card', 'aria-labelledby': 'proposal-content-title' },
            h('h2', { id: 'proposal-content-title', style: 'margin-top:0' }, t('proposal.content')),
            record && record.version > 0 ? h('p', { class: 'muted' }, t('proposal.edit_after_send')) : null,
            headerFields),
          h('section', { class: 'card', 'aria-labelledby': 'lines-title' },
            h('h2', { id: 'lines-title', style: 'margin-top:0' }, t('editor.lines')),
            h('p', { class: 'muted' }, t('proposal.lines_hint')),
            lineEditor.box, lineEditor.errorEl, lineEditor.addButton),
          h('div', { class: 'actions' },
            saveButton,
            record ? null : h('a', { class: 'button secondary', href: '#/proposals' }, t('common.cancel')))),
        preview.panel));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await busy(saveButton, async () => {
        const rec = await save();
        if (rec) showAlert(t('proposal.saved'), { kind: 'success' });
      });
    });
    mount(bodyBox, form);
    renderLines();
    preview.render();
  }

  function renderSigned() {
    const r = record;
    const cur = currency();
    const lines = Array.isArray(r.lines) ? r.lines : [];
    const tot = r.totals || {};
    headerFields = null;
    form = null;
    const signatureImg = h('div', { 'data-testid': 'proposal-signature' });
    if (r.signature) {
      pb.files.getToken({ requestKey: null }).then((token) => {
        if (!alive) return;
        mount(signatureImg, h('img', { class: 'signature', alt: t('proposal.signature_alt', { name: r.signer_name || '' }), src: pb.files.getURL(r, r.signature, { token }) }));
      }).catch(() => { /* the PDF carries it too */ });
    }
    mount(bodyBox,
      h('section', { class: 'card', 'aria-labelledby': 'proposal-content-title' },
        h('h2', { id: 'proposal-content-title', style: 'margin-top:0' }, r.title || t('proposal.content')),
        h('dl', { class: 'facts' },
          fact(t('invoice.client'), r.expand?.client?.name || '—', 'proposal-client'),
          fact(t('party.currency'), cur, 'proposal-currency'),
          fact(t('proposal.valid_until'), date(r.valid_until), 'proposal-valid-until-ro')),
        r.intro ? h('p', { class: 'prose' }, r.intro) : null,
        r.terms ? [h('h3', { class: 'terms-title' }, t('proposal.terms')), h('p', { class: 'prose' }, r.terms)] : null,
        h('div', { class: 'signed-by', 'data-testid': 'proposal-signed-by' },
          h('h3', {}, t('proposal.signed_by')),
          h('p', {}, [r.signer_name, r.signer_email].filter(Boolean).join(' · '), ' — ', dateTime(r.signed_at)),
          signatureImg)),
      h('div', { class: 'editor' },
        h('section', { class: 'card', 'aria-labelledby': 'view-lines-title' },
          h('h2', { id: 'view-lines-title', style: 'margin-top:0' }, t('editor.lines')),
          h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'proposal-lines-table' },
            linesTableHead(),
            h('tbody', {}, lines.map((l) => h('tr', { class: l.optional && !l.included ? 'excluded' : null },
              h('td', {}, l.description,
                l.optional ? h('div', { class: 'muted' }, l.included ? t('line.optional_chosen') : t('line.optional_not_chosen')) : null),
              h('td', { class: 'num' }, decimal(l.quantity)),
              h('td', { class: 'num' }, money(l.unit_price, cur)),
              h('td', { class: 'num' }, l.discount_percent ? `${decimal(l.discount_percent, 2)} %` : ''),
              h('td', { class: 'nowrap' }, `${l.vat_category} ${decimal(l.vat_rate, 2)} %`),
              h('td', { class: 'num' }, l.net_amount ? money(l.net_amount, cur) : ''))))))),
        h('aside', { class: 'card totals', 'aria-labelledby': 'view-totals-title', 'data-testid': 'totals', 'data-state': 'ok' },
          h('h2', { id: 'view-totals-title' }, t('proposal.signed_totals')),
          h('dl', {}, totalsRows(tot, cur)),
          (r.vat_breakdown || []).length ? vatBreakdownTable(r.vat_breakdown, cur, false) : null)));
  }

  function renderLines() {
    lineEditor.render();
    preview.renderNets();
  }

  // ---- save, send, PDF, verify, invoice, delete ---------------------------
  // lines nothing was typed in are left out of a save; saveMapping turns
  // the index the server saw into the index of state.lines
  let saveMapping = null;
  function body() {
    saveMapping = [];
    const lines = [];
    state.lines.forEach((l, i) => {
      if (!isBlank(l)) { saveMapping.push(i); lines.push(linePayload(l, { withOptional: true })); }
    });
    const b = { lines };
    for (const f of CONTENT_FIELDS) b[f] = typeof state[f] === 'string' ? state[f].trim() : state[f];
    if (b.currency) b.currency = b.currency.toUpperCase();
    return b;
  }

  /** Field errors of a save: content fields, lines, then the rest in the alert. */
  function showSaveError(err) {
    reportSaveError(err, {
      root: headerFields, fields: CONTENT_FIELDS, lineEditor, mapping: saveMapping, form,
      hint: (f) => {
        if (f === 'seller') return h('a', { href: `#/workspaces/${encodeURIComponent(ws.id)}/edit` }, t('editor.seller_hint'));
        if (f === 'buyer' && state.client) return h('a', { href: `#/clients/${encodeURIComponent(state.client)}` }, t('einvoice.fix_client'));
        return null;
      },
    });
  }

  async function save() {
    clearAlert();
    state.saveAttempted = true;
    preview.cancel();
    try {
      const rec = record
        ? await pb.collection('proposals').update(record.id, body(), { expand: EXPAND })
        : await pb.collection('proposals').create({ ...body(), workspace: ws.id }, { expand: EXPAND });
      const wasNew = !record;
      record = rec;
      Object.assign(state, fromRecord(rec));
      if (wasNew) {
        view.key = rec.id;
        window.history.replaceState(null, '', `#/proposals/${encodeURIComponent(rec.id)}`);
        subscribe();
        loadEvents();
      }
      setTitle();
      renderHead();
      renderStatus();
      renderBody();
      preview.run();
      return rec;
    } catch (err) {
      showSaveError(err);
      return null;
    }
  }

  async function send(button) {
    await busy(button, async () => {
      if (state.dirty || !record) {
        const rec = await save();
        if (!rec) return;
      }
      clearAlert();
      try {
        const res = await pb.send(`/api/kontor/proposals/${encodeURIComponent(record.id)}/send`, { method: 'POST' });
        if (res?.proposal) applyRecord(res.proposal);
        view.publicLink = { url: res?.public_url || '', emailed: !!res?.emailed, email: clientOf()?.email || '' };
        renderStatus();
        showAlert(t('proposal.sent', { number: record.number || '' }), { kind: 'success' });
        statusBox.querySelector('[data-testid="public-url"]')?.focus();
      } catch (err) {
        showSaveError(err);
      }
    });
  }

  async function pdf(button) {
    await busy(button, async () => {
      clearAlert();
      try {
        await openProposalPdf(record.id, { download: true });
      } catch (err) {
        showAlert(t('pdf.failed', { message: errorMessage(err) }));
      }
    });
  }

  async function verify(button) {
    await busy(button, async () => {
      clearAlert();
      try {
        const res = await pb.send(`/api/kontor/proposals/${encodeURIComponent(record.id)}/verify`, { requestKey: null });
        view.verify = { ...res, checkedAt: new Date().toISOString() };
        renderStatus();
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  async function toInvoice(button) {
    await busy(button, async () => {
      clearAlert();
      try {
        const res = await pb.send(`/api/kontor/proposals/${encodeURIComponent(record.id)}/invoice`, { method: 'POST' });
        const inv = res?.invoice && res.invoice.id ? res.invoice : res;
        live = null;
        flash(t('proposal.invoice_created', { number: record.number || '' }));
        ctx.navigate(`/invoices/${encodeURIComponent(inv.id)}`);
      } catch (err) {
        reportError(err, null);
        if (err?.status === 409) refreshRecord();
      }
    });
  }

  async function remove(button) {
    if (!window.confirm(t('proposal.delete_confirm'))) return;
    await busy(button, async () => {
      clearAlert();
      deleting = true;
      try {
        await pb.collection('proposals').delete(record.id);
        live = null;
        flash(t('proposal.deleted'));
        ctx.navigate('/proposals');
      } catch (err) {
        deleting = false;
        reportError(err, null);
      }
    });
  }

  // ---- the audit trail -----------------------------------------------------
  function renderTimeline() {
    if (!record) { timelineBox.hidden = true; return; }
    timelineBox.hidden = false;
    const title = h('h2', { id: 'timeline-title', style: 'margin-top:0' }, t('proposal.timeline'));
    if (eventsError) { mount(timelineBox, title, errorState(eventsError, loadEvents)); return; }
    if (!events.length) { mount(timelineBox, title, h('p', { class: 'muted' }, t('proposal.timeline_empty'))); return; }
    mount(timelineBox, title, h('ol', { class: 'timeline' }, events.map((ev) => h('li', { 'data-event-type': ev.type, 'data-seq': ev.seq },
      h('div', { class: 'timeline-head' },
        h('strong', { class: 'event-type' }, eventLabel(ev.type)),
        ev.version ? h('span', { class: 'muted' }, t('proposal.event_version', { n: ev.version })) : null,
        h('time', { datetime: ev.at }, dateTime(ev.at))),
      h('dl', { class: 'timeline-facts' },
        ev.actor || ev.actor_email ? [h('dt', {}, t('proposal.event_actor')), h('dd', {}, [ev.actor, ev.actor_email ? `<${ev.actor_email}>` : ''].filter(Boolean).join(' '))] : null,
        ev.ip ? [h('dt', {}, t('proposal.event_ip')), h('dd', {}, ev.ip)] : null,
        ev.user_agent ? [h('dt', {}, t('proposal.event_agent')), h('dd', { title: ev.user_agent }, shortAgent(ev.user_agent))] : null,
        [h('dt', {}, t('proposal.event_hash')), h('dd', {}, h('code', { title: ev.hash }, shortHash(ev.hash)))])))));
  }

  async function loadEvents() {
    if (!record) return;
    try {
      const list = await pb.collection('proposal_events').getFullList({
        filter: pb.filter('proposal = {:id}', { id: record.id }), sort: 'seq', requestKey: `proposal-events-${record.id}`,
      });
      if (!alive) return;
      events = list;
      eventsError = null;
    } catch (err) {
      if (err?.isAbort || !alive) return;
      eventsError = err;
    }
    renderTimeline();
  }

  // ---- live updates ----------------------------------------------------------
  /** Takes the server's newer record: its own fields always; the content
   * only when nothing is being typed. */
  function applyRecord(rec) {
    const wasSigned = signed();
    const contentChanged = JSON.stringify(contentOf(rec)) !== JSON.stringify(contentOf(record));
    record = { ...rec, expand: rec.expand || record?.expand };
    setTitle();
    renderHead();
    renderStatus();
    if (signed() !== wasSigned || (contentChanged && !state.dirty && !signed())) {
      if (!signed()) Object.assign(state, fromRecord(record));
      renderBody();
      if (!signed()) preview.run();
    } else if (signed()) {
      renderBody();
    }
  }

  async function refreshRecord() {
    try {
      const rec = await pb.collection('proposals').getOne(record.id, { expand: EXPAND, requestKey: null });
      if (alive) applyRecord(rec);
    } catch { /* the next event tries again */ }
  }

  let unsubscribers = [];
  let eventsTimer = null;
  const reloadEventsSoon = () => {
    clearTimeout(eventsTimer);
    eventsTimer = setTimeout(loadEvents, 150);
  };
  function subscribe() {
    if (!record) return;
    const pid = record.id;
    const keep = (p) => p.then((fn) => { if (alive) unsubscribers.push(fn); else fn().catch(() => {}); }).catch(() => { /* realtime is a nicety */ });
    keep(pb.collection('proposals').subscribe(pid, (e) => {
      if (!alive) return;
      if (e.action === 'delete') {
        // deleted elsewhere (here, remove() goes to the list itself)
        if (!deleting && ctx.isCurrent()) { live = null; flash(t('proposal.deleted')); ctx.navigate('/proposals'); }
        return;
      }
      if (e.action !== 'update') return;
      if (e.record.expand?.client || !e.record.client) applyRecord(e.record);
      else refreshRecord();
      reloadEventsSoon();
    }, { expand: EXPAND }));
    keep(pb.collection('proposal_events').subscribe('*', (e) => {
      if (!alive || e.record?.proposal !== pid) return;
      if (e.action === 'create' && !events.some((x) => x.id === e.record.id)) {
        events = [...events, e.record].sort((a, b) => a.seq - b.seq);
        renderTimeline();
      }
      reloadEventsSoon();
    }, { filter: pb.filter('proposal = {:id}', { id: pid }) }));
  }

  // ---- mount -----------------------------------------------------------------
  renderHead();
  renderStatus();
  mount(ctx.root, head, statusBox, bodyBox, timelineBox);
  renderBody();
  renderTimeline();
  if (!signed() && (state.preview.status !== 'ok' || ctx.rerender)) preview.run();
  if (record) {
    subscribe();
    loadEvents();
  }

  const beforeUnload = (e) => { if (state.dirty && !signed()) { e.preventDefault(); e.returnValue = ''; } };
  window.addEventListener('beforeunload', beforeUnload);
  return () => {
    alive = false;
    preview.stop();
    clearTimeout(eventsTimer);
    window.removeEventListener('beforeunload', beforeUnload);
    for (const fn of unsubscribers) fn().catch(() => {});
    unsubscribers = [];
  };
}

function fromRecord(record) {
  const lines = Array.isArray(record?.lines) && record.lines.length ? record.lines.map(toLine) : [toLine()];
  const state = {
    lines,
    dirty: false,
    saveAttempted: false,
    preview: emptyPreview(),
  };
  for (const f of CONTENT_FIELDS) state[f] = record?.[f] ?? '';
  if (state.valid_until) state.valid_until = String(state.valid_until).slice(0, 10);
  return state;
}

/** The part of a record its editor writes, to tell whether someone else changed it. */
function contentOf(rec) {
  if (!rec) return null;
  const out = {};
  for (const f of CONTENT_FIELDS) out[f] = rec[f] ?? '';
  out.lines = rec.lines ?? [];
  return out;
}

function eventLabel(type) {
  return EVENT_TYPES.includes(type) && has(`proposal.event.${type}`) ? t(`proposal.event.${type}`) : type;
}

/** "3f9a…c21b"-like: the first 12 hex digits of a hash. */
function shortHash(hash) {
  if (!hash) return '—';
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

/** "Chrome 131 · Linux" from a user agent string; else its first 48 characters. */
function shortAgent(ua) {
  const s = String(ua || '');
  const browsers = [
    [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'], [/OPR\/(\d+)/, 'Opera'], [/Firefox\/(\d+)/, 'Firefox'],
    [/(?:Headless)?Chrome\/(\d+)/, 'Chrome'], [/CriOS\/(\d+)/, 'Chrome'], [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/, 'Safari'],
  ];
  const systems = [[/Windows/, 'Windows'], [/Android/, 'Android'], [/iPhone|iPad|iOS/, 'iOS'], [/Mac OS X|Macintosh/, 'macOS'], [/CrOS/, 'ChromeOS'], [/Linux/, 'Linux']];
  let browser = null;
  for (const [re, name] of browsers) {
    const m = re.exec(s);
    if (m) { browser = `${name} ${m[1]}`; break; }
  }
  const system = systems.find(([re]) => re.test(s))?.[1] || null;
  if (browser) return [browser, system].filter(Boolean).join(' · ');
  return s.length > 48 ? `${s.slice(0, 48)}…` : s;
}
