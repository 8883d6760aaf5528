// Display formatting. Amounts arrive from the server as decimal strings,
// already computed and rounded there: Number() is used only to hand the
// string to Intl.NumberFormat for display, never for arithmetic.
import { getLanguage, locale } from './i18n.js';

/** "1019.95", "EUR" → "€1,019.95" (en) or "1.019,95 €" (de); "" → "—". */
export function money(amount, currency) {
  if (amount === null || amount === undefined || amount === '') return '—';
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  try {
    return new Intl.NumberFormat(locale(), {
      style: 'currency', currency: currency || 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2,
    }).format(n);
  } catch {
    // an unknown currency code: number, then the code as given
    return `${new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)} ${currency}`;
  }
}

/** A server decimal string (quantity, rate) shown in the UI locale: "99.995" → "99,995". */
export function decimal(value, maxDigits = 6) {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: maxDigits }).format(n);
}

/** "2026-11-23" → "23 Nov 2026" in the UI locale; "" → "—". */
export function date(value) {
  if (!value) return '—';
  const d = new Date(`${String(value).slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** A server timestamp ("2026-11-23 09:05:00.000Z") as date and time in the UI locale and the browser's time zone; "" → "—". */
export function dateTime(value) {
  if (!value) return '—';
  const d = new Date(String(value).replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** Today as YYYY-MM-DD, in the browser's time zone. */
export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A number as typed, as the API takes it: the API reads only a dot as the
 * decimal mark, so in a language that writes a decimal comma, "12,50"
 * (one comma, no dot) becomes "12.50". Anything else is sent as typed and
 * the server says what is wrong with it.
 */
export function typedDecimal(value) {
  const s = String(value ?? '').trim();
  if (getLanguage() !== 'en' && /^-?\d*,\d+$/.test(s)) return s.replace(',', '.');
  return s;
}
