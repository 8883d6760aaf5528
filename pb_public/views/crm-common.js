// What the sales pipeline's views share: the section's tabs, the role check
// for writing, names of contacts, and sums of decimal amounts (in cents, as
// BigInt: never floating point).
import { pb } from '../lib/pb.js';
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { session } from '../lib/session.js';

/** The statuses of a contact, in the order a lead goes through them. */
export const CONTACT_STATUSES = ['lead', 'qualified', 'customer', 'disqualified'];

/** The types of an activity. */
export const ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'task'];

/** True when the signed-in user may change the open workspace's records (anyone but a viewer). */
export function canWrite() {
  const role = session.roles[session.workspace?.id];
  return !!role && role !== 'viewer';
}

/** The tabs of the sales section; current names the open one. */
export function crmTabs(current) {
  const tabs = [
    ['deals', '#/deals', 'crm.nav.deals'],
    ['contacts', '#/contacts', 'crm.nav.contacts'],
    ['companies', '#/companies', 'crm.nav.companies'],
    ['sequences', '#/sequences', 'crm.nav.sequences'],
    ['insights', '#/insights', 'crm.nav.insights'],
    ['import', '#/crm/import', 'crm.nav.import'],
  ];
  return h('nav', { class: 'crm-tabs', 'aria-label': t('crm.nav.label') }, h('ul', {},
    tabs.map(([name, href, key]) => h('li', {},
      h('a', { href, 'aria-current': name === current ? 'page' : null }, t(key))))));
}

/** "Ana García", or the email, or "—". */
export function contactName(c) {
  if (!c) return '—';
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
  return name || c.email || '—';
}

/** The status badge of a contact. */
export function contactBadge(status) {
  const s = CONTACT_STATUSES.includes(status) ? status : 'lead';
  return h('span', { class: `badge contact-${s}`, 'data-status': s }, t(`crm.contact_status.${s}`));
}

/** The status badge of a deal (open, won, lost). */
export function dealBadge(status) {
  const s = ['open', 'won', 'lost'].includes(status) ? status : 'open';
  return h('span', { class: `badge deal-${s}`, 'data-status': s }, t(`crm.deal_status.${s}`));
}

/** The query of the current address (#/path?a=b) as URLSearchParams. */
export function hashQuery() {
  return new URLSearchParams(window.location.hash.split('?')[1] || '');
}

// the names the default stages are created with, shown in the UI language
const DEFAULT_STAGE_NAMES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];

/** A stage's name for display: a default stage's name in the UI language, any other as written. */
export function stageName(stage) {
  const name = stage?.name ?? '';
  return DEFAULT_STAGE_NAMES.includes(name) ? t(`crm.stage.${name}`) : name;
}

/** The open workspace's pipeline stages, ordered by position. */
export function loadStages(ws) {
  return pb.collection('pipeline_stages').getFullList({
    filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'position,created', requestKey: null,
  });
}

/** Options of a select of the workspace's records of a collection ([{value, label}]), with an empty first choice. */
export async function recordOptions(collection, ws, label, { sort = 'created', fields = '' } = {}) {
  const items = await pb.collection(collection).getFullList({
    filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort, requestKey: null, ...(fields ? { fields } : {}),
  });
  return [{ value: '', label: '—' }, ...items.map((r) => ({ value: r.id, label: label(r) }))];
}

// ---- decimal amounts ---------------------------------------------------------

/** "1234.5" → 123450n cents; anything not a plain decimal counts as 0. */
export function toCents(value) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(value ?? '').trim());
  if (!m) return 0n;
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] || '').padEnd(2, '0') || '0');
  return m[1] ? -cents : cents;
}

/** 123450n → "1234.50". */
export function fromCents(cents) {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  const s = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** The sum of decimal strings, as a decimal string. */
export function sumAmounts(values) {
  return fromCents(values.reduce((acc, v) => acc + toCents(v), 0n));
}

/** The value weighted by a probability in percent, rounded half up to the cent. */
export function weightedAmount(value, probability) {
  const p = BigInt(Math.max(0, Math.min(100, Math.trunc(Number(probability) || 0))));
  const c = toCents(value) * p;
  const neg = c < 0n;
  const abs = neg ? -c : c;
  const rounded = (abs + 50n) / 100n;
  return fromCents(neg ? -rounded : rounded);
}
