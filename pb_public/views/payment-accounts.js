// The workspace's accounts at payment providers (Stripe, GoCardless or a
// third party's plugin), for its owners and admins: a section of the
// workspace settings. The settings of an account (API keys) are
// write-only: the server seals them and only ever answers which are set,
// masked (settings_hint), so the inputs start empty with the mask as
// placeholder, and only what is typed in is sent (the server merges it into
// what is stored; an empty value removes a setting).
import { pb } from '../lib/pb.js';
import { h, mount, field, busy, loading } from '../lib/dom.js';
import { t, has } from '../lib/i18n.js';
import { reportError, clearAlert, clearFieldErrors, showAlert, errorState } from '../lib/errors.js';

/** The settings of the providers Kontor knows; any other gets a free list. */
const PROVIDER_SETTINGS = {
  stripe: [{ name: 'secret_key' }, { name: 'webhook_secret' }],
  gocardless: [{ name: 'access_token' }, { name: 'webhook_secret' }, { name: 'environment', options: ['live', 'sandbox'] }],
};

let providersPromise = null;

/** The loaded payment plugins, [{name, title}] (asked once). */
export function loadProviders() {
  if (!providersPromise) {
    providersPromise = pb.send('/api/kontor/payment-providers', { requestKey: null })
      .then((list) => (Array.isArray(list) ? list : []))
      .catch((err) => { providersPromise = null; throw err; });
  }
  return providersPromise;
}

/** A provider's title for people; its name when no loaded plugin has it. */
export function providerTitle(providers, name) {
  return (providers || []).find((p) => p.name === name)?.title || name;
}

/** A setting's name in words, or as the plugin names it. */
function settingLabel(name) {
  return has(`payacc.setting.${name}`) ? t(`payacc.setting.${name}`) : name;
}

/** The masked settings of an account: {name: "sk_live_…4242"}. */
function hintOf(account) {
  const hint = account?.settings_hint;
  return hint && typeof hint === 'object' && !Array.isArray(hint) ? hint : {};
}

