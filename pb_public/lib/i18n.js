// Translations: one table per language in ../i18n/, flat keys, English as
// the fallback for any key a table lacks.
import en from '../i18n/en.js';
import es from '../i18n/es.js';
import de from '../i18n/de.js';
import fr from '../i18n/fr.js';
import it from '../i18n/it.js';

const tables = { en, es, de, fr, it };
const locales = { en: 'en-GB', es: 'es-ES', de: 'de-DE', fr: 'fr-FR', it: 'it-IT' };

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
  { code: 'de', name: 'Deutsch' },
  { code: 'fr', name: 'Français' },
  { code: 'it', name: 'Italiano' },
];


let current = 'en';
const listeners = new Set();

/** fn(code) runs after every change of the UI language; returns the unsubscribe. */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function isLanguage(code) {
  return Object.hasOwn(tables, code);
}

/** The language chosen before (the kontor_lang cookie), else the browser's, else English. */
export function initialLanguage() {
  const stored = storedLanguage();
  if (stored) return stored;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const code = String(tag).slice(0, 2).toLowerCase();
    if (isLanguage(code)) return code;
  }
  return 'en';
}

/** The language the person picked explicitly, if any: the kontor_lang cookie. */
export function storedLanguage() {
  const m = document.cookie.match(/(?:^|;\s*)kontor_lang=([a-z]{2})(?:;|$)/);
  return m && isLanguage(m[1]) ? m[1] : null;
}

export function getLanguage() {
  return current;
}

/** Switches the UI language; remember=true stores the choice. */
export function setLanguage(code, { remember = false } = {}) {
  if (!isLanguage(code)) code = 'en';
  const changed = code !== current;
  current = code;
  document.documentElement.lang = code;
  if (remember) {
    // strictly necessary (no consent needed): the interface language, one year
    const secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `kontor_lang=${code}; Max-Age=31536000; Path=/; SameSite=Lax${secure}`;
  }
  if (changed) {
    for (const fn of listeners) {
      try { fn(code); } catch (err) { console.error(err); }
    }
  }
}

/** The BCP 47 locale used for numbers and dates. */
export function locale() {
  return locales[current] || 'en-GB';
}

/** t('clients.count', {n: 3}): the text of key, {name} placeholders filled. */
export function t(key, params) {
  let s = tables[current][key] ?? en[key];
  if (s === undefined) {
    console.warn('i18n: missing key', key);
    s = key;
  }
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (params[name] !== undefined ? String(params[name]) : m));
  }
  return s;
}

/** The text of key in the language code (not necessarily the current one), English as the fallback. */
export function tFor(code, key) {
  const s = (tables[code] || en)[key] ?? en[key];
  if (s === undefined) {
    console.warn('i18n: missing key', key);
    return key;
  }
  return s;
}

/** True when the language table has the key (no fallback). */
export function has(key) {
  return tables[current][key] !== undefined || en[key] !== undefined;
}

/** After sign-in: the user's saved language applies unless one was chosen on this device. */
export function adoptUserLanguage(user) {
  if (!storedLanguage() && user && isLanguage(user.language) && user.language !== current) {
    setLanguage(user.language);
  }
}
