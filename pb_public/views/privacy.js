// "Your privacy rights": the signed-in user's GDPR rights (access, rectification,
// erasure, restriction, objection, consent withdrawal), their requests with
// the one-month deadline, and the deletion of a workspace they own.
// See docs/privacy.md.
import { pb } from '../lib/pb.js';
import { h, mount, loading, busy } from '../lib/dom.js';
import { t, has } from '../lib/i18n.js';
import { date, dateTime } from '../lib/format.js';
import { session, loadWorkspaces } from '../lib/session.js';
import { showAlert, clearAlert, errorMessage, errorState } from '../lib/errors.js';
import { showConsentPreferences } from '../lib/consent.js';
import { downloadFile } from '../lib/pdf.js';

const OPEN = ['open', 'processing', 'scheduled', 'ready'];

function typeLabel(type) {
  return has(`privacy.type.${type}`) ? t(`privacy.type.${type}`) : type;
}

function statusBadge(status) {
  return h('span', { class: `badge privacy-${status}`, 'data-status': status },
    has(`privacy.status.${status}`) ? t(`privacy.status.${status}`) : status);
}

/** Sends a request of a right; answers the request or throws. */
function send(type, details = '') {
  return pb.send('/api/kontor/privacy/requests', { method: 'POST', body: { type, details }, requestKey: null });
}

/** Reports a failed call in the page's alert. */
function report(err) {
  const message = errorMessage(err);
  if (message) showAlert(message, { error: err });
}

/** Downloads the archive of an access request, once, as a file. */
function downloadArchive(id) {
  return downloadFile(`/api/kontor/privacy/requests/${encodeURIComponent(id)}/export`);
}

/** A form with a text area that sends a request of type. */
function detailsForm(type, reload) {
  const id = `privacy-details-${type}`;
  const area = h('textarea', { id, name: 'details', rows: 3, maxlength: 2000, required: true });
  const button = h('button', { type: 'submit', class: 'secondary' }, t('privacy.send_request'));
  return h('form', {
    class: 'privacy-details',
    onsubmit: async (e) => {
      e.preventDefault();
      clearAlert();
      await busy(button, async () => {
        try {
          await send(type, area.value);
          area.value = '';
          showAlert(t('privacy.request_sent'), { kind: 'success' });
          await reload();
        } catch (err) { report(err); }
      });
    },
  }, h('label', { for: id }, t(`privacy.details.${type}`)), area, button);
}

function section(id, title, ...children) {
  return h('section', { class: 'card privacy-right', 'aria-labelledby': id, 'data-testid': `${id}-section` },
    h('h2', { id }, title), ...children);
}

function accessSection(requests, reload) {
  const latest = requests.find((r) => r.type === 'access');
  const button = h('button', { type: 'button', 'data-testid': 'privacy-export' }, t('privacy.access.button'));
  button.addEventListener('click', async () => {
    clearAlert();
    await busy(button, async () => {
      try { await send('access'); await reload(); } catch (err) { report(err); }
    });
  });
  const parts = [h('p', {}, t('privacy.access.text'))];
  if (latest?.status === 'processing') {
    parts.push(h('p', { role: 'status', 'data-testid': 'privacy-export-status' }, t('privacy.access.processing')));
  } else if (latest?.status === 'ready') {
    const dl = h('button', { type: 'button', 'data-testid': 'privacy-download' }, t('privacy.access.download'));
    dl.addEventListener('click', async () => {
      clearAlert();
      await busy(dl, async () => {
        try {
          await downloadArchive(latest.id);
          showAlert(t('privacy.access.downloaded'), { kind: 'success' });
        } catch (err) { report(err); }
        await reload();
      });
    });
    parts.push(h('p', { role: 'status', 'data-testid': 'privacy-export-status' },
      t('privacy.access.ready', { date: dateTime(latest.export_expires) })), dl);
  } else {
    parts.push(button);
  }
  return section('privacy-access', t('privacy.access.title'), ...parts);
}

