// Browser test of the assistant: an owner opens #/assistant and is told it
// is off because no provider is configured; sets up Anthropic in
// #/assistant/settings against a local fake of the Messages API (the real
// first-party plugin calls it); asks a question whose answer streams in
// with a tool's result as a card linking to the contact; and deletes the
// conversation. The server must already run at KONTOR_URL (e2e_test.go
// starts one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { BASE, launchBrowser, openPage, expectText, expectAttribute, stepper, signUp, createWorkspace } from './helpers.mjs';

let browser;
let owner;
let fake;
const pageErrors = [];

/**
 * A fake Anthropic Messages API: a user message of "call NAME ARGS" makes
 * the model call that tool, tool results make it answer "Done.", anything
 * else "Hello.".
 */
/**
 * Sends an answer as the Messages API streams it (server-sent events):
 * text in pieces, the second piece only after a pause, so that the page
 * shows the answer growing; tool input as partial JSON.
 */
async function streamAnswer(res, content, stop) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [],
    stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } });
  for (const [index, block] of content.entries()) {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      const cut = Math.ceil(block.text.length / 2);
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text.slice(0, cut) } });
      await new Promise((r) => setTimeout(r, 1500));
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text.slice(cut) } });
    } else {
      send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      const json = JSON.stringify(block.input);
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, 5) } });
      send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(5) } });
    }
    send('content_block_stop', { index });
  }
  send('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } });
  send('message_stop', {});
  res.end();
}

function startFakeModel() {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      const last = body.messages?.[body.messages.length - 1] || { content: [] };
      const blocks = Array.isArray(last.content) ? last.content : [{ type: 'text', text: String(last.content) }];
      const text = blocks.filter((b) => b.type === 'text').map((b) => b.text).join('');
      let content;
      let stop = 'end_turn';
      if (blocks.some((b) => b.type === 'tool_result')) {
        content = [{ type: 'text', text: 'Done.' }];
      } else if (text.startsWith('call ')) {
        const [name, ...args] = text.slice(5).split(' ');
        content = [{ type: 'tool_use', id: 'toolu_1', name, input: JSON.parse(args.join(' ')) }];
        stop = 'tool_use';
      } else {
        content = [{ type: 'text', text: 'Hello.' }];
      }
      if (!body.stream) {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason: stop,
          usage: { input_tokens: 10, output_tokens: 5 } }));
        return;
      }
      streamAnswer(res, content, stop);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  fake = await startFakeModel();
  browser = await launchBrowser();
  owner = await openPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
  fake?.close();
});

/** Calls the API with the page's own sign-in; returns {status, body}. */
function api(page, method, path, body) {
  return page.evaluate(async ([method, path, body]) => {
    const { token } = JSON.parse(localStorage.getItem('pocketbase_auth') || '{}');
    const res = await fetch(path, {
      method,
      headers: { Authorization: token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, [method, path, body]);
}

test('assistant: off without a provider, set up, streamed answer with a card, delete', { timeout: 120_000 }, async (t) => {
  const { step, run } = stepper(t, 'assistant', () => ({ owner }), pageErrors);
  const stamp = Date.now();

  await run(async () => {
    let contactId;
    await step('sign up, create the workspace and a contact', async () => {
      await signUp(owner, { name: 'Olga Owner', email: `olga-${stamp}@example.com`, password: 'correct horse battery' });
      await createWorkspace(owner, { name: `Assistant GmbH ${stamp}` });
      const ws = await api(owner, 'GET', '/api/collections/workspaces/records');
      const created = await api(owner, 'POST', '/api/collections/contacts/records',
        { workspace: ws.body.items[0].id, first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' });
      assert.equal(created.status, 200);
      contactId = created.body.id;
    });

    await step('the assistant is off and says why', async () => {
      await owner.goto(`${BASE}/#/assistant`);
      const off = owner.getByTestId('assistant-off');
      await expectAttribute(off, 'data-reason', 'no_account');
      await expectText(off.getByRole('heading'), 'The assistant is off');
    });

    await step('an admin sets up Anthropic; the key is never shown back', async () => {
      await owner.getByRole('link', { name: 'Set up a provider' }).click();
      await owner.getByRole('heading', { name: 'Assistant provider' }).waitFor();
      await owner.getByLabel('Provider').selectOption('anthropic');
      await owner.getByLabel('API key').fill('sk-ant-api03-e2e-secret-key-1234');
      await owner.getByLabel('API URL (optional)').fill(`http://127.0.0.1:${fake.address().port}`);
      await owner.getByRole('button', { name: 'Save' }).click();
      await expectAttribute(owner.getByTestId('assistant-api-key'), 'placeholder', 'sk-ant-a…1234');
      assert.equal(await owner.getByTestId('assistant-api-key').inputValue(), '');
      await expectText(owner.getByTestId('assistant-provider-privacy').locator('p').last(), /train/);
    });

    await step('a question streams in with a card linking to the contact', async () => {
      await owner.goto(`${BASE}/#/assistant`);
      await owner.getByTestId('assistant-input').fill('call search_contacts {"query":"Lovelace"}');
      await owner.getByTestId('assistant-send').click();
      const cardLink = owner.getByTestId('assistant-card').getByRole('link');
      await expectText(cardLink, /Ada Lovelace/);
      await expectAttribute(cardLink, 'href', `#/contacts/${contactId}`);
      // the answer shows as it comes: its first half before the rest is sent
      await expectText(owner.getByTestId('assistant-streaming'), /Do/);
      await expectText(owner.getByTestId('assistant-assistant').last(), 'Assistant: Done.');
      assert.equal(await owner.getByTestId('assistant-streaming').count(), 0);
      await expectText(owner.getByTestId('assistant-conversations').getByRole('button').first(), /^call search_contacts/);
      await owner.getByTestId('assistant-privacy').locator('summary').click();
      await expectText(owner.getByTestId('assistant-privacy').locator('p').last(), /Anthropic/);
    });

    await step('the conversation is deleted', async () => {
      owner.once('dialog', (d) => d.accept());
      await owner.getByTestId('assistant-delete').click();
      await expectText(owner.getByTestId('assistant-conversations'), 'No conversations yet.');
      await owner.getByTestId('assistant-empty').waitFor();
    });
    assert.deepEqual(pageErrors, []);
  });
});
