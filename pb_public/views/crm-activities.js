// Activities (notes, calls, emails, meetings, tasks) and the timeline of a
// contact, company or deal: the form that adds one, and the list that shows
// the record's history, newest first.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { dateTime, date } from '../lib/format.js';
import { session } from '../lib/session.js';
import { reportError, showAlert, errorState, onSubmit } from '../lib/errors.js';
import { ACTIVITY_TYPES, canWrite } from './crm-common.js';

/** Where a timeline entry's record is shown, or null. */
export function refHref(item) {
  const id = encodeURIComponent(item.ref_id || '');
  switch (item.ref_collection) {
    case 'proposals': return `#/proposals/${id}`;
    case 'invoices': return `#/invoices/${id}`;
    case 'deals': return `#/deals/${id}`;
    case 'contacts': return `#/contacts/${id}`;
    case 'companies': return `#/companies/${id}`;
    default: return null;
  }
}

/** The names of the users who acted in timeline entries (actor: a user id), by id; unknown ids are left out. */
async function actorNames(items) {
  const ids = [...new Set(items.map((i) => i.actor).filter((a) => /^[a-z0-9]{15}$/.test(a || '')))];
  const names = new Map();
  if (ids.length === 0) return names;
  try {
    const users = await pb.collection('users').getFullList({
      filter: ids.map((id) => pb.filter('id = {:id}', { id })).join(' || '), fields: 'id,name,email', requestKey: null,
    });
    for (const u of users) names.set(u.id, u.name || u.email);
  } catch { /* the ids stay as they are */ }
  return names;
}

/** Who acted: a user's name, or the actor as written when it is not a user id. */
function actorLabel(actor, names) {
  if (!actor) return '';
  return names.get(actor) || (/^[a-z0-9]{15}$/.test(actor) ? '' : actor);
}

/**
 * The timeline of one record (for: {contact: id} or {company: id} or
 * {deal: id}) from GET /api/kontor/timeline, with its loading and error
 * states; returns {el, reload}.
 */
export function timeline(forRecord) {
  const el = h('div', { 'data-testid': 'timeline' });
  const [key, id] = Object.entries(forRecord)[0];
  async function reload() {
    mount(el, loading(t('common.loading')));
    let res;
    try {
      res = await pb.send(`/api/kontor/timeline?${key}=${encodeURIComponent(id)}`, { method: 'GET', requestKey: null });
    } catch (err) {
      if (err?.isAbort) return;
      mount(el, errorState(err, reload));
      return;
    }
    const items = res?.items || [];
    const names = await actorNames(items);
    if (items.length === 0) {
      mount(el, h('p', { class: 'muted', 'data-testid': 'timeline-empty' }, t('crm.timeline.empty')));
      return;
    }
    mount(el, h('ol', { class: 'timeline' }, items.map((item) => {
      const href = refHref(item);
      return h('li', { 'data-kind': item.kind || '' },
        h('div', { class: 'timeline-head' },
          h('strong', {}, href ? h('a', { href }, item.title || item.kind) : (item.title || item.kind)),
          h('time', { datetime: item.at || '' }, dateTime(item.at)),
          actorLabel(item.actor, names) ? h('span', { class: 'muted' }, actorLabel(item.actor, names)) : null));
    })));
  }
  reload();
  return { el, reload };
}

/**
 * The form that adds an activity to a record (link: {contact, company,
 * deal}, at least one); onSaved(record) runs after it is saved. Viewers get
 * nothing.
 */
export function activityForm(link, onSaved) {
  if (!canWrite()) return null;
  const ws = session.workspace;
  const uid = Math.random().toString(36).slice(2, 8);
  const f = (name, label, opts = {}) => field({ id: `activity-${uid}-${name}`, name, label, ...opts });
  const dueField = f('due', t('crm.activity.due'), { type: 'date' });
  dueField.hidden = true;
  const formEl = h('form', { class: 'activity-form', novalidate: true, 'data-testid': 'activity-form' },
    h('div', { class: 'grid' },
      f('type', t('crm.activity.type'), {
        value: 'note',
        options: ACTIVITY_TYPES.map((v) => ({ value: v, label: t(`crm.activity_type.${v}`) })),
        attrs: { onchange: (e) => { dueField.hidden = e.target.value !== 'task'; } },
      }),
      f('subject', t('crm.activity.subject'), { wide: true }),
      f('body', t('crm.activity.body'), { type: 'textarea', wide: true }),
      dueField),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('crm.activity.add'))));
  onSubmit(formEl, async () => {
    const values = formValues(formEl);
    if (values.type !== 'task') delete values.due;
    const saved = await pb.collection('activities').create({ ...values, ...link, workspace: ws.id }, { requestKey: null });
    formEl.reset();
    dueField.hidden = true;
    showAlert(t('crm.activity.added'), { kind: 'success' });
    if (onSaved) onSaved(saved);
  });
  return formEl;
}

/** The activities of a record (filter: {deal: id} …) as a list; tasks can be ticked done. Returns {el, reload}. */
export function activityList(filterBy) {
  const el = h('div', { 'data-testid': 'activities' });
  const [key, id] = Object.entries(filterBy)[0];
  async function reload() {
    mount(el, loading(t('common.loading')));
    let items;
    try {
      items = await pb.collection('activities').getFullList({
        filter: pb.filter(`${key} = {:id}`, { id }), sort: '-occurred_at,-created', expand: 'author', requestKey: null,
      });
    } catch (err) {
      if (err?.isAbort) return;
      mount(el, errorState(err, reload));
      return;
    }
    if (items.length === 0) {
      mount(el, h('p', { class: 'muted' }, t('crm.activity.none')));
      return;
    }
    mount(el, h('ul', { class: 'activity-list' }, items.map((a) => h('li', { 'data-activity-type': a.type },
      h('div', { class: 'timeline-head' },
        h('span', { class: 'badge' }, t(`crm.activity_type.${a.type}`)),
        h('strong', {}, a.subject || '—'),
        h('time', { datetime: a.occurred_at || a.created }, dateTime(a.occurred_at || a.created)),
        a.expand?.author ? h('span', { class: 'muted' }, a.expand.author.name || a.expand.author.email) : null),
      a.body ? h('p', { class: 'prose' }, a.body) : null,
      a.type === 'task' ? taskLine(a) : null))));
  }
  function taskLine(a) {
    const box = h('input', { type: 'checkbox', id: `task-${a.id}`, checked: !!a.done, disabled: !canWrite() });
    box.addEventListener('change', async () => {
      try {
        await pb.collection('activities').update(a.id, { done: box.checked }, { requestKey: null });
        reload();
      } catch (err) {
        box.checked = !box.checked;
        reportError(err, null);
      }
    });
    return h('p', { class: 'check' }, box,
      h('label', { for: `task-${a.id}` }, a.due ? t('crm.activity.done_due', { date: date(a.due) }) : t('crm.activity.done')));
  }
  reload();
  return { el, reload };
}
