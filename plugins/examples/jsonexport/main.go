// Command jsonexport is an example third-party Kontor plugin: a format that
// exports the canonical invoice as indented JSON. Build it, put the binary
// in Kontor's plugins directory (KONTOR_PLUGINS_DIR) and restart Kontor:
//
//	go build -o "$KONTOR_PLUGINS_DIR/jsonexport" ./plugins/examples/jsonexport
//
// GET /api/kontor/invoices/{id}/einvoice/json-export then returns the file.
package main

import (
	"context"
	"encoding/json"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// jsonExport is the format.
type jsonExport struct{}

// Describe says what the plugin is.
func (jsonExport) Describe() sdk.Description {
	return sdk.Description{
		Kind:         sdk.KindFormat,
		Name:         "json-export",
		Title:        "JSON export",
		Version:      "1.0.0",
		Capabilities: []string{sdk.CapabilityInvoice, sdk.CapabilityCreditNote},
		MediaType:    "application/json",
	}
}

// Render writes the invoice as JSON.
func (jsonExport) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	if inv.Number == "" {
		var issues sdk.Issues
		issues.Error("", "number", "BT-1", "The invoice has no number; issue it first.")
		return &sdk.Document{Issues: issues}, nil
	}
	out, err := json.MarshalIndent(inv, "", "  ")
	if err != nil {
		return nil, err
	}
	sdk.Logger().Info("exported", "number", inv.Number, "bytes", len(out))
	return &sdk.Document{Content: out, MediaType: "application/json", FileName: sdk.FileName(inv.Number, ".json")}, nil
}

func main() {
	sdk.Serve(jsonExport{})
}
