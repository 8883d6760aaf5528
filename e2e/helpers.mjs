// Shared helpers of the browser tests (*.test.mjs): the browser, waiting for
// text and attributes, reading records with the page's own sign-in, and the
// steps every flow starts with (sign up, create the workspace, add a client).
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.KONTOR_URL || '').replace(/\/$/, '');
export const CHROMIUM = process.env.KONTOR_CHROMIUM || '/usr/bin/chromium';
export const RESULTS = fileURLToPath(new URL('./test-results/', import.meta.url));
export const TIMEOUT = 10_000;

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Starts the system Chromium, headless. */
export async function launchBrowser() {
  assert.ok(BASE, 'set KONTOR_URL to the URL of a running Kontor server');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The consent banner's revision, as the web UI has it (pb_public/lib/consent.js). */
export async function consentRevision() {
  const source = await readFile(new URL('../pb_public/lib/consent.js', import.meta.url), 'utf8');
  const m = source.match(/export const REVISION = (\d+);/);
  assert.ok(m, 'pb_public/lib/consent.js exports REVISION');
  return Number(m[1]);
}

/**
 * The banner's cookie (cc_cookie) of a "Reject all" decision, as
 * vanilla-cookieconsent writes it: with it in the context the banner stays
 * closed, so that it does not cover what a flow clicks.
 */
export async function rejectedConsentCookie() {
  const now = new Date().toISOString();
  const value = {
    categories: ['necessary'],
    revision: await consentRevision(),
    data: null,
    consentTimestamp: now,
    consentId: crypto.randomUUID(),
    services: { necessary: [], analytics: [], advertising: [] },
    languageCode: 'en',
    lastConsentTimestamp: now,
  };
  return { name: 'cc_cookie', value: encodeURIComponent(JSON.stringify(value)), url: `${BASE}/`, sameSite: 'Lax' };
}

/**
 * A page in a new browser context (its own cookies and storage: another
 * person), whose uncaught errors and missing translations go to errors.
 * The person has already answered the cookie banner with "Reject all"
 * unless consentDecided is false (then the banner shows at the first page).
 */
export async function openPage(browser, errors, { locale = 'en-US', consentDecided = true } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  if (consentDecided) await context.addCookies([await rejectedConsentCookie()]);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'warning' && msg.text().startsWith('i18n: missing key')) errors.push(msg.text());
  });
  return page;
}

/** Waits until the locator's text (whitespace squeezed) equals expected, or matches it when a RegExp. */
export async function expectText(locator, expected, { timeout = TIMEOUT } = {}) {
  const deadline = Date.now() + timeout;
  let last = '(not found)';
  for (;;) {
    try {
      last = (await locator.innerText({ timeout: Math.max(100, deadline - Date.now()) })).replace(/\s+/g, ' ').trim();
      if (expected instanceof RegExp ? expected.test(last) : last === expected) return last;
    } catch { /* not there yet */ }
    if (Date.now() > deadline) {
      assert.fail(`expected ${locator} to have text ${expected instanceof RegExp ? expected : JSON.stringify(expected)}, last saw ${JSON.stringify(last)}`);
    }
    await sleep(100);
  }
}

/** Waits until the element's attribute equals expected (null: absent). */
export async function expectAttribute(locator, name, expected, { timeout = TIMEOUT } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await locator.getAttribute(name, { timeout }).catch(() => undefined);
    if (last === expected) return;
    if (Date.now() > deadline) assert.fail(`expected ${locator} [${name}] to be ${JSON.stringify(expected)}, last saw ${JSON.stringify(last)}`);
    await sleep(100);
  }
}

/** A record as the server has it, read with the page's own sign-in token. */
export async function serverRecord(page, collection, id) {
  return page.evaluate(async ([collection, id]) => {
    const { token } = JSON.parse(localStorage.getItem('pocketbase_auth') || '{}');
    const res = await fetch(`/api/collections/${collection}/records/${encodeURIComponent(id)}`, { headers: { Authorization: token } });
    if (!res.ok) throw new Error(`GET ${collection}/${id}: ${res.status}`);
    return res.json();
  }, [collection, id]);
}

/** The id of the record the page shows, from its #/collection/id address. */
export function shownId(page) {
  const m = new URL(page.url()).hash.match(/^#\/[a-z]+\/([a-z0-9]{15})$/);
  assert.ok(m, `a record's address, got ${page.url()}`);
  return m[1];
}

/** The error message shown for a control: the text of the error element its aria-describedby names. */
export async function fieldError(control) {
  await expectAttribute(control, 'aria-invalid', 'true');
  const ids = (await control.getAttribute('aria-describedby')).split(/\s+/);
  const errorId = ids.find((id) => id.endsWith('-error'));
  assert.ok(errorId, 'the control names its error element');
  return control.page().locator(`[id="${errorId}"]`);
}

/**
 * step(name, fn) runs one named step of a test and reports it; run(fn)
 * runs the steps, and on a failure saves a screenshot of every page given
 * and says where it failed.
 */
export function stepper(t, prefix, pages, errors) {
  let current = 'start';
  const step = async (name, fn) => {
    current = name;
    t.diagnostic(`step: ${name}`);
    await fn();
  };
  const run = async (fn) => {
    try {
      await fn();
    } catch (err) {
      await mkdir(RESULTS, { recursive: true });
      const files = [];
      for (const [label, page] of Object.entries(pages())) {
        if (!page) continue;
        const file = `${RESULTS}${prefix}-${label}-${current.replace(/\W+/g, '-')}-${Date.now()}.png`;
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        files.push(file);
      }
      t.diagnostic(`failed at step "${current}"; screenshots: ${files.join(', ')}; page errors: ${JSON.stringify(errors)}`);
      throw err;
    }
  };
  return { step, run };
}

/** Signs up from the sign-in page and waits until signed in. */
export async function signUp(page, { name, email, password }) {
  await page.goto(`${BASE}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('link', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectText(page.getByTestId('current-user'), name);
}

/** Creates a German workspace from the empty state; ends on the empty clients page. */
export async function createWorkspace(page, { name }) {
  await page.getByRole('heading', { name: 'You have no workspace yet' }).waitFor();
  await page.getByRole('link', { name: 'Create workspace' }).click();
  await page.getByRole('heading', { name: 'Create your workspace' }).waitFor();
  await page.getByLabel('Legal name').fill(name);
  await page.getByLabel('Address', { exact: true }).fill('Hauptstraße 1');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Postal code').fill('10115');
  await page.getByLabel('Country').fill('DE');
  await page.getByLabel('VAT number').fill('DE123456789');
  await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByTestId('clients-empty').waitFor();
}
