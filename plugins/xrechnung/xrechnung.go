// Package xrechnung is the first-party format plugins "xrechnung-ubl" and
// "xrechnung-cii": XRechnung 3.0, the German CIUS of EN 16931 that public
// buyers require, in its UBL and its CII syntax.
package xrechnung

import (
	"context"

	"github.com/kontor-app/kontor/plugins/cii"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/ubl"
)

// Names of the two formats.
const (
	NameUBL = "xrechnung-ubl"
	NameCII = "xrechnung-cii"
)

// The identifiers of XRechnung 3.0.
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// UBL renders XRechnung 3.0 in UBL 2.1.
type UBL struct{}

// Describe says what the plugin is.
func (UBL) Describe() sdk.Description {
	return describe(NameUBL, "XRechnung 3.0 (UBL)", ubl.MediaType)
}

// Render writes the invoice as XRechnung UBL, or says what it lacks.
func (UBL) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	out, issues := Prepare(inv)
	if issues.HasErrors() {
		return &sdk.Document{Issues: issues}, nil
	}
	return &sdk.Document{
		Content:   ubl.Write(out, ubl.Options{CustomizationID: CustomizationID, ProfileID: ProfileID}),
		MediaType: ubl.MediaType,
		FileName:  sdk.FileName(inv.Number, ".xml"),
		Issues:    issues,
	}, nil
}

// CII renders XRechnung 3.0 in UN/CEFACT CII D16B.
type CII struct{}

// Describe says what the plugin is.
func (CII) Describe() sdk.Description {
	return describe(NameCII, "XRechnung 3.0 (CII)", cii.MediaType)
}

// Render writes the invoice as XRechnung CII, or says what it lacks.
func (CII) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	out, issues := Prepare(inv)
	if issues.HasErrors() {
		return &sdk.Document{Issues: issues}, nil
	}
	return &sdk.Document{
		Content:   cii.Write(out, cii.Options{GuidelineID: CustomizationID, BusinessProcessID: ProfileID}),
		MediaType: cii.MediaType,
		FileName:  sdk.FileName(inv.Number, ".xml"),
		Issues:    issues,
	}, nil
}

func describe(name, title, mediaType string) sdk.Description {
	return sdk.Description{
		Kind:         sdk.KindFormat,
		Name:         name,
		Title:        title,
		Version:      "1.0.0",
		Capabilities: []string{sdk.CapabilityInvoice, sdk.CapabilityCreditNote},
		MediaType:    mediaType,
	}
}
