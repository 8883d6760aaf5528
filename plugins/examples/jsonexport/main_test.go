package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/plugins/sdk"
)

// TestThirdPartyPath builds the example as a binary of its own, puts it in
// a plugins directory and renders through the host, as Kontor does.
func TestThirdPartyPath(t *testing.T) {
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "jsonexport"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var log bytes.Buffer
	h := host.New(host.Config{PluginsDir: dir}, slog.New(slog.NewTextHandler(&log, nil)))
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer h.Close()

	formats := h.Formats()
	if len(formats) != 1 || formats[0].Name != "json-export" || formats[0].Version != "1.0.0" ||
		formats[0].Origin != filepath.Join(dir, "jsonexport") || !formats[0].Has(sdk.CapabilityCreditNote) {
		t.Fatalf("formats: %+v\n%s", formats, log.String())
	}

	inv := &sdk.Invoice{
		ModelVersion: sdk.ModelVersion, Number: "INV-2026-0007", IssueDate: "2026-03-01", TypeCode: sdk.TypeInvoice, Currency: "EUR",
		Seller:       sdk.Party{Name: "Seller GmbH", Address: sdk.Address{Country: "DE"}},
		Buyer:        sdk.Party{Name: "Buyer SL", Address: sdk.Address{Country: "ES"}},
		Totals:       sdk.Totals{LineNet: "100.00", Net: "100.00", VAT: "19.00", Gross: "119.00", Payable: "119.00"},
		VATBreakdown: []sdk.VATBreakdown{{Category: "S", Rate: "19", Taxable: "100.00", VAT: "19.00"}},
		Lines: []sdk.Line{{ID: "1", Quantity: "1", UnitCode: "C62", NetAmount: "100.00",
			Price: sdk.Price{Net: "100.00"}, VAT: sdk.LineVAT{Category: "S", Rate: "19"}, Item: sdk.Item{Name: "Work"}}},
	}
	doc, err := h.Render(context.Background(), "json-export", inv)
	if err != nil {
		t.Fatal(err)
	}
	if doc.MediaType != "application/json" || doc.FileName != "INV-2026-0007.json" {
		t.Errorf("got %q %q", doc.MediaType, doc.FileName)
	}
	var back sdk.Invoice
	if err := json.Unmarshal(doc.Content, &back); err != nil || !reflect.DeepEqual(&back, inv) {
		t.Errorf("the export is not the invoice: %v\n%s", err, doc.Content)
	}

	// a problem of the invoice comes back as an issue, not a document
	doc, err = h.Render(context.Background(), "json-export", &sdk.Invoice{})
	if err != nil || len(doc.Errors()) != 1 || doc.Errors()[0].Term != "BT-1" || len(doc.Content) != 0 {
		t.Errorf("without a number: %v %+v", err, doc)
	}

	// the plugin's own log reaches the host's
	if !strings.Contains(log.String(), "msg=exported") || !strings.Contains(log.String(), "number=INV-2026-0007") {
		t.Errorf("log:\n%s", log.String())
	}
}
