// Who is signed in and which of their workspaces is open.
import { pb } from './pb.js';

const WORKSPACE_KEY = 'kontor.workspace';

export const session = {
  /** the user's workspaces, null until loaded */
  workspaces: null,
  /** the open workspace record, or null */
  workspace: null,
  /** the user's role in each of their workspaces, by workspace id */
  roles: {},
};

/** True when the user may administer the open workspace (owner or admin). */
export function canAdminister() {
  const role = session.roles[session.workspace?.id];
  return role === 'owner' || role === 'admin';
}

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
  const [list, memberships] = await Promise.all([
    pb.collection('workspaces').getFullList({ sort: 'name', requestKey: 'workspaces' }),
    pb.collection('memberships').getFullList({
      filter: pb.filter('user = {:user}', { user: pb.authStore.record?.id || '' }), fields: 'workspace,role', requestKey: 'memberships',
    }),
  ]);
  session.roles = Object.fromEntries(memberships.map((m) => [m.workspace, m.role]));
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
  // the one who creates a workspace owns it
  if (!session.roles[record.id]) session.roles[record.id] = 'owner';
  try { localStorage.setItem(WORKSPACE_KEY, record.id); } catch { /* ignore */ }
  changed();
}

/** Forgets everything on sign-out. */
export function clearSession() {
  session.workspaces = null;
  session.workspace = null;
  session.roles = {};
  changed();
}
