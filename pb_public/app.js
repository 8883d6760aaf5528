// Kontor web UI: boot, hash router and the top bar. Views live in views/,
// each a function (ctx) → optional cleanup, rendering into ctx.root.
import { pb, currentUser } from './lib/pb.js';
import { h, mount, loading } from './lib/dom.js';
import { t, LANGUAGES, getLanguage, setLanguage, initialLanguage, adoptUserLanguage } from './lib/i18n.js';
import { clearAlert, showAlert, showFlash, errorMessage, errorState } from './lib/errors.js';
import { session, loadWorkspaces, openWorkspace, clearSession, onSessionChange, canAdminister } from './lib/session.js';
import * as auth from './views/auth.js';
import * as workspace from './views/workspace.js';
import * as clients from './views/clients.js';
import * as invoices from './views/invoices.js';
import * as editor from './views/invoice-editor.js';
import * as invoiceView from './views/invoice-view.js';
import * as outbox from './views/outbox.js';
import * as recurring from './views/recurring.js';
import * as proposals from './views/proposals.js';
import * as proposalPage from './views/proposals-page.js';
import * as billing from './views/billing.js';
import * as attribution from './views/attribution.js';
import * as privacy from './views/privacy.js';
import * as accessLog from './views/access-log.js';
import * as crmDeals from './views/crm-deals.js';
import * as crmDeal from './views/crm-deal.js';
import * as crmContacts from './views/crm-contacts.js';
import * as crmContact from './views/crm-contact.js';
import * as crmCompanies from './views/crm-companies.js';
import * as crmCompany from './views/crm-company.js';
import * as crmImport from './views/crm-import.js';
import * as crmSequences from './views/crm-sequences.js';
import * as crmInsights from './views/crm-insights.js';
import * as assistant from './views/assistant.js';
import * as assistantSettings from './views/assistant-settings.js';
import * as telephony from './views/telephony-accounts.js';
import { startConsent, showConsentPreferences } from './lib/consent.js';
import { flash } from './lib/errors.js';
import { loadSessionConfig, startIdleWatch, isIdle } from './lib/idle.js';

const routes = [
  { path: '/signin', view: auth.signIn, public: true },
  { path: '/signup', view: auth.signUp, public: true },
  { path: '/workspaces', view: workspace.list },
  { path: '/workspaces/new', view: workspace.form },
  { path: '/workspaces/:id/edit', view: workspace.form },
  { path: '/clients', view: clients.list, needsWorkspace: true },
  { path: '/clients/new', view: clients.form, needsWorkspace: true },
  { path: '/clients/:id', view: clients.form, needsWorkspace: true },
  { path: '/invoices', view: invoices.list, needsWorkspace: true },
  { path: '/invoices/new', view: editor.newInvoice, needsWorkspace: true },
  { path: '/invoices/:id', view: invoiceDetail, needsWorkspace: true },
  { path: '/proposals', view: proposals.list, needsWorkspace: true },
  { path: '/proposals/new', view: proposalPage.page, needsWorkspace: true },
  { path: '/proposals/:id', view: proposalPage.page, needsWorkspace: true },
  { path: '/recurring', view: recurring.list, needsWorkspace: true },
  { path: '/recurring/new', view: recurring.form, needsWorkspace: true },
  { path: '/recurring/:id', view: recurring.form, needsWorkspace: true },
  { path: '/outbox', view: outbox.list, needsWorkspace: true },
  { path: '/billing', view: billing.page, needsWorkspace: true },
  { path: '/account/attribution', view: attribution.page },
  { path: '/account/privacy', view: privacy.page },
  { path: '/access-log', view: accessLog.page, needsWorkspace: true },
  { path: '/deals', view: crmDeals.board, needsWorkspace: true },
  { path: '/deals/:id', view: crmDeal.page, needsWorkspace: true },
  { path: '/contacts', view: crmContacts.list, needsWorkspace: true },
  { path: '/contacts/new', view: crmContact.form, needsWorkspace: true },
  { path: '/contacts/:id', view: crmContact.page, needsWorkspace: true },
  { path: '/companies', view: crmCompanies.list, needsWorkspace: true },
  { path: '/companies/new', view: crmCompany.form, needsWorkspace: true },
  { path: '/companies/:id', view: crmCompany.page, needsWorkspace: true },
  { path: '/crm/import', view: crmImport.page, needsWorkspace: true },
  { path: '/sequences', view: crmSequences.list, needsWorkspace: true },
  { path: '/sequences/:id', view: crmSequences.editor, needsWorkspace: true },
  { path: '/campaigns/:id', view: crmSequences.campaign, needsWorkspace: true },
  { path: '/insights', view: crmInsights.page, needsWorkspace: true },
  { path: '/assistant', view: assistant.page, needsWorkspace: true },
  { path: '/assistant/settings', view: assistantSettings.page, needsWorkspace: true },
  { path: '/telephony', view: telephony.page, needsWorkspace: true },
];

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const footer = document.getElementById('footer');

