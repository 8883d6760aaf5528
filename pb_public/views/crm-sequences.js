// Email sequences and campaigns: the list of sequences and campaigns, the
// sequence editor (its settings, its steps with their delays, subject and
// body, and who is enrolled) and a campaign's numbers.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { dateTime } from '../lib/format.js';
import { session, openWorkspace } from '../lib/session.js';
import { reportError, clearAlert, clearFieldErrors, showAlert, flash, errorState, errorMessage, onSubmit } from '../lib/errors.js';
import { canWrite, crmTabs, contactName } from './crm-common.js';

const STAT_KEYS = ['enrolled', 'active', 'sent', 'replied', 'unsubscribed', 'won', 'completed', 'stopped'];

/** #/sequences: the sequences and campaigns of the workspace. */
export async function list(ctx) {
  ctx.setTitle(t('crm.sequences.title'));
  const ws = session.workspace;
  const writable = canWrite();
  mount(ctx.root, crmTabs('sequences'), loading(t('common.loading')));
  const byWs = { filter: pb.filter('workspace = {:ws}', { ws: ws.id }), requestKey: null };
  const [sequences, campaigns] = await Promise.all([
    pb.collection('sequences').getFullList({ ...byWs, sort: 'name', expand: 'campaign' }),
    pb.collection('campaigns').getFullList({ ...byWs, sort: 'name' }),
  ]);
  if (!ctx.isCurrent()) return;

  const campaignOptions = [{ value: '', label: t('crm.sequence.no_campaign') }, ...campaigns.map((c) => ({ value: c.id, label: c.name }))];
  const newSequence = writable ? h('form', { class: 'filter-bar', novalidate: true, 'data-testid': 'new-sequence' },
    field({ id: 'sequence-new-name', name: 'name', label: t('crm.sequence.name'), required: true }),
    field({ id: 'sequence-new-campaign', name: 'campaign', label: t('crm.sequence.campaign'), options: campaignOptions }),
    h('button', { type: 'submit' }, t('crm.sequences.new'))) : null;
  newSequence?.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(newSequence);
    await busy(newSequence.querySelector('button'), async () => {
      try {
        const saved = await pb.collection('sequences').create({
          ...formValues(newSequence), workspace: ws.id, active: false, business_days: true, window_start: '09:00', window_end: '17:00',
        }, { requestKey: null });
        flash(t('crm.sequences.created', { name: saved.name }));
        ctx.navigate(`/sequences/${encodeURIComponent(saved.id)}`);
      } catch (err) {
        reportError(err, newSequence);
      }
    });
  });

  const newCampaign = writable ? h('form', { class: 'filter-bar', novalidate: true, 'data-testid': 'new-campaign' },
    field({ id: 'campaign-new-name', name: 'name', label: t('crm.campaign.name'), required: true }),
    h('button', { type: 'submit' }, t('crm.campaigns.new'))) : null;
  newCampaign?.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(newCampaign);
    await busy(newCampaign.querySelector('button'), async () => {
      try {
        const saved = await pb.collection('campaigns').create({ ...formValues(newCampaign), workspace: ws.id }, { requestKey: null });
        flash(t('crm.campaigns.created', { name: saved.name }));
        ctx.navigate(`/campaigns/${encodeURIComponent(saved.id)}`);
      } catch (err) {
        reportError(err, newCampaign);
      }
    });
  });

  mount(ctx.root, crmTabs('sequences'),
    h('h1', {}, t('crm.sequences.title')),
    h('section', { class: 'card', 'aria-labelledby': 'sequences-title' },
      h('h2', { id: 'sequences-title' }, t('crm.sequences.list')),
      sequences.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'sequences-empty' }, t('crm.sequences.empty'))
        : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'sequences-table' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('crm.sequence.name')),
            h('th', { scope: 'col' }, t('crm.sequence.campaign')),
            h('th', { scope: 'col' }, t('crm.sequence.state')))),
          h('tbody', {}, sequences.map((s) => h('tr', {},
            h('td', {}, h('a', { href: `#/sequences/${encodeURIComponent(s.id)}` }, s.name)),
            h('td', {}, s.expand?.campaign ? h('a', { href: `#/campaigns/${encodeURIComponent(s.campaign)}` }, s.expand.campaign.name) : '—'),
            h('td', {}, h('span', { class: `badge ${s.active ? 'sequence-active' : 'sequence-paused'}` }, t(s.active ? 'crm.sequence.active' : 'crm.sequence.paused')))))))),
      newSequence),
    h('section', { class: 'card', 'aria-labelledby': 'campaigns-title' },
      h('h2', { id: 'campaigns-title' }, t('crm.campaigns.title')),
      campaigns.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'campaigns-empty' }, t('crm.campaigns.empty'))
        : h('ul', { class: 'plain-list', 'data-testid': 'campaigns-list' }, campaigns.map((c) => h('li', {},
          h('a', { href: `#/campaigns/${encodeURIComponent(c.id)}` }, c.name)))),
      newCampaign));
}

