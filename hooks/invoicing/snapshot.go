package invoicing

import "github.com/pocketbase/pocketbase/core"

// sellerFields and buyerFields are what an issued document freezes of its
// workspace and its client: what stood on it the day it was issued, whatever
// changes later.
var (
	sellerFields = []string{"name", "address_line", "city", "postal_code", "country", "vat_id", "tax_id",
		"iban", "bic", "email", "phone", "contact_name", "electronic_address", "electronic_address_scheme", "currency", "logo"}
	buyerFields = []string{"name", "email", "address_line", "city", "postal_code", "country", "vat_id",
		"electronic_address", "electronic_address_scheme"}
)

// snapshot copies the named fields of a record.
func snapshot(r *core.Record, fields []string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		out[f] = r.GetString(f)
	}
	return out
}
