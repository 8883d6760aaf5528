// Browser test of getting paid: the owner adds a GoCardless account to the
// workspace settings, sees its settings only masked (and the server never
// returns them) with the webhook URL to give GoCardless, removes one
// setting, and opens the Plan page, where billing is off (the test server
// has no Stripe key). The server must already run at KONTOR_URL
// (e2e_test.go starts one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, expectText, expectAttribute, serverRecord, stepper, signUp, createWorkspace,
} from './helpers.mjs';

let browser;
let owner;
const pageErrors = [];

before(async () => {
  browser = await launchBrowser();
  owner = await openPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
});

/** The server's mask of a secret (hooks/payments mask): its start, "…", its last four. */
function masked(value) {
  const head = Math.min(8, Math.floor(value.length / 3));
  return `${value.slice(0, head)}…${value.slice(-4)}`;
}

test('payments: a GoCardless account, masked settings and webhook URL; billing off', { timeout: 60_000 }, async (t) => {
  const { step, run } = stepper(t, 'payments', () => ({ owner }), pageErrors);
  const email = `e2e-payments-${Date.now()}@example.com`;
  const token = 'sandbox_e2e_access_token_7f3a91';
  const secret = 'gc_webhook_secret_e2e_5c2d';
  const section = owner.getByTestId('payment-accounts');
  const account = section.locator('[data-testid="payment-account"][data-provider="gocardless"]');
  let workspaceId;

  await run(async () => {
    await step('sign up and create the workspace', async () => {
      await signUp(owner, { name: 'Greta Zahlung', email, password: 'correct horse battery' });
      await createWorkspace(owner, { name: 'Zahlung Studio GmbH' });
    });

    await step('open the workspace settings and see the payment providers', async () => {
      await owner.getByRole('navigation').getByRole('link', { name: 'Workspaces' }).click();
      const edit = owner.getByRole('link', { name: 'Edit' });
      workspaceId = (await edit.getAttribute('href')).match(/#\/workspaces\/([a-z0-9]+)\/edit/)[1];
      await edit.click();
      await owner.getByRole('heading', { name: 'Workspace settings' }).waitFor();
      await section.getByRole('heading', { name: 'Online payments' }).waitFor();
      await section.getByTestId('payacc-empty').waitFor();
    });

    await step('add a GoCardless account', async () => {
      await section.getByRole('button', { name: 'Add payment provider' }).click();
      const provider = section.getByLabel('Provider', { exact: true });
      assert.deepEqual(await provider.locator('option').evaluateAll((os) => os.map((o) => o.value).sort()), ['gocardless', 'stripe']);
      await provider.selectOption('gocardless');
      await section.getByLabel('Access token').fill(token);
      await section.getByLabel('Webhook signing secret').fill(secret);
      await section.getByLabel('Environment').selectOption('sandbox');
      await section.getByRole('button', { name: 'Add account' }).click();
      await expectText(owner.getByTestId('alert-message'), /^The GoCardless.* account was saved\.$/);
    });

    await step('see it listed with masked settings and its webhook URL', async () => {
      await expectText(account.locator('[data-setting="access_token"]'), masked(token));
      await expectText(account.locator('[data-setting="webhook_secret"]'), masked(secret));
      await expectText(account.getByTestId('payacc-state'), 'On');
      const url = await account.getByTestId('payacc-webhook-url').inputValue();
      assert.match(url, new RegExp(`^https?://[^/]+/api/kontor/webhooks/payments/gocardless/${workspaceId}$`));
      await expectText(account.locator('.link-box .hint'), 'Add this URL as a webhook endpoint at the provider.');
      await account.getByRole('button', { name: 'Copy' }).waitFor();
      assert.ok(!(await section.innerText()).includes(token), 'the token is never shown');
      // the server never gives the settings back
      const id = await owner.evaluate(async (ws) => {
        const { token: auth } = JSON.parse(localStorage.getItem('pocketbase_auth') || '{}');
        const res = await fetch(`/api/collections/payment_accounts/records?filter=${encodeURIComponent(`workspace="${ws}"`)}`, { headers: { Authorization: auth } });
        return (await res.json()).items[0].id;
      }, workspaceId);
      const stored = await serverRecord(owner, 'payment_accounts', id);
      assert.equal(stored.settings, undefined);
      assert.equal(stored.enabled, true);
      assert.equal(stored.settings_hint.access_token, masked(token));
    });

    await step('edit it: the inputs are empty with the mask as placeholder; remove a setting', async () => {
      await account.getByRole('button', { name: 'Edit' }).click();
      const form = section.getByTestId('payacc-form');
      const tokenInput = form.getByRole('textbox', { name: 'Access token' });
      assert.equal(await tokenInput.inputValue(), '');
      await expectAttribute(tokenInput, 'placeholder', masked(token));
      await form.getByRole('button', { name: 'Remove Webhook signing secret' }).click();
      await form.getByRole('button', { name: 'Save' }).click();
      await expectText(owner.getByTestId('alert-message'), /^The GoCardless.* account was saved\.$/);
      await expectText(account.locator('[data-setting="access_token"]'), masked(token));
      assert.equal(await account.locator('[data-setting="webhook_secret"]').count(), 0);
    });

    await step('open the plan page: billing is off', async () => {
      await owner.getByRole('navigation').getByRole('link', { name: 'Plan' }).click();
      await owner.getByRole('heading', { name: 'Plan', level: 1 }).waitFor();
      await expectText(owner.getByTestId('billing-off'), /^Billing is off on this server: all workspaces are on the \w+ plan\.$/);
      await owner.getByTestId('current-plan').waitFor();
      assert.equal(await owner.getByTestId('billing-checkout').count(), 0);
      assert.equal(await owner.getByTestId('billing-portal').count(), 0);
    });

    assert.deepEqual(pageErrors, []);
  });
});
