// Package rules checks a canonical invoice against the EN 16931 rules that
// Kontor's data can miss, so a format plugin answers with a clear issue
// instead of a document its validators would refuse. Each format adds the
// rules of its own profile.
package rules

import "github.com/kontor-app/kontor/plugins/sdk"

// EN16931 lists what the invoice lacks for EN 16931 itself.
func EN16931(inv *sdk.Invoice) sdk.Issues {
	var is sdk.Issues
	s := inv.Seller
	if s.Name == "" {
		is.Error("BR-6", "seller.name", "BT-27", "The seller's legal name is missing (workspace settings).")
	}
	if s.Address.Country == "" {
		is.Error("BR-9", "seller.address.country", "BT-40", "The seller's country is missing (workspace settings).")
	}
	if s.VATID == "" && s.LegalRegistrationID == "" && (s.Identifier == nil || s.Identifier.ID == "") {
		is.Error("BR-CO-26", "seller.tax_registration_id", "BT-29",
			"The seller needs an identifier the buyer can recognise: a VAT number or, for a document not subject to VAT, a tax number (workspace settings).")
	}
	if inv.Buyer.Name == "" {
		is.Error("BR-7", "buyer.name", "BT-44", "The client's name is missing.")
	}
	if inv.Buyer.Address.Country == "" {
		is.Error("BR-11", "buyer.address.country", "BT-55", "The client's country is missing.")
	}
	return is
}

// Shape returns the invoice as an EN 16931 document states it. A document
// not subject to VAT (every VAT breakdown entry of category O) states no
// VAT identifier (BR-O-02, BR-O-03); the seller's tax number identifies it
// instead (BR-CO-26). Other invoices are returned as they are. The
// canonical invoice keeps the identifiers, which national formats such as
// FatturaPA need.
func Shape(in *sdk.Invoice) *sdk.Invoice {
	if len(in.VATBreakdown) == 0 {
		return in
	}
	for _, b := range in.VATBreakdown {
		if b.Category != "O" {
			return in
		}
	}
	inv := *in
	inv.Seller.VATID, inv.Buyer.VATID = "", ""
	if tax := inv.Seller.TaxRegistrationID; tax != "" && inv.Seller.Identifier == nil {
		inv.Seller.Identifier = &sdk.Identifier{ID: tax}
	}
	return &inv
}
