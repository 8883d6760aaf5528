// The one PocketBase client of the UI. Every API call goes through it.
import PocketBase from '../vendor/pocketbase-0.28.1.es.mjs';

// The API lives where the UI is served from (also behind a path prefix).
const base = new URL('.', window.location.href).href.replace(/\/$/, '');

export const pb = new PocketBase(base);

/** The signed-in user record, or null. */
export function currentUser() {
  return pb.authStore.isValid ? pb.authStore.record : null;
}
