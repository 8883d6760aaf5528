// Telephony (click-to-call): #/telephony, where every user sets their own
// phone (rung first when they call a contact), and owners and admins set
// up the workspace's accounts at telephony providers (Twilio, Telnyx or a
// third party's plugin) and whether calls are recorded. Also the Call
// button of a contact's page. The settings of an account (API keys) are
// write-only, as for payment accounts: the server seals them and answers
// only which are set, masked (settings_hint); only what is typed in is
// sent (an empty value removes a setting).
import { pb, currentUser } from '../lib/pb.js';
import { h, mount, field, busy, loading } from '../lib/dom.js';
import { t, has } from '../lib/i18n.js';
import { reportError, clearAlert, clearFieldErrors, showAlert, errorState, errorMessage, onSubmit } from '../lib/errors.js';
import { session, canAdminister } from '../lib/session.js';

/** The settings of the providers Kontor knows; any other gets a free list. */
const PROVIDER_SETTINGS = {
  twilio: ['account_sid', 'auth_token', 'language'],
  telnyx: ['api_key', 'connection_id', 'public_key', 'voice', 'language'],
};

/** The default recording notices, as the server announces them. */
const DEFAULT_NOTICES = {
  en: 'This call is being recorded.',
  de: 'Dieses Gespräch wird aufgezeichnet.',
  es: 'Esta llamada está siendo grabada.',
  fr: 'Cet appel est enregistré.',
  it: 'Questa chiamata viene registrata.',
};

const FINAL = new Set(['completed', 'busy', 'no_answer', 'failed', 'canceled']);

/** A setting's name in words, or as the plugin names it. */
function settingLabel(name) {
  return has(`calls.setting.${name}`) ? t(`calls.setting.${name}`) : name;
}

/** The workspace's readiness to call: {account, provider, recording, can_call, phone}. */
function loadReadiness(workspaceId) {
  return pb.send(`/api/kontor/workspaces/${encodeURIComponent(workspaceId)}/telephony`, { requestKey: null });
}

/**
 * The Call button of a contact's page, with its state: why it is
 * disabled, "calling…", "your phone rings first", how the call went, or
 * why it failed. onCalled runs when a call was placed (the timeline then
 * shows its activity).
 */
export function callButton(contact, onCalled) {
  const status = h('span', { class: 'muted call-status', role: 'status', 'data-testid': 'call-status' });
  const button = h('button', { type: 'button', class: 'secondary', disabled: true, 'data-testid': 'call' }, t('calls.call'));
  const box = h('span', { class: 'call-box' }, button, status);
  let unsubscribe = null;

  function why(ready) {
    if (!ready.can_call) return t('calls.disabled.viewer');
    if (!contact.phone) return t('calls.disabled.no_contact_phone');
    if (!ready.phone) return h('span', {}, t('calls.disabled.no_user_phone'), ' ', h('a', { href: '#/telephony' }, t('calls.set_phone')));
    if (!ready.account) return t('calls.disabled.no_account');
    return null;
  }

  function show(call) {
    if (call.status === 'failed') {
      mount(status, t('calls.state.failed', { reason: call.error || '' }));
    } else if (FINAL.has(call.status)) {
      mount(status, t(`calls.state.${call.status}`));
    } else if (call.status === 'answered') {
      mount(status, t('calls.state.answered'));
    } else {
      mount(status, t('calls.state.ringing_you'));
    }
    if (FINAL.has(call.status) && unsubscribe) {
      unsubscribe();
      unsubscribe = null;
    }
  }

  button.addEventListener('click', () => busy(button, async () => {
    clearAlert();
    mount(status, t('calls.state.calling'));
    try {
      const call = await pb.send(`/api/kontor/contacts/${encodeURIComponent(contact.id)}/call`, { method: 'POST', requestKey: null });
      show(call);
      onCalled?.(call);
      if (!FINAL.has(call.status)) {
        unsubscribe = await pb.collection('calls').subscribe(call.id, (e) => {
          show(e.record);
          if (FINAL.has(e.record.status)) onCalled?.(e.record);
        }).catch(() => null);
      }
    } catch (err) {
      mount(status, t('calls.state.failed', { reason: errorMessage(err) }));
    }
  }));

  loadReadiness(contact.workspace).then((ready) => {
    const reason = why(ready);
    button.disabled = !!reason;
    if (reason) {
      button.setAttribute('aria-describedby', 'call-why');
      mount(status, h('span', { id: 'call-why' }, reason));
    } else if (ready.recording) {
      mount(status, t('calls.recorded_hint'));
    }
  }).catch((err) => {
    if (!err?.isAbort) mount(status, errorMessage(err));
  });
  return box;
}

