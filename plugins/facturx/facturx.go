// Package facturx is the first-party format plugin "factur-x": Factur-X 1.0
// (ZUGFeRD 2.x), profile EN 16931, the hybrid invoice that France and
// Germany accept from every seller. The plugin writes the CII XML; Kontor
// embeds it as factur-x.xml in the invoice's PDF/A-3, with the Factur-X
// XMP metadata, because it declares sdk.CapabilityPDFAttachment.
package facturx

import (
	"context"

	"github.com/kontor-app/kontor/plugins/cii"
	"github.com/kontor-app/kontor/plugins/rules"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// Name is the format's id.
const Name = "factur-x"

// GuidelineID is the specification identifier (BT-24) of the EN 16931
// profile: EN 16931 itself, with no CIUS.
const GuidelineID = "urn:cen.eu:en16931:2017"

// AttachmentName is the name the Factur-X specification gives the
// embedded XML.
const AttachmentName = "factur-x.xml"

// Format renders Factur-X, profile EN 16931.
type Format struct{}

// Describe says what the plugin is.
func (Format) Describe() sdk.Description {
	return sdk.Description{
		Kind:         sdk.KindFormat,
		Name:         Name,
		Title:        "Factur-X / ZUGFeRD (EN 16931)",
		Version:      "1.0.0",
		Capabilities: []string{sdk.CapabilityInvoice, sdk.CapabilityCreditNote, sdk.CapabilityPDFAttachment},
		MediaType:    "application/pdf",
	}
}

// Render writes the invoice's Factur-X XML, or says what it lacks.
func (Format) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	inv = rules.Shape(inv)
	if issues := rules.EN16931(inv); issues.HasErrors() {
		return &sdk.Document{Issues: issues}, nil
	}
	return &sdk.Document{
		Content:   cii.Write(inv, cii.Options{GuidelineID: GuidelineID}),
		MediaType: "text/xml",
		FileName:  AttachmentName,
	}, nil
}
