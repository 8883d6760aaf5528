// Idle sign-out and token refresh. Auth tokens are short-lived (the
// server's KONTOR_AUTH_TOKEN_TTL): while the user works, the token is
// refreshed before it runs out; after KONTOR_IDLE_TIMEOUT without input
// (in any tab of the UI), the user is signed out. Both values come from
// GET /api/kontor/client-config.
import { getTokenPayload } from '../vendor/pocketbase-0.28.1.es.mjs';
import { pb } from './pb.js';

const ACTIVITY_KEY = 'kontor.lastActivity';
const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
const CHECK_EVERY_MS = 15000;
const MARK_EVERY_MS = 5000;

/** The session settings, until the server's are loaded: the defaults. */
export const sessionConfig = { idleTimeoutSeconds: 1800, authTokenSeconds: 3600 };

let lastMarked = 0;
let configLoaded = false;

/** When the user last gave input, in ms; shared by the tabs through localStorage. */
export function lastActivity() {
  try {
    const stored = localStorage.getItem(ACTIVITY_KEY);
    if (stored !== null) return Number(stored) || 0;
  } catch { /* no storage: this tab's own input */ }
  return lastMarked;
}

/** Records input now (at most every few seconds). */
export function markActivity(now = Date.now()) {
  if (now - lastMarked < MARK_EVERY_MS) return;
  lastMarked = now;
  try { localStorage.setItem(ACTIVITY_KEY, String(now)); } catch { /* ignore */ }
}

/**
 * Reads the server's session settings once there is a session to watch (a
 * visitor's page sends nothing before the cookie decision); the defaults
 * stay when it cannot be reached.
 */
export async function loadSessionConfig() {
  if (configLoaded || !pb.authStore.token) return sessionConfig;
  try {
    const c = await pb.send('/api/kontor/client-config', { requestKey: 'client-config' });
    if (c?.idle_timeout_seconds > 0) sessionConfig.idleTimeoutSeconds = c.idle_timeout_seconds;
    if (c?.auth_token_seconds > 0) sessionConfig.authTokenSeconds = c.auth_token_seconds;
    configLoaded = true;
  } catch { /* keep the defaults */ }
  return sessionConfig;
}

/** True when a signed-in session has had no input for the idle timeout. */
export function isIdle(now = Date.now()) {
  const last = lastActivity();
  return last > 0 && now - last >= sessionConfig.idleTimeoutSeconds * 1000;
}

/**
 * Watches input and the clock: onIdle() runs when the signed-in user has
 * been idle too long (also right away, for a session left idle in a closed
 * tab); the token is refreshed when less than half its life is left and
 * the user is active. Returns a function that stops watching.
 */
export function startIdleWatch({ onIdle }) {
  const onInput = () => markActivity();
  for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { passive: true, capture: true });
  let refreshing = false;

  async function check() {
    if (!pb.authStore.token) return;
    await loadSessionConfig();
    if (isIdle()) {
      onIdle();
      return;
    }
    const exp = getTokenPayload(pb.authStore.token).exp || 0;
    const left = exp * 1000 - Date.now();
    if (refreshing || left > (sessionConfig.authTokenSeconds * 1000) / 2) return;
    refreshing = true;
    try {
      await pb.collection('users').authRefresh({ requestKey: 'idle-refresh' });
    } catch (err) {
      if (err?.status === 401 || err?.status === 403) onIdle();
    } finally {
      refreshing = false;
    }
  }

  if (!lastActivity()) markActivity();
  check();
  const timer = window.setInterval(check, CHECK_EVERY_MS);
  const onVisible = () => { if (document.visibilityState === 'visible') check(); };
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    window.clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
    for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput, { capture: true });
  };
}
