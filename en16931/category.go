// Package en16931 holds the calculation rules of the European e-invoicing
// standard EN 16931: invoice lines, VAT categories (UNCL 5305) and the totals
// and VAT breakdown computed from them. It is the one engine behind the API,
// the PDF and every e-invoice format, so all of them agree to the cent.
//
// It knows nothing of PocketBase; everything here is plain, decimal maths.
package en16931

import "github.com/shopspring/decimal"

// VAT category codes (UNCL 5305, the subset EN 16931 allows, BT-151).
const (
	StandardRate   = "S"  // standard or reduced rate
	ZeroRated      = "Z"  // zero rated goods
	Exempt         = "E"  // exempt from tax, with a reason
	ReverseCharge  = "AE" // VAT reverse charge (VAT Directive art. 196)
	IntraCommunity = "K"  // intra-community supply of goods (art. 138)
	Export         = "G"  // export outside the EU (art. 146)
	NotSubject     = "O"  // services outside the scope of tax
	CanaryIslands  = "L"  // IGIC, Canary Islands
	CeutaMelilla   = "M"  // IPSI, Ceuta and Melilla
)

// categoryOrder is the order categories appear in the VAT breakdown.
var categoryOrder = []string{StandardRate, ZeroRated, Exempt, ReverseCharge, IntraCommunity, Export, NotSubject, CanaryIslands, CeutaMelilla}

// IsCategory reports whether code is a VAT category EN 16931 allows.
func IsCategory(code string) bool {
	for _, c := range categoryOrder {
		if c == code {
			return true
		}
	}
	return false
}

// NeedsZeroRate reports whether lines of the category must carry a 0 % rate
// (BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05; O carries no rate at all,
// which Kontor stores as 0).
func NeedsZeroRate(category string) bool {
	switch category {
	case ZeroRated, Exempt, ReverseCharge, IntraCommunity, Export, NotSubject:
		return true
	}
	return false
}

// NeedsReason reports whether the category's VAT breakdown must state an
// exemption reason (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
func NeedsReason(category string) bool {
	switch category {
	case Exempt, ReverseCharge, IntraCommunity, Export, NotSubject:
		return true
	}
	return false
}

// NeedsBuyerVATID reports whether the buyer's VAT identifier is required
// (BR-AE-02, BR-IC-02).
func NeedsBuyerVATID(category string) bool {
	return category == ReverseCharge || category == IntraCommunity
}

// NeedsSellerVATID reports whether the seller's VAT identifier (or tax
// registration) is required (BR-S-02, BR-Z-02, BR-E-02, BR-AE-02, BR-IC-02,
// BR-G-02, BR-IG-02, BR-IP-02). Only "not subject" goes without.
func NeedsSellerVATID(category string) bool {
	return category != NotSubject
}

// legalMentions are the default exemption reasons, in the invoice language,
// for the categories whose wording the law fixes. Exempt (E) has none: its
// legal basis differs case by case, so the user must state it.
var legalMentions = map[string]map[string]string{
	ReverseCharge: {
		"en": "Reverse charge",
		"es": "Inversión del sujeto pasivo",
		"de": "Steuerschuldnerschaft des Leistungsempfängers",
		"fr": "Autoliquidation",
		"it": "Inversione contabile",
	},
	IntraCommunity: {
		"en": "Intra-Community supply exempt from VAT (Art. 138 Directive 2006/112/EC)",
		"es": "Entrega intracomunitaria exenta de IVA (art. 138 Directiva 2006/112/CE)",
		"de": "Steuerfreie innergemeinschaftliche Lieferung (Art. 138 Richtlinie 2006/112/EG)",
		"fr": "Exonération de TVA, livraison intracommunautaire (art. 138 directive 2006/112/CE)",
		"it": "Cessione intracomunitaria non imponibile (art. 138 direttiva 2006/112/CE)",
	},
	Export: {
		"en": "Export outside the EU, exempt from VAT (Art. 146 Directive 2006/112/EC)",
		"es": "Exportación exenta de IVA (art. 146 Directiva 2006/112/CE)",
		"de": "Steuerfreie Ausfuhrlieferung (Art. 146 Richtlinie 2006/112/EG)",
		"fr": "Exonération de TVA, exportation hors UE (art. 146 directive 2006/112/CE)",
		"it": "Esportazione non imponibile (art. 146 direttiva 2006/112/CE)",
	},
	NotSubject: {
		"en": "Not subject to VAT",
		"es": "Operación no sujeta a IVA",
		"de": "Nicht steuerbarer Umsatz",
		"fr": "Opération non soumise à la TVA",
		"it": "Operazione fuori campo IVA",
	},
}

// LegalMention returns the default exemption reason for the category in the
// language (en, es, de, fr, it; English when unknown), or "" when the
// category has none.
func LegalMention(category, language string) string {
	texts := legalMentions[category]
	if texts == nil {
		return ""
	}
	if t, ok := texts[language]; ok {
		return t
	}
	return texts["en"]
}

var hundred = decimal.NewFromInt(100)