let renderSeq = 0;
let cleanup = null;

function currentPath() {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.split('?')[0] || '/';
}

/** Goes to a route; replace=true does not add a history entry. */
function navigate(path, { replace = false } = {}) {
  if (currentPath() === path) {
    render();
  } else if (replace) {
    window.history.replaceState(null, '', `#${path}`);
    render();
  } else {
    window.location.hash = path;
  }
}

function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const rparts = route.path.split('/').filter(Boolean);
    if (rparts.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < rparts.length; i++) {
      if (rparts[i].startsWith(':')) params[rparts[i].slice(1)] = decodeURIComponent(parts[i]);
      else if (rparts[i] !== parts[i]) { ok = false; break; }
    }
    if (ok) return { route, params };
  }
  return null;
}

/** Renders the route of the current hash. rerender=true keeps the page state
 * a view can keep (used when the language changes). */
async function render({ rerender = false } = {}) {
  const seq = ++renderSeq;
  if (cleanup) {
    try { cleanup(); } catch (err) { console.error(err); }
    cleanup = null;
  }
  if (!rerender) clearAlert();
  const path = currentPath();
  const signedIn = !!currentUser();

  if (path === '/') return navigate(signedIn ? '/invoices' : '/signin', { replace: true });
  const m = match(path);
  renderHeader(path);
  if (!m) {
    mount(main, h('div', { class: 'empty-state' }, h('h1', {}, t('error.page_not_found')),
      h('a', { href: '#/', class: 'button' }, t('common.go_home'))));
    return;
  }
  if (!m.route.public && !signedIn) return navigate('/signin', { replace: true });
  if (m.route.public && signedIn) return navigate('/invoices', { replace: true });

  if (signedIn && session.workspaces === null) {
    mount(main, loading(t('common.loading')));
    try {
      await loadWorkspaces();
    } catch (err) {
      if (seq !== renderSeq || err?.isAbort) return;
      mount(main, errorState(err, () => render()));
      return;
    }
    if (seq !== renderSeq) return;
    renderHeader(path);
  }
  if (m.route.needsWorkspace && !session.workspace) return navigate('/workspaces', { replace: true });

  const root = h('div', { class: 'view' });
  mount(main, root);
  if (!rerender) main.focus({ preventScroll: true });
  const ctx = {
    root,
    params: m.params,
    path,
    rerender,
    navigate,
    isCurrent: () => seq === renderSeq,
    setTitle: (title) => { document.title = title ? `${title} · Kontor` : 'Kontor'; },
    refreshHeader: () => renderHeader(currentPath()),
  };
  ctx.setTitle('');
  try {
    const done = await m.route.view(ctx);
    if (typeof done === 'function') {
      if (seq === renderSeq) cleanup = done;
      else done();
    }
  } catch (err) {
    if (seq !== renderSeq || err?.isAbort) return;
    if (err?.status === 401) {
      pb.authStore.clear();
      return navigate('/signin', { replace: true });
    }
    console.error(err);
    mount(root, errorState(err, () => render()));
  }
  if (seq === renderSeq) showFlash();
}

/** The dispatcher of /invoices/:id: a draft opens in the editor, anything else in the read-only view. */
async function invoiceDetail(ctx) {
  mount(ctx.root, loading(t('common.loading')));
  const record = await pb.collection('invoices').getOne(ctx.params.id, { expand: 'client,credited_invoice' });
  if (!ctx.isCurrent()) return undefined;
  if (session.workspace?.id !== record.workspace) openWorkspace(record.workspace);
  if (record.status === 'draft') return editor.editInvoice(ctx, record);
  return invoiceView.show(ctx, record);
}