/** The user's own phone, rung first. */
function phoneSection() {
  const user = currentUser();
  const formEl = h('form', { novalidate: true, 'data-testid': 'my-phone', class: 'card', 'aria-labelledby': 'my-phone-title' },
    h('h2', { id: 'my-phone-title', style: 'margin-top:0' }, t('calls.my_phone.title')),
    h('p', { class: 'muted' }, t('calls.my_phone.intro')),
    h('div', { class: 'grid' }, field({
      id: 'my-phone', name: 'phone', type: 'tel', label: t('calls.my_phone.label'), value: user?.phone || '',
      hint: t('calls.my_phone.hint'), attrs: { autocomplete: 'tel', placeholder: '+49 176 12345678' },
    })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('common.save'))));
  onSubmit(formEl, async () => {
    const saved = await pb.collection('users').update(user.id, { phone: formEl.elements.phone.value.trim() }, { requestKey: null });
    formEl.elements.phone.value = saved.phone || '';
    showAlert(t('calls.my_phone.saved'), { kind: 'success' });
  });
  return formEl;
}

/** Whether the workspace records its calls, and what the contact hears. */
function recordingSection(workspace) {
  const language = workspace.language || 'en';
  const toggle = h('input', { type: 'checkbox', id: 'call-recording', name: 'call_recording', checked: !!workspace.call_recording });
  const formEl = h('form', { novalidate: true, 'data-testid': 'call-recording', class: 'card', 'aria-labelledby': 'call-recording-title' },
    h('h2', { id: 'call-recording-title', style: 'margin-top:0' }, t('calls.recording.title')),
    h('p', { class: 'muted' }, t('calls.recording.intro')),
    h('div', { class: 'field' },
      h('label', { class: 'check', for: 'call-recording' }, toggle, t('calls.recording.enabled')),
      h('p', { class: 'field-error', 'data-error-for': 'call_recording' })),
    field({
      id: 'call-recording-notice', name: 'call_recording_notice', type: 'textarea', wide: true,
      label: t('calls.recording.notice'), value: workspace.call_recording_notice || '',
      hint: t('calls.recording.notice_hint', { text: DEFAULT_NOTICES[language] || DEFAULT_NOTICES.en }),
      attrs: { maxlength: 500, rows: 2, placeholder: DEFAULT_NOTICES[language] || DEFAULT_NOTICES.en },
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('common.save'))));
  onSubmit(formEl, async () => {
    const saved = await pb.collection('workspaces').update(workspace.id, {
      call_recording: toggle.checked, call_recording_notice: formEl.elements.call_recording_notice.value.trim(),
    }, { requestKey: null });
    Object.assign(workspace, saved);
    showAlert(saved.call_recording ? t('calls.recording.saved_on') : t('calls.recording.saved_off'), { kind: 'success' });
  });
  return formEl;
}

