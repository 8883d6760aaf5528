// An issued invoice or credit note: read-only, with the way to email it to
// the client, its e-invoice, its payments, a form to record one, and the way
// to credit it.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { money, date, dateTime, decimal, today, typedDecimal } from '../lib/format.js';
import {
  reportError, clearAlert, clearFieldErrors, showAlert, errorMessage, errorState, errorData, isLeaf, leafMessage, flash,
} from '../lib/errors.js';
import { statusBadge } from './invoices.js';
import { totalsRows, vatBreakdownTable, linesTableHead } from '../lib/totals.js';
import { openPdf, downloadEInvoice } from '../lib/pdf.js';
import { loadFormats } from '../lib/einvoice.js';
import { mailSender } from './outbox.js';
import { loadProviders, providerTitle } from './payment-accounts.js';
import { session, canAdminister } from '../lib/session.js';

const METHODS = ['bank_transfer', 'card', 'cash', 'cheque', 'direct_debit', 'online', 'other'];

// the badge colour of a payment link's status, borrowed from the documents'
const LINK_BADGES = { open: 'status-issued', paid: 'status-paid', failed: 'status-declined', expired: 'status-expired' };

function linkBadge(status) {
  return h('span', { class: `badge ${LINK_BADGES[status] || ''}`, 'data-status': status },
    ['open', 'paid', 'failed', 'expired'].includes(status) ? t(`paylink.status.${status}`) : status);
}

