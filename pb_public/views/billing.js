// The open workspace's plan (#/billing): the plan it is on, what it used of
// the plan's limits this month, the plans on offer with the way to buy one
// through Stripe Checkout, the Stripe customer portal, and what Stripe
// charged. Any member sees the plan; owners and admins buy and manage it.
// With billing off on the server (no Stripe key) every workspace is on one
// plan, which the page says, without buttons.
import { pb } from '../lib/pb.js';
import { h, mount, loading, busy } from '../lib/dom.js';
import { t, has } from '../lib/i18n.js';
import { money, date, decimal } from '../lib/format.js';
import { session, canAdminister } from '../lib/session.js';
import { clearAlert, showAlert, reportError, errorState } from '../lib/errors.js';

/** A plan's name for people: Free, Pro, Team, or its id. */
export function planName(id) {
  if (!id) return '—';
  return has(`plan.${id}`) ? t(`plan.${id}`) : id.charAt(0).toUpperCase() + id.slice(1);
}

/** A subscription's status (Stripe's word) for people. */
function statusText(status) {
  return has(`billing.status.${status}`) ? t(`billing.status.${status}`) : status;
}

/** A limit: a number, or null for unlimited. */
function limitText(limit) {
  return limit === null || limit === undefined || limit < 0 ? t('billing.unlimited') : decimal(limit, 0);
}

/** The e-invoice formats a plan allows: "all", or a list of names. */
function formatsText(formats) {
  if (formats === 'all') return t('billing.formats_all');
  if (Array.isArray(formats) && formats.length) return t('billing.formats_some', { formats: formats.join(', ') });
  if (Array.isArray(formats)) return t('billing.formats_none');
  return null;
}

/** What a plan allows, as list items. */
function limitItems(limits = {}) {
  const formats = formatsText(limits.einvoice_formats);
  return [
    h('li', { 'data-limit': 'invoices_per_month' }, t('billing.limit_invoices', { n: limitText(limits.invoices_per_month) })),
    h('li', { 'data-limit': 'members' }, t('billing.limit_members', { n: limitText(limits.members) })),
    formats ? h('li', { 'data-limit': 'einvoice_formats' }, formats) : null,
  ];
}

/** A subscription Stripe still runs (checkout refuses a second one). */
function subscribed(status) {
  return !!status && !['canceled', 'incomplete', 'incomplete_expired'].includes(status);
}

/** "?checkout=success" or "cancelled": where Stripe Checkout sends the browser back. */
function checkoutOutcome() {
  const query = window.location.hash.split('?')[1] || '';
  return new URLSearchParams(query).get('checkout');
}