function rectificationSection(reload) {
  const ws = session.workspace;
  return section('privacy-rectification', t('privacy.rectification.title'),
    h('p', {}, t('privacy.rectification.text')),
    h('ul', {},
      h('li', {}, h('a', { href: '#/workspaces' }, t('privacy.rectification.workspaces'))),
      ws ? h('li', {}, h('a', { href: `#/workspaces/${encodeURIComponent(ws.id)}/edit` }, t('privacy.rectification.workspace'))) : null,
      ws ? h('li', {}, h('a', { href: '#/clients' }, t('privacy.rectification.clients'))) : null),
    detailsForm('rectification', reload));
}

function erasureSection(requests, reload) {
  const scheduled = requests.find((r) => r.type === 'erasure' && r.status === 'scheduled');
  if (scheduled) {
    const cancel = h('button', { type: 'button', class: 'secondary', 'data-testid': 'privacy-erasure-cancel' }, t('privacy.erasure.cancel'));
    cancel.addEventListener('click', async () => {
      clearAlert();
      await busy(cancel, async () => {
        try {
          await pb.send(`/api/kontor/privacy/requests/${encodeURIComponent(scheduled.id)}/cancel`, { method: 'POST', requestKey: null });
          showAlert(t('privacy.erasure.cancelled'), { kind: 'success' });
          await reload();
        } catch (err) { report(err); }
      });
    });
    return section('privacy-erasure', t('privacy.erasure.title'),
      h('p', { role: 'status' }, t('privacy.erasure.scheduled', { date: dateTime(scheduled.erase_after) })), cancel);
  }
  const button = h('button', { type: 'button', class: 'danger', 'data-testid': 'privacy-erasure' }, t('privacy.erasure.button'));
  button.addEventListener('click', async () => {
    if (!window.confirm(t('privacy.erasure.confirm'))) return;
    clearAlert();
    await busy(button, async () => {
      try { await send('erasure'); await reload(); } catch (err) { report(err); }
    });
  });
  return section('privacy-erasure', t('privacy.erasure.title'), h('p', {}, t('privacy.erasure.text')), button);
}

function restrictionSection(restricted, reload) {
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'privacy-restriction' },
    restricted ? t('privacy.restriction.lift') : t('privacy.restriction.button'));
  button.addEventListener('click', async () => {
    if (!restricted && !window.confirm(t('privacy.restriction.confirm'))) return;
    clearAlert();
    await busy(button, async () => {
      try {
        if (restricted) await pb.send('/api/kontor/privacy/restriction', { method: 'DELETE', requestKey: null });
        else await send('restriction');
        await reload();
      } catch (err) { report(err); }
    });
  });
  return section('privacy-restriction', t('privacy.restriction.title'),
    h('p', {}, t('privacy.restriction.text')),
    h('p', { role: 'status', 'data-testid': 'privacy-restriction-status' },
      restricted ? t('privacy.restriction.on') : t('privacy.restriction.off')),
    button);
}

function objectionSection(reload) {
  return section('privacy-objection', t('privacy.objection.title'),
    h('p', {}, t('privacy.objection.text')),
    h('p', {}, h('a', { href: '#/account/attribution' }, t('privacy.objection.link'))),
    detailsForm('objection', reload));
}

function consentSection(reload) {
  return section('privacy-consent', t('privacy.consent.title'),
    h('p', {}, t('privacy.consent.text')),
    h('button', { type: 'button', class: 'secondary', 'aria-haspopup': 'dialog', onclick: () => showConsentPreferences() }, t('consent.manage')),
    detailsForm('consent_withdrawal', reload));
}