/** The section of the workspace settings; it loads itself. */
export function paymentAccountsSection(workspaceId) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'payacc-title', 'data-testid': 'payment-accounts' });
  const state = { providers: [], accounts: [], editing: null, loaded: false };
  const title = () => h('h2', { id: 'payacc-title', style: 'margin-top:0' }, t('payacc.title'));

  async function load() {
    const [providers, accounts] = await Promise.all([
      loadProviders(),
      pb.collection('payment_accounts').getFullList({
        filter: pb.filter('workspace = {:ws}', { ws: workspaceId }), sort: 'provider', requestKey: null,
      }),
    ]);
    state.providers = providers;
    state.accounts = accounts;
    state.loaded = true;
    render();
  }

  function start() {
    mount(section, title(), loading(t('common.loading')));
    load().catch((err) => {
      if (!err?.isAbort) mount(section, title(), errorState(err, start));
    });
  }

  /** Providers without an account yet, which a new account can be for. */
  const unused = () => state.providers.filter((p) => !state.accounts.some((a) => a.provider === p.name));

  function render() {
    const parts = [title(), h('p', { class: 'muted' }, t('payacc.intro'))];
    if (state.providers.length === 0) {
      parts.push(h('p', { class: 'notice-warning', 'data-testid': 'payacc-no-providers' }, t('payacc.no_providers')));
    }
    if (state.accounts.length === 0 && state.providers.length > 0 && state.editing !== 'new') {
      parts.push(h('p', { 'data-testid': 'payacc-empty' }, t('payacc.empty')));
    }
    for (const a of state.accounts) {
      parts.push(state.editing === a.id ? accountForm(a) : accountCard(a));
    }
    if (state.editing === 'new') {
      parts.push(accountForm(null));
    } else if (unused().length > 0) {
      parts.push(h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'secondary', 'data-testid': 'payacc-add',
        onclick: () => { clearAlert(); state.editing = 'new'; render(); section.querySelector('#payacc-provider, #payacc-enabled')?.focus(); },
      }, t('payacc.add'))));
    }
    mount(section, ...parts);
  }

  function accountCard(a) {
    const hint = hintOf(a);
    const names = Object.keys(hint).sort();
    const titleText = providerTitle(state.providers, a.provider);
    const urlId = `payacc-webhook-${a.id}`;
    const urlInput = h('input', {
      type: 'text', readonly: true, id: urlId, value: a.webhook_url || '', 'data-testid': 'payacc-webhook-url',
      'aria-describedby': `${urlId}-hint`, onfocus: (e) => e.target.select(),
    });
    const copied = h('span', { class: 'muted', role: 'status' });
    const copy = h('button', {
      type: 'button', class: 'secondary', 'data-testid': 'payacc-copy',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(a.webhook_url || '');
        } catch {
          urlInput.select();
          document.execCommand?.('copy');
        }
        copied.textContent = t('payacc.copied');
      },
    }, t('payacc.copy'));
    const toggle = h('input', {
      type: 'checkbox', id: `payacc-enabled-${a.id}`, checked: !!a.enabled, 'data-testid': 'payacc-enabled',
      onchange: async (e) => {
        const box = e.currentTarget;
        clearAlert();
        box.disabled = true;
        try {
          const saved = await pb.collection('payment_accounts').update(a.id, { enabled: box.checked });
          replace(saved);
          showAlert(saved.enabled ? t('payacc.enabled_done', { provider: titleText }) : t('payacc.disabled_done', { provider: titleText }), { kind: 'success' });
        } catch (err) {
          box.checked = !box.checked;
          reportError(err, null);
        } finally {
          box.disabled = false;
        }
      },
    });
    return h('article', { class: 'payacc', 'data-testid': 'payment-account', 'data-provider': a.provider, 'aria-labelledby': `payacc-name-${a.id}` },
      h('div', { class: 'line-head' },
        h('h3', { id: `payacc-name-${a.id}` }, titleText, ' ',
          h('span', { class: `badge ${a.enabled ? 'status-paid' : 'status-draft'}`, 'data-testid': 'payacc-state' }, a.enabled ? t('payacc.on') : t('payacc.off'))),
        h('div', { class: 'actions', style: 'margin-top:0' },
          h('button', { type: 'button', class: 'secondary', 'data-testid': 'payacc-edit', onclick: () => { clearAlert(); state.editing = a.id; render(); } }, t('common.edit')),
          h('button', { type: 'button', class: 'danger', 'data-testid': 'payacc-delete', onclick: (e) => remove(a, e.currentTarget) }, t('payacc.delete')))),
      h('label', { class: 'check', for: `payacc-enabled-${a.id}` }, toggle, t('payacc.enabled')),
      names.length
        ? h('dl', { class: 'timeline-facts', 'data-testid': 'payacc-hint' }, names.flatMap((n) => [
          h('dt', {}, settingLabel(n)), h('dd', { 'data-setting': n }, h('code', {}, String(hint[n])))]))
        : h('p', { class: 'muted', 'data-testid': 'payacc-hint' }, t('payacc.no_settings')),
      h('div', { class: 'link-box' },
        h('label', { for: urlId }, t('payacc.webhook_url')),
        h('div', { class: 'link-row' }, urlInput, copy, copied),
        h('p', { class: 'hint', id: `${urlId}-hint` }, t('payacc.webhook_hint'))));
  }

  function replace(saved) {
    state.accounts = state.accounts.map((x) => (x.id === saved.id ? saved : x));
  }

  async function remove(a, button) {
    const titleText = providerTitle(state.providers, a.provider);
    if (!window.confirm(t('payacc.delete_confirm', { provider: titleText }))) return;
    clearAlert();
    await busy(button, async () => {
      try {
        await pb.collection('payment_accounts').delete(a.id);
        state.accounts = state.accounts.filter((x) => x.id !== a.id);
        if (state.editing === a.id) state.editing = null;
        render();
        showAlert(t('payacc.deleted', { provider: titleText }), { kind: 'success' });
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  /** The add (account null) or edit form of an account. */
  function accountForm(account) {
    const isNew = !account;
    const choices = isNew ? unused() : [];
    let provider = isNew ? (choices[0]?.name || '') : account.provider;
    const hint = hintOf(account);
    const removed = new Set();
    const settingsBox = h('div');
    const freeRows = [];

    const enabledBox = h('input', {
      type: 'checkbox', id: 'payacc-enabled', name: 'enabled', checked: isNew ? true : !!account.enabled,
      'aria-describedby': 'payacc-enabled-error',
    });

    /** One set-or-not setting: an empty input with the mask as placeholder, and Remove when set. */
    function settingField(spec) {
      const { name } = spec;
      const id = `payacc-setting-${name}`;
      const isSet = Object.hasOwn(hint, name);
      const masked = isSet ? String(hint[name]) : '';
      let control;
      if (spec.options) {
        const keep = isSet ? t('payacc.keep', { value: masked }) : t('payacc.provider_default');
        control = field({
          id, name: `setting.${name}`, label: settingLabel(name), value: '',
          options: [{ value: '', label: keep }, ...spec.options.map((o) => ({ value: o, label: has(`payacc.option.${o}`) ? t(`payacc.option.${o}`) : o }))],
          attrs: { 'data-setting': name },
        });
      } else {
        control = field({
          id, name: `setting.${name}`, label: settingLabel(name), value: '',
          hint: isSet ? t('payacc.set_hint') : t('payacc.unset_hint'),
          attrs: { 'data-setting': name, placeholder: masked, autocomplete: 'off', spellcheck: 'false' },
        });
      }
      if (isSet) control.append(removeToggle(name, control));
      return control;
    }

    /** "Remove": the setting is sent empty on save, which removes it; "Keep" undoes that. */
    function removeToggle(name, control) {
      const input = control.querySelector('input, select');
      const note = h('span', { class: 'muted', role: 'status' });
      const button = h('button', {
        type: 'button', class: 'link', 'data-testid': 'payacc-remove-setting', 'data-setting': name,
        'aria-label': t('payacc.remove_named', { name: settingLabel(name) }),
        onclick: () => {
          if (removed.has(name)) {
            removed.delete(name);
            input.disabled = false;
            button.textContent = t('payacc.remove');
            button.setAttribute('aria-label', t('payacc.remove_named', { name: settingLabel(name) }));
            note.textContent = '';
          } else {
            removed.add(name);
            input.value = '';
            input.disabled = true;
            button.textContent = t('payacc.keep_setting');
            button.setAttribute('aria-label', t('payacc.keep_named', { name: settingLabel(name) }));
            note.textContent = t('payacc.removed_on_save');
          }
        },
      }, t('payacc.remove'));
      return h('div', { class: 'actions', style: 'margin-top:0' }, button, note);
    }

    /** A new setting of a provider Kontor does not know: its name and value. */
    function freeRow() {
      const n = freeRows.length + 1;
      const nameInput = h('input', { type: 'text', id: `payacc-new-name-${n}`, 'data-testid': 'payacc-new-name', autocomplete: 'off', spellcheck: 'false', pattern: '[a-z][a-z0-9_]*' });
      const valueInput = h('input', { type: 'text', id: `payacc-new-value-${n}`, 'data-testid': 'payacc-new-value', autocomplete: 'off', spellcheck: 'false' });
      freeRows.push({ nameInput, valueInput });
      return h('div', { class: 'grid' },
        h('div', { class: 'field' }, h('label', { for: nameInput.id }, t('payacc.setting_name')), nameInput),
        h('div', { class: 'field' }, h('label', { for: valueInput.id }, t('payacc.setting_value')), valueInput));
    }

    function renderSettings() {
      freeRows.length = 0;
      removed.clear();
      if (!provider) { mount(settingsBox); return; }
      const known = PROVIDER_SETTINGS[provider];
      const specs = known ? [...known] : [];
      // what is set beyond the known settings (or every setting of an unknown provider)
      for (const name of Object.keys(hint).sort()) {
        if (!specs.some((s) => s.name === name)) specs.push({ name });
      }
      const rows = h('div', {});
      const addRow = () => rows.append(freeRow());
      if (!known) addRow();
      mount(settingsBox,
        specs.length ? h('div', { class: 'grid' }, specs.map(settingField)) : null,
        known ? null : h('div', {},
          h('h4', { style: 'margin:.75rem 0 .25rem' }, t('payacc.new_setting')),
          rows,
          h('div', { class: 'actions', style: 'margin-top:.5rem' },
            h('button', { type: 'button', class: 'secondary', 'data-testid': 'payacc-add-setting', onclick: addRow }, t('payacc.add_setting')))));
    }

    const providerControl = isNew
      ? field({
        id: 'payacc-provider', name: 'provider', label: t('payacc.provider'), value: provider, wide: true,
        options: choices.map((p) => ({ value: p.name, label: p.title || p.name })),
        attrs: { onchange: (e) => { provider = e.target.value; renderSettings(); } },
      })
      : null;

    const formEl = h('form', { novalidate: true, class: 'payacc', 'data-testid': 'payacc-form', 'aria-labelledby': 'payacc-form-title' },
      h('h3', { id: 'payacc-form-title' }, isNew ? t('payacc.add') : t('payacc.edit', { provider: providerTitle(state.providers, provider) })),
      providerControl ? h('div', { class: 'grid' }, providerControl) : null,
      h('fieldset', { name: 'settings', id: 'payacc-settings', 'aria-describedby': 'payacc-settings-hint payacc-settings-error', style: 'margin-top:1rem' },
        h('legend', {}, t('payacc.settings')),
        h('p', { class: 'hint muted', id: 'payacc-settings-hint', style: 'margin-top:0' }, isNew ? t('payacc.settings_hint_new') : t('payacc.settings_hint')),
        settingsBox,
        h('p', { class: 'field-error', id: 'payacc-settings-error', 'data-error-for': 'settings' })),
      h('div', { class: 'field' },
        h('label', { class: 'check', for: 'payacc-enabled' }, enabledBox, t('payacc.enabled')),
        h('p', { class: 'field-error', id: 'payacc-enabled-error', 'data-error-for': 'enabled' })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', 'data-testid': 'payacc-save' }, isNew ? t('payacc.add_button') : t('common.save')),
        h('button', { type: 'button', class: 'secondary', onclick: () => { clearAlert(); state.editing = null; render(); } }, t('common.cancel'))));
    renderSettings();

    formEl.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearAlert();
      clearFieldErrors(formEl);
      const settings = {};
      for (const el of settingsBox.querySelectorAll('[data-setting]')) {
        if (!el.name?.startsWith('setting.')) continue;
        const name = el.dataset.setting;
        if (removed.has(name)) settings[name] = '';
        else if (el.value.trim() !== '') settings[name] = el.value.trim();
      }
      for (const { nameInput, valueInput } of freeRows) {
        const name = nameInput.value.trim();
        if (name && valueInput.value.trim() !== '') settings[name] = valueInput.value.trim();
      }
      const body = { enabled: enabledBox.checked };
      if (Object.keys(settings).length) body.settings = settings;
      await busy(formEl.querySelector('button[type=submit]'), async () => {
        try {
          let saved;
          if (isNew) {
            saved = await pb.collection('payment_accounts').create({ ...body, workspace: workspaceId, provider });
            state.accounts = [...state.accounts, saved].sort((x, y) => x.provider.localeCompare(y.provider));
          } else {
            saved = await pb.collection('payment_accounts').update(account.id, body);
            replace(saved);
          }
          state.editing = null;
          render();
          showAlert(t('payacc.saved', { provider: providerTitle(state.providers, saved.provider) }), { kind: 'success' });
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
