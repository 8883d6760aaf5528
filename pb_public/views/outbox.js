// The outbox of the open workspace, for its owners and admins: every email
// Kontor sends for it, with its status, and a retry for those that failed
// or were not sent. Changes show up live.
import { pb } from '../lib/pb.js';
import { h, mount, loading, busy } from '../lib/dom.js';
import { t, has } from '../lib/i18n.js';
import { dateTime } from '../lib/format.js';
import { session } from '../lib/session.js';
import { clearAlert, showAlert, reportError, errorState } from '../lib/errors.js';

const PAGE = 200;
const RETRYABLE = ['failed', 'not_sent'];

/** The badge of a message's status. */
function statusBadge(status) {
  return h('span', { class: `badge outbox-${status}`, 'data-status': status }, t(`outbox.status.${status}`));
}

/** A kind of message in words, or as the server names it. */
function kindLabel(kind) {
  return has(`outbox.kind.${kind}`) ? t(`outbox.kind.${kind}`) : kind;
}

/** How emails are sent now: "resend", "smtp" or "off". */
export async function mailSender() {
  const status = await pb.send('/api/kontor/mail/status', { requestKey: 'mail-status' });
  return status.sender;
}

/** The notice that mail is off. */
export function mailOffBanner() {
  return h('div', { class: 'alert alert-info', role: 'status', 'data-testid': 'mail-off' },
    h('strong', {}, t('mail.off_title')), ' ', t('mail.off_text'));
}

export async function list(ctx) {
  ctx.setTitle(t('outbox.title'));
  const ws = session.workspace;
  let alive = true;
  const banner = h('div');
  const body = h('div');
  mount(ctx.root,
    h('div', { class: 'page-head' }, h('h1', {}, t('outbox.title'))),
    h('p', { class: 'muted' }, t('outbox.intro')),
    banner, body);
  mount(body, loading(t('common.loading')));

  mailSender().then((sender) => {
    if (alive && sender === 'off') mount(banner, mailOffBanner());
  }).catch(() => { /* the list says what matters */ });

  async function load() {
    const page = await pb.collection('outbox').getList(1, PAGE, {
      filter: pb.filter('workspace = {:ws}', { ws: ws.id }),
      sort: '-created',
      fields: 'id,kind,summary,status,attempts,last_error,created',
      requestKey: 'outbox',
    });
    if (alive) render(page);
  }

  function render(page) {
    if (page.items.length === 0) {
      mount(body, h('section', { class: 'empty-state', 'data-testid': 'outbox-empty' },
        h('h2', {}, t('outbox.empty_title')),
        h('p', {}, t('outbox.empty_text'))));
      return;
    }
    mount(body,
      h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'outbox-table' },
        h('caption', { class: 'visually-hidden' }, t('outbox.title')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('outbox.summary')),
          h('th', { scope: 'col' }, t('outbox.kind')),
          h('th', { scope: 'col' }, t('outbox.status')),
          h('th', { scope: 'col', class: 'num' }, t('outbox.attempts')),
          h('th', { scope: 'col' }, t('outbox.last_error')),
          h('th', { scope: 'col' }, t('outbox.created')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('outbox.actions'))))),
        h('tbody', {}, page.items.map(row)))),
      page.totalItems > page.items.length ? h('p', { class: 'muted' }, t('outbox.more', { count: page.items.length })) : null);
  }

  function row(m) {
    return h('tr', { 'data-message-id': m.id, 'data-status': m.status },
      h('td', {}, m.summary || '—'),
      h('td', {}, kindLabel(m.kind)),
      h('td', {}, statusBadge(m.status)),
      h('td', { class: 'num' }, String(m.attempts ?? 0)),
      h('td', { class: 'error-text' }, m.last_error || ''),
      h('td', {}, dateTime(m.created)),
      h('td', {}, RETRYABLE.includes(m.status) ? retryButton(m) : null));
  }

  function retryButton(m) {
    return h('button', {
      type: 'button', class: 'secondary', 'data-testid': 'outbox-retry',
      onclick: (e) => busy(e.currentTarget, async () => {
        clearAlert();
        try {
          await pb.send(`/api/kontor/outbox/${encodeURIComponent(m.id)}/retry`, { method: 'POST' });
          showAlert(t('outbox.retried'), { kind: 'success' });
          await load();
        } catch (err) {
          reportError(err, null);
        }
      }),
    }, t('outbox.retry'));
  }

  try {
    await load();
  } catch (err) {
    if (err?.isAbort) return undefined;
    mount(body, errorState(err, () => load().catch((e) => reportError(e, null))));
  }

  // the worker's progress shows up live
  let unsubscribe = null;
  let pending = null;
  pb.collection('outbox').subscribe('*', (e) => {
    if (!alive || e.record.workspace !== ws.id || pending) return;
    pending = setTimeout(() => {
      pending = null;
      if (alive) load().catch(() => {});
    }, 300);
  }).then((fn) => { if (alive) unsubscribe = fn; else fn(); }).catch(() => { /* realtime is a nicety */ });

  return () => {
    alive = false;
    if (pending) clearTimeout(pending);
    if (unsubscribe) unsubscribe().catch(() => {});
  };
}
