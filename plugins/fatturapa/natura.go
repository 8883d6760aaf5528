package fatturapa

// standardRate is the EN 16931 VAT category of a taxed supply (UNCL 5305
// "S"), the only one FatturaPA writes with a rate and without a Natura.
const standardRate = "S"

// flatRate is the RegimeFiscale of the flat-rate scheme (regime
// forfettario, L. 190/2014), whose supplies are not subject to VAT.
const flatRate = "RF19"

// natura returns the FatturaPA Natura of an EN 16931 VAT category (UNCL
// 5305), "" for a taxed supply (S), and false for a category FatturaPA
// cannot state:
//
//   - E exempt: N4 (esenti, art. 10 DPR 633/72).
//   - G export outside the EU: N3.1 (non imponibili, esportazioni).
//   - K intra-EU supply of goods: N3.2 (non imponibili, cessioni
//     intracomunitarie).
//   - O not subject to VAT: N2.2 (non soggette, altri casi), which is also
//     the code of the flat-rate scheme RF19.
//   - AE reverse charge: N2.1 (non soggette, artt. da 7 a 7-septies DPR
//     633/72) for a buyer outside Italy, where the supply is outside the
//     scope of Italian VAT and the buyer accounts for it; N6.9 (inversione
//     contabile, altri casi) for a buyer in Italy, the domestic reverse
//     charge.
//   - Z zero rated: refused. Italian VAT has no zero rate; a supply without
//     VAT is non imponibile (N3.x), esente (N4) or non soggetta (N2.x),
//     each on a legal basis the invoice must name. Mapping Z to one of
//     them would state a basis the seller never chose, so the user is asked
//     for the category that says it.
//   - L, M (Canary Islands, Ceuta and Melilla): refused; they are no
//     Italian taxes.
func natura(category string, foreignBuyer bool) (string, bool) {
	switch category {
	case standardRate:
		return "", true
	case "E":
		return "N4", true
	case "G":
		return "N3.1", true
	case "K":
		return "N3.2", true
	case "O":
		return "N2.2", true
	case "AE":
		if foreignBuyer {
			return "N2.1", true
		}
		return "N6.9", true
	}
	return "", false
}

// legalReferences are the RiferimentoNormativo written for a Natura when
// the VAT breakdown states no exemption reason.
var legalReferences = map[string]string{
	"N2.1": "Operazione non soggetta ad IVA ai sensi dell'art. 7-ter DPR 633/72",
	"N2.2": "Operazione non soggetta ad IVA",
	"N3.1": "Non imponibile art. 8 c.1 lett. a DPR 633/72",
	"N3.2": "Non imponibile art. 41 DL 331/93",
	"N4":   "Operazione esente art. 10 DPR 633/72",
	"N6.9": "Inversione contabile art. 17 DPR 633/72",
}

// flatRateReference is the RiferimentoNormativo of a flat-rate seller's
// supplies (N2.2 under RF19).
const flatRateReference = "Operazione senza applicazione dell'IVA, art. 1 c. 54-89 L. 190/2014 (regime forfettario)"

// legalReference returns the RiferimentoNormativo of a breakdown entry
// with a Natura: for a flat-rate seller's supplies the law of the scheme,
// which its invoices must cite; otherwise the entry's exemption reason
// (BT-120) when it has one, else the reference of the Natura; "" without a
// Natura.
func legalReference(nature, reason, regime string) string {
	switch {
	case nature == "":
		return ""
	case nature == "N2.2" && regime == flatRate:
		return flatRateReference
	case latin(reason, 100) != "":
		return latin(reason, 100)
	}
	return legalReferences[nature]
}
