package invoicing

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/isocodes"
	"github.com/kontor-app/kontor/money"
)

// saveInvoice runs on every save of an invoice, from any route. A draft is
// checked and its totals are computed here, from its lines, by the one
// engine; an issued document goes to keepIssued.
func saveInvoice(e *core.RecordEvent) error {
	if !e.Record.IsNew() && e.Record.Original().GetString("status") != StatusDraft {
		if err := keepIssued(e.Record); err != nil {
			return err
		}
		return e.Next()
	}
	if !e.Record.IsNew() && e.Record.GetString("status") != StatusDraft {
		return e.Next() // being issued: Issue checked it and freezes it as it is
	}
	if e.Record.IsNew() {
		// a document is born a draft; issuing is a route of its own
		e.Record.Set("status", StatusDraft)
		for _, f := range []string{"number", "issued_at"} {
			e.Record.Set(f, "")
		}
		for _, f := range []string{"seller", "buyer"} {
			e.Record.Set(f, nil)
		}
	}
	if err := prepareDraft(e.App, e.Record); err != nil {
		if access.WorkspaceGone(e.App, e.Record) {
			return e.Next() // deleted with its workspace
		}
		return err
	}
	return e.Next()
}

// prepareDraft fills a draft's defaults, checks its references and fields,
// and computes its lines, totals and VAT breakdown.
func prepareDraft(app core.App, r *core.Record) error {
	errs := fielderr.Errors{}
	ws := r.GetString("workspace")
	workspace, err := app.FindRecordById("workspaces", ws)
	if err != nil {
		return fielderr.New("workspace", "Choose one of your workspaces.")
	}

	documentType := r.GetString("document_type")
	if documentType == "" {
		documentType = DocumentInvoice
		r.Set("document_type", documentType)
	}

	var client *core.Record
	if id := r.GetString("client"); id != "" {
		client = findInWorkspace(app, "clients", id, ws)
		if client == nil {
			errs.Add("client", "This client does not exist in the workspace.")
		}
	}

	if id := r.GetString("series"); id == "" {
		if s, err := defaultSeriesOf(app, ws, documentType); err == nil {
			r.Set("series", s.Id)
		} else if r.Original().GetString("series") == "" {
			errs.Add("series", "The workspace has no default series for this document type; choose a series.")
		}
	} else if s := findInWorkspace(app, "series", id, ws); s == nil {
		errs.Add("series", "This series does not exist in the workspace.")
	} else if s.GetString("document_type") != documentType {
		errs.Add("series", "This series numbers "+strings.ReplaceAll(s.GetString("document_type"), "_", " ")+"s; choose a series for this document type.")
	}

	var credited *core.Record
	switch id := r.GetString("credited_invoice"); {
	case documentType == DocumentInvoice && id != "":
		errs.Add("credited_invoice", "Only a credit note refers to a credited invoice.")
	case documentType == DocumentCreditNote && id == "":
		errs.Add("credited_invoice", "A credit note must refer to the invoice it corrects.")
	case documentType == DocumentCreditNote:
		credited = findInWorkspace(app, "invoices", id, ws)
		switch {
		case credited == nil:
			errs.Add("credited_invoice", "This invoice does not exist in the workspace.")
		case credited.GetString("document_type") != DocumentInvoice || credited.GetString("status") == StatusDraft:
			errs.Add("credited_invoice", "A credit note corrects an issued invoice.")
		}
	}

	// A draft that changes client takes the new client's currency and
	// language, unless the same save also sets them.
	if !r.IsNew() && r.GetString("client") != r.Original().GetString("client") {
		for _, f := range []string{"currency", "language"} {
			if r.GetString(f) == r.Original().GetString(f) {
				r.Set(f, "")
				if f == "currency" {
					r.Set("exchange_rate", "")
				}
			}
		}
	}

	// currency: the credited invoice's, else as given, else the client's, else the workspace's
	currency := strings.ToUpper(strings.TrimSpace(r.GetString("currency")))
	switch {
	case credited != nil:
		currency = credited.GetString("currency")
		r.Set("exchange_rate", credited.GetString("exchange_rate"))
	case currency == "" && client != nil && client.GetString("currency") != "":
		currency = client.GetString("currency")
	case currency == "":
		currency = workspace.GetString("currency")
	}
	r.Set("currency", currency)
	if !isocodes.IsCurrency(currency) {
		errs.Add("currency", "Use a three-letter ISO 4217 currency code, like EUR, USD or GBP.")
	}
	if rate := strings.TrimSpace(r.GetString("exchange_rate")); rate != "" {
		d, err := money.Parse(rate)
		switch {
		case currency == workspace.GetString("currency"):
			errs.Add("exchange_rate", "The invoice is in the workspace currency; leave the exchange rate empty.")
		case err != nil || !d.IsPositive() || money.Places(d) > 10:
			errs.Add("exchange_rate", "The exchange rate is a positive decimal number like 1.0845 (units of "+workspace.GetString("currency")+" per 1 "+currency+").")
		default:
			r.Set("exchange_rate", d.String())
		}
	}

	if r.GetString("language") == "" {
		if client != nil && client.GetString("language") != "" {
			r.Set("language", client.GetString("language"))
		} else {
			r.Set("language", workspace.GetString("language"))
		}
	}

	issueDate, ok := parseDate(r.GetString("issue_date"))
	if !ok {
		errs.Add("issue_date", "Write the issue date as YYYY-MM-DD.")
	}
	dueDate, ok := parseDate(r.GetString("due_date"))
	if !ok {
		errs.Add("due_date", "Write the due date as YYYY-MM-DD.")
	} else if !dueDate.IsZero() && !issueDate.IsZero() && dueDate.Before(issueDate) {
		errs.Add("due_date", "The due date cannot be before the issue date.")
	}

	lines, lineErrs := en16931.ParseLines([]byte(r.GetString("lines")))
	errs.AddLines(lineErrs)
	if err := errs.Err(); err != nil {
		return err
	}

	totals := en16931.Compute(lines, r.GetString("language"))
	if lines == nil {
		lines = []en16931.Line{}
	}
	r.Set("lines", lines)
	r.Set("warnings", draftWarnings(lines, client))
	r.Set("vat_breakdown", totals.BreakdownForAPI())
	t := newTotals(totals)
	if rate := r.GetString("exchange_rate"); rate != "" {
		t.VATAccounting = money.Amount(money.Round2(totals.VAT.Mul(dec(rate))))
		t.AccountingCurrency = workspace.GetString("currency")
	}
	r.Set("totals", t)
	return nil
}