/** #/sequences/:id: the sequence editor. */
export async function editor(ctx) {
  mount(ctx.root, crmTabs('sequences'), loading(t('common.loading')));
  let sequence = await pb.collection('sequences').getOne(ctx.params.id, { requestKey: null });
  if (!ctx.isCurrent()) return undefined;
  if (session.workspace?.id !== sequence.workspace) openWorkspace(sequence.workspace);
  const ws = session.workspace;
  const writable = canWrite();
  let alive = true;
  const campaigns = await pb.collection('campaigns').getFullList({ filter: pb.filter('workspace = {:ws}', { ws: ws.id }), sort: 'name', requestKey: null });
  if (!ctx.isCurrent()) return undefined;
  ctx.setTitle(sequence.name);

  const head = h('div', { class: 'page-head' });
  const settings = h('section', { class: 'card', 'aria-labelledby': 'sequence-settings-title' });
  const stepsEl = h('section', { class: 'card', 'aria-labelledby': 'sequence-steps-title' });
  const enrolEl = h('section', { class: 'card', 'aria-labelledby': 'sequence-enrolled-title' });

  function renderHead() {
    mount(head, h('h1', { 'data-testid': 'sequence-heading' }, sequence.name, ' ',
      h('span', { class: `badge ${sequence.active ? 'sequence-active' : 'sequence-paused'}` }, t(sequence.active ? 'crm.sequence.active' : 'crm.sequence.paused'))),
    h('a', { class: 'button secondary', href: '#/sequences' }, t('crm.sequences.back')));
  }

  // ---- settings ---------------------------------------------------------------------
  function renderSettings() {
    const f = (name, label, opts = {}) => field({ id: `sequence-${name}`, name, label, value: sequence[name] ?? '', ...opts, attrs: { disabled: !writable, ...(opts.attrs || {}) } });
    const check = (name, label, hint) => h('div', { class: 'field' },
      h('p', { class: 'check' },
        h('input', { type: 'checkbox', id: `sequence-${name}`, name, checked: !!sequence[name], disabled: !writable }),
        h('label', { for: `sequence-${name}` }, label)),
      hint ? h('p', { class: 'hint' }, hint) : null,
      h('p', { class: 'field-error', id: `sequence-${name}-error` }));
    const formEl = h('form', { novalidate: true, 'data-testid': 'sequence-settings' },
      h('h2', { id: 'sequence-settings-title' }, t('crm.sequence.settings')),
      h('div', { class: 'grid' },
        f('name', t('crm.sequence.name'), { required: true }),
        f('campaign', t('crm.sequence.campaign'), { options: [{ value: '', label: t('crm.sequence.no_campaign') }, ...campaigns.map((c) => ({ value: c.id, label: c.name }))] }),
        f('window_start', t('crm.sequence.window_start'), { type: 'time', hint: t('crm.sequence.window_hint') }),
        f('window_end', t('crm.sequence.window_end'), { type: 'time' }),
        check('business_days', t('crm.sequence.business_days'), t('crm.sequence.business_days_hint')),
        check('active', t('crm.sequence.active_label'), t('crm.sequence.active_hint'))),
      writable ? h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('common.save'))) : null);
    onSubmit(formEl, async () => {
      const values = formValues(formEl);
      values.active = formEl.elements.active.checked;
      values.business_days = formEl.elements.business_days.checked;
      sequence = await pb.collection('sequences').update(sequence.id, values, { requestKey: null });
      showAlert(t('crm.sequence.saved'), { kind: 'success' });
      renderHead();
      renderSettings();
    });
    mount(settings, formEl);
  }

  // ---- steps ---------------------------------------------------------------------------
  async function loadSteps() {
    mount(stepsEl, h('h2', { id: 'sequence-steps-title' }, t('crm.sequence.steps')), loading(t('common.loading')));
    let steps;
    try {
      steps = await pb.collection('sequence_steps').getFullList({ filter: pb.filter('sequence = {:id}', { id: sequence.id }), sort: 'position,created', requestKey: null });
    } catch (err) {
      if (!err?.isAbort && alive) mount(stepsEl, h('h2', { id: 'sequence-steps-title' }, t('crm.sequence.steps')), errorState(err, loadSteps));
      return;
    }
    if (!alive) return;
    const draftSlot = h('div');
    const add = writable ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'add-step' }, t('crm.step.add')) : null;
    add?.addEventListener('click', () => {
      clearAlert();
      const last = steps[steps.length - 1];
      const draft = { position: last ? (Number(last.position) || 0) + 1 : 0, delay_days: last ? 3 : 0, delay_hours: 0, subject: '', body: '' };
      mount(draftSlot, stepForm(draft, steps.length));
      add.hidden = true;
      draftSlot.querySelector('input[name=subject]')?.focus();
    });
    mount(stepsEl, h('h2', { id: 'sequence-steps-title' }, t('crm.sequence.steps')),
      h('p', { class: 'muted' }, t('crm.step.placeholders')),
      steps.length === 0 ? h('p', { class: 'muted', 'data-testid': 'steps-empty' }, t('crm.step.none')) : steps.map((s, i) => stepForm(s, i)),
      draftSlot,
      add ? h('div', { class: 'actions' }, add) : null);
  }

  /** The form of one step; a step without an id is a new one, created when saved. */
  function stepForm(step, index) {
    const key = step.id || 'new';
    const f = (name, label, opts = {}) => field({ id: `step-${key}-${name}`, name, label, value: step[name] ?? '', ...opts, attrs: { disabled: !writable, ...(opts.attrs || {}) } });
    const formEl = h('form', { class: 'step', novalidate: true, 'data-step-id': step.id || null, 'aria-labelledby': `step-${key}-title` },
      h('h3', { id: `step-${key}-title` }, t('crm.step.title', { n: index + 1 })),
      h('div', { class: 'grid' },
        f('delay_days', t('crm.step.delay_days'), { type: 'number', attrs: { min: 0, step: 1 }, hint: index === 0 ? t('crm.step.delay_first') : t('crm.step.delay_next') }),
        f('delay_hours', t('crm.step.delay_hours'), { type: 'number', attrs: { min: 0, step: 1 } }),
        f('subject', t('crm.step.subject'), { wide: true, required: true }),
        f('body', t('crm.step.body'), { type: 'textarea', wide: true, required: true, attrs: { rows: 8 } })),
      writable ? h('div', { class: 'actions' },
        h('button', { type: 'submit' }, step.id ? t('common.save') : t('crm.step.add')),
        step.id
          ? h('button', { type: 'button', class: 'danger', onclick: (e) => removeStep(step, e.target) }, t('crm.step.delete'))
          : h('button', { type: 'button', class: 'secondary', onclick: () => loadSteps() }, t('common.cancel'))) : null);
    onSubmit(formEl, async () => {
      const values = formValues(formEl);
      values.delay_days = Number(values.delay_days || 0);
      values.delay_hours = Number(values.delay_hours || 0);
      if (step.id) {
        await pb.collection('sequence_steps').update(step.id, values, { requestKey: null });
        showAlert(t('crm.step.saved', { n: index + 1 }), { kind: 'success' });
      } else {
        await pb.collection('sequence_steps').create({ ...values, workspace: ws.id, sequence: sequence.id, position: step.position }, { requestKey: null });
        showAlert(t('crm.step.saved', { n: index + 1 }), { kind: 'success' });
        loadSteps();
      }
    });
    return formEl;
  }

  async function removeStep(step, button) {
    if (!window.confirm(t('crm.step.delete_confirm'))) return;
    await busy(button, async () => {
      try {
        await pb.collection('sequence_steps').delete(step.id, { requestKey: null });
        loadSteps();
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  // ---- who is enrolled ----------------------------------------------------------------
  async function loadEnrolments() {
    mount(enrolEl, h('h2', { id: 'sequence-enrolled-title' }, t('crm.sequence.enrolled')), loading(t('common.loading')));
    let items;
    try {
      items = await pb.collection('sequence_enrollments').getFullList({
        filter: pb.filter('sequence = {:id}', { id: sequence.id }), sort: '-created', expand: 'contact', requestKey: null,
      });
    } catch (err) {
      if (!err?.isAbort && alive) mount(enrolEl, h('h2', { id: 'sequence-enrolled-title' }, t('crm.sequence.enrolled')), errorState(err, loadEnrolments));
      return;
    }
    if (!alive) return;
    mount(enrolEl, h('h2', { id: 'sequence-enrolled-title' }, t('crm.sequence.enrolled')),
      items.length === 0 ? h('p', { class: 'muted' }, t('crm.sequence.nobody')) : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'sequence-enrolments' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('crm.contact.name')),
          h('th', { scope: 'col' }, t('crm.contact.status')),
          h('th', { scope: 'col', class: 'num' }, t('crm.stats.sent')),
          h('th', { scope: 'col' }, t('crm.sequence.next_send')),
          writable ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('crm.contacts.actions'))) : null)),
        h('tbody', {}, items.map((en) => h('tr', {},
          h('td', {}, h('a', { href: `#/contacts/${encodeURIComponent(en.contact)}` }, contactName(en.expand?.contact))),
          h('td', {}, h('span', { class: `badge enrol-${en.status}` }, t(`crm.enrol.status.${en.status}`)), en.stop_reason ? h('div', { class: 'muted' }, en.stop_reason) : null),
          h('td', { class: 'num' }, String(en.sent_count || 0)),
          h('td', {}, en.status === 'active' ? dateTime(en.next_send_at) : '—'),
          writable ? h('td', {}, en.status === 'active' ? stopButton(en) : null) : null))))));
  }

  function stopButton(en) {
    const button = h('button', { type: 'button', class: 'link' }, t('crm.enrol.stop'));
    button.addEventListener('click', () => busy(button, async () => {
      try {
        await pb.send(`/api/kontor/enrollments/${encodeURIComponent(en.id)}/stop`, { method: 'POST', requestKey: null });
        loadEnrolments();
      } catch (err) {
        showAlert(errorMessage(err));
      }
    }));
    return button;
  }

  renderHead();
  renderSettings();
  mount(ctx.root, crmTabs('sequences'), head, settings, stepsEl, enrolEl);
  loadSteps();
  loadEnrolments();
  return () => { alive = false; };
}

