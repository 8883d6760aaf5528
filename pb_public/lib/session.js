// Who is signed in and which of their workspaces is open.
import { pb } from './pb.js';

const WORKSPACE_KEY = 'kontor.workspace';

export const session = {
  /** the user's workspaces, null until loaded */
  workspaces: null,
  /** the open workspace record, or null */
  workspace: null,
};

const listeners = new Set();

/** fn() runs whenever the workspace list or the open workspace changes. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  for (const fn of listeners) fn();
}

/** Loads the signed-in user's workspaces and opens the remembered one. */
export async function loadWorkspaces() {
  const list = await pb.collection('workspaces').getFullList({ sort: 'name', requestKey: 'workspaces' });
  session.workspaces = list;
  let wanted = null;
  try { wanted = localStorage.getItem(WORKSPACE_KEY); } catch { /* ignore */ }
  session.workspace = list.find((w) => w.id === wanted) || list[0] || null;
  changed();
  return list;
}

/** Opens a workspace by id (one of session.workspaces). */
export function openWorkspace(id) {
  const ws = (session.workspaces || []).find((w) => w.id === id);
  if (!ws) return;
  session.workspace = ws;
  try { localStorage.setItem(WORKSPACE_KEY, id); } catch { /* ignore */ }
  changed();
}

/** Adds or refreshes a workspace in the list (after a create or update) and opens it. */
export function rememberWorkspace(record) {
  const list = (session.workspaces || []).filter((w) => w.id !== record.id);
  list.push(record);
  list.sort((a, b) => a.name.localeCompare(b.name));
  session.workspaces = list;
  session.workspace = record;
  try { localStorage.setItem(WORKSPACE_KEY, record.id); } catch { /* ignore */ }
  changed();
}

/** Forgets everything on sign-out. */
export function clearSession() {
  session.workspaces = null;
  session.workspace = null;
  changed();
}
