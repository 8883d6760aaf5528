// Totals as the server computed them: the net/VAT/total rows and the VAT
// breakdown of a stored document, and the live preview of the invoice and
// proposal editors. Totals are never computed in the browser: as the person
// types, the lines go (debounced) to a preview route of the server's
// EN 16931 engine and the panel shows exactly what the server will store.
import { pb } from './pb.js';
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import { money, decimal } from './format.js';
import { isBlank } from './lines.js';
import { errorMessage, errorData } from './errors.js';

const PREVIEW_DELAY_MS = 250;

/** A preview with nothing to show yet (a new editor, or no line typed in). */
export function emptyPreview() {
  return { status: 'empty', data: null, mapping: [], included: [], message: '' };
}

/** Net, VAT and total as <dt>/<dd> pairs of a <dl> ("—" where missing). */
export function totalsRows(totals, cur) {
  return [
    h('dt', {}, t('totals.net')), h('dd', { 'data-testid': 'total-net' }, money(totals?.net, cur)),
    h('dt', {}, t('totals.vat')), h('dd', { 'data-testid': 'total-vat' }, money(totals?.vat, cur)),
    h('dt', { class: 'gross' }, t('totals.gross')), h('dd', { class: 'gross', 'data-testid': 'total-gross' }, money(totals?.gross, cur)),
  ];
}

/** The VAT breakdown table (one row a category and rate); stale greys it out. */
export function vatBreakdownTable(breakdown, cur, stale) {
  return h('table', { class: stale ? 'stale' : null, 'data-testid': 'vat-breakdown' },
    h('caption', { class: 'visually-hidden' }, t('totals.breakdown')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('totals.category')),
      h('th', { scope: 'col', class: 'num' }, t('totals.taxable')),
      h('th', { scope: 'col', class: 'num' }, t('totals.vat')))),
    h('tbody', {}, breakdown.flatMap((b) => [
      h('tr', {},
        h('td', {}, `${b.category} ${decimal(b.rate, 2)} %`),
        h('td', { class: 'num' }, money(b.taxable, cur)),
        h('td', { class: 'num' }, money(b.vat, cur))),
      b.exemption_reason ? h('tr', {}, h('td', { colspan: 3, class: 'muted' }, b.exemption_reason)) : null,
    ])));
}

/** The head of a read-only table of stored lines (invoice view, signed proposal). */
export function linesTableHead() {
  return h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, t('line.description')),
    h('th', { scope: 'col', class: 'num' }, t('line.quantity')),
    h('th', { scope: 'col', class: 'num' }, t('line.unit_price')),
    h('th', { scope: 'col', class: 'num' }, t('line.discount')),
    h('th', { scope: 'col' }, t('line.vat')),
    h('th', { scope: 'col', class: 'num' }, t('line.net_amount'))));
}

/**
 * createLivePreview({state, lineEditor, route, requestKey, payload, language,
 * currency, hint, enabled}) → {panel, render, renderNets, schedule, run,
 * cancel, stop}: an editor's totals panel and its live preview.
 * state holds the editor's lines, saveAttempted and preview ({status, data,
 * mapping, included, message}; kept there so a re-render keeps it).
 * Non-blank lines go to POST `route` as payload(line), in language(), under
 * requestKey (a newer preview cancels the one still on its way); on an error
 * the last good totals stay, greyed out, and the line errors go to their
 * fields. hint() is an extra node under the breakdown (or null); enabled()
 * false (e.g. a signed proposal) leaves the panel alone. schedule() after
 * each edit, cancel() before a save, stop() when the view goes away.
 */
export function createLivePreview({ state, lineEditor, route, requestKey, payload, language, currency, hint = () => null, enabled = () => true }) {
  const panel = h('aside', { class: 'card totals', 'aria-labelledby': 'totals-title', 'data-testid': 'totals' });
  let timer = null;
  let stopped = false;

  /** Each line's net amount under it; the server answers each line sent,
   * or only the included ones (optional lines of a proposal). */
  function renderNets() {
    const p = state.preview;
    lineEditor.clearNets();
    if (p.status !== 'ok' || !p.data || !Array.isArray(p.data.lines)) return;
    const all = p.data.lines.length === p.mapping.length;
    const targets = all ? p.mapping : p.mapping.filter((_, j) => p.included[j]);
    p.data.lines.forEach((sl, j) => {
      const l = state.lines[targets[j]];
      if (!l || sl?.net_amount === undefined) return;
      const amount = t('line.net_line', { amount: money(sl.net_amount, currency()) });
      lineEditor.setNet(l, l.optional && !l.included ? `${amount} ${t('line.net_not_included')}` : amount);
    });
  }

  function render() {
    if (!enabled()) return;
    const p = state.preview;
    const cur = currency();
    const totals = p.data?.totals;
    const stale = p.status !== 'ok';
    panel.dataset.state = p.status;
    const statusText = {
      empty: t('totals.empty'), pending: t('totals.calculating'), loading: t('totals.calculating'),
      ok: t('totals.from_server'), error: t('totals.fix_lines'),
    }[p.status];
    const breakdown = p.data?.vat_breakdown || [];
    mount(panel,
      h('h2', { id: 'totals-title' }, t('totals.title')),
      h('dl', { class: stale && totals ? 'stale' : null }, totalsRows(totals, cur)),
      breakdown.length ? vatBreakdownTable(breakdown, cur, stale) : null,
      hint(),
      h('p', { class: 'preview-status', role: 'status', 'data-testid': 'preview-status' }, statusText),
      p.status === 'error' && p.message ? h('div', { class: 'preview-error', role: 'alert', 'data-testid': 'preview-error' }, p.message) : null);
    renderNets();
  }

  function schedule() {
    clearTimeout(timer);
    state.preview.status = 'pending';
    panel.dataset.state = 'pending';
    const st = panel.querySelector('[data-testid="preview-status"]');
    if (st) st.textContent = t('totals.calculating');
    timer = setTimeout(run, PREVIEW_DELAY_MS);
  }

  async function run() {
    if (!enabled()) return;
    const mapping = [];
    const included = [];
    const lines = [];
    state.lines.forEach((l, i) => {
      if (isBlank(l)) return;
      mapping.push(i);
      included.push(!l.optional || l.included);
      lines.push(payload(l));
    });
    if (lines.length === 0) {
      state.preview = emptyPreview();
      lineEditor.showErrors(null, null, { onlyTouched: true });
      render();
      return;
    }
    state.preview.status = 'loading';
    try {
      const data = await pb.send(route, { method: 'POST', body: { lines, language: language() }, requestKey });
      if (stopped) return;
      state.preview = { status: 'ok', data, mapping, included, message: '' };
      lineEditor.showErrors(null, null, { onlyTouched: true });
      render();
    } catch (err) {
      if (err?.isAbort || stopped) return;
      const prev = state.preview;
      state.preview = { status: 'error', data: prev.data, mapping: prev.mapping, included: prev.included, message: errorMessage(err) };
      lineEditor.showErrors(errorData(err).lines, mapping, { onlyTouched: !state.saveAttempted });
      render();
    }
  }

  function cancel() {
    clearTimeout(timer);
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    pb.cancelRequest(requestKey);
  }

  return { panel, render, renderNets, schedule, run, cancel, stop };
}
