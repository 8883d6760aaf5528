// Browser test of the deal board: an owner and a member of one workspace
// open the board in two browser contexts; the owner sees the empty state,
// is told what is wrong with a bad value, adds a deal and drags it to
// another stage with the mouse; the member's board, left open without a
// reload, shows it move; the member moves it on with the keyboard's "Move
// to" select and the owner sees that live. Once the member is made a viewer,
// the member's drag is refused by the server and the card goes back with a
// message; after a reload the viewer's cards cannot be dragged. The server
// must already run at KONTOR_URL (e2e_test.go starts one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, expectText, expectAttribute, serverRecord, stepper, signUp, createWorkspace, fieldError,
} from './helpers.mjs';

let browser;
let owner;
let member;
const pageErrors = [];

before(async () => {
  browser = await launchBrowser();
  owner = await openPage(browser, pageErrors);
  member = await openPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
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

/** The signed-in user's id, from the page's stored sign-in. */
function userId(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('pocketbase_auth') || '{}').record?.id);
}

/** A column of the board, by its heading (the stage's name). */
function column(page, name) {
  return page.getByTestId('deal-board').getByRole('region', { name: new RegExp(`^${name} \\d+$`) });
}

test('deal board: empty state, bad value, drag to another stage, live in a second browser, refused move', { timeout: 120_000 }, async (t) => {
  const { step, run } = stepper(t, 'crm', () => ({ owner, member }), pageErrors);
  const stamp = Date.now();

  await run(async () => {
    let workspaceId;
    await step('sign up the owner and create the workspace', async () => {
      await signUp(owner, { name: 'Olga Vertrieb', email: `e2e-crm-owner-${stamp}@example.com`, password: 'correct horse battery' });
      await createWorkspace(owner, { name: 'Pipeline Studio GmbH' });
      workspaceId = await owner.evaluate(() => localStorage.getItem('kontor.workspace'));
      assert.match(workspaceId || '', /^[a-z0-9]{15}$/);
    });

    let membershipId;
    await step('sign up a second person and make them a member of the workspace', async () => {
      await signUp(member, { name: 'Max Kollege', email: `e2e-crm-member-${stamp}@example.com`, password: 'correct horse battery' });
      const res = await api(owner, 'POST', '/api/collections/memberships/records', { workspace: workspaceId, user: await userId(member), role: 'member' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      membershipId = res.body.id;
    });

    await step('the owner sees the empty board', async () => {
      await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales' }).click();
      await owner.getByTestId('deals-empty').waitFor();
      await expectText(owner.getByTestId('deals-empty').getByRole('heading'), 'No deals yet');
    });

    await step('the member opens the board in another browser context', async () => {
      // a reload reads the workspaces again: now the member's list has the owner's
      await member.reload();
      await member.getByLabel('Workspace').waitFor();
      await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales' }).click();
      await member.getByTestId('deals-empty').waitFor();
      await expectAttribute(member.locator('[data-live]'), 'data-live', 'on');
    });

    await step('a bad value is refused beside its field and nothing is written', async () => {
      await owner.getByTestId('deals-empty').getByRole('button', { name: 'New deal' }).click();
      const form = owner.getByTestId('deal-form');
      await form.getByLabel('Title').fill('Website relaunch');
      await form.getByLabel('Value').fill('-5');
      await form.getByRole('button', { name: 'Create deal' }).click();
      await expectText(await fieldError(form.getByLabel('Value')), /amount of 0 or more/);
      const list = await api(owner, 'GET', `/api/collections/deals/records?filter=${encodeURIComponent(`workspace="${workspaceId}"`)}`);
      assert.equal(list.body.totalItems, 0, 'a refused deal is not saved');
    });

    let dealId;
    await step('the owner adds a deal; it lands in the first stage on both boards', async () => {
      const form = owner.getByTestId('deal-form');
      await form.getByLabel('Value').fill('1500');
      await form.getByLabel('Expected close').fill('2030-06-30');
      await form.getByRole('button', { name: 'Create deal' }).click();
      await expectText(owner.getByTestId('alert-message'), 'Deal “Website relaunch” created.');
      const card = column(owner, 'New').getByTestId('deal-card');
      await expectText(card.getByRole('heading'), 'Website relaunch');
      dealId = await card.getAttribute('data-deal-id');
      await expectText(card.getByTestId('deal-value'), '€1,500.00');
      await expectText(column(owner, 'New').getByTestId('stage-count'), '1');
      await expectText(column(owner, 'New').getByTestId('stage-sum'), '€1,500.00');
      await expectText(column(owner, 'New').getByTestId('stage-weighted'), 'Weighted (10 %): €150.00');
      // the member's board, never reloaded, gets it live
      await expectText(column(member, 'New').getByTestId('deal-card').getByRole('heading'), 'Website relaunch');
    });

    const qualified = async () => (await api(owner, 'GET', `/api/collections/pipeline_stages/records?filter=${encodeURIComponent(`workspace="${workspaceId}"`)}&sort=position`)).body.items;

    await step('the owner drags the deal to Qualified with the mouse', async () => {
      await owner.locator(`[data-deal-id="${dealId}"]`).dragTo(column(owner, 'Qualified'));
      await expectText(column(owner, 'Qualified').getByTestId('deal-card').getByRole('heading'), 'Website relaunch');
      await expectText(column(owner, 'New').getByTestId('stage-count'), '0');
      await expectText(column(owner, 'Qualified').getByTestId('stage-weighted'), 'Weighted (25 %): €375.00');
      await expectText(owner.getByTestId('board-status'), '“Website relaunch” moved to Qualified.');
      const stages = await qualified();
      const saved = await serverRecord(owner, 'deals', dealId);
      assert.equal(saved.stage, stages.find((s) => s.name === 'qualified').id);
      assert.equal(saved.status, 'open');
    });

    await step('the member sees it move without a reload', async () => {
      await expectText(column(member, 'Qualified').getByTestId('deal-card').getByRole('heading'), 'Website relaunch');
      await expectText(column(member, 'New').getByTestId('stage-count'), '0');
    });

    await step('the member moves it on with the keyboard; the owner sees it live', async () => {
      const select = member.locator(`[data-deal-id="${dealId}"]`).getByLabel('Move to');
      await select.focus();
      await select.selectOption({ label: 'Proposal' });
      await expectText(column(member, 'Proposal').getByTestId('deal-card').getByRole('heading'), 'Website relaunch');
      await expectText(column(owner, 'Proposal').getByTestId('deal-card').getByRole('heading'), 'Website relaunch');
      const stages = await qualified();
      assert.equal((await serverRecord(owner, 'deals', dealId)).stage, stages.find((s) => s.name === 'proposal').id);
    });

    await step('made a viewer, the member drags and the server refuses: the card goes back with a message', async () => {
      const res = await api(owner, 'PATCH', `/api/collections/memberships/records/${membershipId}`, { role: 'viewer' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await member.locator(`[data-deal-id="${dealId}"]`).dragTo(column(member, 'Negotiation'));
      await expectText(member.getByTestId('alert-message'), '“Website relaunch” could not be moved to Negotiation; it is back where it was.');
      await expectText(column(member, 'Proposal').getByTestId('deal-card').getByRole('heading'), 'Website relaunch');
      await expectText(column(member, 'Negotiation').getByTestId('stage-count'), '0');
      const stages = await qualified();
      assert.equal((await serverRecord(owner, 'deals', dealId)).stage, stages.find((s) => s.name === 'proposal').id, 'the refused move changed nothing');
      await expectText(column(owner, 'Proposal').getByTestId('stage-count'), '1');
    });

    await step('after a reload the viewer cannot drag or move cards', async () => {
      await member.reload();
      const card = member.locator(`[data-deal-id="${dealId}"]`);
      await expectAttribute(card, 'draggable', 'false');
      assert.equal(await card.getByLabel('Move to').count(), 0);
      assert.equal(await member.getByTestId('new-deal').count(), 0);
    });

    assert.deepEqual(pageErrors, []);
  });
});
