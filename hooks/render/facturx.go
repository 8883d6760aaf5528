package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// facturXLevels are the Factur-X conformance levels (the fx:ConformanceLevel
// of the XMP) by the specification identifier (BT-24) of the embedded CII.
var facturXLevels = map[string]string{
	"urn:factur-x.eu:1p0:minimum":                                           "MINIMUM",
	"urn:factur-x.eu:1p0:basicwl":                                           "BASIC WL",
	"urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic":           "BASIC",
	"urn:cen.eu:en16931:2017":                                               "EN 16931",
	"urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended":       "EXTENDED",
	"urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0": "XRECHNUNG",
}

// FacturX makes the document a Factur-X (ZUGFeRD 2.x) hybrid invoice: it
// embeds the CII XML under name (factur-x.xml) as the PDF/A-3 alternative
// representation of the invoice and adds the Factur-X XMP properties, with
// the conformance level read from the XML's specification identifier.
func FacturX(doc *Document, cii []byte, name string) error {
	guideline, err := guidelineID(cii)
	if err != nil {
		return err
	}
	level, ok := facturXLevels[guideline]
	if !ok {
		return fmt.Errorf("Factur-X: the XML's specification identifier %q is not a Factur-X profile", guideline)
	}
	doc.Attachments = append(doc.Attachments, Attachment{Name: name, MediaType: "text/xml", Relationship: "Alternative",
		Description: "Factur-X invoice", Data: cii})
	doc.Metadata = append(doc.Metadata, pdf.XMPSchema{
		Name:      "Factur-X PDFA Extension Schema",
		Namespace: "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
		Prefix:    "fx",
		Properties: []pdf.XMPProperty{
			{Name: "DocumentFileName", Value: name, Description: "name of the embedded XML invoice file"},
			{Name: "DocumentType", Value: "INVOICE", Description: "INVOICE"},
			{Name: "Version", Value: "1.0", Description: "The actual version of the Factur-X XML schema"},
			{Name: "ConformanceLevel", Value: level, Description: "The conformance level of the embedded Factur-X data"},
		},
	})
	return nil
}

// guidelineID reads the specification identifier (BT-24) of a CII invoice:
// rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID.
func guidelineID(cii []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(cii))
	var path []string
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("Factur-X: the XML has no specification identifier (BT-24): %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if strings.Join(path, "/") == "CrossIndustryInvoice/ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID" {
				var id string
				if err := dec.DecodeElement(&id, &t); err != nil {
					return "", fmt.Errorf("Factur-X: reading the specification identifier: %w", err)
				}
				return strings.TrimSpace(id), nil
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
}
