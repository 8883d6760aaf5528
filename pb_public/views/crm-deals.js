// The deals of the open workspace as a kanban board: one column per
// pipeline stage, ordered by position. A card moves by drag and drop or by
// its "Move to" select (the keyboard's way); the move shows at once and
// goes back, with a message, when the server refuses it. Other members'
// moves, new deals and deletions arrive live.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { money, date, typedDecimal } from '../lib/format.js';
import { session } from '../lib/session.js';
import { clearAlert, showAlert, errorMessage, errorState, onSubmit } from '../lib/errors.js';
import { canWrite, crmTabs, contactName, loadStages, recordOptions, stageName, sumAmounts, weightedAmount } from './crm-common.js';

const EXPAND = 'contact,company';

/** Amounts of several currencies as one text: "€1,200.00 + $300.00" ("—" for none). */
function amountsText(pairs) {
  const byCurrency = new Map();
  for (const [amount, currency] of pairs) {
    const list = byCurrency.get(currency) || [];
    list.push(amount);
    byCurrency.set(currency, list);
  }
  if (byCurrency.size === 0) return money('0', session.workspace?.currency || 'EUR');
  return [...byCurrency].map(([currency, list]) => money(sumAmounts(list), currency)).join(' + ');
}

/** Sorts deals by position, then by creation. */
function byPosition(a, b) {
  return (Number(a.position) || 0) - (Number(b.position) || 0) || String(a.created).localeCompare(String(b.created));
}

