// Package fatturapa is the first-party format plugin "fatturapa":
// FatturaPA 1.2.2, the XML invoice of the Italian Sistema di Interscambio
// (SDI), to businesses and private persons (FPR12) and to public
// administrations (FPA12).
//
// FatturaPA is no syntax of EN 16931: the plugin maps the canonical
// invoice to it element by element, writes the amounts Kontor computed as
// they are, and answers with issues where the invoice lacks what the SDI
// needs (an Italian seller, the buyer's tax identifiers, a valid recipient
// code), never with a document the schema would refuse. Texts are written
// in the Latin-1 characters the schema allows and cut to its lengths.
package fatturapa

import (
	"context"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Name is the format's id.
const Name = "fatturapa"

// Namespace is the namespace of FatturaPA 1.2 (the root element only; the
// schema's elements are unqualified).
const Namespace = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"

// MediaType is the media type of a FatturaPA document.
const MediaType = "application/xml"

// Transmission formats (FormatoTrasmissione, also the root's versione).
const (
	FormatPA      = "FPA12" // to a public administration
	FormatPrivate = "FPR12" // to a business or a private person
)

// Format renders FatturaPA 1.2.2 documents.
type Format struct{}

// Describe says what the plugin is.
func (Format) Describe() sdk.Description {
	return sdk.Description{
		Kind:         sdk.KindFormat,
		Name:         Name,
		Title:        "FatturaPA 1.2.2",
		Version:      "1.0.0",
		Capabilities: []string{sdk.CapabilityInvoice, sdk.CapabilityCreditNote},
		MediaType:    MediaType,
	}
}

// Render writes the invoice as FatturaPA, or says what it lacks. The file
// is named as the SDI requires (see fileName).
func (Format) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	f, issues, err := prepare(inv)
	if err != nil {
		return nil, err
	}
	if issues.HasErrors() {
		return &sdk.Document{Issues: issues}, nil
	}
	content, err := write(inv, f)
	if err != nil {
		return nil, err
	}
	return &sdk.Document{Content: content, MediaType: MediaType, FileName: f.fileName, Issues: issues}, nil
}
