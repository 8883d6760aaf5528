// The assistant of the open workspace (#/assistant): the user's own
// conversations, and a chat whose answers stream in as server-sent events
// (the model's tool calls, their results as cards linking to the records,
// the answer). EventSource cannot POST, so the stream is read with fetch
// and a ReadableStream. Without a configured provider the page says the
// assistant is off and why. See docs/assistant.md.
import { pb } from '../lib/pb.js';
import { h, mount, loading, busy } from '../lib/dom.js';
import { t, has } from '../lib/i18n.js';
import { session, canAdminister } from '../lib/session.js';
import { errorState, reportError, clearAlert, showAlert, errorMessage } from '../lib/errors.js';
import { dateTime } from '../lib/format.js';

/** Reads a response body of server-sent events, calling onEvent(name, data) as each arrives. */
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) {
        try { onEvent(name, JSON.parse(data.join('\n'))); } catch { /* not ours */ }
      }
    }
  }
}

/** A tool's name in words. */
function toolLabel(name) {
  return has(`assistant.tool.${name}`) ? t(`assistant.tool.${name}`) : name;
}

/** A card: a record a tool returned, linking to its page. */
function card(c) {
  const kind = has(`assistant.kind.${c.collection}`) ? t(`assistant.kind.${c.collection}`) : c.collection;
  const body = [h('span', { class: 'badge' }, kind), ' ', h('strong', {}, c.title || c.id),
    c.subtitle ? h('span', { class: 'muted' }, ` · ${c.subtitle}`) : null];
  return h('li', { class: 'assistant-card', 'data-testid': 'assistant-card', 'data-collection': c.collection, 'data-id': c.id },
    c.link ? h('a', { href: c.link }, body) : h('span', {}, body));
}

/** A message bubble. */
function bubble(role, text, extra = {}) {
  return h('div', { class: `assistant-msg assistant-${role}`, 'data-testid': `assistant-${role}`, ...extra },
    h('span', { class: 'visually-hidden' }, t(`assistant.role.${role}`), ': '),
    h('p', {}, text));
}

