// Browser test of the cookie banner and marketing attribution
// (docs/consent.md): two people arrive from a campaign with a Google click
// id. The first rejects everything: the decision is recorded, nothing of the
// visit is, and no attribution cookie is set. The second accepts everything:
// the visit is recorded and the first click id is kept in its cookie; they
// sign up, see it under "Your data", object to attribution, and then reject
// everything from "Manage cookie preferences" in the footer, which expires
// the click id cookie.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launchBrowser, openPage, expectText, stepper, signUp } from './helpers.mjs';

let browser;
let rejecter;
let accepter;
const pageErrors = [];

const LANDING = '/?utm_source=newsletter&gclid=TeSter-123';
const ATTRIBUTION_COOKIES = ['kontor_vid', 'kontor_first_gclid'];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Every call of the page to /api/kontor/…, as {method, path, body, auth}. */
function kontorCalls(page) {
  const calls = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/api/kontor/')) return;
    let body = null;
    try { body = req.postDataJSON(); } catch { /* not JSON */ }
    calls.push({ method: req.method(), path: url.pathname, body, auth: !!req.headers().authorization });
  });
  return calls;
}

/** Waits for the page's next POST to path and returns its response. */
function nextPost(page, path, extra = () => true) {
  return page.waitForResponse((res) => {
    const req = res.request();
    return req.method() === 'POST' && new URL(res.url()).pathname === path && extra(req);
  });
}

/** The Set-Cookie header lines of a response. */
async function setCookies(res) {
  return (await res.headersArray()).filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
}

/** The banner's first layer and its three choices. */
function banner(page) {
  const root = page.locator('#cc-main .cm');
  return {
    root,
    accept: root.getByRole('button', { name: 'Accept all', exact: true }),
    reject: root.getByRole('button', { name: 'Reject all', exact: true }),
    customize: root.getByRole('button', { name: 'Customize', exact: true }),
  };
}

/** The box and the look of a button. */
async function looks(locator) {
  const box = await locator.boundingBox();
  const style = await locator.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      fontWeight: s.fontWeight, fontSize: s.fontSize, color: s.color,
      backgroundColor: s.backgroundColor, borderColor: s.borderTopColor, borderWidth: s.borderTopWidth,
    };
  });
  return { box, style };
}