export async function board(ctx) {
  ctx.setTitle(t('crm.deals.title'));
  const ws = session.workspace;
  const writable = canWrite();
  let alive = true;
  mount(ctx.root, crmTabs('deals'), loading(t('common.loading')));

  let stages;
  let deals;
  async function load() {
    [stages, deals] = await Promise.all([
      loadStages(ws),
      pb.collection('deals').getFullList({
        filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'position,created', expand: EXPAND, requestKey: null,
      }),
    ]);
  }
  try {
    await load();
  } catch (err) {
    if (!ctx.isCurrent() || err?.isAbort) return undefined;
    mount(ctx.root, crmTabs('deals'), errorState(err, () => ctx.navigate('/deals')));
    return undefined;
  }
  if (!ctx.isCurrent()) return undefined;

  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'data-testid': 'board-status' });
  const newButton = writable
    ? h('button', { type: 'button', 'data-testid': 'new-deal', onclick: () => openForm() }, t('crm.deals.new'))
    : null;
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('crm.deals.title')), newButton);
  const formSlot = h('div');
  const body = h('div');
  mount(ctx.root, crmTabs('deals'), head, formSlot, body, status);

  // ---- the board -------------------------------------------------------------
  let dragging = null; // id of the card being dragged
  let stale = false; // a change arrived during a drag: render after it

  const stageOf = (id) => stages.find((s) => s.id === id);

  function render() {
    if (dragging) { stale = true; return; }
    if (newButton) newButton.hidden = deals.length === 0;
    if (deals.length === 0) {
      mount(body, h('section', { class: 'empty-state', 'data-testid': 'deals-empty' },
        h('h2', {}, t('crm.deals.empty_title')),
        h('p', {}, writable ? t('crm.deals.empty_text') : t('crm.deals.empty_text_viewer')),
        writable ? h('button', { type: 'button', onclick: () => openForm() }, t('crm.deals.new')) : null));
      return;
    }
    if (stages.length === 0) {
      mount(body, h('p', { class: 'muted', 'data-testid': 'no-stages' }, t('crm.deals.no_stages')));
      return;
    }
    mount(body, h('div', { class: 'kanban', 'data-testid': 'deal-board' }, stages.map(column)));
  }

  function column(stage) {
    const cards = deals.filter((d) => d.stage === stage.id).sort(byPosition);
    const headingId = `stage-${stage.id}`;
    const col = h('section', {
      class: `kanban-column stage-${stage.kind || 'open'}`, 'data-stage-id': stage.id, 'data-stage-name': stage.name,
      'aria-labelledby': headingId,
    },
    h('header', { class: 'kanban-head' },
      h('h2', { id: headingId }, stageName(stage), ' ', h('span', { class: 'count', 'data-testid': 'stage-count' }, String(cards.length))),
      h('p', { class: 'kanban-sum', 'data-testid': 'stage-sum' }, amountsText(cards.map((d) => [d.value || '0', d.currency]))),
      stage.kind === 'open'
        ? h('p', { class: 'kanban-weighted muted', 'data-testid': 'stage-weighted' },
          t('crm.deals.weighted', { amount: amountsText(cards.map((d) => [weightedAmount(d.value || '0', stage.probability), d.currency])), probability: stage.probability ?? 0 }))
        : null),
    h('div', { class: 'kanban-cards', 'data-testid': 'stage-cards' },
      cards.length ? cards.map(card) : h('p', { class: 'muted kanban-none' }, t('crm.deals.column_empty'))));
    if (writable) {
      col.addEventListener('dragover', (e) => {
        if (!dragging) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        col.classList.add('drop-target');
      });
      col.addEventListener('dragleave', (e) => {
        if (!col.contains(e.relatedTarget)) col.classList.remove('drop-target');
      });
      col.addEventListener('drop', (e) => {
        e.preventDefault();
        col.classList.remove('drop-target');
        const id = dragging || e.dataTransfer.getData('text/plain');
        if (!id) return;
        const position = dropPosition(col, stage, id, e.clientY);
        endDrag();
        moveDeal(id, stage.id, position);
      });
    }
    return col;
  }

  /** The position a card dropped at height y of the column takes: between the cards above and below it. */
  function dropPosition(col, stage, id, y) {
    const others = deals.filter((d) => d.stage === stage.id && d.id !== id).sort(byPosition);
    let index = others.length;
    for (const [i, d] of others.entries()) {
      const el = col.querySelector(`[data-deal-id="${CSS.escape(d.id)}"]`);
      const r = el?.getBoundingClientRect();
      if (r && y < r.top + r.height / 2) { index = i; break; }
    }
    return positionAt(others, index);
  }

  function positionAt(others, index) {
    const pos = (d) => Number(d.position) || 0;
    if (others.length === 0) return 1;
    if (index === 0) return pos(others[0]) - 1;
    if (index >= others.length) return Math.floor(pos(others[others.length - 1])) + 1;
    return (pos(others[index - 1]) + pos(others[index])) / 2;
  }

  function card(d) {
    const titleId = `deal-${d.id}-title`;
    const who = [d.expand?.contact ? contactName(d.expand.contact) : null, d.expand?.company?.name].filter(Boolean).join(' · ');
    const el = h('article', {
      class: 'deal-card', 'data-deal-id': d.id, 'data-testid': 'deal-card', 'aria-labelledby': titleId,
      draggable: writable ? 'true' : 'false',
    },
    h('h3', { id: titleId }, h('a', { href: `#/deals/${encodeURIComponent(d.id)}` }, d.title)),
    h('p', { class: 'deal-value', 'data-testid': 'deal-value' }, money(d.value || '0', d.currency)),
    who ? h('p', { class: 'muted' }, who) : null,
    d.expected_close ? h('p', { class: 'muted' }, t('crm.deals.expected_close_on', { date: date(d.expected_close) })) : null,
    writable ? moveSelect(d) : null);
    if (writable) {
      el.addEventListener('dragstart', (e) => {
        dragging = d.id;
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', d.id);
        el.classList.add('dragging');
      });
      el.addEventListener('dragend', () => {
        el.classList.remove('dragging');
        endDrag();
      });
    }
    return el;
  }

  function endDrag() {
    dragging = null;
    body.querySelectorAll('.drop-target').forEach((c) => c.classList.remove('drop-target'));
    if (stale) { stale = false; render(); }
  }

  function moveSelect(d) {
    const id = `move-${d.id}`;
    return h('div', { class: 'deal-move' },
      h('label', { for: id }, t('crm.deals.move_to')),
      h('select', {
        id, 'data-testid': 'move-to',
        onchange: (e) => {
          const others = deals.filter((x) => x.stage === e.target.value && x.id !== d.id).sort(byPosition);
          moveDeal(d.id, e.target.value, positionAt(others, others.length), { focus: true });
        },
      }, stages.map((s) => h('option', { value: s.id, selected: s.id === d.stage }, stageName(s)))));
  }

  /** Moves a deal at once on the board, then on the server; puts it back when the server refuses. */
  async function moveDeal(id, stageId, position, { focus = false } = {}) {
    const deal = deals.find((d) => d.id === id);
    const target = stageOf(stageId);
    if (!deal || !target || (deal.stage === stageId && deal.position === position)) return;
    clearAlert();
    const before = { stage: deal.stage, position: deal.position, status: deal.status };
    Object.assign(deal, { stage: stageId, position, status: target.kind || 'open' });
    render();
    if (focus) body.querySelector(`[data-deal-id="${CSS.escape(id)}"] select`)?.focus();
    try {
      const saved = await pb.collection('deals').update(id, { stage: stageId, position }, { expand: EXPAND, requestKey: null });
      if (!alive) return;
      upsert(saved);
      status.textContent = t('crm.deals.moved', { title: saved.title, stage: stageName(target) });
    } catch (err) {
      if (!alive || err?.isAbort) return;
      const current = deals.find((d) => d.id === id);
      if (current) Object.assign(current, before);
      render();
      const reason = errorMessage(err);
      showAlert(t('crm.deals.move_failed', { title: deal.title, stage: stageName(target) }), { details: reason ? [reason] : [], error: err });
    }
  }

  function upsert(record) {
    const i = deals.findIndex((d) => d.id === record.id);
    if (i >= 0) deals[i] = { ...deals[i], ...record, expand: record.expand || deals[i].expand };
    else deals.push(record);
    render();
  }

  // ---- the new deal's form --------------------------------------------------
  async function openForm() {
    clearAlert();
    mount(formSlot, loading(t('common.loading')));
    let contacts;
    let companies;
    try {
      [contacts, companies] = await Promise.all([
        recordOptions('contacts', ws, contactName, { sort: 'last_name,first_name', fields: 'id,first_name,last_name,email' }),
        recordOptions('companies', ws, (c) => c.name, { sort: 'name', fields: 'id,name' }),
      ]);
    } catch (err) {
      if (!alive || err?.isAbort) return;
      mount(formSlot, errorState(err, openForm));
      return;
    }
    if (!alive) return;
    const firstOpen = stages.find((s) => s.kind === 'open') || stages[0];
    const f = (name, label, opts = {}) => field({ id: `deal-${name}`, name, label, ...opts });
    const formEl = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'new-deal-title', 'data-testid': 'deal-form' },
      h('h2', { id: 'new-deal-title' }, t('crm.deals.new')),
      h('div', { class: 'grid' },
        f('title', t('crm.deal.title'), { required: true, wide: true }),
        f('value', t('crm.deal.value'), { attrs: { inputmode: 'decimal', placeholder: '0.00' } }),
        f('currency', t('crm.deal.currency'), { value: ws.currency || 'EUR', attrs: { maxlength: 3, class: 'upper' } }),
        f('stage', t('crm.deal.stage'), { value: firstOpen?.id, options: stages.map((s) => ({ value: s.id, label: stageName(s) })) }),
        f('expected_close', t('crm.deal.expected_close'), { type: 'date' }),
        f('contact', t('crm.deal.contact'), { options: contacts }),
        f('company', t('crm.deal.company'), { options: companies })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, t('crm.deals.create')),
        h('button', { type: 'button', class: 'secondary', onclick: () => mount(formSlot) }, t('common.cancel'))));
    onSubmit(formEl, async () => {
      const values = formValues(formEl);
      const body = { ...values, workspace: ws.id, value: typedDecimal(values.value) || '0', currency: values.currency.toUpperCase() };
      const others = deals.filter((d) => d.stage === values.stage).sort(byPosition);
      body.position = positionAt(others, others.length);
      const saved = await pb.collection('deals').create(body, { expand: EXPAND, requestKey: null });
      if (!alive) return;
      mount(formSlot);
      upsert(saved);
      showAlert(t('crm.deals.created', { title: saved.title }), { kind: 'success' });
    });
    mount(formSlot, formEl);
    formEl.querySelector('input[name=title]').focus();
  }

  render();

  // ---- live changes ----------------------------------------------------------
  const unsubscribers = [];
  const keep = (p) => p.then((fn) => { if (alive) unsubscribers.push(fn); else fn().catch(() => {}); return fn; })
    .catch(() => { /* realtime is a nicety: the board still works without it */ });
  // data-live tells that other members' changes now arrive
  keep(pb.collection('deals').subscribe('*', (e) => {
    if (!alive || e.record?.workspace !== ws.id) return;
    if (e.action === 'delete') {
      deals = deals.filter((d) => d.id !== e.record.id);
      render();
      return;
    }
    upsert(e.record);
  }, { filter: pb.filter('workspace = {:ws}', { ws: ws.id }), expand: EXPAND })).then((fn) => { if (fn && alive) body.setAttribute('data-live', 'on'); });
  keep(pb.collection('pipeline_stages').subscribe('*', (e) => {
    if (!alive || e.record?.workspace !== ws.id) return;
    loadStages(ws).then((list) => { if (alive) { stages = list; render(); } }).catch(() => {});
  }, { filter: pb.filter('workspace = {:ws}', { ws: ws.id }) }));

  return () => {
    alive = false;
    for (const fn of unsubscribers) fn().catch(() => {});
  };
}
