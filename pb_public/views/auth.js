// Sign in and sign up.
import { pb } from '../lib/pb.js';
import { h, mount, field, formValues, busy } from '../lib/dom.js';
import { t, getLanguage, adoptUserLanguage } from '../lib/i18n.js';
import { reportError, clearAlert, clearFieldErrors } from '../lib/errors.js';
import { clearSession } from '../lib/session.js';
import { linkConsentToUser } from '../lib/consent.js';

export function signIn(ctx) {
  ctx.setTitle(t('auth.sign_in'));
  const form = h('form', { novalidate: true, 'aria-labelledby': 'signin-title' },
    field({ id: 'signin-email', name: 'identity', label: t('auth.email'), type: 'email', required: true, attrs: { autocomplete: 'email' } }),
    field({ id: 'signin-password', name: 'password', label: t('auth.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('auth.sign_in'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(form);
    const v = formValues(form);
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        const auth = await pb.collection('users').authWithPassword(v.identity, form.elements.password.value);
        adoptUserLanguage(auth.record);
        clearSession();
        linkConsentToUser(); // the cookie decision made before signing in becomes the user's
        ctx.navigate('/invoices');
      } catch (err) {
        reportError(err, form);
      }
    });
  });
  mount(ctx.root, h('section', { class: 'card narrow' },
    h('h1', { id: 'signin-title' }, t('auth.sign_in')),
    form,
    h('p', {}, t('auth.no_account'), ' ', h('a', { href: '#/signup' }, t('auth.create_account')))));
}

export function signUp(ctx) {
  ctx.setTitle(t('auth.sign_up'));
  const form = h('form', { novalidate: true, 'aria-labelledby': 'signup-title' },
    field({ id: 'signup-name', name: 'name', label: t('auth.name'), required: true, attrs: { autocomplete: 'name' } }),
    field({ id: 'signup-email', name: 'email', label: t('auth.email'), type: 'email', required: true, attrs: { autocomplete: 'email' } }),
    field({ id: 'signup-password', name: 'password', label: t('auth.password'), type: 'password', required: true, hint: t('auth.password_hint'), attrs: { autocomplete: 'new-password', minlength: 8 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('auth.create_account'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearAlert();
    clearFieldErrors(form);
    const v = formValues(form);
    const password = form.elements.password.value;
    await busy(form.querySelector('button[type=submit]'), async () => {
      try {
        await pb.collection('users').create({
          name: v.name, email: v.email, password, passwordConfirm: password, language: getLanguage(),
        });
      } catch (err) {
        // passwordConfirm is not a field of this form: its errors belong to the password
        const data = err?.response?.data;
        if (data?.passwordConfirm && !data.password) data.password = data.passwordConfirm;
        if (data) delete data.passwordConfirm;
        reportError(err, form);
        return;
      }
      try {
        await pb.collection('users').authWithPassword(v.email, password);
        clearSession();
        linkConsentToUser();
        ctx.navigate('/workspaces');
      } catch (err) {
        reportError(err, form);
      }
    });
  });
  mount(ctx.root, h('section', { class: 'card narrow' },
    h('h1', { id: 'signup-title' }, t('auth.sign_up')),
    form,
    h('p', {}, t('auth.have_account'), ' ', h('a', { href: '#/signin' }, t('auth.sign_in')))));
}
