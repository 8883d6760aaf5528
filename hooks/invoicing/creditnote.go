package invoicing

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/money"
)

// creditRequest is the optional body of the credit-note route: the lines to
// credit, by 0-based index into the invoice's lines, each with an optional
// quantity (default: the whole line). No lines means all of them.
type creditRequest struct {
	Lines []struct {
		Line     *int `json:"line"`
		Quantity any  `json:"quantity"`
	} `json:"lines"`
}

// creditNoteRoute is POST /api/kontor/invoices/{id}/credit-note: it creates a
// draft credit note for an issued invoice, to be checked and issued like any
// draft.
func creditNoteRoute(e *core.RequestEvent) error {
	invoice, err := access.RequireRecord(e, "invoices", access.Member)
	if err != nil {
		return err
	}
	switch {
	case invoice.GetString("document_type") != DocumentInvoice:
		return e.BadRequestError("Only an invoice can be credited.", nil)
	case invoice.GetString("status") == StatusDraft:
		return e.BadRequestError("This invoice is a draft; edit or delete it instead of crediting it.", nil)
	case invoice.GetString("status") == StatusCancelled:
		return e.BadRequestError("Invoice "+invoice.GetString("number")+" is already fully credited.", nil)
	}

	var body creditRequest
	if e.Request.ContentLength != 0 {
		if err := json.NewDecoder(e.Request.Body).Decode(&body); err != nil {
			return e.BadRequestError("The body must be JSON like {\"lines\": [{\"line\": 0, \"quantity\": \"1\"}]}, or empty to credit every line.", nil)
		}
	}
	lines, err := creditedLines(invoice, body)
	if err != nil {
		return err
	}

	collection, err := e.App.FindCachedCollectionByNameOrId("invoices")
	if err != nil {
		return err
	}
	note := core.NewRecord(collection)
	for _, f := range []string{"workspace", "client", "currency", "exchange_rate", "language", "buyer_reference", "order_reference"} {
		note.Set(f, invoice.Get(f))
	}
	note.Set("document_type", DocumentCreditNote)
	note.Set("credited_invoice", invoice.Id)
	note.Set("lines", lines)
	if err := e.App.Save(note); err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, note); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, note)
}

// creditedLines copies the lines of the invoice the request selects.
func creditedLines(invoice *core.Record, body creditRequest) ([]en16931.Line, error) {
	lines, lineErrs := en16931.ParseLines([]byte(invoice.GetString("lines")))
	if len(lineErrs) > 0 {
		errs := fielderr.Errors{}
		errs.AddLines(lineErrs)
		return nil, errs.Err()
	}
	if len(body.Lines) == 0 {
		return lines, nil
	}
	errs := fielderr.Errors{}
	picked := make([]en16931.Line, 0, len(body.Lines))
	seen := map[int]bool{}
	for i, sel := range body.Lines {
		at := func(field, message string) { errs.Nested("lines").Nested(strconv.Itoa(i)).Add(field, message) }
		if sel.Line == nil || *sel.Line < 0 || *sel.Line >= len(lines) || seen[*sel.Line] {
			at("line", fmt.Sprintf("Choose each line of the invoice once, by its index from 0 to %d.", len(lines)-1))
			continue
		}
		seen[*sel.Line] = true
		l := lines[*sel.Line]
		if sel.Quantity != nil {
			q, err := money.Parse(sel.Quantity)
			if err != nil || q.Sign() != l.Quantity.Sign() || q.Abs().GreaterThan(l.Quantity.Abs()) {
				at("quantity", fmt.Sprintf("Credit a quantity from 0 to the invoiced %s.", l.Quantity))
				continue
			}
			l.Quantity = q
		}
		picked = append(picked, l)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return picked, nil
}