function renderHeader(path) {
  const user = currentUser();
  const section = path.split('/')[1] || '';
  const navLink = (href, key, name) => h('li', {},
    h('a', { href: `#${href}`, 'aria-current': section === name ? 'page' : null }, t(key)));

  const languageSelect = h('select', {
    id: 'language-switcher', 'data-testid': 'language-switcher',
    onchange: (e) => changeLanguage(e.target.value),
  }, LANGUAGES.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === getLanguage() }, l.name)));

  const parts = [h('a', { href: '#/', class: 'brand' }, 'Kontor')];
  if (user) {
    parts.push(h('nav', { 'aria-label': t('nav.main') }, h('ul', {},
      session.workspace ? navLink('/insights', 'crm.nav.dashboard', 'insights') : null,
      session.workspace ? navLink('/deals', 'crm.nav.sales', 'deals') : null,
      session.workspace ? navLink('/invoices', 'nav.invoices', 'invoices') : null,
      session.workspace ? navLink('/proposals', 'nav.proposals', 'proposals') : null,
      session.workspace ? navLink('/recurring', 'nav.recurring', 'recurring') : null,
      session.workspace ? navLink('/clients', 'nav.clients', 'clients') : null,
      session.workspace ? navLink('/assistant', 'assistant.nav', 'assistant') : null,
      session.workspace && canAdminister() ? navLink('/outbox', 'nav.outbox', 'outbox') : null,
      session.workspace ? navLink('/billing', 'nav.plan', 'billing') : null,
      navLink('/workspaces', 'nav.workspaces', 'workspaces'))));
  }
  parts.push(h('span', { class: 'spacer' }));
  if (user && session.workspaces && session.workspaces.length > 0) {
    parts.push(h('div', { class: 'inline-field' },
      h('label', { for: 'workspace-switcher' }, t('nav.workspace')),
      h('select', {
        id: 'workspace-switcher',
        onchange: (e) => {
          openWorkspace(e.target.value);
          const here = currentPath();
          // a record page belongs to the previous workspace: go to its list
          const lists = ['/clients', '/recurring', '/proposals', '/billing', '/deals', '/contacts', '/companies', '/sequences', '/insights', '/crm/import', '/assistant'];
          const list = lists.find((l) => here.startsWith(l));
          navigate(list || (here.startsWith('/workspaces') ? here : '/invoices'));
        },
      }, session.workspaces.map((w) => h('option', { value: w.id, selected: w.id === session.workspace?.id }, w.name)))));
  }
  parts.push(h('div', { class: 'inline-field' },
    h('label', { for: 'language-switcher' }, t('nav.language')), languageSelect));
  if (user) {
    parts.push(h('span', { class: 'user', 'data-testid': 'current-user' }, user.name || user.email));
    parts.push(h('a', {
      href: '#/account/attribution', class: 'account-link',
      'aria-current': path === '/account/attribution' ? 'page' : null,
    }, t('nav.your_data')));
    parts.push(h('button', { type: 'button', class: 'link', onclick: signOut }, t('nav.sign_out')));
  }
  mount(topbar, ...parts);
  renderFooter();
}

/** The footer of every view: the cookie preferences, and the signed-in user's data. */
function renderFooter() {
  const user = currentUser();
  mount(footer, h('ul', {},
    h('li', {}, h('button', {
      type: 'button', class: 'link', 'data-testid': 'manage-cookies', 'aria-haspopup': 'dialog',
      onclick: () => showConsentPreferences(),
    }, t('consent.manage'))),
    user ? h('li', {}, h('a', { href: '#/account/attribution' }, t('attribution.title'))) : null,
    user ? h('li', {}, h('a', { href: '#/account/privacy' }, t('privacy.title'))) : null,
    user && session.workspace ? h('li', {}, h('a', { href: '#/telephony' }, t('calls.title'))) : null,
    user && session.workspace && session.roles[session.workspace.id] === 'owner'
      ? h('li', {}, h('a', { href: '#/access-log' }, t('privacy.log.title'))) : null));
}

async function changeLanguage(code) {
  setLanguage(code, { remember: true });
  const user = currentUser();
  if (user && user.language !== code) {
    // the signed-in user's language follows the switcher (the SDK refreshes
    // the stored auth record when the updated record is the signed-in one)
    pb.collection('users').update(user.id, { language: code }, { requestKey: 'user-language' })
      .catch((err) => { if (!err?.isAbort) showAlert(errorMessage(err)); });
  }
  render({ rerender: true });
}

/** Signs out a session idle for longer than the server allows, saying why. */
function signOutIdle() {
  if (!pb.authStore.token) return;
  flash(t('session.idle_signed_out'), 'info');
  signOut();
}

function signOut() {
  pb.authStore.clear();
  pb.realtime.unsubscribe().catch(() => {});
  clearSession();
  navigate('/signin');
}

async function boot() {
  setLanguage(initialLanguage());
  renderFooter();
  startConsent().catch((err) => console.error(err));
  await loadSessionConfig();
  if (pb.authStore.token && isIdle()) { // left idle in a closed tab
    flash(t('session.idle_signed_out'), 'info');
    pb.authStore.clear();
  }
  if (pb.authStore.isValid) {
    try {
      await pb.collection('users').authRefresh({ requestKey: 'auth-refresh' });
    } catch (err) {
      if (err?.status && err.status !== 0) pb.authStore.clear(); // keep the session when merely offline
    }
  } else {
    pb.authStore.clear();
  }
  adoptUserLanguage(currentUser());
  onSessionChange(() => renderHeader(currentPath()));
  window.addEventListener('hashchange', () => render());
  startIdleWatch({ onIdle: signOutIdle });
  await render();
}

boot();
