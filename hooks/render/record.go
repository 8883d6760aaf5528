package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// maxLogoSize is the most of a logo file read; the workspaces collection
// accepts up to 2 MB.
const maxLogoSize = 4 << 20

// snapshot is the seller or buyer JSON an issued document froze.
type snapshot struct {
	Party
	Logo string `json:"logo"`
}

// DocumentFromRecord builds the Document of an invoices record.
//
// An issued document (any status but draft) is built from what issuing
// froze on it only (seller, buyer, lines, VAT breakdown, totals), so that
// rendering it again, whatever changed in the workspace or the client
// since, prints the same content. Its logo is the file named in the seller
// snapshot, read from the workspace's storage. A draft reads the live
// workspace and client and is marked as a draft.
func DocumentFromRecord(app core.App, invoice *core.Record) (Document, error) {
	if invoice == nil || invoice.Collection().Name != "invoices" {
		return Document{}, errors.New("render: not an invoices record")
	}
	doc := Document{
		Type:           invoice.GetString("document_type"),
		Number:         invoice.GetString("number"),
		Language:       invoice.GetString("language"),
		IssueDate:      invoice.GetString("issue_date"),
		DueDate:        invoice.GetString("due_date"),
		Currency:       invoice.GetString("currency"),
		BuyerReference: invoice.GetString("buyer_reference"),
		OrderReference: invoice.GetString("order_reference"),
		Notes:          invoice.GetString("notes"),
		Draft:          isDraft(invoice),
	}
	if doc.Type == "" {
		doc.Type = TypeInvoice
	}
	if payURL, ok := app.Store().Get(payURLKey).(func(core.App, *core.Record) string); ok && !doc.Draft {
		doc.PayURL = payURL(app, invoice)
	}
	for field, into := range map[string]any{"lines": &doc.Lines, "vat_breakdown": &doc.Breakdown, "totals": &doc.Totals} {
		if err := decodeJSON(invoice.GetString(field), into); err != nil {
			return Document{}, fmt.Errorf("render: %s of invoice %s: %w", field, invoice.Id, err)
		}
	}

	var logo string
	var workspace *core.Record
	if doc.Draft {
		var err error
		if workspace, err = app.FindRecordById("workspaces", invoice.GetString("workspace")); err != nil {
			return Document{}, fmt.Errorf("render: workspace of invoice %s: %w", invoice.Id, err)
		}
		doc.Seller = partyOf(workspace)
		logo = workspace.GetString("logo")
		if id := invoice.GetString("client"); id != "" {
			if client, err := app.FindRecordById("clients", id); err == nil && client.GetString("workspace") == workspace.Id {
				doc.Buyer = partyOf(client)
			}
		}
		doc.Created = invoice.GetDateTime("updated").Time()
	} else {
		var seller, buyer snapshot
		if err := decodeJSON(invoice.GetString("seller"), &seller); err != nil {
			return Document{}, fmt.Errorf("render: seller of invoice %s: %w", invoice.Id, err)
		}
		if err := decodeJSON(invoice.GetString("buyer"), &buyer); err != nil {
			return Document{}, fmt.Errorf("render: buyer of invoice %s: %w", invoice.Id, err)
		}
		doc.Seller, doc.Buyer, logo = seller.Party, buyer.Party, seller.Logo
		doc.Created = invoice.GetDateTime("issued_at").Time()
		if doc.Created.IsZero() {
			doc.Created, _ = time.Parse("2006-01-02", doc.IssueDate)
		}
	}

	if doc.Type == TypeCreditNote {
		if id := invoice.GetString("credited_invoice"); id != "" {
			if credited, err := app.FindRecordById("invoices", id); err == nil && credited.GetString("workspace") == invoice.GetString("workspace") {
				doc.CreditedNumber = credited.GetString("number")
			}
		}
	}

	// The logo file is kept in the workspace's storage. One that is gone
	// (replaced in the workspace since) leaves the document without a logo
	// rather than without a PDF.
	if logo != "" && workspace == nil {
		workspace, _ = app.FindRecordById("workspaces", invoice.GetString("workspace"))
	}
	if logo != "" && workspace != nil {
		doc.Logo, _ = readRecordFile(app, workspace, logo, maxLogoSize)
	}
	return doc, nil
}

// isDraft reports whether an invoices record is a draft (not yet issued).
func isDraft(invoice *core.Record) bool {
	status := invoice.GetString("status")
	return status == "draft" || status == ""
}

// partyOf reads a workspace or client record as a party.
func partyOf(r *core.Record) Party {
	return Party{
		Name:        r.GetString("name"),
		AddressLine: r.GetString("address_line"),
		City:        r.GetString("city"),
		PostalCode:  r.GetString("postal_code"),
		Country:     r.GetString("country"),
		VATID:       r.GetString("vat_id"),
		TaxID:       r.GetString("tax_id"),
		Email:       r.GetString("email"),
		Phone:       r.GetString("phone"),
		IBAN:        r.GetString("iban"),
		BIC:         r.GetString("bic"),
	}
}

// decodeJSON reads a JSON field; empty and null leave v as it is.
func decodeJSON(raw string, v any) error {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" || raw == `""` {
		return nil
	}
	return json.Unmarshal([]byte(raw), v)
}

// readRecordFile reads one file of a record through the app's filesystem
// (local or S3), at most limit bytes.
func readRecordFile(app core.App, r *core.Record, name string, limit int64) ([]byte, error) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	reader, err := fsys.GetReader(r.BaseFilesPath() + "/" + name)
	if err != nil {
		return nil, err
	}
	defer reader.Close()
	data, err := io.ReadAll(io.LimitReader(reader, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("render: file %s is larger than %d bytes", name, limit)
	}
	return data, nil
}
