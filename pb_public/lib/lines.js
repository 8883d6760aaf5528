// Invoice lines as the editors hold them while a person types, and as the
// API takes them: shared by the invoice editor, the recurring-invoice
// editor and the proposal editor. A proposal's line may be optional: the
// buyer ticks it in or out before signing; `included` says whether it is
// ticked in by default (a line that is not optional is always included).
import { typedDecimal } from './format.js';

/** The VAT categories (UNCL 5305) the editors offer. */
export const CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'];

/** The categories whose rate is always 0. */
export const ZERO_RATE = new Set(['Z', 'E', 'AE', 'K', 'G', 'O']);

/** The categories that state an exemption reason (the legal mention). */
export const WITH_REASON = new Set(['E', 'AE', 'K', 'G', 'O']);

let lineSeq = 0;

/** A line being edited, from a stored line or empty; key tells rows apart. */
export function toLine(l = {}) {
  return {
    key: ++lineSeq,
    description: l.description ?? '',
    quantity: l.quantity ?? '1',
    unit_code: l.unit_code || 'C62',
    unit_price: l.unit_price ?? '',
    discount_percent: l.discount_percent ?? '',
    vat_category: l.vat_category || 'S',
    vat_rate: l.vat_rate ?? '',
    exemption_reason: l.exemption_reason ?? '',
    optional: l.optional === true,
    included: l.optional === true ? l.included === true : true,
    touched: new Set(),
  };
}

/** A line nothing was typed in yet: left out of a preview (and of a proposal when saved). */
export function isBlank(l) {
  return !l.description.trim() && !l.unit_price.trim();
}

/** The line as the API takes it; withOptional adds the proposal's
 * `optional` and `included` flags. */
export function linePayload(l, { withOptional = false } = {}) {
  const out = {
    description: l.description.trim(),
    quantity: typedDecimal(l.quantity),
    unit_code: l.unit_code || 'C62',
    unit_price: typedDecimal(l.unit_price),
    vat_category: l.vat_category,
    vat_rate: typedDecimal(l.vat_rate),
  };
  if (l.discount_percent.trim()) out.discount_percent = typedDecimal(l.discount_percent);
  if (WITH_REASON.has(l.vat_category) && l.exemption_reason.trim()) out.exemption_reason = l.exemption_reason.trim();
  if (withOptional) {
    out.optional = !!l.optional;
    out.included = l.optional ? !!l.included : true;
  }
  return out;
}