/** The workspace's accounts at telephony providers; it loads itself. */
function accountsSection(workspaceId) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'telacc-title', 'data-testid': 'telephony-accounts' });
  const state = { providers: [], accounts: [], editing: null };
  const title = () => h('h2', { id: 'telacc-title', style: 'margin-top:0' }, t('calls.accounts.title'));
  const providerTitle = (name) => state.providers.find((p) => p.name === name)?.title || name;
  const unused = () => state.providers.filter((p) => !state.accounts.some((a) => a.provider === p.name));

  async function load() {
    const [providers, accounts] = await Promise.all([
      pb.send('/api/kontor/telephony-providers', { requestKey: null }),
      pb.collection('telephony_accounts').getFullList({ filter: pb.filter('workspace = {:ws}', { ws: workspaceId }), sort: 'provider', requestKey: null }),
    ]);
    state.providers = Array.isArray(providers) ? providers : [];
    state.accounts = accounts;
    render();
  }

  function start() {
    mount(section, title(), loading(t('common.loading')));
    load().catch((err) => { if (!err?.isAbort) mount(section, title(), errorState(err, start)); });
  }

  function render() {
    const parts = [title(), h('p', { class: 'muted' }, t('calls.accounts.intro'))];
    if (state.providers.length === 0) parts.push(h('p', { class: 'notice-warning' }, t('calls.accounts.no_providers')));
    else if (state.accounts.length === 0 && state.editing !== 'new') parts.push(h('p', {}, t('calls.accounts.empty')));
    for (const a of state.accounts) parts.push(state.editing === a.id ? accountForm(a) : accountCard(a));
    if (state.editing === 'new') parts.push(accountForm(null));
    else if (unused().length > 0) {
      parts.push(h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'secondary', 'data-testid': 'telacc-add',
        onclick: () => { clearAlert(); state.editing = 'new'; render(); },
      }, t('calls.accounts.add'))));
    }
    mount(section, ...parts);
  }

  function accountCard(a) {
    const hint = a.settings_hint && typeof a.settings_hint === 'object' ? a.settings_hint : {};
    const urlId = `telacc-webhook-${a.id}`;
    const privacy = state.providers.find((p) => p.name === a.provider)?.privacy;
    return h('article', { class: 'payacc', 'data-testid': 'telephony-account', 'data-provider': a.provider },
      h('div', { class: 'line-head' },
        h('h3', {}, providerTitle(a.provider), ' ',
          h('span', { class: `badge ${a.enabled ? 'status-paid' : 'status-draft'}` }, a.enabled ? t('payacc.on') : t('payacc.off'))),
        h('div', { class: 'actions', style: 'margin-top:0' },
          h('button', { type: 'button', class: 'secondary', onclick: () => { clearAlert(); state.editing = a.id; render(); } }, t('common.edit')),
          h('button', { type: 'button', class: 'danger', onclick: (e) => remove(a, e.currentTarget) }, t('payacc.delete')))),
      h('dl', { class: 'timeline-facts' },
        h('dt', {}, t('calls.accounts.from')), h('dd', {}, h('code', {}, a.from)),
        Object.keys(hint).sort().flatMap((n) => [h('dt', {}, settingLabel(n)), h('dd', {}, h('code', {}, String(hint[n])))])),
      privacy ? h('p', { class: 'hint muted' }, privacy) : null,
      h('div', { class: 'link-box' },
        h('label', { for: urlId }, t('calls.accounts.webhook_url')),
        h('div', { class: 'link-row' }, h('input', { type: 'text', readonly: true, id: urlId, value: a.webhook_url || '', onfocus: (e) => e.target.select() })),
        h('p', { class: 'hint' }, t(`calls.accounts.webhook_hint.${a.provider === 'telnyx' ? 'telnyx' : 'twilio'}`))));
  }

  async function remove(a, button) {
    if (!window.confirm(t('calls.accounts.delete_confirm', { provider: providerTitle(a.provider) }))) return;
    clearAlert();
    await busy(button, async () => {
      try {
        await pb.collection('telephony_accounts').delete(a.id);
        state.accounts = state.accounts.filter((x) => x.id !== a.id);
        render();
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  function accountForm(account) {
    const isNew = !account;
    let provider = isNew ? (unused()[0]?.name || '') : account.provider;
    const hint = account?.settings_hint && typeof account.settings_hint === 'object' ? account.settings_hint : {};
    const settingsBox = h('div', { class: 'grid' });
    const renderSettings = () => {
      const names = [...new Set([...(PROVIDER_SETTINGS[provider] || []), ...Object.keys(hint)])];
      mount(settingsBox, names.map((name) => field({
        id: `telacc-setting-${name}`, name: `setting.${name}`, label: settingLabel(name), value: '',
        hint: Object.hasOwn(hint, name) ? t('payacc.set_hint') : t('payacc.unset_hint'),
        attrs: { 'data-setting': name, placeholder: Object.hasOwn(hint, name) ? String(hint[name]) : '', autocomplete: 'off', spellcheck: 'false' },
      })));
    };
    const enabled = h('input', { type: 'checkbox', id: 'telacc-enabled', name: 'enabled', checked: isNew ? true : !!account.enabled });
    const formEl = h('form', { novalidate: true, class: 'payacc', 'data-testid': 'telacc-form' },
      h('h3', {}, isNew ? t('calls.accounts.add') : t('payacc.edit', { provider: providerTitle(provider) })),
      h('div', { class: 'grid' },
        isNew ? field({
          id: 'telacc-provider', name: 'provider', label: t('payacc.provider'), value: provider,
          options: unused().map((p) => ({ value: p.name, label: p.title || p.name })),
          attrs: { onchange: (e) => { provider = e.target.value; renderSettings(); } },
        }) : null,
        field({ id: 'telacc-from', name: 'from', type: 'tel', label: t('calls.accounts.from'), value: account?.from || '', hint: t('calls.accounts.from_hint') })),
      h('fieldset', { name: 'settings', style: 'margin-top:1rem' },
        h('legend', {}, t('payacc.settings')),
        h('p', { class: 'hint muted', style: 'margin-top:0' }, isNew ? t('payacc.settings_hint_new') : t('payacc.settings_hint')),
        settingsBox,
        h('p', { class: 'field-error', 'data-error-for': 'settings' })),
      h('div', { class: 'field' }, h('label', { class: 'check', for: 'telacc-enabled' }, enabled, t('calls.accounts.enabled'))),
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, t('common.save')),
        h('button', { type: 'button', class: 'secondary', onclick: () => { clearAlert(); state.editing = null; render(); } }, t('common.cancel'))));
    renderSettings();
    formEl.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearAlert();
      clearFieldErrors(formEl);
      const settings = {};
      for (const el of settingsBox.querySelectorAll('[data-setting]')) {
        if (el.value.trim() !== '') settings[el.dataset.setting] = el.value.trim();
      }
      const body = { enabled: enabled.checked, from: formEl.elements.from.value.trim() };
      if (Object.keys(settings).length) body.settings = settings;
      await busy(formEl.querySelector('button[type=submit]'), async () => {
        try {
          const saved = isNew
            ? await pb.collection('telephony_accounts').create({ ...body, workspace: workspaceId, provider })
            : await pb.collection('telephony_accounts').update(account.id, body);
          state.accounts = [...state.accounts.filter((x) => x.id !== saved.id), saved].sort((x, y) => x.provider.localeCompare(y.provider));
          state.editing = null;
          render();
          showAlert(t('payacc.saved', { provider: providerTitle(saved.provider) }), { kind: 'success' });
        } catch (err) {
          reportError(err, formEl);
        }
      });
    });
    return formEl;
  }

  start();
  return section;
}

/** #/telephony: the user's phone; for owners and admins, the accounts and recording. */
export async function page(ctx) {
  ctx.setTitle?.(t('calls.title'));
  const ws = session.workspace;
  const parts = [h('h1', {}, t('calls.title')), phoneSection()];
  if (canAdminister()) {
    mount(ctx.root, ...parts, loading(t('common.loading')));
    const workspace = await pb.collection('workspaces').getOne(ws.id, { requestKey: null });
    if (ctx.isCurrent && !ctx.isCurrent()) return;
    parts.push(accountsSection(ws.id), recordingSection(workspace));
  }
  mount(ctx.root, ...parts);
}
