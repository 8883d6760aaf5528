package vies

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// serverOwned are the client fields only the server writes, from what VIES
// answered.
var serverOwned = []string{"vat_status", "vat_checked_at"}

// guardClientRequest refuses a client written through the record API with
// a new value for a field the server owns. A new client may say it is
// unchecked, which it is.
func guardClientRequest(e *core.RecordRequestEvent) error {
	original := e.Record.Original()
	errs := fielderr.Errors{}
	for _, f := range serverOwned {
		value := e.Record.GetString(f)
		if value == original.GetString(f) || (e.Record.IsNew() && f == "vat_status" && value == Unchecked) {
			continue
		}
		errs.Add(f, "Kontor sets this field from VIES's answers (POST /api/kontor/clients/{id}/check-vat); it cannot be written.")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return e.Next()
}

// startUnchecked makes a new client's VAT number unchecked.
func startUnchecked(e *core.RecordEvent) error {
	if e.Record.GetString("vat_status") == "" {
		e.Record.Set("vat_status", Unchecked)
	}
	return e.Next()
}

// resetOnNewVATID makes a client's VAT number unchecked again when it
// changes, on every save: what VIES said was about another number. It runs
// after the workspaces hooks have normalised the number, so a number
// written differently but the same stays as it was.
func resetOnNewVATID(e *core.RecordEvent) error {
	original := e.Record.Original()
	// a record saved new in this process keeps no original: nothing to compare
	if original.Id != "" && e.Record.GetString("vat_id") != original.GetString("vat_id") {
		e.Record.Set("vat_status", Unchecked)
		e.Record.Set("vat_checked_at", "")
	}
	return e.Next()
}
