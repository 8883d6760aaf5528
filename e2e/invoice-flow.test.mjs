// Browser test of the Kontor web UI: one person's way from the sign-in page
// to a paid invoice, its reminders and its e-invoice, then a reverse-charge
// draft whose client's VAT number is checked with VIES, driven through the
// UI only, with playwright-core and Debian's Chromium. The server must
// already run at KONTOR_URL (e2e_test.go starts one, with a fake VIES that
// finds ESB12345678 valid; by hand, point the server's KONTOR_VIES_URL at
// such a fake: KONTOR_URL=http://127.0.0.1:8090 node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import {
  RESULTS, BASE, launchBrowser, openPage, expectText, expectAttribute, fieldError,
  serverRecord as serverRecordOf, shownId as shownIdOf,
} from './helpers.mjs';

let browser;
let page;
const pageErrors = [];

before(async () => {
  browser = await launchBrowser();
  page = await openPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
});

/** A record as the server has it, read with the page's own sign-in token. */
const serverRecord = (collection, id) => serverRecordOf(page, collection, id);

/** The id of the record the page shows, from its #/collection/id address. */
const shownId = () => shownIdOf(page);

test('invoice flow: language, sign-up, workspace, client, live totals, issue, send, reminders, e-invoice, pay, credit, recurring, reverse-charge warning, VIES check', { timeout: 120_000 }, async (t) => {
  let current = 'start';
  const step = async (name, fn) => {
    current = name;
    t.diagnostic(`step: ${name}`);
    await fn();
  };
  const year = String(new Date().getUTCFullYear());
  const email = `e2e-${Date.now()}@example.com`;

  try {
    await step('open the app', async () => {
      await page.goto(`${BASE}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    });

    await step('switch to Spanish and back', async () => {
      await page.getByLabel('Language').selectOption('es');
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
      await expectAttribute(page.locator('html'), 'lang', 'es');
      // remembered in the strictly necessary kontor_lang cookie, for a year
      const lang = (await page.context().cookies()).find((c) => c.name === 'kontor_lang');
      assert.equal(lang?.value, 'es');
      assert.ok(lang.expires * 1000 > Date.now() + 364 * 86_400_000, 'kontor_lang lasts a year');
      await page.getByLabel('Idioma').selectOption('en');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectAttribute(page.locator('html'), 'lang', 'en');
    });

    await step('sign up', async () => {
      await page.getByRole('link', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await page.getByLabel('Your name').fill('Erika Muster');
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expectText(page.getByTestId('current-user'), 'Erika Muster');
    });

    await step('create the workspace from the empty state', async () => {
      await page.getByRole('heading', { name: 'You have no workspace yet' }).waitFor();
      await page.getByRole('link', { name: 'Create workspace' }).click();
      await page.getByRole('heading', { name: 'Create your workspace' }).waitFor();
      await page.getByLabel('Legal name').fill('Muster Beratung GmbH');
      await page.getByLabel('Address', { exact: true }).fill('Hauptstraße 1');
      await page.getByLabel('City').fill('Berlin');
      await page.getByLabel('Postal code').fill('10115');
      await page.getByLabel('Country').fill('DE');
      await page.getByLabel('VAT number').fill('DE123456789');
      await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
      assert.equal(await page.getByLabel('Currency').inputValue(), 'EUR');
      assert.equal(await page.getByLabel('Payment terms (days)').inputValue(), '30');
      await page.getByRole('button', { name: 'Create workspace' }).click();
    });

    await step('see the empty clients state', async () => {
      await page.getByTestId('clients-empty').waitFor();
      await expectText(page.getByTestId('clients-empty').getByRole('heading'), 'No clients yet');
      await expectText(page.getByLabel('Workspace'), /Muster Beratung GmbH/);
    });

    await step('add a client, fixing a field error first', async () => {
      await page.getByTestId('clients-empty').getByRole('link', { name: 'Add client' }).click();
      await page.getByRole('heading', { name: 'New client' }).waitFor();
      await page.getByLabel('Name', { exact: true }).fill('Cliente Ejemplo S.L.');
      await page.getByLabel('Email').fill('facturas@cliente.example');
      await page.getByLabel('Address', { exact: true }).fill('Calle Mayor 5');
      await page.getByLabel('City').fill('Madrid');
      await page.getByLabel('Postal code').fill('28013');
      await page.getByLabel('Country').fill('ZZ');
      await page.getByLabel('VAT number').fill('ESB12345678');
      await page.getByLabel('Invoice language').selectOption('es');
      const preferred = page.getByLabel('Preferred e-invoice format');
      await expectText(preferred.locator('option').first(), 'No preference');
      await preferred.selectOption('factur-x');
      await page.getByRole('button', { name: 'Add client' }).click();
      // the server refuses the country: the message is at the field and in the alert
      const country = page.getByLabel('Country');
      await expectText(await fieldError(country), /two-letter ISO 3166-1 country code/);
      await expectText(page.getByTestId('alert-message'), /two-letter ISO 3166-1 country code/);
      await country.fill('ES');
      await page.getByRole('button', { name: 'Add client' }).click();
      await expectText(page.getByTestId('clients-table').getByRole('row').nth(1), /Cliente Ejemplo S\.L\..*ES.*ESB12345678/);
    });

    await step('see the empty invoices state', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Invoices' }).click();
      await page.getByTestId('invoices-empty').waitFor();
      await expectText(page.getByTestId('invoices-empty').getByRole('heading'), 'No invoices yet');
      await page.getByTestId('invoices-empty').getByRole('link', { name: 'New invoice' }).click();
      await page.getByRole('heading', { name: 'New invoice' }).waitFor();
    });

    const line1 = page.getByRole('group', { name: 'Line 1', exact: true });
    const line2 = page.getByRole('group', { name: 'Line 2', exact: true });
    const totals = page.getByTestId('totals');

    await step('write two lines and see the server totals live', async () => {
      await page.getByLabel('Client').selectOption({ label: 'Cliente Ejemplo S.L.' });
      await line1.getByLabel('Description').fill('Consulting');
      await line1.getByLabel('Quantity').fill('10');
      await line1.getByLabel('Unit price').fill('99.995');
      assert.equal(await line1.getByLabel('VAT category').inputValue(), 'S');
      await line1.getByLabel('VAT rate %').fill('19');
      await page.getByRole('button', { name: 'Add line' }).click();
      await line2.getByLabel('Description').fill('Book');
      await line2.getByLabel('Quantity').fill('1');
      await line2.getByLabel('Unit price').fill('20');
      // the exemption reason shows only for categories that state one
      assert.equal(await line2.getByLabel('Exemption reason').isVisible(), false);
      await line2.getByLabel('VAT category').selectOption('E');
      await line2.getByLabel('Exemption reason').waitFor({ state: 'visible' });
      assert.equal(await line2.getByLabel('VAT rate %').inputValue(), '0');
      await line2.getByLabel('VAT category').selectOption('S');
      await line2.getByLabel('Exemption reason').waitFor({ state: 'hidden' });
      await line2.getByLabel('VAT rate %').fill('7');

      // 10 × 99.995 = 999.95 at 19 % → 189.99; 20.00 at 7 % → 1.40
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(page.getByTestId('total-net'), '€1,019.95');
      await expectText(page.getByTestId('total-vat'), '€191.39');
      await expectText(page.getByTestId('total-gross'), '€1,211.34');
      const breakdown = page.getByTestId('vat-breakdown');
      await expectText(breakdown.getByRole('row').nth(1), 'S 19 % €999.95 €189.99');
      await expectText(breakdown.getByRole('row').nth(2), 'S 7 % €20.00 €1.40');
      await expectText(line1.getByText(/^Net amount:/), 'Net amount: €999.95');
    });

    await step('see a line error at its field, then fix it', async () => {
      const quantity = line1.getByLabel('Quantity');
      await quantity.fill('abc');
      await expectText(await fieldError(quantity), 'Line 1: quantity must be a decimal number like 12.50.');
      await expectAttribute(totals, 'data-state', 'error');
      await expectText(page.getByTestId('preview-error'), /quantity must be a decimal number/);
      await quantity.fill('10');
      await expectAttribute(quantity, 'aria-invalid', null);
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(page.getByTestId('total-gross'), '€1,211.34');
    });

    await step('save the draft', async () => {
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expectText(page.getByTestId('alert-message'), 'Draft saved.');
      assert.match(new URL(page.url()).hash, /^#\/invoices\/[a-z0-9]{15}$/);
      await page.getByRole('heading', { name: 'Draft invoice' }).waitFor();
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(page.getByTestId('total-gross'), '€1,211.34');
    });

    let number;
    await step('issue it and see its number', async () => {
      await page.getByRole('button', { name: 'Issue invoice' }).click();
      number = await expectText(page.getByTestId('invoice-number'), new RegExp(`^INV-${year}-0001$`));
      await expectText(page.getByTestId('invoice-status'), 'Issued');
      await expectText(page.getByTestId('alert-message'), `Invoice ${number} issued.`);
      await expectText(page.getByTestId('total-gross'), '€1,211.34');
      await expectText(page.getByTestId('total-due'), '€1,211.34');
    });

    await step('send it to the client and find the email in the outbox', async () => {
      await expectText(page.getByTestId('send-hint'), 'Emails the PDF to facturas@cliente.example.');
      await page.getByRole('button', { name: 'Send to client' }).click();
      await expectText(page.getByTestId('invoice-status'), 'Sent');
      await page.getByTestId('invoice-sent-at').waitFor();
      // the test server has no mailer: the email waits in the outbox, and the UI says so
      await expectText(page.getByTestId('alert-message'), `${number} is marked as sent, but mail is off on this server: the email waits in the outbox.`);
      await page.getByRole('navigation').getByRole('link', { name: 'Outbox' }).click();
      await page.getByRole('heading', { name: 'Outbox' }).waitFor();
      await expectText(page.getByTestId('mail-off'), /^Mail is off\./);
      const row = page.getByTestId('outbox-table').getByRole('row').filter({ hasText: `Invoice ${number} to facturas@cliente.example` });
      await expectText(row, /Email Not sent 1 no mailer configured .* Retry$/);
      await page.goBack();
      await expectText(page.getByTestId('invoice-number'), number);
      await expectText(page.getByTestId('invoice-status'), 'Sent');
    });

    await step('download its PDF', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('pdf-download').click(),
      ]);
      assert.equal(download.suggestedFilename(), `${number}.pdf`);
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      const pdf = Buffer.concat(chunks);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(pdf.length > 1000, `PDF of ${pdf.length} bytes`);
    });

    await step('stop its payment reminders and resume them', async () => {
      const invoiceId = shownId();
      const card = page.getByTestId('reminders');
      const state = card.getByTestId('reminders-state');
      await expectText(card.getByRole('heading'), 'Reminders');
      await expectText(card.getByTestId('reminder-level'), 'Reminders sent: 0');
      await expectText(state, /^Kontor emails a reminder while this invoice is overdue/);
      assert.equal((await serverRecord('invoices', invoiceId)).reminders_stopped, false);

      await card.getByRole('button', { name: 'Stop reminders' }).click();
      await expectText(state, 'Reminders are stopped for this invoice.');
      await expectText(page.getByTestId('alert-message'), 'Reminders stopped.');
      await card.getByRole('button', { name: 'Resume reminders' }).waitFor();
      assert.equal((await serverRecord('invoices', invoiceId)).reminders_stopped, true);

      await card.getByRole('button', { name: 'Resume reminders' }).click();
      await expectText(state, /^Kontor emails a reminder while this invoice is overdue/);
      await expectText(page.getByTestId('alert-message'), 'Reminders resumed.');
      await card.getByRole('button', { name: 'Stop reminders' }).waitFor();
      assert.equal((await serverRecord('invoices', invoiceId)).reminders_stopped, false);
      await expectText(page.getByTestId('invoice-status'), 'Sent');
    });

    /** Clicks the button and returns the download's suggested name and bytes. */
    const downloadFrom = async (button) => {
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
    };

    await step("download the e-invoice in the client's preferred format", async () => {
      const format = page.getByTestId('einvoice-format');
      await format.waitFor();
      assert.equal(await format.inputValue(), 'factur-x');
      await expectText(format.locator('option:checked'), /\(client's preference\)$/);
      const { name, bytes } = await downloadFrom(page.getByTestId('einvoice-download'));
      assert.equal(name, `${number}.pdf`);
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(bytes.includes('factur-x.xml'), 'the PDF carries factur-x.xml');
    });

    await step('see what Peppol lacks, listed field by field', async () => {
      await page.getByTestId('einvoice-format').selectOption('peppol-bis-3');
      const button = page.getByTestId('einvoice-download');
      await button.click();
      const alert = page.locator('#alert');
      await expectText(page.getByTestId('alert-message'), /^Peppol BIS Billing 3\.0\b.* cannot be produced for this invoice\.$/);
      assert.ok(await alert.isVisible(), 'the alert is visible');
      await expectText(alert.getByRole('listitem').filter({ hasText: 'workspace settings' }), /electronic address/);
      await expectText(alert.getByRole('listitem').filter({ hasText: "client's Peppol participant id" }), /electronic address.*Edit the client$/);
      await alert.getByRole('link', { name: 'Edit the workspace settings' }).waitFor();
      await expectAttribute(button, 'aria-busy', null);
      assert.equal(await button.isEnabled(), true);
    });

    await step('record the full payment and see it paid', async () => {
      const amount = page.getByLabel('Amount');
      await amount.fill('2000');
      await page.getByRole('button', { name: 'Record payment' }).click();
      await expectText(await fieldError(amount), /more than is due/);
      await amount.fill('1211.34');
      await page.getByRole('button', { name: 'Record payment' }).click();
      await expectText(page.getByTestId('invoice-status'), 'Paid');
      await expectText(page.getByTestId('total-paid'), '€1,211.34');
      await expectText(page.getByTestId('total-due'), '€0.00');
      await expectText(page.getByTestId('payments-table').getByRole('row').nth(1), /Bank transfer.*€1,211\.34/);
    });

    await step('see it in the list', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Invoices' }).click();
      await expectText(page.getByTestId('invoices-table').getByRole('row').nth(1),
        new RegExp(`${number} Paid Cliente Ejemplo S\\.L\\. .* €1,211\\.34 €0\\.00`));
    });

    await step('credit it with a credit note', async () => {
      await page.getByRole('link', { name: number }).click();
      await page.getByRole('button', { name: 'Create credit note' }).click();
      await page.getByRole('heading', { name: 'Draft credit note' }).waitFor();
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(page.getByTestId('total-gross'), '€1,211.34');
      await page.getByRole('button', { name: 'Issue credit note' }).click();
      await expectText(page.getByTestId('invoice-number'), new RegExp(`^CN-${year}-0001$`));
      await expectText(page.getByTestId('invoice-status'), 'Issued');
    });

    await step('create a monthly recurring invoice from the empty state', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Recurring' }).click();
      await expectText(page.getByTestId('recurring-empty').getByRole('heading'), 'No recurring invoices yet');
      await page.getByTestId('recurring-empty').getByRole('link', { name: 'New recurring invoice' }).click();
      await page.getByRole('heading', { name: 'New recurring invoice' }).waitFor();
      await page.getByLabel('Client').selectOption({ label: 'Cliente Ejemplo S.L.' });
      await page.getByLabel('Schedule').selectOption('monthly');
      await page.getByLabel('What happens each period').selectOption('draft');
      await page.getByLabel('Description').fill('Hosting retainer');
      await page.getByLabel('Unit price').fill('100');
      await page.getByLabel('VAT rate %').fill('21');
      await page.getByRole('button', { name: 'Create recurring invoice' }).click();
      await expectText(await fieldError(page.getByLabel('Name', { exact: true })), /.+/);
      await page.getByLabel('Name', { exact: true }).fill('Monthly hosting');
      await page.getByRole('button', { name: 'Create recurring invoice' }).click();
      await expectText(page.getByTestId('alert-message'), 'Recurring invoice Monthly hosting created.');
      await expectText(page.getByTestId('recurring-table').getByRole('row').nth(1),
        /Monthly hosting Cliente Ejemplo S\.L\. Monthly Create a draft .+ Active/);
    });

    const warnings = page.getByTestId('invoice-warnings');
    let draftId;
    await step('save a reverse-charge draft for the unchecked client and see the warning', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Invoices' }).click();
      await page.getByTestId('invoices-table').waitFor();
      await page.getByRole('link', { name: 'New invoice', exact: true }).click();
      await page.getByRole('heading', { name: 'New invoice' }).waitFor();
      await page.getByLabel('Client').selectOption({ label: 'Cliente Ejemplo S.L.' });
      await line1.getByLabel('Description').fill('Consulting (reverse charge)');
      await line1.getByLabel('Quantity').fill('2');
      await line1.getByLabel('Unit price').fill('500');
      await line1.getByLabel('VAT category').selectOption('AE');
      assert.equal(await line1.getByLabel('VAT rate %').inputValue(), '0');
      await line1.getByLabel('Exemption reason').fill('Reverse charge');
      await expectAttribute(totals, 'data-state', 'ok');
      await expectText(page.getByTestId('total-gross'), '€1,000.00');
      // no warning before the server has saved the draft
      assert.equal(await warnings.count(), 0);
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expectText(page.getByTestId('alert-message'), 'Draft saved.');
      await page.getByRole('heading', { name: 'Draft invoice' }).waitFor();
      draftId = shownId();
      await expectText(warnings, /^Check before issuing:/);
      await expectText(warnings.locator('li[data-warning="buyer_vat_unverified"]'),
        'The client’s VAT number has not been confirmed by VIES; check it before invoicing with reverse charge. Check the client');
      const saved = await serverRecord('invoices', draftId);
      assert.deepEqual(saved.warnings.map((w) => w.code), ['buyer_vat_unverified']);
    });

    await step('check the client\'s VAT number with VIES and see it valid', async () => {
      await warnings.getByRole('link', { name: 'Check the client' }).click();
      await page.getByRole('heading', { name: 'Edit client' }).waitFor();
      assert.equal(await page.getByLabel('VAT number').inputValue(), 'ESB12345678');
      const badge = page.getByTestId('vat-status').locator('[data-vat-status]');
      await expectAttribute(badge, 'data-vat-status', 'unchecked');
      await expectText(badge, 'Not checked');
      await page.getByRole('button', { name: 'Check with VIES' }).click();
      await expectAttribute(badge, 'data-vat-status', 'valid');
      await expectText(badge, 'Valid');
      await expectText(page.getByTestId('vat-status'), /^Valid checked .+/);
      await expectText(page.getByTestId('alert-message'), 'VIES confirms that ESB12345678 is a valid VAT number.');
      const client = await serverRecord('clients', shownId());
      assert.equal(client.vat_status, 'valid');
      assert.ok(client.vat_checked_at, 'vat_checked_at is set');
    });

    await step('see the warning gone from the draft', async () => {
      // the server saved the client's drafts again when its status changed
      assert.deepEqual((await serverRecord('invoices', draftId)).warnings, []);
      await page.goBack();
      await page.getByRole('heading', { name: 'Draft invoice' }).waitFor();
      assert.equal(shownId(), draftId);
      assert.equal(await line1.getByLabel('Description').inputValue(), 'Consulting (reverse charge)');
      await warnings.waitFor({ state: 'detached' });
    });

    assert.deepEqual(pageErrors, [], 'no uncaught errors or missing translations in the page');
  } catch (err) {
    await mkdir(RESULTS, { recursive: true });
    const file = `${RESULTS}invoice-flow-${current.replace(/\W+/g, '-')}-${Date.now()}.png`;
    await page?.screenshot({ path: file, fullPage: true }).catch(() => {});
    t.diagnostic(`failed at step "${current}"; screenshot: ${file}; page errors: ${JSON.stringify(pageErrors)}`);
    throw err;
  }
});
