// Consent to cookies and marketing attribution (docs/consent.md): the banner
// (vanilla-cookieconsent, vendored), the proof of every decision sent to the
// server, and the landing parameters of a visit, sent only as consent allows.
//
// The landing parameters (the address the visitor arrived at and the page
// that sent them) are read when this module loads, before any decision, and
// are kept only in sessionStorage of this tab until a decision allows them
// to be sent (then they are sent once and removed) or refuses them (then they
// are removed). No cookie and nothing in localStorage holds them.
import * as CookieConsent from '../vendor/cookieconsent/cookieconsent.esm.js';
import { pb } from './pb.js';
import { LANGUAGES, getLanguage, onLanguageChange, tFor } from './i18n.js';

/** The banner's revision: raising it asks everyone again. */
export const REVISION = 1;
/** The version of the banner texts (the consent.* keys of i18n/), stored with each decision;
 * raise it with the wording, together with BannerTextVersion in hooks/consent. */
export const TEXT_VERSION = '2026-11-1';

export const CATEGORIES = ['necessary', 'analytics', 'advertising'];

const LANDING_KEY = 'kontor.landing';
const LANDING_SENT_KEY = 'kontor.landing.sent';
const RECORDED_KEY = 'kontor.consent.recorded';

/** Query parameters that make an address a marketing landing. */
const MARKETING_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term',
  'gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id'];

