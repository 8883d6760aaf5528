package fatturapa

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// stampDuty is the amount of the stamp duty (imposta di bollo) on an
// invoice, in euros.
const stampDuty = "2.00"

// stampThreshold is the amount not subject to VAT above which an invoice
// owes the stamp duty, in euros.
var stampThreshold = decimal.RequireFromString("77.47")

// stampDue reports whether the document owes the stamp duty. Italian law
// (DPR 642/72, tariff part I art. 13) levies 2.00 EUR on an invoice whose
// amounts not subject to VAT exceed 77.47 EUR; an invoice that bears VAT
// owes none for the taxed part. The amounts that count are those stated as
// non soggette (N2.x) or esenti (N4); exports and intra-EU supplies (N3.x)
// are exempt from the duty, and a reverse-charged supply (N6.x) bears VAT,
// paid by the buyer. An electronic invoice pays the duty virtually, which
// it declares as DatiBollo: BolloVirtuale SI, ImportoBollo 2.00; the seller
// pays it quarterly to the Agenzia delle Entrate.
//
// natures holds the Natura of each VAT breakdown entry. The threshold is
// in euros; an invoice in another currency is compared by its own amounts
// (Kontor has no exchange rate here), which Render flags with a warning.
func stampDue(breakdown []sdk.VATBreakdown, natures []string, n *numbers) bool {
	sum := decimal.Zero
	for i, b := range breakdown {
		if strings.HasPrefix(natures[i], "N2") || natures[i] == "N4" {
			sum = sum.Add(n.parse("vat_breakdown.taxable", b.Taxable))
		}
	}
	return sum.GreaterThan(stampThreshold)
}
