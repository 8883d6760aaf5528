// Showing what went wrong: the server's field errors beside their fields and
// its top-level message in the page alert.
//
// PocketBase answers a refused write with
//   {status: 400, message, data: {field: {code, message}}}
// and Kontor nests the errors of invoice lines one level deeper:
//   data.lines["2"].quantity.message  (0-based line index).
// The SDK throws a ClientResponseError whose .response is that body.
import { h, mount, busy } from './dom.js';
import { t, has } from './i18n.js';

const alertEl = () => document.getElementById('alert');

let flashed = null;

/** True when v is one field's error ({code, message}), not a nested group. */
export function isLeaf(v) {
  return v !== null && typeof v === 'object' && typeof v.message === 'string';
}

/** The data part of an error response ({} when none). */
export function errorData(err) {
  const data = err?.response?.data;
  return data && typeof data === 'object' ? data : {};
}

/** One field error as text for the UI language: PocketBase's own generic
 * codes are translated, Kontor's messages are shown as the server wrote them. */
export function leafMessage(leaf) {
  const key = `pb.${leaf.code}`;
  return leaf.code !== 'validation_kontor' && has(key) ? t(key) : leaf.message;
}

/** The top-level message to show for an error, or null for an aborted request. */
export function errorMessage(err) {
  if (!err) return null;
  if (err.isAbort) return null;
  const status = err.status;
  if (status === undefined) return String(err.message || err);
  if (status === 0) return t('error.network');
  if (status === 401) return t('error.signin_needed');
  if (status === 404) return t('error.not_found');
  // Kontor's 502 and 504 name what failed behind it (a format plugin, Gotenberg)
  if ((status === 502 || status === 504) && err.response?.message) return err.response.message;
  if (status >= 500) return t('error.server');
  const message = err.response?.message || err.message;
  const generic = ['Failed to create record.', 'Failed to update record.', 'Something went wrong while processing your request.', 'An error occurred while validating the submitted data.'];
  if (!message || generic.includes(message)) {
    return Object.keys(errorData(err)).length ? t('error.check_fields') : t('error.rejected');
  }
  if (message === 'Failed to authenticate.') return t('error.auth_failed');
  return message;
}

export function clearFieldErrors(root) {
  if (!root) return;
  root.querySelectorAll('[aria-invalid="true"]').forEach((el) => el.removeAttribute('aria-invalid'));
  root.querySelectorAll('.field-error').forEach((el) => { el.textContent = ''; });
}

/** Puts one message at the control (found by name, or the element given). */
export function setFieldError(root, nameOrEl, message) {
  const control = typeof nameOrEl === 'string'
    ? root.querySelector(`[name="${CSS.escape(nameOrEl)}"]`)
    : nameOrEl;
  if (!control) return false;
  control.setAttribute('aria-invalid', 'true');
  const slot = root.querySelector(`#${CSS.escape(control.id)}-error`);
  if (slot) slot.textContent = message;
  return true;
}

/**
 * Places each leaf of data at the control of the same name inside root and
 * returns the messages it could not place (as [{field, message}]). Nested
 * groups (such as lines) are left to the caller, which passes them in
 * `nested` to be handled, or they are returned as unplaced text.
 */
export function applyFieldErrors(root, data, { skip = [], focus = false } = {}) {
  const unplaced = [];
  for (const [field, value] of Object.entries(data || {})) {
    if (skip.includes(field)) continue;
    if (isLeaf(value)) {
      if (!root || !setFieldError(root, field, leafMessage(value))) {
        unplaced.push({ field, message: leafMessage(value) });
      }
    } else if (value && typeof value === 'object') {
      for (const leaf of flattenLeaves(value)) unplaced.push({ field, message: leaf });
    }
  }
  const first = focus && root?.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  return unplaced;
}

function flattenLeaves(obj) {
  const out = [];
  for (const v of Object.values(obj)) {
    if (isLeaf(v)) out.push(leafMessage(v));
    else if (v && typeof v === 'object') out.push(...flattenLeaves(v));
  }
  return out;
}

/** True when the error is a refusal of the workspace's plan: a 402, or one
 * whose data names where to upgrade. */
