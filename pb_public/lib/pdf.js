// The PDF of an invoice or credit note. The route needs the signed-in
// user's token, which a plain link cannot carry, so the file is fetched and
// handed to the browser as a blob.
import { pb } from './pb.js';

/**
 * Opens the PDF of the invoice in a new tab, or saves it when download is
 * true. Throws an Error with the server's message when it answers otherwise.
 */
export async function openPdf(invoiceId, { download = false } = {}) {
  const path = `/api/kontor/invoices/${encodeURIComponent(invoiceId)}/pdf${download ? '?download=1' : ''}`;
  const res = await fetch(pb.buildURL(path), { headers: { Authorization: pb.authStore.token } });
  if (!res.ok) {
    let message = res.statusText;
    try { message = (await res.json()).message || message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || 'document.pdf';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  if (download) a.download = name; else a.target = '_blank';
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
