package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/go-plugin"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// echo is a format that writes the invoice number, or fails as told.
type echo struct{ kind string }

func (e echo) Describe() sdk.Description {
	return sdk.Description{Kind: e.kind, Name: "echo", Title: "Echo", Version: "1.0.0",
		Capabilities: []string{sdk.CapabilityInvoice}, MediaType: "text/plain"}
}

func (echo) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	switch inv.Number {
	case "PANIC":
		panic("boom")
	case "FAIL":
		return nil, errors.New("cannot render")
	case "ISSUE":
		var is sdk.Issues
		is.Error("R1", "seller.electronic_address", "BT-34", "The seller needs an electronic address.")
		return &sdk.Document{Issues: is}, nil
	}
	return &sdk.Document{Content: []byte(inv.Number + " " + inv.Totals.Payable), MediaType: "text/plain",
		FileName: sdk.FileName(inv.Number, ".txt")}, nil
}

// connect serves p in-process over gRPC and returns Kontor's end.
func connect(t *testing.T, p sdk.Plugin) *sdk.Client {
	t.Helper()
	client, _ := plugin.TestPluginGRPCConn(t, false, map[string]plugin.Plugin{sdk.PluginName: &sdk.GRPCPlugin{Impl: p}})
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(sdk.PluginName)
	if err != nil {
		t.Fatal(err)
	}
	return raw.(*sdk.Client)
}

func TestRoundTrip(t *testing.T) {
	c := connect(t, echo{kind: sdk.KindFormat})
	ctx := context.Background()

	d, err := c.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "echo" || d.Kind != sdk.KindFormat || d.ModelVersion != sdk.ModelVersion || !d.Has(sdk.CapabilityInvoice) {
		t.Errorf("describe: %+v", d)
	}

	cases := []struct {
		number  string
		content string
		file    string
		errText string
		issue   string
	}{
		{number: "INV/2026-1", content: "INV/2026-1 12.00", file: "INV_2026-1.txt"},
		{number: "ISSUE", issue: "BT-34"},
		{number: "FAIL", errText: "cannot render"},
		{number: "PANIC", errText: "panicked: boom"},
	}
	for _, tc := range cases {
		t.Run(tc.number, func(t *testing.T) {
			doc, err := c.Render(ctx, &sdk.Invoice{Number: tc.number, Totals: sdk.Totals{Payable: "12.00"}})
			if tc.errText != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("want error %q, got %v", tc.errText, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.issue != "" {
				if len(doc.Errors()) != 1 || doc.Errors()[0].Term != tc.issue || len(doc.Content) != 0 {
					t.Fatalf("want one error issue on %s, got %+v", tc.issue, doc)
				}
				return
			}
			if string(doc.Content) != tc.content || doc.FileName != tc.file || doc.MediaType != "text/plain" {
				t.Errorf("got %q %q %q", doc.Content, doc.FileName, doc.MediaType)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		p    sdk.Plugin
		want string
	}{
		{"format", echo{kind: sdk.KindFormat}, ""},
		{"payment that is not one", echo{kind: sdk.KindPayment}, "does not implement sdk.Payment"},
		{"llm that is not one", echo{kind: sdk.KindLLM}, "does not implement sdk.LLM"},
		{"telephony that is not one", echo{kind: sdk.KindTelephony}, "does not implement sdk.Telephony"},
		{"unknown kind", echo{kind: "fax"}, "has kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := sdk.Check(tc.p)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestInvoiceJSON pins the JSON names of the model: they are the contract
// plugins in any language are written against.
func TestInvoiceJSON(t *testing.T) {
	inv := sdk.Invoice{
		Number: "1", IssueDate: "2026-01-02", TypeCode: sdk.TypeCreditNote, Currency: "EUR",
		PrecedingInvoices: []sdk.PrecedingInvoice{{Number: "0", IssueDate: "2026-01-01"}},
		Seller:            sdk.Party{Name: "S", ElectronicAddress: &sdk.ElectronicAddress{ID: "x", Scheme: "EM"}, Address: sdk.Address{Country: "DE"}},
		Payment:           &sdk.PaymentInstructions{MeansCode: sdk.MeansSEPACreditTransfer, CreditTransfer: &sdk.CreditTransfer{AccountID: "DE89"}},
		Totals:            sdk.Totals{LineNet: "1.00", Net: "1.00", VAT: "0.19", Gross: "1.19", Payable: "1.19"},
		VATBreakdown:      []sdk.VATBreakdown{{Category: "S", Rate: "19", Taxable: "1.00", VAT: "0.19"}},
		Lines: []sdk.Line{{ID: "1", Quantity: "1", UnitCode: "C62", NetAmount: "1.00",
			Allowances: []sdk.AllowanceCharge{{Amount: "0.10", BaseAmount: "1.10", Percentage: "9.09", ReasonCode: sdk.AllowanceReasonDiscount}},
			Price:      sdk.Price{Net: "1.10"}, VAT: sdk.LineVAT{Category: "S", Rate: "19"}, Item: sdk.Item{Name: "x"}}},
	}
	raw, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`"type_code":"381"`, `"preceding_invoices":[{"number":"0","issue_date":"2026-01-01"}]`,
		`"electronic_address":{"id":"x","scheme":"EM"}`, `"means_code":"58"`, `"account_id":"DE89"`,
		`"line_net":"1.00"`, `"payable":"1.19"`, `"vat_breakdown":[{"category":"S","rate":"19","taxable":"1.00","vat":"0.19"}]`,
		`"net_amount":"1.00"`, `"base_amount":"1.10"`, `"reason_code":"95"`, `"vat":{"category":"S","rate":"19"}`} {
		if !strings.Contains(string(raw), name) {
			t.Errorf("JSON lacks %s:\n%s", name, raw)
		}
	}
	var back sdk.Invoice
	if err := json.Unmarshal(raw, &back); err != nil || !back.IsCreditNote() || back.Lines[0].Allowances[0].Amount != "0.10" {
		t.Errorf("round trip: %v %+v", err, back)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{"INV-2026-0001": "INV-2026-0001.xml", "A/B C": "A_B_C.xml", "": "invoice.xml"} {
		if got := sdk.FileName(in, ".xml"); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