export async function show(ctx, initial) {
  let record = initial;
  let alive = true;
  const isCredit = record.document_type === 'credit_note';
  ctx.setTitle(record.number);

  const head = h('div');
  const summary = h('div');
  const einvoiceBox = h('section', { class: 'card', 'aria-labelledby': 'einvoice-title' });
  const paymentsBox = h('section', { class: 'card', 'aria-labelledby': 'payments-title' });
  const creditsBox = h('div');
  const remindersBox = h('div');
  const payPageBox = h('div');

  async function refresh() {
    const [rec, payments, notes] = await Promise.all([
      pb.collection('invoices').getOne(record.id, { expand: 'client,credited_invoice', requestKey: null }),
      pb.collection('payments').getFullList({ filter: pb.filter('invoice = {:id}', { id: record.id }), sort: 'date,created', requestKey: null }),
      isCredit ? [] : pb.collection('invoices').getFullList({
        filter: pb.filter('credited_invoice = {:id}', { id: record.id }), sort: 'created', requestKey: null,
        fields: 'id,number,status,totals,currency',
      }),
    ]);
    if (!alive) return;
    record = rec;
    renderHead();
    renderSummary();
    renderPayments(payments);
    renderCredits(notes);
    renderReminders();
    loadPayPage();
  }

  /** The buyer's payment page: its link is in the invoice email and PDF
   * only (the server keeps it sealed), so this shows what buyers started
   * paying online (payment_links) and whether they can. Nothing is shown
   * for a credit note. */
  async function loadPayPage() {
    if (isCredit) return;
    const [links, accounts, providers] = await Promise.all([
      pb.collection('payment_links').getFullList({
        filter: pb.filter('invoice = {:id}', { id: record.id }), sort: '-created', requestKey: null,
        fields: 'id,provider,amount,currency,status,created',
      }),
      // owners and admins see the accounts; anyone else reads none
      canAdminister() && session.workspace?.id === record.workspace
        ? pb.collection('payment_accounts').getFullList({
          filter: pb.filter('workspace = {:ws} && enabled = true', { ws: record.workspace }), fields: 'id,provider', requestKey: null,
        })
        : [],
      loadProviders().catch(() => []),
    ]).catch((err) => {
      if (!err?.isAbort) console.warn('payment page:', err);
      return [null, null, null];
    });
    if (!alive || !links) return;
    renderPayPage(links, accounts, providers);
  }

  function renderPayPage(links, accounts, providers) {
    const payable = ['issued', 'sent', 'partially_paid'].includes(record.status);
    const online = accounts.length > 0;
    let note = null;
    if (payable && online) {
      note = h('p', { 'data-testid': 'pay-online-note' }, t('paylink.online_note'));
    } else if (payable) {
      note = h('p', { class: 'muted', 'data-testid': 'pay-online-note' }, t('paylink.bank_note'),
        canAdminister() ? [' ', h('a', { href: `#/workspaces/${encodeURIComponent(record.workspace)}/edit` }, t('paylink.set_up'))] : null);
    }
    mount(payPageBox, h('section', { class: 'card', 'aria-labelledby': 'paylinks-title', 'data-testid': 'payment-page' },
      h('h2', { id: 'paylinks-title', style: 'margin-top:0' }, t('paylink.title')),
      note,
      links.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'paylinks-empty' }, t('paylink.empty'))
        : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'paylinks-table' },
          h('caption', { class: 'visually-hidden' }, t('paylink.caption')),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('paylink.provider')),
            h('th', { scope: 'col', class: 'num' }, t('payments.amount')),
            h('th', { scope: 'col' }, t('paylink.status')),
            h('th', { scope: 'col' }, t('paylink.created')))),
          h('tbody', {}, links.map((l) => h('tr', { 'data-status': l.status },
            h('td', {}, providerTitle(providers, l.provider)),
            h('td', { class: 'num' }, money(l.amount, l.currency || record.currency)),
            h('td', {}, linkBadge(l.status)),
            h('td', {}, dateTime(l.created)))))))));
  }

  /** Payment reminders of an issued invoice: how many were sent, and a
   * switch to stop or resume them (the one field an issued invoice takes). */
  function renderReminders() {
    if (isCredit || record.status === 'draft' || record.status === 'cancelled') { mount(remindersBox); return; }
    const stopped = !!record.reminders_stopped;
    const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'reminders-toggle' },
      stopped ? t('reminders.resume') : t('reminders.stop'));
    button.addEventListener('click', () => busy(button, async () => {
      clearAlert();
      try {
        const updated = await pb.collection('invoices').update(record.id, { reminders_stopped: !stopped });
        record = { ...record, reminders_stopped: updated.reminders_stopped, reminder_level: updated.reminder_level };
        renderReminders();
        showAlert(record.reminders_stopped ? t('reminders.stopped_done') : t('reminders.resumed_done'), { kind: 'success' });
      } catch (err) {
        reportError(err, null);
      }
    }));
    mount(remindersBox, h('section', { class: 'card', 'aria-labelledby': 'reminders-title', 'data-testid': 'reminders' },
      h('h2', { id: 'reminders-title', style: 'margin-top:0' }, t('reminders.title')),
      h('p', { 'data-testid': 'reminder-level' }, t('reminders.sent_count', { n: record.reminder_level || 0 })),
      h('p', { class: 'muted', 'data-testid': 'reminders-state' }, stopped ? t('reminders.state_stopped') : t('reminders.state_on')),
      h('div', { class: 'actions' }, button)));
  }

  function renderHead() {
    mount(head, h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'muted', style: 'margin:0' }, isCredit ? t('invoice.credit_note') : t('invoice.invoice')),
        h('h1', { 'data-testid': 'invoice-number' }, record.number)),
      h('div', { class: 'actions', style: 'margin-top:0' },
        statusBadge(record.status, { 'data-testid': 'invoice-status' }),
        pdfButton(t('pdf.preview'), false, 'pdf-preview'),
        pdfButton(t('pdf.download'), true, 'pdf-download'),
        record.status !== 'cancelled' ? sendButton() : null)),
    record.status !== 'cancelled' ? h('p', { class: 'muted', 'data-testid': 'send-hint' },
      clientEmail() ? t('send.hint', { email: clientEmail() }) : t('send.hint_no_email')) : null,
    isCredit && record.expand?.credited_invoice ? h('p', {}, t('editor.credits'), ' ',
      h('a', { href: `#/invoices/${encodeURIComponent(record.credited_invoice)}` }, record.expand.credited_invoice.number)) : null);
  }

  const clientEmail = () => record.expand?.client?.email || '';

  /** Emails the document to the client; the server records it as sent. */
  function sendButton() {
    return h('button', {
      type: 'button', 'data-testid': 'send-invoice',
      onclick: (e) => busy(e.currentTarget, async () => {
        clearAlert();
        try {
          const sent = await pb.send(`/api/kontor/invoices/${encodeURIComponent(record.id)}/send`, { method: 'POST' });
          record = { ...sent, expand: record.expand };
          renderHead();
          renderSummary();
          const sender = await mailSender().catch(() => null);
          if (sender === 'off') showAlert(t('send.queued_off', { number: record.number }), { kind: 'info' });
          else showAlert(t('send.sent', { number: record.number, email: clientEmail() }), { kind: 'success' });
        } catch (err) {
          reportError(err, null);
        }
      }),
    }, t('send.button'));
  }

  function pdfButton(label, download, testid) {
    return h('button', {
      type: 'button', class: 'secondary', 'data-testid': testid,
      onclick: (e) => busy(e.currentTarget, async () => {
        clearAlert();
        try {
          await openPdf(record.id, { download });
        } catch (err) {
          showAlert(t('pdf.failed', { message: errorMessage(err) }));
        }
      }),
    }, label);
  }

  async function loadEInvoice() {
    renderEInvoice(null);
    let formats;
    try {
      formats = await loadFormats();
    } catch (err) {
      if (alive && !err?.isAbort) mount(einvoiceBox, einvoiceTitle(), errorState(err, loadEInvoice));
      return;
    }
    if (alive) renderEInvoice(formats);
  }

  const einvoiceTitle = () => h('h2', { id: 'einvoice-title', style: 'margin-top:0' }, t('einvoice.title'));

  /** The format select and its Download button; formats null while loading. */
  function renderEInvoice(formats) {
    if (!formats) { mount(einvoiceBox, einvoiceTitle(), loading(t('common.loading'))); return; }
    const usable = isCredit ? formats.filter((x) => (x.capabilities || []).includes('credit_note')) : formats;
    if (usable.length === 0) {
      mount(einvoiceBox, einvoiceTitle(), h('p', { class: 'muted', 'data-testid': 'einvoice-none' }, t('einvoice.none')));
      return;
    }
    const preferred = record.expand?.client?.preferred_format || '';
    const chosen = usable.some((x) => x.name === preferred) ? preferred : usable[0].name;
    const formatField = field({
      id: 'einvoice-format', name: 'format', label: t('einvoice.format'), value: chosen,
      options: usable.map((x) => ({ value: x.name, label: x.name === preferred ? t('einvoice.preferred', { title: x.title }) : x.title })),
      attrs: { 'data-testid': 'einvoice-format' },
    });
    const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'einvoice-download' }, t('einvoice.download'));
    button.addEventListener('click', () => busy(button, async () => {
      clearAlert();
      try {
        await downloadEInvoice(record.id, formatField.querySelector('select').value);
      } catch (err) {
        reportEInvoiceError(err);
      }
    }));
    mount(einvoiceBox, einvoiceTitle(),
      h('p', { class: 'muted' }, t('einvoice.hint')),
      h('div', { class: 'actions', style: 'align-items:flex-end;margin-top:0' }, formatField, button));
  }

  /**
   * A refused e-invoice: the server's message and, as a list, what each
   * field lacks, with a link to where it is filled in (the seller's details
   * and the payment account are the workspace's, the buyer's the client's).
   */
  function reportEInvoiceError(err) {
    if (err?.isAbort) return;
    const leaves = Object.entries(errorData(err)).filter(([, v]) => isLeaf(v));
    const message = errorMessage(err);
    // the message repeats the field messages, which the list shows
    const intro = leaves.reduce((m, [, v]) => m.replace(v.message, ''), message).replace(/\s+/g, ' ').trim();
    const fixAt = (name) => {
      if (name.startsWith('seller.') || name === 'payment') return h('a', { href: `#/workspaces/${encodeURIComponent(record.workspace)}/edit` }, t('einvoice.fix_workspace'));
      if (name.startsWith('buyer.')) return h('a', { href: `#/clients/${encodeURIComponent(record.client)}` }, t('einvoice.fix_client'));
      return null;
    };
    showAlert(intro || message, {
      error: err,
      details: leaves.map(([name, v]) => {
        const link = fixAt(name);
        return link ? [leafMessage(v), ' ', link] : leafMessage(v);
      }),
    });
  }

  function party(title, p) {
    if (!p) return null;
    const lines = [p.name, p.address_line, [p.postal_code, p.city].filter(Boolean).join(' '), p.country,
      p.vat_id ? `${t('party.vat_id')}: ${p.vat_id}` : ''].filter(Boolean);
    return h('div', {}, h('h3', {}, title), h('p', {}, lines.join('\n')));
  }

  function renderSummary() {
    const cur = record.currency;
    const tot = record.totals || {};
    const lines = Array.isArray(record.lines) ? record.lines : [];
    mount(summary,
      h('section', { class: 'card' },
        h('div', { class: 'parties' }, party(t('invoice.seller'), record.seller), party(t('invoice.buyer'), record.buyer)),
        h('dl', { class: 'facts', style: 'margin-top:1rem' },
          h('div', {}, h('dt', {}, t('invoice.issue_date')), h('dd', {}, date(record.issue_date))),
          h('div', {}, h('dt', {}, t('invoice.due_date')), h('dd', {}, date(record.due_date))),
          record.sent_at ? h('div', {}, h('dt', {}, t('invoice.sent_at')), h('dd', { 'data-testid': 'invoice-sent-at' }, dateTime(record.sent_at))) : null,
          h('div', {}, h('dt', {}, t('party.currency')), h('dd', {}, cur)),
          record.exchange_rate ? h('div', {}, h('dt', {}, t('editor.exchange_rate')), h('dd', {}, record.exchange_rate)) : null,
          record.buyer_reference ? h('div', {}, h('dt', {}, t('editor.buyer_reference')), h('dd', {}, record.buyer_reference)) : null,
          record.order_reference ? h('div', {}, h('dt', {}, t('editor.order_reference')), h('dd', {}, record.order_reference)) : null),
        record.notes ? h('p', { style: 'white-space:pre-line' }, record.notes) : null),
      h('div', { class: 'editor' },
        h('section', { class: 'card', 'aria-labelledby': 'view-lines-title' },
          h('h2', { id: 'view-lines-title', style: 'margin-top:0' }, t('editor.lines')),
          h('div', { class: 'table-wrap' }, h('table', {},
            linesTableHead(),
            h('tbody', {}, lines.map((l) => h('tr', {},
              h('td', {}, l.description),
              h('td', { class: 'num' }, decimal(l.quantity)),
              h('td', { class: 'num' }, money(l.unit_price, cur)),
              h('td', { class: 'num' }, l.discount_percent ? `${decimal(l.discount_percent, 2)} %` : ''),
              h('td', {}, `${l.vat_category} ${decimal(l.vat_rate, 2)} %`),
              h('td', { class: 'num' }, money(l.net_amount, cur)))))))),
        h('aside', { class: 'card totals', 'aria-labelledby': 'view-totals-title', 'data-testid': 'totals', 'data-state': 'ok' },
          h('h2', { id: 'view-totals-title' }, t('totals.title')),
          h('dl', {},
            totalsRows(tot, cur),
            tot.credited ? [h('dt', {}, t('totals.credited')), h('dd', { 'data-testid': 'total-credited' }, money(tot.credited, cur))] : null,
            h('dt', {}, t('totals.paid')), h('dd', { 'data-testid': 'total-paid' }, money(tot.paid, cur)),
            h('dt', { class: 'gross' }, t('totals.due')), h('dd', { class: 'gross', 'data-testid': 'total-due' }, money(tot.due, cur))),
          (record.vat_breakdown || []).length ? vatBreakdownTable(record.vat_breakdown, cur, false) : null)));
  }

  function renderPayments(payments) {
    const cur = record.currency;
    const canPay = ['issued', 'sent', 'partially_paid'].includes(record.status);
    const parts = [h('h2', { id: 'payments-title', style: 'margin-top:0' }, isCredit ? t('payments.title_refunds') : t('payments.title'))];
    if (payments.length === 0) {
      parts.push(h('p', { class: 'muted', 'data-testid': 'payments-empty' }, t('payments.empty')));
    } else {
      parts.push(h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'payments-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('payments.date')),
          h('th', { scope: 'col' }, t('payments.method')),
          h('th', { scope: 'col' }, t('payments.reference')),
          h('th', { scope: 'col', class: 'num' }, t('payments.amount')))),
        h('tbody', {}, payments.map((p) => h('tr', {},
          h('td', {}, date(p.date)),
          h('td', {}, t(`method.${p.method || 'other'}`)),
          h('td', {}, p.reference),
          h('td', { class: 'num' }, money(p.amount, cur))))))));
    }
    if (canPay) parts.push(paymentForm());
    mount(paymentsBox, ...parts);
  }

  function paymentForm() {
    const form = h('form', { novalidate: true, 'aria-labelledby': 'record-payment-title', style: 'margin-top:1rem' },
      h('h3', { id: 'record-payment-title' }, t('payments.record')),
      h('div', { class: 'grid' },
        field({ id: 'payment-amount', name: 'amount', label: t('payments.amount'), value: record.totals?.due || '', hint: t('payments.amount_hint', { currency: record.currency }), attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
        field({ id: 'payment-date', name: 'date', label: t('payments.date'), type: 'date', value: today() }),
        field({ id: 'payment-method', name: 'method', label: t('payments.method'), value: 'bank_transfer', options: METHODS.map((m) => ({ value: m, label: t(`method.${m}`) })) }),
        field({ id: 'payment-reference', name: 'reference', label: t('payments.reference') })),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('payments.record'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearAlert();
      clearFieldErrors(form);
      const v = formValues(form);
      await busy(form.querySelector('button[type=submit]'), async () => {
        try {
          await pb.collection('payments').create({ ...v, amount: typedDecimal(v.amount), invoice: record.id });
          await refresh();
          showAlert(t('payments.recorded', { status: t(`status.${record.status}`) }), { kind: 'success' });
        } catch (err) {
          reportError(err, form);
        }
      });
    });
    return form;
  }

  function renderCredits(notes) {
    if (isCredit) { mount(creditsBox); return; }
    const canCredit = record.status !== 'cancelled';
    const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'create-credit-note' }, t('credit.create'));
    button.addEventListener('click', () => busy(button, async () => {
      clearAlert();
      try {
        const note = await pb.send(`/api/kontor/invoices/${encodeURIComponent(record.id)}/credit-note`, { method: 'POST' });
        flash(t('credit.created', { number: record.number }));
        ctx.navigate(`/invoices/${note.id}`);
      } catch (err) {
        reportError(err, null);
      }
    }));
    mount(creditsBox, h('section', { class: 'card', 'aria-labelledby': 'credits-title' },
      h('h2', { id: 'credits-title', style: 'margin-top:0' }, t('credit.title')),
      notes.length ? h('ul', {}, notes.map((n) => h('li', {},
        h('a', { href: `#/invoices/${encodeURIComponent(n.id)}` }, n.number || t('invoice.draft_credit_note')), ' ',
        statusBadge(n.status), ' ', money(n.totals?.gross, n.currency)))) : h('p', { class: 'muted' }, t('credit.none')),
      canCredit ? h('div', { class: 'actions' }, button, h('span', { class: 'muted' }, t('credit.hint'))) : null));
  }

  renderHead();
  renderSummary();
  renderReminders();
  mount(ctx.root, head, summary, einvoiceBox, paymentsBox, payPageBox, remindersBox, creditsBox);
  loadEInvoice();
  mount(paymentsBox, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    await refresh();
  } catch (err) {
    if (!err?.isAbort) mount(paymentsBox, h('p', { class: 'error-state', role: 'alert' }, errorMessage(err)));
  }

  // settlement done elsewhere (another tab, a colleague) shows up live
  let unsubscribe = null;
  pb.collection('invoices').subscribe(record.id, (e) => {
    if (!alive || e.action !== 'update') return;
    if (e.record.status !== record.status || JSON.stringify(e.record.totals) !== JSON.stringify(record.totals)) {
      refresh().catch(() => {});
    }
  }).then((fn) => { if (alive) unsubscribe = fn; else fn(); }).catch(() => { /* realtime is a nicety */ });

  return () => {
    alive = false;
    if (unsubscribe) unsubscribe().catch(() => {});
  };
}
