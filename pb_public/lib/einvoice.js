// E-invoicing in the forms and the invoice view: the formats the server
// offers, the electronic address of a party and the Italian tax regimes.
import { pb } from './pb.js';
import { h } from './dom.js';
import { t } from './i18n.js';

// Common Peppol EAS codes, offered in a datalist; any other code can be typed.
const EAS_SCHEMES = ['0088', '0204', '0205', '0201', '9920', '9930', '9957', '0009', '0208', '0106', '0060', 'EM'];

// The regimi fiscali of FatturaPA (RF03 was withdrawn), with their Italian
// names, which are the same in every UI language.
const TAX_REGIMES = {
  RF01: 'Ordinario',
  RF02: 'Contribuenti minimi',
  RF04: 'Agricoltura e pesca',
  RF05: 'Vendita sali e tabacchi',
  RF06: 'Commercio fiammiferi',
  RF07: 'Editoria',
  RF08: 'Gestione servizi telefonia pubblica',
  RF09: 'Rivendita documenti di trasporto pubblico e di sosta',
  RF10: 'Intrattenimenti, giochi e altre attività',
  RF11: 'Agenzie viaggi e turismo',
  RF12: 'Agriturismo',
  RF13: 'Vendite a domicilio',
  RF14: "Rivendita beni usati, oggetti d'arte, d'antiquariato o da collezione",
  RF15: "Agenzie di vendite all'asta",
  RF16: 'IVA per cassa P.A.',
  RF17: 'IVA per cassa',
  RF18: 'Altro',
  RF19: 'Forfettario',
};

/** The options of the tax regime select: "RF01 – Ordinario"… */
export const TAX_REGIME_OPTIONS = Object.entries(TAX_REGIMES).map(([code, name]) => ({ value: code, label: `${code} – ${name}` }));

/** The e-invoice formats the server offers: [{name, title, media_type, capabilities, …}]. */
export async function loadFormats() {
  const res = await pb.send('/api/kontor/formats', { requestKey: null });
  return Array.isArray(res?.items) ? res.items : [];
}

/**
 * The electronic address and its scheme (a text input with the common EAS
 * codes as suggestions); f is the form's field(name, label, opts) helper.
 */
export function addressFields(f, idPrefix, addressHint) {
  const listId = `${idPrefix}-eas-schemes`;
  return [
    f('electronic_address', t('einvoice.address'), { hint: addressHint, attrs: { maxlength: 200, autocomplete: 'off' } }),
    f('electronic_address_scheme', t('einvoice.scheme'), {
      hint: t('einvoice.scheme_hint'),
      attrs: { list: listId, maxlength: 4, autocomplete: 'off', style: 'text-transform:uppercase' },
    }),
    h('datalist', { id: listId }, EAS_SCHEMES.map((code) => h('option', { value: code }, t(`eas.${code}`)))),
  ];
}
