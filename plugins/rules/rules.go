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