function workspaceSection(navigate) {
  const owned = (session.workspaces || []).filter((w) => session.roles[w.id] === 'owner');
  if (!owned.length) return null;
  const select = h('select', { id: 'privacy-workspace' }, owned.map((w) => h('option', { value: w.id }, w.name)));
  const confirm = h('input', { id: 'privacy-workspace-confirm', name: 'confirm', autocomplete: 'off', required: true });
  const button = h('button', { type: 'submit', class: 'danger' }, t('privacy.workspace.button'));
  return section('privacy-workspace', t('privacy.workspace.title'),
    h('p', {}, t('privacy.workspace.text')),
    h('form', {
      onsubmit: async (e) => {
        e.preventDefault();
        clearAlert();
        await busy(button, async () => {
          try {
            await pb.send(`/api/kontor/privacy/workspaces/${encodeURIComponent(select.value)}/delete`, {
              method: 'POST', body: { confirm: confirm.value }, requestKey: null,
            });
            await loadWorkspaces();
            showAlert(t('privacy.workspace.deleted'), { kind: 'success' });
            navigate('/account/privacy', { replace: true });
          } catch (err) { report(err); }
        });
      },
    },
    h('label', { for: 'privacy-workspace' }, t('privacy.workspace.which')), select,
    h('label', { for: 'privacy-workspace-confirm' }, t('privacy.workspace.confirm')), confirm,
    button));
}

function requestsTable(requests) {
  if (!requests.length) {
    return h('div', { class: 'empty-state' }, h('p', {}, t('privacy.requests.empty')));
  }
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'privacy-requests' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('privacy.requests.type')),
      h('th', { scope: 'col' }, t('privacy.requests.status')),
      h('th', { scope: 'col' }, t('privacy.requests.received')),
      h('th', { scope: 'col' }, t('privacy.requests.due')),
      h('th', { scope: 'col' }, t('privacy.requests.completed')))),
    h('tbody', {}, requests.map((r) => h('tr', {},
      h('td', {}, typeLabel(r.type)),
      h('td', {}, statusBadge(r.status)),
      h('td', { class: 'nowrap' }, r.received ? date(r.received) : '—'),
      h('td', { class: 'nowrap' }, OPEN.includes(r.status) && r.due ? date(r.due) : '—'),
      h('td', { class: 'nowrap' }, r.completed ? date(r.completed) : '—'))))));
}

export async function page(ctx) {
  ctx.setTitle(t('privacy.title'));
  const body = h('div');
  mount(ctx.root,
    h('div', { class: 'page-head' }, h('h1', {}, t('privacy.title'))),
    h('p', { class: 'muted' }, t('privacy.intro')),
    body);
  mount(body, loading(t('common.loading')));
  let timer = null;

  async function load() {
    let data;
    try {
      data = await pb.send('/api/kontor/privacy/requests', { requestKey: 'privacy-requests' });
    } catch (err) {
      if (err?.isAbort || !ctx.isCurrent()) return;
      mount(body, errorState(err, load));
      return;
    }
    if (!ctx.isCurrent()) return;
    const requests = Array.isArray(data?.items) ? data.items : [];
    mount(body,
      accessSection(requests, load),
      rectificationSection(load),
      erasureSection(requests, load),
      restrictionSection(!!data?.restricted, load),
      objectionSection(load),
      consentSection(load),
      workspaceSection(ctx.navigate),
      h('section', { 'aria-labelledby': 'privacy-requests-title' },
        h('h2', { id: 'privacy-requests-title' }, t('privacy.requests.title')),
        h('p', { class: 'muted' }, t('privacy.requests.intro')),
        requestsTable(requests)),
      h('p', { class: 'muted' }, h('a', { href: 'subprocessors', target: '_blank', rel: 'noopener' }, t('privacy.subprocessors'))));
    clearTimeout(timer);
    // an archive being prepared shows up when ready
    if (requests.some((r) => r.type === 'access' && r.status === 'processing')) timer = setTimeout(load, 3000);
  }
  await load();
  return () => clearTimeout(timer);
}
