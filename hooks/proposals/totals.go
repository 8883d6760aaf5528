package proposals

import (
	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/money"
)

// Totals are a proposal's totals: of its included lines, decimal strings.
type Totals struct {
	Net   string `json:"net"`
	VAT   string `json:"vat"`
	Gross string `json:"gross"`
}

// totalsOf writes the engine's totals as a proposal shows them.
func totalsOf(t en16931.Totals) Totals {
	return Totals{Net: money.Amount(t.Net), VAT: money.Amount(t.VAT), Gross: money.Amount(t.Gross)}
}
