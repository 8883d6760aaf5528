package xrechnung

import (
	"github.com/kontor-app/kontor/plugins/rules"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// emailScheme is the electronic address scheme of an email address (EAS "EM").
const emailScheme = "EM"

// Prepare checks the invoice against what EN 16931 and XRechnung demand
// (the BR-DE rules and the electronic addresses) and returns the invoice to
// write: where a party has no electronic address, its email address stands
// in, as XRechnung allows.
func Prepare(in *sdk.Invoice) (*sdk.Invoice, sdk.Issues) {
	in = rules.Shape(in)
	inv := *in
	is := rules.EN16931(in)

	if inv.BuyerReference == "" {
		is.Error("BR-DE-15", "buyer_reference", "BT-10",
			"XRechnung needs the buyer reference: for a German public buyer its Leitweg-ID (e.g. 04011000-12345-03), otherwise the reference the buyer asked for.")
	}

	s := inv.Seller
	if s.Address.City == "" {
		is.Error("BR-DE-3", "seller.address.city", "BT-37", "XRechnung needs your city (workspace settings).")
	}
	if s.Address.PostalCode == "" {
		is.Error("BR-DE-4", "seller.address.postal_code", "BT-38", "XRechnung needs your postal code (workspace settings).")
	}
	c := s.Contact
	if c == nil {
		c = &sdk.Contact{}
	}
	if c.Name == "" {
		is.Error("BR-DE-5", "seller.contact.name", "BT-41", "XRechnung needs a contact person of yours: set the contact name in the workspace settings.")
	}
	if c.Phone == "" {
		is.Error("BR-DE-6", "seller.contact.phone", "BT-42", "XRechnung needs your telephone number (workspace settings).")
	}
	if c.Email == "" {
		is.Error("BR-DE-7", "seller.contact.email", "BT-43", "XRechnung needs your email address (workspace settings).")
	}
	if s.VATID == "" && s.TaxRegistrationID == "" && needsSellerTaxID(inv.VATBreakdown) {
		is.Error("BR-DE-16", "seller.vat_id", "BT-31", "XRechnung needs your VAT number or tax number (workspace settings).")
	}

	b := inv.Buyer
	if b.Address.City == "" {
		is.Error("BR-DE-8", "buyer.address.city", "BT-52", "XRechnung needs the client's city.")
	}
	if b.Address.PostalCode == "" {
		is.Error("BR-DE-9", "buyer.address.postal_code", "BT-53", "XRechnung needs the client's postal code.")
	}

	p := inv.Payment
	if p == nil || p.MeansCode == "" || p.CreditTransfer == nil || p.CreditTransfer.AccountID == "" {
		is.Error("BR-DE-1", "payment", "BG-16",
			"XRechnung needs payment instructions: set your IBAN (and BIC) in the workspace settings.")
	}

	var contactEmail string
	if s.Contact != nil {
		contactEmail = s.Contact.Email
	}
	inv.Seller.ElectronicAddress = endpoint(&is, s.ElectronicAddress, contactEmail, "PEPPOL-EN16931-R020", "seller.electronic_address", "BT-34",
		"XRechnung needs your electronic address: set it in the workspace settings, or an email address.")
	var buyerEmail string
	if b.Contact != nil {
		buyerEmail = b.Contact.Email
	}
	inv.Buyer.ElectronicAddress = endpoint(&is, b.ElectronicAddress, buyerEmail, "PEPPOL-EN16931-R010", "buyer.electronic_address", "BT-49",
		"XRechnung needs the client's electronic address (for a public buyer usually its Leitweg-ID with scheme 0204), or the client's email address.")
	return &inv, is
}

// endpoint returns the electronic address to write: the party's own, else
// its email address.
func endpoint(is *sdk.Issues, ea *sdk.ElectronicAddress, email, rule, field, term, message string) *sdk.ElectronicAddress {
	switch {
	case ea != nil && ea.ID != "" && ea.Scheme != "":
		return ea
	case email != "":
		return &sdk.ElectronicAddress{ID: email, Scheme: emailScheme}
	}
	is.Error(rule, field, term, message)
	return ea
}

// needsSellerTaxID reports whether a category of the breakdown needs the
// seller's VAT number or tax number (BR-DE-16): all but "not subject".
func needsSellerTaxID(breakdown []sdk.VATBreakdown) bool {
	for _, b := range breakdown {
		if b.Category != "O" {
			return true
		}
	}
	return false
}