// Warning is something to look at before issuing a draft; it does not stop
// issuing.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// draftWarnings returns the warnings of a draft: a reverse-charge or
// intra-EU line (AE, K) for a client whose VAT number VIES has not
// confirmed (clients.vat_status, set by hooks/vies).
func draftWarnings(lines []en16931.Line, client *core.Record) []Warning {
	warnings := []Warning{}
	if client != nil && client.GetString("vat_status") == "valid" {
		return warnings
	}
	for _, l := range lines {
		if l.VATCategory == en16931.ReverseCharge || l.VATCategory == en16931.IntraCommunity {
			return append(warnings, Warning{Code: "buyer_vat_unverified",
				Message: "The client's VAT number has not been confirmed by VIES; check it before invoicing with reverse charge."})
		}
	}
	return warnings
}

// findInWorkspace returns the record of the collection with the id when it
// belongs to the workspace, otherwise nil.
func findInWorkspace(app core.App, collection, id, workspaceID string) *core.Record {
	r, err := app.FindRecordById(collection, id)
	if err != nil || r.GetString("workspace") != workspaceID {
		return nil
	}
	return r
}

// parseDate reads an optional YYYY-MM-DD date; the zero time means none.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

// sameJSON reports whether two field values are equal once written as JSON,
// so that re-sending a stored value does not count as a change.
func sameJSON(a, b any) bool {
	return canonical(a) == canonical(b)
}

func canonical(v any) string {
	if raw, ok := v.(types.JSONRaw); ok {
		var x any
		if json.Unmarshal(raw, &x) != nil {
			return string(raw)
		}
		v = x
	}
	out, _ := json.Marshal(v)
	if s := string(out); s == `""` || s == "null" || s == "[]" || s == "{}" {
		return ""
	}
	return string(out)
}
