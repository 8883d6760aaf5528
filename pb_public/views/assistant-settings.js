// The assistant's provider for the open workspace (#/assistant/settings),
// for its owners and admins: which LLM plugin, which model, the API key and
// whether the assistant is on. The key is write-only: the server seals it
// and only ever answers it masked (settings_hint), so its input starts
// empty with the mask as placeholder, and an empty key keeps the stored one.
// Nothing is sent to a provider until an account is saved and enabled.
import { pb } from '../lib/pb.js';
import { h, mount, field, busy, loading } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { session, canAdminister } from '../lib/session.js';
import { errorState, reportError, clearAlert, clearFieldErrors, showAlert } from '../lib/errors.js';

export async function page(ctx) {
  ctx.setTitle(t('assistant.settings.title'));
  const ws = session.workspace;
  const body = h('div');
  mount(ctx.root,
    h('div', { class: 'page-head' }, h('h1', {}, t('assistant.settings.title')),
      h('a', { href: '#/assistant', class: 'button secondary' }, t('assistant.title'))),
    h('p', { class: 'muted' }, t('assistant.settings.intro')),
    body);
  if (!canAdminister()) {
    mount(body, h('div', { class: 'empty-state', 'data-testid': 'assistant-settings-admins' }, h('p', {}, t('assistant.settings.admins_only'))));
    return;
  }
  mount(body, loading(t('common.loading')));

  let providers;
  let account;
  try {
    [providers, account] = await Promise.all([
      pb.send('/api/kontor/assistant/providers', { requestKey: null }),
      pb.collection('assistant_accounts').getFirstListItem(pb.filter('workspace = {:ws}', { ws: ws.id }), { requestKey: null })
        .catch((err) => { if (err?.status === 404) return null; throw err; }),
    ]);
  } catch (err) {
    if (!err?.isAbort) mount(body, errorState(err, () => page(ctx)));
    return;
  }
  if (!ctx.isCurrent()) return;
  render();

  function render() {
    if (!Array.isArray(providers) || providers.length === 0) {
      mount(body, h('p', { class: 'notice-warning', 'data-testid': 'assistant-no-providers' }, t('assistant.off.no_plugin')));
      return;
    }
    const hint = (account?.settings_hint && typeof account.settings_hint === 'object') ? account.settings_hint : {};
    let provider = account?.provider || providers[0].name;
    const modelBox = h('div');
    const privacyBox = h('div', { class: 'assistant-privacy', 'data-testid': 'assistant-provider-privacy' });
    const renderProvider = () => {
      const p = providers.find((x) => x.name === provider) || { models: [] };
      mount(modelBox, field({
        id: 'assistant-model', name: 'model', label: t('assistant.settings.model'),
        value: account?.provider === provider ? (account.model || '') : '',
        options: [{ value: '', label: t('assistant.settings.model_default') }, ...(p.models || []).map((m) => ({ value: m, label: m }))],
      }));
      mount(privacyBox,
        h('h2', {}, t('assistant.settings.privacy_title')),
        h('p', {}, t('assistant.privacy.intro')),
        p.privacy ? h('p', { class: 'muted' }, p.privacy) : null);
    };
    const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'assistant-settings-form' },
      h('div', { class: 'grid' },
        field({
          id: 'assistant-provider', name: 'provider', label: t('assistant.settings.provider'), value: provider,
          options: providers.map((p) => ({ value: p.name, label: p.title || p.name })),
          attrs: { onchange: (e) => { provider = e.target.value; renderProvider(); } },
        }),
        modelBox,
        field({
          id: 'assistant-api-key', name: 'api_key', label: t('assistant.settings.api_key'), type: 'password', value: '',
          hint: hint.api_key ? t('assistant.settings.key_set', { mask: hint.api_key }) : t('assistant.settings.key_unset'),
          attrs: { placeholder: hint.api_key || '', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'assistant-api-key' },
        }),
        field({
          id: 'assistant-base-url', name: 'base_url', label: t('assistant.settings.base_url'), value: hint.base_url || '',
          hint: t('assistant.settings.base_url_hint'), attrs: { placeholder: 'https://…', spellcheck: 'false' },
        })),
      h('div', { class: 'field' },
        h('label', { class: 'check', for: 'assistant-enabled' },
          h('input', { type: 'checkbox', id: 'assistant-enabled', name: 'enabled', checked: account ? !!account.enabled : true }),
          t('assistant.settings.enabled'))),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', 'data-testid': 'assistant-settings-save' }, t('common.save')),
        account ? h('button', { type: 'button', class: 'danger', 'data-testid': 'assistant-settings-delete', onclick: (e) => remove(e.currentTarget) }, t('assistant.settings.delete')) : null),
      privacyBox);
    renderProvider();
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearAlert();
      clearFieldErrors(form);
      const data = {
        provider,
        model: form.elements.model.value,
        base_url: form.elements.base_url.value.trim(),
        enabled: form.elements.enabled.checked,
      };
      const key = form.elements.api_key.value.trim();
      if (key) data.api_key = key;
      await busy(e.submitter || form.querySelector('[type=submit]'), async () => {
        try {
          account = account
            ? await pb.collection('assistant_accounts').update(account.id, data)
            : await pb.collection('assistant_accounts').create({ ...data, workspace: ws.id });
          render();
          showAlert(t('assistant.settings.saved'), { kind: 'success' });
        } catch (err) {
          reportError(err, form);
        }
      });
    });
    mount(body, form);
  }

  async function remove(button) {
    if (!window.confirm(t('assistant.settings.delete_confirm'))) return;
    clearAlert();
    await busy(button, async () => {
      try {
        await pb.collection('assistant_accounts').delete(account.id);
        account = null;
        render();
        showAlert(t('assistant.settings.deleted'), { kind: 'success' });
      } catch (err) {
        reportError(err, null);
      }
    });
  }
}
