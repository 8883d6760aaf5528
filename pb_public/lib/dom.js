// Tiny DOM helpers. Text always goes in as text nodes, never as HTML, so
// nothing a user or the server wrote can inject markup.

/**
 * h('button', {class: 'x', onclick: fn, 'data-testid': 'y'}, 'Text', childNode)
 * Attributes: "class", "for", "on<event>" (a function), boolean true/false,
 * "value" and "checked" as properties; null/undefined/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      el[key] = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces the children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A labelled form control with its error slot:
 * field({id, name, label, type, value, required, options, hint, wide, attrs})
 * options: [{value, label}] makes a <select>; type 'textarea' a <textarea>.
 * The control gets aria-describedby pointing at its hint and error, so
 * screen readers read the error with the field.
 */
export function field({ id, name, label, type = 'text', value = '', required = false, options, hint, wide = false, className = '', attrs = {} }) {
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  let control;
  if (options) {
    control = h('select', { id, name, required, 'aria-describedby': describedBy, ...attrs },
      options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)));
  } else if (type === 'textarea') {
    control = h('textarea', { id, name, required, 'aria-describedby': describedBy, ...attrs });
    control.value = value ?? '';
  } else {
    control = h('input', { id, name, type, required, 'aria-describedby': describedBy, ...attrs });
    control.value = value ?? '';
  }
  return h('div', { class: ['field', wide ? 'wide' : '', className].filter(Boolean).join(' ') },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, 'data-error-for': name }),
  );
}

/** Form values as a plain object of trimmed strings (name → value). */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'file') {
      if (el.files.length) out[el.name] = el.files[0]; // the SDK sends the form as multipart
      continue;
    }
    out[el.name] = typeof el.value === 'string' ? el.value.trim() : el.value;
  }
  return out;
}

/** Marks a button busy (disabled) while fn runs. */
export async function busy(button, fn) {
  if (!button) return fn();
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** A loading line for a region still fetching. */
export function loading(text) {
  return h('p', { class: 'loading', role: 'status' }, text);
}
