// Package peppol is the first-party format plugin "peppol-bis-3": Peppol
// BIS Billing 3.0, a UBL 2.1 Invoice or CreditNote that passes the Peppol
// and EN 16931 rules.
package peppol

import (
	"context"
	"strings"

	"github.com/kontor-app/kontor/plugins/rules"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/ubl"
)

// Name is the format's id.
const Name = "peppol-bis-3"

// The identifiers of Peppol BIS Billing 3.0.
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// Format renders Peppol BIS Billing 3.0 documents.
type Format struct{}

// Describe says what the plugin is.
func (Format) Describe() sdk.Description {
	return sdk.Description{
		Kind:         sdk.KindFormat,
		Name:         Name,
		Title:        "Peppol BIS Billing 3.0 (UBL)",
		Version:      "1.0.0",
		Capabilities: []string{sdk.CapabilityInvoice, sdk.CapabilityCreditNote},
		MediaType:    ubl.MediaType,
	}
}

// Render writes the invoice as Peppol UBL, or says what it lacks.
func (Format) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	inv = rules.Shape(inv)
	if issues := Check(inv); issues.HasErrors() {
		return &sdk.Document{Issues: issues}, nil
	}
	out := *inv
	if len(out.Notes) > 1 && !(out.Seller.Address.Country == "DE" && out.Buyer.Address.Country == "DE") {
		// one note only, unless seller and buyer are German (PEPPOL-EN16931-R002)
		out.Notes = []string{strings.Join(out.Notes, "\n")}
	}
	return &sdk.Document{
		Content:   ubl.Write(&out, ubl.Options{CustomizationID: CustomizationID, ProfileID: ProfileID}),
		MediaType: ubl.MediaType,
		FileName:  sdk.FileName(inv.Number, ".xml"),
	}, nil
}

// Check lists what the invoice lacks for Peppol: what EN 16931 demands, the
// electronic addresses
// of both parties, where the network delivers it, in a scheme Peppol
// accepts, and a buyer or order reference.
func Check(inv *sdk.Invoice) sdk.Issues {
	is := rules.EN16931(inv)
	endpoint(&is, inv.Seller.ElectronicAddress, "seller.electronic_address", "BT-34", "PEPPOL-EN16931-R020",
		"your Peppol participant id: set the electronic address and its scheme (e.g. 9930 for a German VAT number, 0088 for a GLN) in the workspace settings")
	endpoint(&is, inv.Buyer.ElectronicAddress, "buyer.electronic_address", "BT-49", "PEPPOL-EN16931-R010",
		"the client's Peppol participant id: set the client's electronic address and its scheme")
	if inv.BuyerReference == "" && inv.OrderReference == "" {
		is.Error("PEPPOL-EN16931-R003", "buyer_reference", "BT-10",
			"Peppol needs a buyer reference or a purchase order reference on the invoice; ask the client which one to quote.")
	}
	return is
}

// endpoint checks one party's electronic address.
func endpoint(is *sdk.Issues, ea *sdk.ElectronicAddress, field, term, rule, what string) {
	switch {
	case ea == nil || ea.ID == "" || ea.Scheme == "":
		is.Error(rule, field, term, "Peppol needs "+what+".")
	case !IsScheme(ea.Scheme):
		is.Error("PEPPOL-EN16931-CL008", field, term, "Peppol cannot deliver to an address of scheme "+ea.Scheme+
			" (e.g. EM, an email address); it needs "+what+".")
	}
}