test('cookie banner: equal choices; reject records the decision only; accept records the visit and the click id cookie; the footer withdraws it', { timeout: 60_000 }, async (t) => {
  const { step, run } = stepper(t, 'consent', () => ({ rejecter, accepter }), pageErrors);
  await run(async () => {
    let rejecterCalls;
    await step('a fresh visitor from a campaign sees the banner; nothing is stored before a decision', async () => {
      rejecter = await openPage(browser, pageErrors, { consentDecided: false });
      rejecterCalls = kontorCalls(rejecter);
      await rejecter.goto(`${BASE}${LANDING}`);
      await rejecter.getByRole('heading', { name: 'Sign in' }).waitFor();
      const b = banner(rejecter);
      await b.root.waitFor();
      await expectText(rejecter.locator('#cc-main .cm__title'), 'Cookies and your privacy');
      for (const button of [b.accept, b.reject, b.customize]) assert.equal(await button.count(), 1);
      const cookies = await rejecter.context().cookies();
      assert.deepEqual(cookies.map((c) => c.name), [], 'no cookie before a decision');
      const local = await rejecter.evaluate(() => JSON.stringify({ ...localStorage }));
      assert.ok(!local.includes('TeSter-123'), 'the click id is not in localStorage');
      const kept = await rejecter.evaluate(() => JSON.parse(sessionStorage.getItem('kontor.landing')));
      assert.equal(kept.landing_url, `${BASE}${LANDING}`);
      assert.deepEqual(rejecterCalls, [], 'nothing is sent before a decision');
    });

    await step('"Accept all", "Reject all" and "Customize" have one size and one weight', async () => {
      const b = banner(rejecter);
      const [accept, reject, customize] = [await looks(b.accept), await looks(b.reject), await looks(b.customize)];
      for (const [name, other] of [['Reject all', reject], ['Customize', customize]]) {
        assert.ok(Math.abs(other.box.width - accept.box.width) <= 2, `${name} is as wide as Accept all: ${other.box.width} vs ${accept.box.width}`);
        assert.ok(Math.abs(other.box.height - accept.box.height) <= 2, `${name} is as high as Accept all: ${other.box.height} vs ${accept.box.height}`);
        assert.ok(Math.abs(other.box.y - accept.box.y) <= 2, `${name} is on the level of Accept all: ${other.box.y} vs ${accept.box.y}`);
        assert.deepEqual(other.style, accept.style, `${name} looks like Accept all`);
      }
    });

    await step('the banner follows the UI language', async () => {
      await rejecter.getByLabel('Language').selectOption('de');
      await expectText(banner(rejecter).root.locator('.cm__btn[data-role="necessary"]'), 'Alle ablehnen');
      await rejecter.getByLabel('Sprache').selectOption('en');
      await expectText(banner(rejecter).reject, 'Reject all');
    });

    await step('"Reject all": the decision is recorded, the visit is not, no attribution cookie', async () => {
      const posted = nextPost(rejecter, '/api/kontor/consent');
      await banner(rejecter).reject.click();
      const res = await posted;
      assert.equal(res.status(), 201, `consent POST: ${res.status()} ${await res.text()}`);
      const body = res.request().postDataJSON();
      assert.match(body.consent_id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(body.accepted, ['necessary']);
      assert.deepEqual([...body.rejected].sort(), ['advertising', 'analytics']);
      assert.equal(body.language, 'en');
      assert.equal(typeof body.revision, 'number');
      assert.ok(body.text_version, 'the version of the texts shown');
      await banner(rejecter).root.waitFor({ state: 'hidden' });
      // the landing parameters are dropped, not sent
      await rejecter.waitForFunction(() => sessionStorage.getItem('kontor.landing') === null);
      assert.deepEqual(rejecterCalls.filter((c) => c.path === '/api/kontor/touchpoints'), [], 'no touchpoint POST');
      const names = (await rejecter.context().cookies()).map((c) => c.name);
      for (const name of ATTRIBUTION_COOKIES) assert.ok(!names.includes(name), `no ${name} cookie: ${names}`);
      assert.ok(names.includes('cc_cookie'), 'the decision is kept in cc_cookie');
    });

    let accepterCalls;
    let consentId;
    await step('a second visitor: "Accept all" records the visit and keeps the first click id', async () => {
      accepter = await openPage(browser, pageErrors, { consentDecided: false });
      accepterCalls = kontorCalls(accepter);
      await accepter.goto(`${BASE}${LANDING}`);
      const b = banner(accepter);
      await b.accept.waitFor();
      const consentPosted = nextPost(accepter, '/api/kontor/consent');
      const touchpointPosted = nextPost(accepter, '/api/kontor/touchpoints');
      await b.accept.click();
      const consent = await consentPosted;
      assert.equal(consent.status(), 201, `consent POST: ${consent.status()} ${await consent.text()}`);
      const decision = consent.request().postDataJSON();
      consentId = decision.consent_id;
      assert.deepEqual(decision.accepted, ['necessary', 'analytics', 'advertising']);
      assert.deepEqual(decision.rejected, []);
      const touchpoint = await touchpointPosted;
      assert.equal(touchpoint.status(), 201, `touchpoint POST: ${touchpoint.status()} ${await touchpoint.text()}`);
      assert.deepEqual(touchpoint.request().postDataJSON(), { consent_id: consentId, landing_url: `${BASE}${LANDING}`, referrer: '' });
      const stored = (await touchpoint.json()).stored;
      assert.ok(stored.includes('utm_source') && stored.includes('gclid'), `stored: ${stored}`);
      const headers = await setCookies(touchpoint);
      assert.ok(headers.some((h) => /^kontor_first_gclid=TeSter-123;/.test(h) && /HttpOnly/i.test(h)), `Set-Cookie: ${headers}`);
      const cookies = await accepter.context().cookies();
      const gclid = cookies.find((c) => c.name === 'kontor_first_gclid');
      assert.ok(gclid, `the browser keeps kontor_first_gclid: ${cookies.map((c) => c.name)}`);
      assert.equal(gclid.value, 'TeSter-123');
      assert.equal(gclid.httpOnly, true);
      assert.ok(cookies.some((c) => c.name === 'kontor_vid'), 'the visitor id cookie');
      await accepter.waitForFunction(() => sessionStorage.getItem('kontor.landing') === null);
      assert.equal(accepterCalls.filter((c) => c.path === '/api/kontor/touchpoints').length, 1, 'the visit is sent once');
    });

    await step('signing up links the decision to the new user', async () => {
      const linked = nextPost(accepter, '/api/kontor/consent', (req) => !!req.headers().authorization);
      await signUp(accepter, { name: 'Ada Attribution', email: `e2e-consent-${Date.now()}@example.com`, password: 'correct-horse-9' });
      const res = await linked;
      assert.equal(res.status(), 201);
      assert.equal(res.request().postDataJSON().consent_id, consentId);
    });

    await step('"Your data" shows the decision and the visit', async () => {
      await accepter.getByRole('link', { name: 'Your data', exact: true }).click();
      await accepter.getByRole('heading', { name: 'Your data and attribution' }).waitFor();
      const consents = accepter.getByTestId('consents');
      await consents.waitFor();
      await expectText(consents.locator('tbody tr').first(), /Strictly necessary, Analytics, Advertising/);
      const touchpoints = accepter.getByTestId('touchpoints');
      await touchpoints.waitFor();
      await expectText(touchpoints.locator('tbody tr').first(), /newsletter.*Yes$/);
    });

    await step('objecting to marketing attribution is recorded', async () => {
      const toggle = accepter.getByLabel('I object to marketing attribution');
      assert.equal(await toggle.isChecked(), false);
      const posted = nextPost(accepter, '/api/kontor/attribution/objection');
      await toggle.check();
      const res = await posted;
      assert.equal(res.status(), 201, `objection POST: ${res.status()} ${await res.text()}`);
      assert.deepEqual(res.request().postDataJSON(), { objected: true });
      await expectText(accepter.getByTestId('objection-status'), /You object/);
      await accepter.reload();
      await accepter.getByRole('heading', { name: 'Your data and attribution' }).waitFor();
      await accepter.getByTestId('consents').waitFor();
      assert.equal(await accepter.getByLabel('I object to marketing attribution').isChecked(), true);
    });

    await step('"Manage cookie preferences" in the footer, "Reject all": recorded, the click id cookie expired', async () => {
      await accepter.locator('#footer').getByRole('button', { name: 'Manage cookie preferences' }).click();
      const pm = accepter.locator('#cc-main .pm');
      await pm.waitFor();
      const pmAccept = await looks(pm.getByRole('button', { name: 'Accept all', exact: true }));
      const pmReject = await looks(pm.getByRole('button', { name: 'Reject all', exact: true }));
      assert.deepEqual(pmReject.style, pmAccept.style, 'in the preferences too, rejecting looks like accepting');
      const posted = nextPost(accepter, '/api/kontor/consent');
      await pm.getByRole('button', { name: 'Reject all', exact: true }).click();
      const res = await posted;
      assert.equal(res.status(), 201, `consent POST: ${res.status()} ${await res.text()}`);
      const body = res.request().postDataJSON();
      assert.equal(body.consent_id, consentId);
      assert.ok(body.rejected.includes('advertising') && body.rejected.includes('analytics'), `rejected: ${body.rejected}`);
      const headers = await setCookies(res);
      assert.ok(headers.some((h) => /^kontor_first_gclid=;/.test(h)), `the click id cookie is expired: ${headers}`);
      const names = (await accepter.context().cookies()).map((c) => c.name);
      assert.ok(!names.includes('kontor_first_gclid'), `kontor_first_gclid is gone: ${names}`);
      // the page shows the new decision once recorded
      await expectText(accepter.getByTestId('consents').locator('tbody tr').first(), /Strictly necessary Analytics, Advertising/);
    });

    assert.deepEqual(pageErrors, []);
  });
});
