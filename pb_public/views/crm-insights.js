// The dashboard: revenue by month, days sales outstanding, the overdue
// amount, the pipeline by stage and the win rate, computed by the server
// from the workspace's own records (GET /api/kontor/insights).
import { pb } from '../lib/pb.js';
import { h, mount, loading } from '../lib/dom.js';
import { t, locale } from '../lib/i18n.js';
import { money } from '../lib/format.js';
import { session } from '../lib/session.js';
import { errorState } from '../lib/errors.js';
import { crmTabs, stageName } from './crm-common.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** "2026-03" → "Mar 26" in the UI locale. */
function monthLabel(month) {
  const d = new Date(`${String(month).slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(month);
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(d);
}

/**
 * Revenue by month as bars (inline SVG, scaled to the largest month;
 * Number() only sizes the bars, the amounts shown are the server's).
 */
function revenueChart(months, currency) {
  const values = months.map((m) => Number(m.net) || 0);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const W = 36;
  const H = 160;
  const zero = (max / span) * H;
  const chart = svg('svg', {
    viewBox: `0 0 ${months.length * W} ${H + 34}`, class: 'bar-chart', role: 'img',
    'aria-label': t('crm.insights.revenue_chart'),
  }, ...months.map((m, i) => {
    const v = values[i];
    const height = Math.max(v === 0 ? 0 : 1, (Math.abs(v) / span) * H);
    return svg('g', { 'data-month': m.month },
      svg('rect', { x: i * W + 6, y: v >= 0 ? zero - height : zero, width: W - 12, height, class: v >= 0 ? 'bar' : 'bar negative' },
        svg('title', {}, `${monthLabel(m.month)}: ${money(m.net, currency)}`)),
      svg('text', { x: i * W + W / 2, y: H + 22, 'text-anchor': 'middle', class: 'bar-label' }, monthLabel(m.month)));
  }), svg('line', { x1: 0, x2: months.length * W, y1: zero, y2: zero, class: 'axis' }));
  // the same numbers as a table, for screen readers and for reading exact amounts
  const table = h('details', {}, h('summary', {}, t('crm.insights.as_table')),
    h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'revenue-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('crm.insights.month')), h('th', { scope: 'col', class: 'num' }, t('crm.insights.net')))),
      h('tbody', {}, months.map((m) => h('tr', {}, h('td', {}, monthLabel(m.month)), h('td', { class: 'num' }, money(m.net, currency))))))));
  return [chart, table];
}

function pipelineTable(stages, currency) {
  const max = Math.max(0, ...stages.map((s) => Number(s.value) || 0)) || 1;
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'pipeline-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('crm.deal.stage')),
      h('th', { scope: 'col', class: 'num' }, t('crm.insights.deals')),
      h('th', { scope: 'col', class: 'num' }, t('crm.insights.value')),
      h('th', { scope: 'col', class: 'num' }, t('crm.insights.weighted')),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('crm.insights.share'))))),
    h('tbody', {}, stages.map((s) => h('tr', { 'data-stage': s.stage },
      h('td', {}, stageName(s)),
      h('td', { class: 'num' }, String(s.count ?? 0)),
      h('td', { class: 'num' }, money(s.value, currency)),
      h('td', { class: 'num' }, money(s.weighted, currency)),
      h('td', { class: 'bar-cell' }, svg('svg', { viewBox: '0 0 100 8', class: 'inline-bar', 'aria-hidden': 'true', preserveAspectRatio: 'none' },
        svg('rect', { x: 0, y: 0, width: Math.round(((Number(s.value) || 0) / max) * 100), height: 8, class: 'bar' }))))))));
}

export async function page(ctx) {
  ctx.setTitle(t('crm.insights.title'));
  const ws = session.workspace;
  const body = h('div', { 'data-testid': 'insights' });
  mount(ctx.root, crmTabs('insights'), h('h1', {}, t('crm.insights.title')), body);

  async function load() {
    mount(body, loading(t('common.loading')));
    let data;
    try {
      data = await pb.send(`/api/kontor/insights?workspace=${encodeURIComponent(ws.id)}`, { method: 'GET', requestKey: null });
    } catch (err) {
      if (!err?.isAbort && ctx.isCurrent()) mount(body, errorState(err, load));
      return;
    }
    if (!ctx.isCurrent()) return;
    const currency = data.currency || ws.currency || 'EUR';
    const months = data.revenue_by_month || [];
    const stages = data.pipeline_by_stage || [];
    const win = data.win_rate || {};
    const rate = win.rate === null || win.rate === undefined || win.rate === ''
      ? '—'
      : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(Number(win.rate) > 1 ? Number(win.rate) / 100 : Number(win.rate));
    const kpi = (key, value, note, testid) => h('div', { class: 'card stat', 'data-testid': testid },
      h('p', { class: 'stat-label' }, t(key)), h('p', { class: 'stat-value' }, value), note ? h('p', { class: 'muted' }, note) : null);
    const hasRevenue = months.some((m) => Number(m.net) !== 0);
    mount(body,
      h('div', { class: 'stat-grid' },
        kpi('crm.insights.dso', data.dso_days === null || data.dso_days === undefined ? '—' : t('crm.insights.days', { n: Math.round(Number(data.dso_days)) }), t('crm.insights.dso_hint'), 'kpi-dso'),
        kpi('crm.insights.overdue', money(data.overdue?.amount ?? '0', currency), t('crm.insights.overdue_count', { n: data.overdue?.count ?? 0 }), 'kpi-overdue'),
        kpi('crm.insights.win_rate', rate, t('crm.insights.won_lost', { won: win.won ?? 0, lost: win.lost ?? 0 }), 'kpi-win-rate')),
      h('section', { class: 'card', 'aria-labelledby': 'revenue-title' },
        h('h2', { id: 'revenue-title' }, t('crm.insights.revenue')),
        h('p', { class: 'muted' }, t('crm.insights.revenue_hint', { currency })),
        data.unconverted > 0 ? h('p', { class: 'notice-warning', 'data-testid': 'unconverted' }, t('crm.insights.unconverted', { n: data.unconverted })) : null,
        hasRevenue ? revenueChart(months, currency) : h('p', { class: 'muted', 'data-testid': 'revenue-empty' }, t('crm.insights.no_revenue'))),
      h('section', { class: 'card', 'aria-labelledby': 'pipeline-title' },
        h('h2', { id: 'pipeline-title' }, t('crm.insights.pipeline')),
        stages.length ? pipelineTable(stages, currency) : h('p', { class: 'muted' }, t('crm.insights.no_pipeline')),
        h('p', {}, h('a', { href: '#/deals' }, t('crm.insights.open_board')))));
  }
  await load();
}
