// Importing contacts or companies from a CSV file, in steps: choose the
// file, map its columns to fields (guessed from the header row), check a
// dry run with each row's errors, then import. And the CSV exports.
import { pb } from '../lib/pb.js';
import { h, mount, busy } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { session } from '../lib/session.js';
import { clearAlert, showAlert, reportError, errorMessage } from '../lib/errors.js';
import { canWrite, crmTabs } from './crm-common.js';

/** The fields a CSV column can fill, per entity. */
export const IMPORT_FIELDS = {
  contacts: ['first_name', 'last_name', 'email', 'phone', 'job_title', 'company_name', 'status', 'source', 'country', 'timezone', 'language', 'notes'],
  companies: ['name', 'domain', 'website', 'industry', 'employees', 'vat_id', 'address_line', 'city', 'postal_code', 'country', 'notes'],
};

// other words people put in a header row for a field
const SYNONYMS = {
  first_name: ['firstname', 'first', 'given name', 'givenname', 'vorname', 'nombre', 'prenom', 'prénom', 'nome'],
  last_name: ['lastname', 'last', 'surname', 'family name', 'nachname', 'apellido', 'apellidos', 'nom', 'cognome'],
  email: ['e-mail', 'mail', 'email address', 'correo', 'courriel'],
  phone: ['telephone', 'tel', 'mobile', 'phone number', 'telefon', 'teléfono', 'telefono', 'téléphone'],
  job_title: ['title', 'role', 'position', 'job', 'funktion', 'cargo', 'poste', 'ruolo'],
  company_name: ['company', 'organisation', 'organization', 'account', 'firma', 'empresa', 'société', 'societe', 'azienda'],
  name: ['company', 'company name', 'organisation', 'organization', 'firma', 'empresa', 'société', 'azienda'],
  domain: ['domain name'],
  website: ['url', 'web', 'homepage', 'site'],
  employees: ['size', 'company size', 'headcount', 'mitarbeiter', 'empleados', 'employés'],
  vat_id: ['vat', 'vat number', 'ust-idnr', 'nif', 'cif', 'tva', 'partita iva'],
  address_line: ['address', 'street', 'adresse', 'dirección', 'direccion', 'indirizzo', 'straße', 'strasse'],
  city: ['town', 'stadt', 'ort', 'ciudad', 'ville', 'città', 'citta'],
  postal_code: ['zip', 'zip code', 'postcode', 'plz', 'cp', 'code postal', 'cap'],
  country: ['land', 'país', 'pais', 'pays', 'paese'],
  industry: ['sector', 'branche', 'industria'],
  status: ['lead status', 'stage'],
  source: ['lead source', 'origin', 'quelle', 'origen'],
  language: ['lang', 'sprache', 'idioma', 'langue', 'lingua'],
  timezone: ['time zone', 'tz'],
  notes: ['note', 'comments', 'comment', 'notizen', 'notas'],
};

const normal = (s) => String(s).toLowerCase().replace(/[_\-.]+/g, ' ').replace(/\s+/g, ' ').trim();

/** The field a header names, or '' (skip the column). Every field is used once at most. */
export function guessMapping(headers, entity) {
  const fields = IMPORT_FIELDS[entity];
  const used = new Set();
  const mapping = {};
  for (const header of headers) {
    const n = normal(header);
    const hit = fields.find((f) => !used.has(f) && (normal(f) === n || (SYNONYMS[f] || []).some((syn) => normal(syn) === n)));
    mapping[header] = hit || '';
    if (hit) used.add(hit);
  }
  return mapping;
}

/** The header row of CSV text: the first record, split on the delimiter the server accepts (',' or ';'), quotes honoured. */
export function csvHeaders(text) {
  const src = text.replace(/^\uFEFF/, '');
  let end = 0;
  let quoted = false;
  for (; end < src.length; end++) {
    const c = src[end];
    if (c === '"') quoted = !quoted;
    else if ((c === '\n' || c === '\r') && !quoted) break;
  }
  const line = src.slice(0, end);
  const delimiter = (line.match(/;/g) || []).length > (line.match(/,/g) || []).length ? ';' : ',';
  const out = [];
  let cell = '';
  quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) { out.push(cell.trim()); cell = ''; } else cell += c;
  }
  out.push(cell.trim());
  return out.filter((x, i) => x !== '' || i < out.length - 1);
}

