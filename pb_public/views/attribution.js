// "Your data and attribution": the signed-in user's cookie decisions, the
// campaign visits recorded with their consent, and their objection to
// marketing attribution (GDPR art. 21). See docs/consent.md.
import { pb } from '../lib/pb.js';
import { h, mount, loading, busy } from '../lib/dom.js';
import { t, has, LANGUAGES } from '../lib/i18n.js';
import { dateTime } from '../lib/format.js';
import { showAlert, clearAlert, errorMessage, errorState } from '../lib/errors.js';
import { showConsentPreferences } from '../lib/consent.js';

const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id'];

/** A category id in words. */
function category(id) {
  return has(`consent.category.${id}`) ? t(`consent.category.${id}`) : id;
}

function categories(list) {
  const ids = Array.isArray(list) ? list : [];
  return ids.length ? ids.map(category).join(', ') : '—';
}

function languageName(code) {
  return LANGUAGES.find((l) => l.code === code)?.name || code || '—';
}

/** Whether a touchpoint carries an ad click id (the server may say so, or send the ids). */
function hasClickId(tp) {
  if (typeof tp.has_click_id === 'boolean') return tp.has_click_id;
  if (typeof tp.click_id === 'boolean') return tp.click_id;
  return CLICK_IDS.some((k) => tp[k]);
}

/** The referrer's host, from the host the server stored or the full referrer. */
function referrerHost(tp) {
  if (tp.referrer_host) return tp.referrer_host;
  const url = tp.referrer_url || tp.referrer;
  if (!url) return '';
  try { return new URL(url).host; } catch { return ''; }
}

function source(tp) {
  const parts = [tp.utm_source, tp.utm_medium, tp.utm_campaign].filter(Boolean);
  return parts.join(' / ');
}

/** The objection state in the answer, whichever of the usual shapes it has. */
function objectedOf(data) {
  if (typeof data.objected === 'boolean') return data.objected;
  if (typeof data.attribution_objected === 'boolean') return data.attribution_objected;
  if (data.objection && typeof data.objection === 'object') return !!data.objection.objected;
  return false;
}

function consentsTable(consents) {
  if (!consents.length) {
    return h('div', { class: 'empty-state', 'data-testid': 'consents-empty' },
      h('p', {}, t('attribution.consents_empty')));
  }
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'consents' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('attribution.h_time')),
      h('th', { scope: 'col' }, t('attribution.h_accepted')),
      h('th', { scope: 'col' }, t('attribution.h_rejected')),
      h('th', { scope: 'col' }, t('attribution.h_revision')),
      h('th', { scope: 'col' }, t('attribution.h_language')))),
    h('tbody', {}, consents.map((c) => h('tr', {},
      h('td', { class: 'nowrap' }, c.created ? dateTime(c.created) : '—'),
      h('td', {}, categories(c.accepted)),
      h('td', {}, categories(c.rejected)),
      h('td', {}, c.revision ?? '—'),
      h('td', {}, languageName(c.language)))))));
}

function touchpointsTable(touchpoints) {
  if (!touchpoints.length) {
    return h('div', { class: 'empty-state', 'data-testid': 'touchpoints-empty' },
      h('p', {}, t('attribution.touchpoints_empty')));
  }
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'touchpoints' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('attribution.h_time')),
      h('th', { scope: 'col' }, t('attribution.h_source')),
      h('th', { scope: 'col' }, t('attribution.h_referrer')),
      h('th', { scope: 'col' }, t('attribution.h_click_id')))),
    h('tbody', {}, touchpoints.map((tp) => h('tr', {},
      h('td', { class: 'nowrap' }, tp.created ? dateTime(tp.created) : '—'),
      h('td', {}, source(tp) || '—'),
      h('td', {}, referrerHost(tp) || '—'),
      h('td', {}, hasClickId(tp) ? t('attribution.yes') : t('attribution.no')))))));
}

function objectionForm(initial) {
  let objected = initial;
  const status = h('p', { class: 'muted', 'data-testid': 'objection-status', role: 'status' });
  const box = h('input', { type: 'checkbox', id: 'attribution-objection', checked: objected, 'data-testid': 'objection-toggle' });
  const showStatus = () => {
    status.textContent = objected ? t('attribution.objected_on') : t('attribution.objected_off');
  };
  showStatus();
  box.addEventListener('change', async () => {
    const wanted = box.checked;
    clearAlert();
    await busy(box, async () => {
      try {
        await pb.send('/api/kontor/attribution/objection', {
          method: 'POST', body: { objected: wanted }, requestKey: 'attribution-objection',
        });
        objected = wanted;
        showAlert(wanted ? t('attribution.objection_saved') : t('attribution.objection_withdrawn'), { kind: 'success' });
      } catch (err) {
        box.checked = objected;
        const message = errorMessage(err);
        if (message) showAlert(message, { error: err });
      }
    });
    showStatus();
  });
  return h('section', { class: 'card attribution-objection', 'aria-labelledby': 'objection-title' },
    h('h2', { id: 'objection-title' }, t('attribution.objection_title')),
    h('p', {}, t('attribution.objection_text')),
    h('label', { class: 'check', for: 'attribution-objection' }, box, t('attribution.objection_label')),
    status);
}

export async function page(ctx) {
  ctx.setTitle(t('attribution.title'));
  const body = h('div');
  mount(ctx.root,
    h('div', { class: 'page-head' }, h('h1', {}, t('attribution.title'))),
    h('p', { class: 'muted' }, t('attribution.intro')),
    body);
  mount(body, loading(t('common.loading')));

  async function load() {
    let data;
    try {
      data = await pb.send('/api/kontor/attribution', { requestKey: 'attribution' });
    } catch (err) {
      if (err?.isAbort || !ctx.isCurrent()) return;
      mount(body, errorState(err, load));
      return;
    }
    if (!ctx.isCurrent()) return;
    const consents = Array.isArray(data?.consents) ? data.consents : [];
    const touchpoints = Array.isArray(data?.touchpoints) ? data.touchpoints : [];
    mount(body,
      objectionForm(objectedOf(data || {})),
      h('section', { 'aria-labelledby': 'consents-title' },
        h('div', { class: 'page-head' },
          h('h2', { id: 'consents-title' }, t('attribution.consents_title')),
          h('button', { type: 'button', class: 'secondary', 'aria-haspopup': 'dialog', onclick: () => showConsentPreferences() }, t('consent.manage'))),
        h('p', { class: 'muted' }, t('attribution.consents_intro')),
        consentsTable(consents)),
      h('section', { 'aria-labelledby': 'touchpoints-title' },
        h('h2', { id: 'touchpoints-title' }, t('attribution.touchpoints_title')),
        h('p', { class: 'muted' }, t('attribution.touchpoints_intro')),
        touchpointsTable(touchpoints)));
  }
  // a decision made here ("Manage cookie preferences") shows up once recorded
  const onRecorded = () => { load(); };
  window.addEventListener('kontor:consent-recorded', onRecorded);
  await load();
  return () => window.removeEventListener('kontor:consent-recorded', onRecorded);
}