export async function page(ctx) {
  ctx.setTitle(t('assistant.title'));
  const ws = session.workspace;
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('assistant.title')),
    canAdminister() ? h('a', { href: '#/assistant/settings', class: 'button secondary', 'data-testid': 'assistant-settings-link' }, t('assistant.settings.title')) : null);
  const body = h('div');
  mount(ctx.root, head, body);
  mount(body, loading(t('common.loading')));

  let status;
  try {
    status = await pb.send(`/api/kontor/assistant/status?workspace=${encodeURIComponent(ws.id)}`, { requestKey: null });
  } catch (err) {
    if (!err?.isAbort) mount(body, errorState(err, () => page(ctx)));
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!status.on) {
    const reason = has(`assistant.off.${status.reason}`) ? t(`assistant.off.${status.reason}`) : status.message;
    mount(body, h('div', { class: 'empty-state', 'data-testid': 'assistant-off', 'data-reason': status.reason || '' },
      h('h2', {}, t('assistant.off.title')),
      h('p', {}, reason),
      canAdminister() && status.reason !== 'no_plugin'
        ? h('a', { href: '#/assistant/settings', class: 'button' }, t('assistant.off.configure')) : null));
    return;
  }

  const state = { conversations: [], current: null, sending: false };
  let controller = null;
  const list = h('ul', { class: 'assistant-list', 'data-testid': 'assistant-conversations' });
  const log = h('div', { class: 'assistant-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'data-testid': 'assistant-log' });
  const input = h('textarea', { id: 'assistant-input', name: 'text', rows: 3, maxlength: 8000, required: true, 'data-testid': 'assistant-input' });
  const send = h('button', { type: 'submit', 'data-testid': 'assistant-send' }, t('assistant.send'));
  const form = h('form', { class: 'assistant-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); ask(); } },
    h('label', { for: 'assistant-input' }, t('assistant.ask')), input,
    h('div', { class: 'actions' }, send,
      status.can_draft ? null : h('span', { class: 'muted', 'data-testid': 'assistant-read-only' }, t('assistant.read_only'))));
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); ask(); } });

  const privacy = h('details', { class: 'assistant-privacy', 'data-testid': 'assistant-privacy' },
    h('summary', {}, t('assistant.privacy.summary', { provider: status.provider_title || status.provider })),
    h('p', {}, t('assistant.privacy.intro')),
    status.privacy ? h('p', { class: 'muted' }, status.privacy) : null);

  mount(body, h('div', { class: 'assistant' },
    h('aside', { class: 'assistant-side', 'aria-label': t('assistant.conversations') },
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'assistant-new', onclick: () => open(null) }, t('assistant.new')),
      list),
    h('section', { class: 'assistant-chat card', 'aria-label': t('assistant.chat') }, log, form, privacy)));

  async function loadList() {
    state.conversations = await pb.collection('assistant_conversations').getFullList({
      filter: pb.filter('workspace = {:ws} && user = {:u}', { ws: ws.id, u: pb.authStore.record?.id || '' }),
      sort: '-updated', requestKey: null,
    });
    renderList();
  }

  function renderList() {
    mount(list, state.conversations.length === 0 ? h('li', { class: 'muted' }, t('assistant.none')) : null,
      state.conversations.map((c) => h('li', { 'data-id': c.id, class: c.id === state.current ? 'current' : null },
        h('button', { type: 'button', class: 'link', 'aria-current': c.id === state.current ? 'true' : null, onclick: () => open(c.id) },
          c.title || t('assistant.untitled')),
        h('span', { class: 'muted' }, ` ${dateTime(c.updated)} `),
        h('button', {
          type: 'button', class: 'link danger', 'data-testid': 'assistant-delete',
          'aria-label': t('assistant.delete_named', { title: c.title || t('assistant.untitled') }),
          onclick: (e) => remove(c, e.currentTarget),
        }, t('assistant.delete')))));
  }

  async function remove(c, button) {
    if (!window.confirm(t('assistant.delete_confirm'))) return;
    clearAlert();
    await busy(button, async () => {
      try {
        await pb.collection('assistant_conversations').delete(c.id);
        state.conversations = state.conversations.filter((x) => x.id !== c.id);
        if (state.current === c.id) open(null);
        renderList();
        showAlert(t('assistant.deleted'), { kind: 'success' });
      } catch (err) {
        reportError(err, null);
      }
    });
  }

  /** Shows a stored conversation, or an empty chat for null. */
  async function open(id) {
    state.current = id;
    renderList();
    if (!id) {
      mount(log, h('p', { class: 'muted', 'data-testid': 'assistant-empty' }, t('assistant.empty')));
      input.focus();
      return;
    }
    mount(log, loading(t('common.loading')));
    try {
      const messages = await pb.collection('assistant_messages').getFullList({
        filter: pb.filter('conversation = {:c}', { c: id }), sort: 'created', requestKey: null,
      });
      if (state.current !== id) return;
      mount(log);
      for (const m of messages) {
        if (m.role === 'tool') {
          const cards = Array.isArray(m.cards) ? m.cards : [];
          if (cards.length) log.append(h('ul', { class: 'assistant-cards' }, cards.map(card)));
        } else if (m.text) {
          log.append(bubble(m.role, m.text));
        } else if (Array.isArray(m.tool_calls)) {
          for (const c of m.tool_calls) log.append(h('p', { class: 'assistant-step muted' }, t('assistant.calling', { tool: toolLabel(c.name) })));
        }
      }
    } catch (err) {
      if (!err?.isAbort) mount(log, errorState(err, () => open(id)));
    }
  }

  /** Sends the message and renders the answer's events as they arrive. */
  async function ask() {
    const text = input.value.trim();
    if (!text || state.sending) return;
    clearAlert();
    state.sending = true;
    send.disabled = true;
    if (!state.current) mount(log);
    log.append(bubble('user', text));
    input.value = '';
    const working = h('p', { class: 'assistant-step muted', 'data-testid': 'assistant-working' }, t('assistant.working'));
    log.append(working);
    const path = state.current
      ? `/api/kontor/assistant/conversations/${encodeURIComponent(state.current)}/messages`
      : '/api/kontor/assistant/conversations';
    controller = new AbortController();
    // the answer's bubble while its text streams in; the message event replaces it
    let streaming = null;
    try {
      const res = await fetch(pb.buildURL(path), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: pb.authStore.token },
        body: JSON.stringify(state.current ? { text } : { workspace: ws.id, text }),
        signal: controller.signal,
      });
      if (!res.ok || !(res.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
        const data = await res.json().catch(() => ({}));
        throw Object.assign(new Error(data.message || res.statusText), { status: res.status, response: data, data });
      }
      await readEvents(res, (name, data) => {
        switch (name) {
          case 'conversation':
            if (state.current !== data.id) {
              state.current = data.id;
              if (!state.conversations.some((c) => c.id === data.id)) {
                state.conversations.unshift({ id: data.id, title: data.title, updated: new Date().toISOString() });
              }
              renderList();
            }
            break;
          case 'tool_call':
            working.before(h('p', { class: 'assistant-step muted', 'data-testid': 'assistant-tool-call' }, t('assistant.calling', { tool: toolLabel(data.name) })));
            break;
          case 'tool_result': {
            const cards = Array.isArray(data.cards) ? data.cards : [];
            if (data.is_error) {
              working.before(h('p', { class: 'assistant-step notice-warning', 'data-testid': 'assistant-tool-error' }, `${toolLabel(data.name)}: ${data.error}`));
            } else if (cards.length) {
              working.before(h('ul', { class: 'assistant-cards', 'data-testid': 'assistant-cards' }, cards.map(card)));
            } else {
              working.before(h('p', { class: 'assistant-step muted' }, t('assistant.nothing_found', { tool: toolLabel(data.name) })));
            }
            break;
          }
          case 'delta':
            if (!streaming) {
              streaming = bubble('assistant', '', { 'data-testid': 'assistant-streaming', 'aria-busy': 'true' });
              working.before(streaming);
            }
            streaming.querySelector('p').append(data.text || '');
            break;
          case 'message': {
            const final = data.text ? bubble('assistant', data.text) : null;
            if (streaming) {
              if (final) streaming.replaceWith(final);
              else streaming.remove();
              streaming = null;
            } else if (final) {
              working.before(final);
            }
            break;
          }
          case 'error':
            // an answer cut off is not stored: its streamed text goes too
            streaming?.remove();
            streaming = null;
            working.before(h('p', { class: 'assistant-error notice-warning', role: 'alert', 'data-testid': 'assistant-error' }, data.message));
            break;
          default:
        }
      });
    } catch (err) {
      if (err?.name !== 'AbortError') {
        working.before(h('p', { class: 'assistant-error notice-warning', role: 'alert', 'data-testid': 'assistant-error' }, errorMessage(err)));
        if (!input.value) input.value = text;
      }
    } finally {
      streaming?.remove();
      working.remove();
      controller = null;
      state.sending = false;
      send.disabled = false;
      if (ctx.isCurrent()) input.focus();
      loadList().catch(() => {});
    }
  }

  try {
    await loadList();
  } catch (err) {
    if (!err?.isAbort) reportError(err, null);
  }
  open(state.conversations[0]?.id || null);
  return () => controller?.abort();
}