export function isPlanLimit(err) {
  return err?.status === 402 || typeof errorData(err).upgrade_url === 'string';
}

/** The "See plans" link of an error the plan refused, or null. */
export function plansLink(err) {
  if (!isPlanLimit(err)) return null;
  return h('a', { href: '#/billing', class: 'plans-link', 'data-testid': 'see-plans' }, t('billing.see_plans'));
}

/**
 * Shows the page alert: a message, and optionally a list of details (text
 * or nodes); error: the failed request, whose refusal by the plan adds a
 * link to the plans.
 */
export function showAlert(message, { kind = 'error', details = [], error = null } = {}) {
  const el = alertEl();
  if (!el || !message) return;
  el.className = `alert alert-${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const link = plansLink(error);
  mount(el, h('span', { 'data-testid': 'alert-message' }, message),
    link ? [' ', link] : null,
    details.length ? h('ul', {}, details.map((d) => h('li', {}, d))) : null);
  el.hidden = false;
  el.scrollIntoView({ block: 'nearest' });
}

export function clearAlert() {
  const el = alertEl();
  if (!el) return;
  el.hidden = true;
  el.replaceChildren();
}

/** A message to show after the next navigation (e.g. "Invoice issued"). */
export function flash(message, kind = 'success') {
  flashed = { message, kind };
}

/** Shows the flashed message, if any; called by the router after a render. */
export function showFlash() {
  if (!flashed) return;
  showAlert(flashed.message, { kind: flashed.kind });
  flashed = null;
}

/**
 * The usual handling of a failed request from a form: field errors beside
 * their fields, the top-level message (and whatever could not be placed) in
 * the page alert. Aborted requests are ignored.
 */
export function reportError(err, root) {
  if (err?.isAbort) return;
  if (!err?.status && err?.status !== 0) console.error(err);
  clearFieldErrors(root);
  const unplaced = applyFieldErrors(root, errorData(err), { focus: true });
  const message = errorMessage(err);
  const details = unplaced.map((u) => u.message).filter((m) => m !== message);
  showAlert(message, { details, error: err });
}

/**
 * Binds the submit of a form: clears the last errors, runs save with the
 * submit button busy, and reports a failure on the form (field errors
 * beside their fields, the rest in the page alert).
 */
export function onSubmit(form, save) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(form);
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        await save();
      } catch (err) {
        reportError(err, form);
      }
    });
  });
}

/**
 * The handling of a failed save (or issue, send) of an editor with lines:
 * reportSaveError(err, {root, fields, lineEditor, mapping, form, hint}).
 * An error of one of `fields` goes beside its control inside root (a closed
 * <details> around it is opened), the line errors to their fields through
 * lineEditor.showErrors (mapping: as there), and the rest to the page alert,
 * each message followed by hint(field) when that gives a node (e.g. a link
 * to where it is fixed). The first invalid control in form gets the focus.
 */
export function reportSaveError(err, { root, fields, lineEditor, mapping = null, form, hint = () => null }) {
  if (err?.isAbort) return;
  if (!err?.status && err?.status !== 0) console.error(err);
  clearFieldErrors(root);
  const data = errorData(err);
  const details = [];
  for (const [f, v] of Object.entries(data)) {
    if (f === 'lines') continue;
    if (isLeaf(v) && root && fields.includes(f) && setFieldError(root, f, leafMessage(v))) {
      const around = root.querySelector(`[name="${CSS.escape(f)}"]`)?.closest('details');
      if (around) around.open = true;
      continue;
    }
    if (isLeaf(v)) details.push(leafMessage(v));
    const extra = hint(f);
    if (extra) details.push(extra);
  }
  details.push(...lineEditor.showErrors(data.lines, mapping, { onlyTouched: false }));
  const message = errorMessage(err);
  showAlert(message, { details: details.filter((d) => d !== message), error: err });
  const first = form?.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

/** A failed load: what went wrong and a way to try again. */
export function errorState(err, retry) {
  return h('div', { class: 'error-state', role: 'alert' },
    h('p', {}, errorMessage(err) || t('error.server'), plansLink(err) ? [' ', plansLink(err)] : null),
    retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, t('common.retry')) : null);
}
