// Browser test of proposals: the owner writes a proposal with an optional
// line, sees the server's totals live, sends it and reads its private link;
// the buyer, in a second browser context without an account, opens the
// link, ticks the optional line, sees the totals change, and signs with a
// drawn signature; the owner's page, left open without a reload, shows the
// buyer opening and signing live; the audit trail verifies intact, and the
// signed proposal becomes a draft invoice. The server must already run at
// KONTOR_URL (e2e_test.go starts one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, launchBrowser, openPage, expectText, expectAttribute, serverRecord, shownId, stepper, signUp, createWorkspace,
} from './helpers.mjs';

let browser;
let owner;
let buyer;
const pageErrors = [];

before(async () => {
  browser = await launchBrowser();
  owner = await openPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
});

/** YYYY-MM-DD, days from today (UTC). */
function isoDay(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('proposal flow: optional line, live totals, send, buyer signs in another context, live status, verify, invoice', { timeout: 120_000 }, async (t) => {
  const { step, run } = stepper(t, 'proposal-flow', () => ({ owner, buyer }), pageErrors);
  const year = String(new Date().getUTCFullYear());
  const email = `e2e-proposal-${Date.now()}@example.com`;
  const validUntil = isoDay(21);

  await run(async () => {
    await step('sign up and create the workspace', async () => {
      await signUp(owner, { name: 'Petra Angebot', email, password: 'correct horse battery' });
      await createWorkspace(owner, { name: 'Angebot Studio GmbH' });
    });

    await step('add a client', async () => {
      await owner.getByTestId('clients-empty').getByRole('link', { name: 'Add client' }).click();
      await owner.getByRole('heading', { name: 'New client' }).waitFor();
      await owner.getByLabel('Name', { exact: true }).fill('Käufer Beispiel AG');
      await owner.getByLabel('Email').fill('einkauf@kaeufer.example');
      await owner.getByLabel('Address', { exact: true }).fill('Marktplatz 3');
      await owner.getByLabel('City').fill('München');
      await owner.getByLabel('Postal code').fill('80331');
      await owner.getByLabel('Country').fill('DE');
      await owner.getByLabel('Invoice language').selectOption('en');
      await owner.getByRole('button', { name: 'Add client' }).click();
      await expectText(owner.getByTestId('clients-table').getByRole('row').nth(1), /Käufer Beispiel AG/);
    });

    await step('see the empty proposals state', async () => {
      await owner.getByRole('navigation').getByRole('link', { name: 'Proposals' }).click();
      await owner.getByTestId('proposals-empty').waitFor();
      await expectText(owner.getByTestId('proposals-empty').getByRole('heading'), 'No proposals yet');
      await owner.getByTestId('proposals-empty').getByRole('link', { name: 'New proposal' }).click();
      await owner.getByRole('heading', { name: 'New proposal' }).waitFor();
    });

    const line1 = owner.getByRole('group', { name: 'Line 1', exact: true });
    const line2 = owner.getByRole('group', { name: 'Line 2', exact: true });
    const totals = owner.getByTestId('totals');

    await step('write a normal and an optional line and see the server totals live', async () => {
      await owner.getByLabel('Client').selectOption({ label: 'Käufer Beispiel AG' });
      await owner.getByLabel('Title').fill('New website');
      await owner.getByLabel('Introduction').fill('Thank you for your enquiry. Here is what we propose.');
      await owner.getByLabel('Terms').fill('50 % on signature, 50 % on delivery.');
      await owner.getByLabel('Valid until').fill(validUntil);
      await line1.getByLabel('Description').fill('Website redesign');
      await line1.getByLabel('Quantity').fill('1');
      await line1.getByLabel('Unit price').fill('2000');
      await line1.getByLabel('VAT rate %').fill('19');
      await owner.getByRole('button', { name: 'Add line' }).click();
      await line2.getByLabel('Description').fill('Hosting, first year');
      await line2.getByLabel('Quantity').fill('1');
      await line2.getByLabel('Unit price').fill('300');
      await line2.getByLabel('VAT rate %').fill('19');
      // not optional yet: both lines count
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(owner.getByTestId('total-gross'), '€2,737.00');

      assert.equal(await line2.getByLabel('Included by default').isVisible(), false);
      await line2.getByLabel('Optional', { exact: true }).check();
      await line2.getByLabel('Included by default').waitFor({ state: 'visible' });
      assert.equal(await line2.getByLabel('Included by default').isChecked(), false);
      // an optional line left out does not count
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(owner.getByTestId('total-net'), '€2,000.00');
      await expectText(owner.getByTestId('total-vat'), '€380.00');
      await expectText(owner.getByTestId('total-gross'), '€2,380.00');
      await expectText(line2.getByText(/^Net amount:/), 'Net amount: €300.00 (optional, not included)');

      // included by default, it counts; then left out again
      await line2.getByLabel('Included by default').check();
      await expectText(owner.getByTestId('total-gross'), '€2,737.00');
      await line2.getByLabel('Included by default').uncheck();
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(owner.getByTestId('total-gross'), '€2,380.00');
    });

    let proposalId;
    await step('save the draft', async () => {
      await owner.getByRole('button', { name: 'Save draft' }).click();
      await expectText(owner.getByTestId('alert-message'), 'Proposal saved.');
      proposalId = shownId(owner);
      await expectText(owner.getByTestId('proposal-heading'), 'Draft proposal');
      await expectText(owner.getByTestId('proposal-status'), 'Draft');
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(owner.getByTestId('total-gross'), '€2,380.00');
      const saved = await serverRecord(owner, 'proposals', proposalId);
      assert.equal(saved.status, 'draft');
      assert.equal(saved.valid_until, validUntil);
      assert.deepEqual(saved.lines.map((l) => [l.description, l.optional, l.included]),
        [['Website redesign', false, true], ['Hosting, first year', true, false]]);
      assert.equal(saved.totals.gross, '2380.00');
    });

    let number;
    let publicPath;
    await step('send it and read the link, shown once', async () => {
      await owner.getByRole('button', { name: 'Send', exact: true }).click();
      number = await expectText(owner.getByTestId('proposal-number'), new RegExp(`^QUO-${year}-0001$`));
      await expectText(owner.getByTestId('proposal-status'), 'Sent');
      await expectText(owner.getByTestId('proposal-heading'), `Proposal ${number}`);
      await expectText(owner.getByTestId('proposal-version'), '1');
      await expectText(owner.getByTestId('alert-message'), `Proposal ${number} sent.`);
      const link = owner.getByTestId('public-link');
      await expectText(link, /This link is shown only now/);
      await expectText(owner.getByTestId('proposal-emailed'), /einkauf@kaeufer\.example/);
      await owner.getByRole('button', { name: 'Copy' }).waitFor();
      const url = await owner.getByLabel('Link for the buyer').inputValue();
      const parsed = new URL(url);
      assert.match(parsed.pathname, /^\/p\/[A-Za-z0-9_-]{43}$/, `a public link, got ${url}`);
      // the link names the server's configured public URL; the test server
      // answers on its own port, so the path is opened there
      publicPath = parsed.pathname;
      await owner.getByRole('button', { name: 'Send again' }).waitFor();
      await expectText(owner.getByTestId('timeline').locator('li[data-event-type="sent"]'), /^Sent version 1 .*By Petra Angebot/);
    });

    await step('the buyer opens the link in another browser context', async () => {
      buyer = await openPage(browser, pageErrors);
      await buyer.goto(`${BASE}${publicPath}`);
      await buyer.getByRole('heading', { name: new RegExp(`Proposal\\s+${number}`) }).waitFor();
      await expectText(buyer.locator('#total-gross'), /2,380\.00/);
      // the owner's page follows without a reload
      await expectText(owner.getByTestId('proposal-status'), 'Viewed', { timeout: 5000 });
      await expectText(owner.getByTestId('timeline').locator('li[data-event-type="opened"]'), /^Opened by the buyer/, { timeout: 5000 });
      assert.notEqual(await owner.getByTestId('proposal-viewed-at').innerText(), '—');
      // the link is still shown to the owner until they leave the page
      await owner.getByTestId('public-url').waitFor();
    });

    await step('the buyer ticks the optional line and sees the totals change', async () => {
      const optional = buyer.locator('input[name="included"]');
      assert.equal(await optional.count(), 1);
      assert.equal(await optional.isChecked(), false);
      await optional.check();
      await expectText(buyer.locator('#total-net'), /2,300\.00/);
      await expectText(buyer.locator('#total-vat'), /437\.00/);
      await expectText(buyer.locator('#total-gross'), /2,737\.00/);
    });

    await step('the buyer signs with name, email, consent and a drawn signature', async () => {
      await buyer.locator('input[name="name"]').fill('Karl Käufer');
      await buyer.locator('input[name="email"]').fill('karl@kaeufer.example');
      await buyer.locator('input[name="consent"]').check();
      const pad = buyer.getByRole('img', { name: 'Signature drawing area' });
      await pad.waitFor({ state: 'visible' });
      const box = await pad.boundingBox();
      assert.ok(box && box.width > 40 && box.height > 20, 'the signature pad has a size');
      await buyer.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6);
      await buyer.mouse.down();
      await buyer.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.3, { steps: 5 });
      await buyer.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
      await buyer.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.4, { steps: 5 });
      await buyer.mouse.up();
      await buyer.getByRole('button', { name: 'Accept and sign' }).click();
      await buyer.getByRole('heading', { name: 'Proposal accepted' }).waitFor();
      await expectText(buyer.getByText(/^Signed by Karl Käufer/), /karl@kaeufer\.example/);
    });

    await step("the owner's open page shows it signed, live", async () => {
      await expectText(owner.getByTestId('proposal-status'), 'Signed', { timeout: 5000 });
      await expectText(owner.getByTestId('proposal-signer'), 'Karl Käufer <karl@kaeufer.example>', { timeout: 5000 });
      const timeline = owner.getByTestId('timeline');
      await expectText(timeline.locator('li[data-event-type="signed"]'), /^Signed version 1 .*By Karl Käufer <karl@kaeufer\.example>/, { timeout: 5000 });
      await expectText(timeline.locator('li[data-event-type="opened"]'), /^Opened by the buyer/);
      assert.deepEqual(await timeline.locator('li').evaluateAll((els) => els.map((el) => el.dataset.eventType)).then((types) => types.filter((x) => x !== 'created')),
        ['sent', 'opened', 'signed']);
      // read-only now, with the totals the buyer signed
      await expectText(owner.getByTestId('total-gross'), '€2,737.00');
      assert.equal(await owner.getByRole('button', { name: 'Save', exact: true }).count(), 0);
      assert.equal(await owner.getByRole('button', { name: 'Send again' }).count(), 0);
      await expectText(owner.getByTestId('proposal-lines-table').getByRole('row').nth(2), /Hosting, first year Optional, chosen by the buyer/);
      const signed = await serverRecord(owner, 'proposals', proposalId);
      assert.equal(signed.status, 'signed');
      assert.equal(signed.totals.gross, '2737.00');
    });

    await step('verify the audit trail', async () => {
      await owner.getByRole('button', { name: 'Verify' }).click();
      const result = owner.getByTestId('verify-result');
      await expectAttribute(result, 'data-intact', 'true');
      await expectText(result, /^Audit trail intact\. \d+ events, chain head [0-9a-f]{12}…/);
    });

    await step('make the draft invoice from the signed proposal', async () => {
      await owner.getByRole('button', { name: 'Create invoice' }).click();
      await owner.getByRole('heading', { name: 'Draft invoice' }).waitFor();
      assert.match(new URL(owner.url()).hash, /^#\/invoices\/[a-z0-9]{15}$/);
      await expectText(owner.getByTestId('alert-message'), `Draft invoice created from proposal ${number}.`);
      const line1 = owner.getByRole('group', { name: 'Line 1', exact: true });
      const line2 = owner.getByRole('group', { name: 'Line 2', exact: true });
      assert.equal(await line1.getByLabel('Description').inputValue(), 'Website redesign');
      assert.equal(await line2.getByLabel('Description').inputValue(), 'Hosting, first year');
      assert.equal(await owner.getByRole('group', { name: 'Line 3', exact: true }).count(), 0);
      await expectAttribute(owner.getByTestId('totals'), 'data-state', 'ok');
      await expectText(owner.getByTestId('total-gross'), '€2,737.00');
      const invoiceId = shownId(owner);
      assert.equal((await serverRecord(owner, 'proposals', proposalId)).converted_invoice, invoiceId);
    });

    await step('find it in the list, filtered by status, linked to its invoice', async () => {
      await owner.getByRole('navigation').getByRole('link', { name: 'Proposals' }).click();
      const table = owner.getByTestId('proposals-table');
      await expectText(table.getByRole('row').nth(1), new RegExp(`^${number} New website Käufer Beispiel AG Signed €2,737\\.00 `));
      await owner.getByLabel('Status').selectOption('draft');
      await owner.getByTestId('proposals-none').waitFor();
      await owner.getByLabel('Status').selectOption('signed');
      await owner.getByRole('link', { name: number }).click();
      await expectText(owner.getByTestId('proposal-status'), 'Signed');
      await owner.getByTestId('proposal-converted').getByRole('link').waitFor();
      assert.equal(await owner.getByRole('button', { name: 'Create invoice' }).count(), 0);
    });

    assert.deepEqual(pageErrors, [], 'no uncaught errors or missing translations in the pages');
  });
});