/** Downloads the workspace's CSV of an entity through the API (with the sign-in). */
async function download(entity, button) {
  const ws = session.workspace;
  await busy(button, async () => {
    clearAlert();
    try {
      const url = pb.buildURL(`/api/kontor/crm/export?workspace=${encodeURIComponent(ws.id)}&entity=${encodeURIComponent(entity)}`);
      const res = await fetch(url, { headers: { Authorization: pb.authStore.token } });
      if (!res.ok) {
        let message = '';
        try { message = (await res.json()).message; } catch { /* not JSON */ }
        throw Object.assign(new Error(message || res.statusText), { status: res.status, response: { message } });
      }
      const blob = await res.blob();
      const link = h('a', { href: URL.createObjectURL(blob), download: `${entity}.csv`, class: 'visually-hidden' });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (err) {
      showAlert(errorMessage(err) || t('error.server'));
    }
  });
}

export async function page(ctx) {
  ctx.setTitle(t('crm.import.title'));
  const ws = session.workspace;
  const writable = canWrite();
  let entity = 'contacts';
  let file = null;
  let headers = [];
  let mapping = {};

  const stepEl = h('div', { 'data-testid': 'import-wizard' });
  const exports = h('section', { class: 'card', 'aria-labelledby': 'export-title' },
    h('h2', { id: 'export-title' }, t('crm.export.title')),
    h('p', { class: 'muted' }, t('crm.export.text')),
    h('div', { class: 'actions' }, ['contacts', 'companies', 'deals'].map((e) => {
      const b = h('button', { type: 'button', class: 'secondary', 'data-testid': `export-${e}` }, t(`crm.export.${e}`));
      b.addEventListener('click', () => download(e, b));
      return b;
    })));
  mount(ctx.root, crmTabs('import'), h('h1', {}, t('crm.import.title')),
    writable ? stepEl : h('p', { class: 'muted' }, t('crm.import.viewer')), exports);

  const stepHead = (n, key) => h('h2', { id: 'import-step-title' }, t('crm.import.step', { n, of: 3 }), ' · ', t(key));

  // ---- 1. the file ----------------------------------------------------------------
  function chooseFile() {
    const entitySelect = h('select', { id: 'import-entity', name: 'entity' },
      ['contacts', 'companies'].map((e) => h('option', { value: e, selected: e === entity }, t(`crm.import.entity.${e}`))));
    const fileInput = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.csv,text/csv', 'aria-describedby': 'import-file-hint import-file-error' });
    const fileError = h('p', { class: 'field-error', id: 'import-file-error' });
    const formEl = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'import-step-title' },
      stepHead(1, 'crm.import.choose'),
      h('div', { class: 'grid' },
        h('div', { class: 'field' }, h('label', { for: 'import-entity' }, t('crm.import.entity')), entitySelect),
        h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('crm.import.file')), fileInput,
          h('p', { class: 'hint', id: 'import-file-hint' }, t('crm.import.file_hint')), fileError)),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('crm.import.next'))));
    formEl.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearAlert();
      fileError.textContent = '';
      fileInput.removeAttribute('aria-invalid');
      const chosen = fileInput.files[0];
      const fail = (key) => { fileError.textContent = t(key); fileInput.setAttribute('aria-invalid', 'true'); fileInput.focus(); };
      if (!chosen) return fail('crm.import.no_file');
      if (chosen.size > 5 * 1024 * 1024) return fail('crm.import.too_big');
      const text = await chosen.slice(0, 64 * 1024).text();
      const found = csvHeaders(text);
      if (found.length === 0 || found.every((x) => !x)) return fail('crm.import.no_header');
      entity = entitySelect.value;
      file = chosen;
      headers = found;
      mapping = guessMapping(headers, entity);
      return mapColumns();
    });
    mount(stepEl, formEl);
  }

  // ---- 2. the columns ---------------------------------------------------------------
  function mapColumns() {
    const fields = IMPORT_FIELDS[entity];
    const rows = headers.map((header, i) => {
      const id = `map-${i}`;
      const select = h('select', { id, 'data-column': header },
        h('option', { value: '', selected: !mapping[header] }, t('crm.import.skip')),
        fields.map((f) => h('option', { value: f, selected: mapping[header] === f }, t(`crm.import.field.${f}`))));
      select.addEventListener('change', () => { mapping[header] = select.value; });
      return h('tr', {}, h('th', { scope: 'row' }, h('label', { for: id }, header || `#${i + 1}`)), h('td', {}, select));
    });
    const formEl = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'import-step-title' },
      stepHead(2, 'crm.import.map'),
      h('p', { class: 'muted' }, t('crm.import.map_text', { file: file.name })),
      h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'import-mapping' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('crm.import.column')), h('th', { scope: 'col' }, t('crm.import.field')))),
        h('tbody', {}, rows))),
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, t('crm.import.check')),
        h('button', { type: 'button', class: 'secondary', onclick: chooseFile }, t('crm.import.back'))));
    formEl.addEventListener('submit', (e) => {
      e.preventDefault();
      clearAlert();
      const chosen = Object.values(mapping).filter(Boolean);
      const twice = chosen.find((f, i) => chosen.indexOf(f) !== i);
      if (chosen.length === 0) { showAlert(t('crm.import.nothing_mapped')); return; }
      if (twice) { showAlert(t('crm.import.mapped_twice', { field: t(`crm.import.field.${twice}`) })); return; }
      busy(formEl.querySelector('button[type=submit]'), () => run(true));
    });
    mount(stepEl, formEl);
  }

  async function send(dryRun) {
    const used = Object.fromEntries(Object.entries(mapping).filter(([, f]) => f));
    const data = new FormData();
    data.append('workspace', ws.id);
    data.append('entity', entity);
    data.append('file', file);
    data.append('mapping', JSON.stringify(used));
    data.append('dry_run', dryRun ? 'true' : 'false');
    return pb.send('/api/kontor/crm/import', { method: 'POST', body: data, requestKey: null });
  }

  /** Runs the dry run (then shows the preview) or the import (then the result). */
  async function run(dryRun) {
    let res;
    try {
      res = await send(dryRun);
    } catch (err) {
      // a refused import (400) answers with the same report: rows, valid, errors
      const report = err?.response;
      if (report && Array.isArray(report.errors)) { preview(report, !dryRun); return; }
      reportError(err, null);
      return;
    }
    if (dryRun) preview(res, false);
    else done(res);
  }

  // ---- 3. the dry run and the import -------------------------------------------------
  function preview(report, refused) {
    const errors = report.errors || [];
    const rows = report.preview || [];
    const order = IMPORT_FIELDS[entity];
    const rank = (c) => (order.includes(c) ? order.indexOf(c) : order.length);
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort((a, b) => rank(a) - rank(b));
    const importButton = h('button', { type: 'button', 'data-testid': 'import-run', disabled: errors.length > 0 || !report.valid }, t('crm.import.run', { n: report.valid ?? 0 }));
    importButton.addEventListener('click', () => busy(importButton, () => run(false)));
    mount(stepEl, h('section', { class: 'card', 'aria-labelledby': 'import-step-title', 'data-testid': 'import-preview' },
      stepHead(3, 'crm.import.review'),
      h('p', { 'data-testid': 'import-summary' }, t('crm.import.summary', { rows: report.rows ?? 0, valid: report.valid ?? 0, errors: errors.length })),
      refused ? h('p', { class: 'notice-warning' }, t('crm.import.refused')) : null,
      errors.length ? [
        h('h3', {}, t('crm.import.errors')),
        h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'import-errors' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', class: 'num' }, t('crm.import.row')),
            h('th', { scope: 'col' }, t('crm.import.column')),
            h('th', { scope: 'col' }, t('crm.import.problem')))),
          h('tbody', {}, errors.map((er) => h('tr', { class: 'row-error' },
            h('td', { class: 'num' }, String(er.row ?? '—')),
            h('td', {}, er.column || (er.field ? t(`crm.import.field.${er.field}`) : '—')),
            h('td', { class: 'error-text' }, er.message || '')))))),
        h('p', { class: 'muted' }, t('crm.import.fix_and_retry')),
      ] : null,
      rows.length ? [
        h('h3', {}, t('crm.import.preview', { n: rows.length })),
        h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'import-preview-rows' },
          h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, IMPORT_FIELDS[entity].includes(c) ? t(`crm.import.field.${c}`) : c)))),
          h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', {}, r[c] === undefined || r[c] === null ? '' : String(r[c])))))))),
      ] : null,
      h('div', { class: 'actions' }, importButton,
        h('button', { type: 'button', class: 'secondary', onclick: mapColumns }, t('crm.import.back')),
        h('button', { type: 'button', class: 'secondary', onclick: chooseFile }, t('crm.import.another')))));
  }

  function done(report) {
    showAlert(t('crm.import.done', { n: report.created ?? 0 }), { kind: 'success' });
    mount(stepEl, h('section', { class: 'card', 'data-testid': 'import-done' },
      h('h2', {}, t('crm.import.done', { n: report.created ?? 0 })),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: entity === 'companies' ? '#/companies' : '#/contacts' }, t(`crm.import.see.${entity}`)),
        h('button', { type: 'button', class: 'secondary', onclick: chooseFile }, t('crm.import.another')))));
  }

  if (writable) chooseFile();
}