function session(op, key, value) {
  try {
    if (op === 'get') return sessionStorage.getItem(key);
    if (op === 'set') sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch { /* storage blocked: nothing is kept */ }
  return null;
}

/**
 * Keeps this page load's landing parameters in sessionStorage when the
 * address carries marketing parameters or another site sent the visitor.
 * The hash (the app's route) is not part of it.
 */
function captureLanding() {
  let landing;
  try {
    const url = new URL(window.location.href);
    const marked = MARKETING_PARAMS.some((p) => url.searchParams.has(p));
    let referrer = '';
    if (document.referrer) {
      try {
        if (new URL(document.referrer).host !== url.host) referrer = document.referrer;
      } catch { /* not a URL */ }
    }
    if (!marked && !referrer) return;
    url.hash = '';
    landing = { landing_url: url.href, referrer };
  } catch {
    return;
  }
  const value = JSON.stringify(landing);
  // a reload of an address whose visit this tab has already sent is no new visit
  if (session('get', LANDING_SENT_KEY) === value) return;
  session('set', LANDING_KEY, value);
}

captureLanding();

function storedLanding() {
  try {
    const v = JSON.parse(session('get', LANDING_KEY) || 'null');
    return v && typeof v.landing_url === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The current decision as the server stores it, or null before any. */
function decision() {
  if (!CookieConsent.validConsent()) return null;
  const cookie = CookieConsent.getCookie();
  const prefs = CookieConsent.getUserPreferences();
  return {
    consent_id: cookie.consentId,
    revision: cookie.revision,
    accepted: prefs.acceptedCategories,
    rejected: prefs.rejectedCategories,
    language: getLanguage(),
    text_version: TEXT_VERSION,
  };
}

function decisionStamp() {
  const cookie = CookieConsent.getCookie();
  return `${cookie.consentId}|${cookie.lastConsentTimestamp}`;
}

function markRecorded(stamp) {
  try { localStorage.setItem(RECORDED_KEY, stamp); } catch { /* private mode */ }
}

function recorded() {
  try { return localStorage.getItem(RECORDED_KEY); } catch { return null; }
}

/** True when the decision allows anything beyond the necessary. */
function allowsAttribution(d) {
  return d.accepted.includes('analytics') || d.accepted.includes('advertising');
}

// one recording at a time, in the order of the decisions
let queue = Promise.resolve();

/**
 * Sends the current decision to the server (with the sign-in, when there is
 * one), then the landing parameters when the decision allows them.
 */
function record() {
  queue = queue.then(recordNow, recordNow);
  return queue;
}

async function recordNow() {
  const d = decision();
  if (!d) return;
  const stamp = decisionStamp();
  try {
    await pb.send('/api/kontor/consent', { method: 'POST', body: d, requestKey: null });
    markRecorded(stamp);
    window.dispatchEvent(new CustomEvent('kontor:consent-recorded'));
  } catch (err) {
    const status = err?.status ?? 0;
    if (status === 0 || status === 429 || status >= 500) {
      // offline or the server failed: tried again at the next page load
      console.warn('consent: the decision could not be recorded', status);
    } else {
      // refused as malformed: sending it again would not help
      console.error('consent: the server refused the decision', status, err?.response);
      markRecorded(stamp);
    }
    return;
  }
  await sendLanding(d);
}

async function sendLanding(d) {
  const landing = storedLanding();
  if (!landing) return;
  if (!allowsAttribution(d)) {
    session('remove', LANDING_KEY);
    return;
  }
  try {
    await pb.send('/api/kontor/touchpoints', {
      method: 'POST', body: { consent_id: d.consent_id, ...landing }, requestKey: null,
    });
    session('set', LANDING_SENT_KEY, JSON.stringify(landing));
    session('remove', LANDING_KEY);
  } catch (err) {
    console.warn('consent: the visit could not be recorded', err?.status ?? err);
  }
}

/** After a sign-in or sign-up: sends the current decision again, so the server links it to the user. */
export function linkConsentToUser() {
  if (!started || !CookieConsent.validConsent()) return Promise.resolve();
  return record();
}

/** Opens the preferences ("Manage cookie preferences"). */
export function showConsentPreferences() {
  CookieConsent.showPreferences();
}

function translation(code) {
  const t = (key) => tFor(code, key);
  return {
    consentModal: {
      title: t('consent.title'),
      description: t('consent.description'),
      acceptAllBtn: t('consent.accept_all'),
      acceptNecessaryBtn: t('consent.reject_all'),
      showPreferencesBtn: t('consent.customize'),
      revisionMessage: t('consent.revision_message'),
    },
    preferencesModal: {
      title: t('consent.preferences_title'),
      acceptAllBtn: t('consent.accept_all'),
      acceptNecessaryBtn: t('consent.reject_all'),
      savePreferencesBtn: t('consent.save'),
      closeIconLabel: t('consent.close'),
      sections: [
        { description: t('consent.preferences_intro') },
        { title: t('consent.necessary_title'), description: t('consent.necessary_text'), linkedCategory: 'necessary' },
        { title: t('consent.analytics_title'), description: t('consent.analytics_text'), linkedCategory: 'analytics' },
        { title: t('consent.advertising_title'), description: t('consent.advertising_text'), linkedCategory: 'advertising' },
        { title: t('consent.more_title'), description: t('consent.more_text') },
      ],
    },
  };
}

let started = false;

/** Shows the banner when no valid decision exists (every page of the UI calls this once at boot). */
export async function startConsent() {
  if (started) return;
  started = true;
  const language = getLanguage();
  await CookieConsent.run({
    revision: REVISION,
    mode: 'opt-in',
    autoShow: true,
    // Kontor's own pages are no search result: show the banner to every browser, automated ones too
    hideFromBots: false,
    manageScriptTags: true,
    autoClearCookies: true,
    cookie: { name: 'cc_cookie', expiresAfterDays: 182, sameSite: 'Lax' },
    guiOptions: {
      consentModal: { layout: 'box wide', position: 'bottom center', equalWeightButtons: true, flipButtons: false },
      preferencesModal: { layout: 'box', equalWeightButtons: true, flipButtons: false },
    },
    categories: {
      necessary: { enabled: true, readOnly: true },
      analytics: {
        autoClear: { cookies: [{ name: /^_ga/ }, { name: '_gid' }] },
      },
      advertising: {
        autoClear: { cookies: [{ name: /^_gcl/ }, { name: '_fbp' }] },
      },
    },
    language: {
      default: language,
      translations: Object.fromEntries(LANGUAGES.map((l) => [l.code, () => translation(l.code)])),
    },
    onFirstConsent: () => { record(); },
    onChange: () => { record(); },
  });
  const follow = (code) => { Promise.resolve(CookieConsent.setLanguage(code, true)).catch(() => {}); };
  onLanguageChange(follow);
  if (language !== getLanguage()) follow(getLanguage()); // changed while the banner started
  const d = decision();
  if (d && recorded() !== decisionStamp()) {
    // a decision the server has not confirmed yet (it was offline then)
    record();
  } else if (d) {
    // a new visit of someone who decided before
    queue = queue.then(() => sendLanding(d));
  }
}