/** #/campaigns/:id: a campaign's numbers, in total and per sequence. */
export async function campaign(ctx) {
  mount(ctx.root, crmTabs('sequences'), loading(t('common.loading')));
  const record = await pb.collection('campaigns').getOne(ctx.params.id, { requestKey: null });
  if (!ctx.isCurrent()) return;
  if (session.workspace?.id !== record.workspace) openWorkspace(record.workspace);
  ctx.setTitle(record.name);
  const statsEl = h('div', { 'data-testid': 'campaign-stats' });
  mount(ctx.root, crmTabs('sequences'),
    h('div', { class: 'page-head' }, h('h1', {}, record.name), h('a', { class: 'button secondary', href: '#/sequences' }, t('crm.sequences.back'))),
    statsEl);
  async function load() {
    mount(statsEl, loading(t('common.loading')));
    let stats;
    try {
      stats = await pb.send(`/api/kontor/campaigns/${encodeURIComponent(record.id)}/stats`, { method: 'GET', requestKey: null });
    } catch (err) {
      if (!err?.isAbort) mount(statsEl, errorState(err, load));
      return;
    }
    const per = stats?.sequences || [];
    const pct = (n, of) => (of ? `${Math.round((100 * n) / of)} %` : '—');
    mount(statsEl,
      h('div', { class: 'stat-grid' }, STAT_KEYS.map((k) => h('div', { class: 'stat card', 'data-stat': k },
        h('p', { class: 'stat-label' }, t(`crm.stats.${k}`)),
        h('p', { class: 'stat-value' }, String(stats?.[k] ?? 0)),
        k === 'replied' || k === 'unsubscribed' ? h('p', { class: 'muted' }, t('crm.stats.of_enrolled', { pct: pct(stats?.[k] ?? 0, stats?.enrolled ?? 0) })) : null))),
      h('h2', {}, t('crm.stats.per_sequence')),
      per.length === 0 ? h('p', { class: 'muted' }, t('crm.stats.no_sequences')) : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'campaign-sequences' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('crm.sequence.name')),
          STAT_KEYS.map((k) => h('th', { scope: 'col', class: 'num' }, t(`crm.stats.${k}`))))),
        h('tbody', {}, per.map((s) => h('tr', {},
          h('td', {}, s.id || s.sequence ? h('a', { href: `#/sequences/${encodeURIComponent(s.id || s.sequence)}` }, s.name || s.id || s.sequence) : (s.name || '—')),
          STAT_KEYS.map((k) => h('td', { class: 'num' }, String(s[k] ?? 0)))))))));
  }
  await load();
}
