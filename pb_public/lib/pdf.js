// Files of an invoice, credit note or proposal (its PDF and its e-invoices),
// and other files of the API, such as a privacy export. The routes
// need the signed-in user's token, which a plain link cannot carry, so the
// file is fetched and handed to the browser as a blob.
import { ClientResponseError } from '../vendor/pocketbase-0.28.1.es.mjs';
import { pb } from './pb.js';

const EXTENSIONS = { 'application/pdf': '.pdf', 'application/xml': '.xml', 'text/xml': '.xml', 'application/zip': '.zip' };

/**
 * The file name of a Content-Disposition header: filename*=UTF-8''… first,
 * then filename="…" or an unquoted filename=…; null when there is none.
 */
export function dispositionName(header) {
  const extended = /filename\*\s*=\s*[\w-]*'[^']*'([^;\s]+)/i.exec(header || '');
  if (extended) {
    try { return decodeURIComponent(extended[1]); } catch { /* malformed: try the plain one */ }
  }
  const plain = /filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;\s]+))/i.exec(header || '');
  if (!plain) return null;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2];
}

/**
 * Fetches an API path as a file: {blob, name}. A refusal throws the SDK's
 * ClientResponseError (status, response.message, response.data), so the
 * helpers of errors.js read it like any other failed request.
 */
async function fetchFile(path) {
  const url = pb.buildURL(path);
  let res;
  try {
    res = await fetch(url, { headers: { Authorization: pb.authStore.token } });
  } catch (err) {
    throw new ClientResponseError({ url, status: 0, originalError: err });
  }
  if (!res.ok) {
    let body = {};
    try { body = await res.json(); } catch { /* not JSON */ }
    throw new ClientResponseError({ url, status: res.status, response: body });
  }
  const blob = await res.blob();
  const name = dispositionName(res.headers.get('Content-Disposition'))
    || `document${EXTENSIONS[blob.type.split(';')[0]] || ''}`;
  return { blob, name };
}

/** Hands a fetched file to the browser: saved under its name, or opened in a new tab. */
function deliver({ blob, name }, download) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  if (download) a.download = name; else a.target = '_blank';
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens the PDF of the invoice in a new tab, or saves it when download is true. */
export async function openPdf(invoiceId, { download = false } = {}) {
  const path = `/api/kontor/invoices/${encodeURIComponent(invoiceId)}/pdf${download ? '?download=1' : ''}`;
  deliver(await fetchFile(path), download);
}

/** Opens the PDF of a proposal (the signed PDF once signed) in a new tab, or saves it when download is true. */
export async function openProposalPdf(proposalId, { download = false } = {}) {
  const path = `/api/kontor/proposals/${encodeURIComponent(proposalId)}/pdf${download ? '?download=1' : ''}`;
  deliver(await fetchFile(path), download);
}

/** Saves the file an API path answers with, under the name it gives. */
export async function downloadFile(path) {
  deliver(await fetchFile(path), true);
}

/** Saves the e-invoice of an issued invoice in a format (a name of GET /api/kontor/formats). */
export async function downloadEInvoice(invoiceId, format) {
  await downloadFile(`/api/kontor/invoices/${encodeURIComponent(invoiceId)}/einvoice/${encodeURIComponent(format)}`);
}