export async function page(ctx) {
  ctx.setTitle(t('billing.title'));
  const ws = session.workspace;
  const admin = canAdminister();
  const body = h('div');
  mount(ctx.root,
    h('div', { class: 'page-head' }, h('h1', {}, t('billing.title'))),
    body);
  mount(body, loading(t('common.loading')));

  const outcome = checkoutOutcome();
  if (outcome === 'success') showAlert(t('billing.checkout_success'), { kind: 'success' });
  else if (outcome === 'cancelled') showAlert(t('billing.checkout_cancelled'), { kind: 'info' });
  if (outcome) window.history.replaceState(null, '', '#/billing'); // said once

  async function load() {
    const data = await pb.send(`/api/kontor/billing/${encodeURIComponent(ws.id)}`, { requestKey: 'billing' });
    // not Kontor's answer (e.g. a server without billing routes)
    if (!data || typeof data !== 'object' || typeof data.enabled !== 'boolean') throw Object.assign(new Error('unexpected answer'), { status: 500 });
    if (ctx.isCurrent()) render(data);
  }

  function render(data) {
    const enabled = data.enabled === true;
    const plans = Array.isArray(data.plans) ? data.plans : [];
    const current = data.plan || '';
    const hasSub = subscribed(data.status);
    const parts = [];
    if (!enabled) {
      parts.push(h('div', { class: 'alert alert-info', role: 'status', 'data-testid': 'billing-off', style: 'margin:0 0 1rem' },
        t('billing.off', { plan: planName(current) })));
    } else if (data.message) {
      parts.push(h('p', { class: 'notice-warning', 'data-testid': 'billing-message' }, data.message));
    }
    parts.push(currentCard(data, enabled, hasSub));
    if (enabled) {
      parts.push(h('section', { 'aria-labelledby': 'plans-title' },
        h('h2', { id: 'plans-title' }, t('billing.plans')),
        hasSub && admin ? h('p', { class: 'muted' }, t('billing.change_in_portal')) : null,
        h('div', { class: 'plan-grid' }, plans.map((p, i) => planCard(p, i, plans, current, hasSub)))));
      if (admin) parts.push(historySection(Array.isArray(data.history) ? data.history : []));
    }
    mount(body, ...parts);
  }

  function currentCard(data, enabled, hasSub) {
    const limits = data.limits || {};
    const usage = data.usage || {};
    const formats = formatsText(limits.einvoice_formats);
    const manage = enabled && admin && data.customer
      ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'billing-portal', onclick: (e) => openPortal(e.currentTarget) }, t('billing.manage'))
      : null;
    return h('section', { class: 'card', 'aria-labelledby': 'current-plan-title', 'data-testid': 'current-plan' },
      h('div', { class: 'line-head' },
        h('h2', { id: 'current-plan-title', style: 'margin-top:0' }, t('billing.current')),
        manage),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, t('billing.plan')), h('dd', { 'data-testid': 'current-plan-name' }, planName(data.plan))),
        data.status ? h('div', {}, h('dt', {}, t('billing.status')), h('dd', { 'data-testid': 'billing-status' }, statusText(data.status))) : null,
        data.current_period_end ? h('div', {}, h('dt', {}, hasSub ? t('billing.period_end') : t('billing.ended')), h('dd', {}, date(data.current_period_end))) : null),
      h('h3', { style: 'margin:1rem 0 .5rem;font-size:1rem' }, t('billing.usage')),
      usageRow('invoices', t('billing.usage_invoices'), usage.invoices_this_month, limits.invoices_per_month),
      usageRow('members', t('billing.usage_members'), usage.members, limits.members),
      formats ? h('p', { class: 'muted', style: 'margin:.5rem 0 0' }, formats) : null);
  }

  /** "3 of 10" with a bar; an unlimited limit has no bar. */
  function usageRow(key, label, used, limit) {
    const n = Number(used) || 0;
    const unlimited = limit === null || limit === undefined || limit < 0;
    const id = `usage-${key}`;
    const text = unlimited ? t('billing.used_unlimited', { used: decimal(n, 0) }) : t('billing.used_of', { used: decimal(n, 0), limit: decimal(limit, 0) });
    const full = !unlimited && n >= limit;
    return h('div', { class: 'usage', 'data-testid': id },
      h('div', { class: 'usage-head' }, h('span', { id: `${id}-label` }, label), h('span', { class: full ? 'usage-full' : 'muted' }, text)),
      unlimited ? null : h('div', {
        class: `usage-bar${full ? ' full' : ''}`, role: 'progressbar', 'aria-labelledby': `${id}-label`,
        'aria-valuemin': 0, 'aria-valuemax': limit, 'aria-valuenow': Math.min(n, limit), 'aria-valuetext': text,
      }, h('span', { style: `width:${limit > 0 ? Math.min(100, Math.round((n / limit) * 100)) : 100}%` })));
  }

  function planCard(p, index, plans, current, hasSub) {
    const isCurrent = p.id === current;
    const currentIndex = plans.findIndex((x) => x.id === current);
    let action = null;
    if (!isCurrent && admin && !hasSub) {
      if (p.available) {
        const label = index > currentIndex ? t('billing.upgrade', { plan: planName(p.id) }) : t('billing.switch', { plan: planName(p.id) });
        action = h('button', { type: 'button', 'data-testid': 'billing-checkout', 'data-plan': p.id, onclick: (e) => checkout(p.id, e.currentTarget) }, label);
      } else if (p.id !== plans[0]?.id) {
        action = h('p', { class: 'muted' }, t('billing.not_on_sale'));
      }
    }
    return h('article', { class: `card plan${isCurrent ? ' current' : ''}`, 'data-testid': 'plan-card', 'data-plan': p.id, 'aria-labelledby': `plan-${p.id}-title` },
      h('h3', { id: `plan-${p.id}-title` }, planName(p.id), ' ', isCurrent ? h('span', { class: 'badge status-paid' }, t('billing.current_badge')) : null),
      h('ul', {}, limitItems(p.limits)),
      action ? h('div', { class: 'actions' }, action) : null);
  }

  function historySection(rows) {
    return h('section', { 'aria-labelledby': 'billing-history-title' },
      h('h2', { id: 'billing-history-title' }, t('billing.history')),
      rows.length === 0
        ? h('section', { class: 'empty-state', 'data-testid': 'billing-history-empty' }, h('p', {}, t('billing.history_empty')))
        : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'billing-history' },
          h('caption', { class: 'visually-hidden' }, t('billing.history')),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('billing.h_date')),
            h('th', { scope: 'col' }, t('billing.h_kind')),
            h('th', { scope: 'col' }, t('billing.h_period')),
            h('th', { scope: 'col', class: 'num' }, t('billing.h_amount')))),
          h('tbody', {}, rows.map((r) => {
            const kind = r.kind || r.type || '';
            const when = r.occurred_at || r.date || r.created;
            return h('tr', { 'data-kind': kind },
              h('td', { class: 'nowrap' }, date(when)),
              h('td', {}, has(`billing.kind.${kind}`) ? t(`billing.kind.${kind}`) : kind),
              h('td', {}, r.period_start || r.period_end ? `${date(r.period_start)} – ${date(r.period_end)}` : ''),
              h('td', { class: 'num' }, money(r.amount, r.currency)));
          })))));
  }

  async function checkout(plan, button) {
    clearAlert();
    await busy(button, async () => {
      try {
        const res = await pb.send(`/api/kontor/billing/${encodeURIComponent(ws.id)}/checkout`, { method: 'POST', body: { plan } });
        if (res?.url) window.location.assign(res.url);
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  async function openPortal(button) {
    clearAlert();
    await busy(button, async () => {
      try {
        const res = await pb.send(`/api/kontor/billing/${encodeURIComponent(ws.id)}/portal`, { method: 'POST' });
        if (res?.url) window.location.assign(res.url);
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  try {
    await load();
  } catch (err) {
    if (err?.isAbort) return;
    mount(body, errorState(err, () => { mount(body, loading(t('common.loading'))); load().catch((e) => mount(body, errorState(e, null))); }));
  }
}
