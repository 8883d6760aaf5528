// The line editor of the invoice and proposal editors: one fieldset per
// line (description, quantity, price, discount, VAT), the way to add and
// remove lines, the server's line errors at their fields and each line's net
// amount as the server computed it. The lines themselves are the model of
// lines.js; withOptional adds the proposal's "Optional" and "Included by
// default" checkboxes.
import { h, mount, field } from './dom.js';
import { t } from './i18n.js';
import { CATEGORIES, ZERO_RATE, WITH_REASON, toLine } from './lines.js';
import { isLeaf, leafMessage, setFieldError } from './errors.js';

const BASE_FIELDS = ['description', 'quantity', 'unit_price', 'discount_percent', 'vat_category', 'vat_rate', 'exemption_reason'];
const OPTION_FIELDS = ['optional', 'included'];

/**
 * createLineEditor({getLines, setLines, onChange, withOptional, boxId, errorId})
 * → {box, errorEl, addButton, render, showErrors, setNet, clearNets}.
 * getLines/setLines read and replace the caller's array of lines;
 * onChange(line, name) runs after every edit (and after a removal, with
 * line null), so the caller marks the document dirty and asks for totals.
 * Controls have the ids `line-{key}-{field}`.
 */
export function createLineEditor({ getLines, setLines, onChange, withOptional = false, boxId = 'lines', errorId = 'lines-error' }) {
  const fields = withOptional ? [...BASE_FIELDS, ...OPTION_FIELDS] : BASE_FIELDS;
  const box = h('div', { id: boxId });
  const errorEl = h('p', { class: 'field-error', id: errorId, role: 'alert' });
  const addButton = h('button', { type: 'button', class: 'secondary', onclick: addLine }, t('editor.add_line'));
  const id = (l, f) => `line-${l.key}-${f}`;

  function categoryOptions(current) {
    const codes = CATEGORIES.includes(current) ? CATEGORIES : [...CATEGORIES, current];
    return codes.map((c) => ({ value: c, label: `${c} – ${t(`vat.${c}`)}` }));
  }

  /** A checkbox with its label and error slot. */
  function check(l, name, label, hint) {
    const cid = id(l, name);
    const hintId = hint ? `${cid}-hint` : null;
    return h('div', { class: `field line-option line-option-${name}` },
      h('label', { class: 'check', for: cid },
        h('input', {
          type: 'checkbox', id: cid, name, checked: !!l[name],
          'aria-describedby': [hintId, `${cid}-error`].filter(Boolean).join(' '),
        }),
        label),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      h('p', { class: 'field-error', id: `${cid}-error`, 'data-error-for': name }));
  }

  function lineEl(l, index) {
    const lf = (name, label, opts = {}) => field({ id: id(l, name), name, label, value: l[name], ...opts });
    const reasonField = lf('exemption_reason', t('line.exemption_reason'), {
      className: 'reason',
      hint: l.vat_category === 'E' ? t('line.reason_required') : t('line.reason_optional'),
    });
    reasonField.hidden = !WITH_REASON.has(l.vat_category);
    let includedField = null;
    let options = null;
    if (withOptional) {
      includedField = check(l, 'included', t('line.included'), t('line.included_hint'));
      includedField.hidden = !l.optional;
      options = h('div', { class: 'line-options' },
        check(l, 'optional', t('line.optional'), t('line.optional_hint')),
        includedField);
    }
    const el = h('fieldset', { class: l.optional ? 'line optional' : 'line', 'data-line-key': l.key },
      h('legend', {}, t('line.legend', { n: index + 1 })),
      h('div', { class: 'line-grid' },
        lf('description', t('line.description'), { className: 'description' }),
        lf('quantity', t('line.quantity'), { attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
        lf('unit_price', t('line.unit_price'), { attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
        lf('discount_percent', t('line.discount'), { attrs: { inputmode: 'decimal', autocomplete: 'off', placeholder: '0' } }),
        lf('vat_category', t('line.vat_category'), { options: categoryOptions(l.vat_category) }),
        lf('vat_rate', t('line.vat_rate'), { attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
        reasonField),
      options,
      h('div', { class: 'line-head' },
        h('button', {
          type: 'button', class: 'link', 'aria-label': t('line.remove_n', { n: index + 1 }),
          onclick: () => removeLine(l.key),
        }, t('line.remove')),
        h('p', { class: 'line-net', id: id(l, 'net'), 'aria-live': 'polite' })));

    const handler = (e) => {
      if (e.type === 'change' && e.target.tagName !== 'SELECT' && e.target.type !== 'checkbox') return;
      if (e.type === 'input' && e.target.type === 'checkbox') return;
      onInput(l, e.target, el, reasonField, includedField);
    };
    el.addEventListener('input', handler);
    el.addEventListener('change', handler);
    return el;
  }

  function onInput(l, target, el, reasonField, includedField) {
    const name = target.name;
    if (!fields.includes(name)) return;
    const value = target.type === 'checkbox' ? target.checked : target.value;
    if (l[name] === value && name !== 'vat_category') return;
    l[name] = value;
    l.touched.add(name);
    if (name === 'vat_category') {
      const rateInput = document.getElementById(id(l, 'vat_rate'));
      if (ZERO_RATE.has(l.vat_category)) {
        l.vat_rate = '0';
      } else if (l.vat_rate.trim() === '0' || l.vat_rate.trim() === '') {
        l.vat_rate = '';
      }
      if (rateInput) rateInput.value = l.vat_rate;
      reasonField.hidden = !WITH_REASON.has(l.vat_category);
      const hint = reasonField.querySelector('.hint');
      if (hint) hint.textContent = l.vat_category === 'E' ? t('line.reason_required') : t('line.reason_optional');
    }
    if (name === 'optional') {
      // a line made optional starts left out: the buyer ticks it in
      l.included = false;
      const inc = document.getElementById(id(l, 'included'));
      if (inc) inc.checked = false;
      if (includedField) includedField.hidden = !l.optional;
      el.classList.toggle('optional', l.optional);
    }
    onChange(l, name);
  }

  function render() {
    mount(box, getLines().map((l, i) => lineEl(l, i)));
  }

  function addLine() {
    const lines = getLines();
    const prev = lines[lines.length - 1];
    const l = toLine(prev ? { vat_category: prev.vat_category, vat_rate: prev.vat_rate } : {});
    setLines([...lines, l]);
    render();
    onChange(l, null);
    document.getElementById(id(l, 'description'))?.focus();
  }

  function removeLine(lineKey) {
    setLines(getLines().filter((l) => l.key !== lineKey));
    render();
    onChange(null, null);
    addButton.focus();
  }

  /** Puts the server's line errors (data.lines: {"2": {quantity: {code,
   * message}}} or one message for all lines) at their fields. mapping turns
   * the index the server saw into the index of the lines (null: the same).
   * onlyTouched leaves alone fields not typed in yet. Returns the messages
   * that have no field to go to. */
  function showErrors(linesData, mapping, { onlyTouched }) {
    const lines = getLines();
    for (const l of lines) {
      for (const f of fields) {
        const c = document.getElementById(id(l, f));
        if (c) { c.removeAttribute('aria-invalid'); const s = document.getElementById(`${c.id}-error`); if (s) s.textContent = ''; }
      }
    }
    errorEl.textContent = '';
    const unplaced = [];
    if (!linesData) return unplaced;
    if (isLeaf(linesData)) {
      errorEl.textContent = leafMessage(linesData);
      return unplaced;
    }
    for (const [idx, lineErrors] of Object.entries(linesData)) {
      const ui = mapping ? mapping[Number(idx)] : Number(idx);
      const l = lines[ui];
      if (!l || !lineErrors || typeof lineErrors !== 'object') continue;
      if (isLeaf(lineErrors)) { unplaced.push(leafMessage(lineErrors)); continue; }
      for (const [f, leaf] of Object.entries(lineErrors)) {
        if (!isLeaf(leaf)) continue;
        const control = fields.includes(f) ? document.getElementById(id(l, f)) : null;
        if (!control || control.closest('[hidden]')) { unplaced.push(leafMessage(leaf)); continue; }
        if (onlyTouched && !l.touched.has(f)) continue;
        setFieldError(box, control, leafMessage(leaf));
      }
    }
    return unplaced;
  }

  /** The net amount line under a line ("" clears it). */
  function setNet(l, text) {
    const el = l && document.getElementById(id(l, 'net'));
    if (el) el.textContent = text;
  }

  function clearNets() {
    for (const l of getLines()) setNet(l, '');
  }

  return { box, errorEl, addButton, render, showErrors, setNet, clearNets };
}
