package invoicing

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/money"
)

// errChangedWhileIssuing is returned when the draft changed between the
// checks and the transaction; the caller may try again.
var errChangedWhileIssuing = apis.NewApiError(http.StatusConflict, "The draft changed while it was being issued; review it and issue again.", nil)

// issueRoute is POST /api/kontor/invoices/{id}/issue.
func issueRoute(now func() time.Time) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		draft, err := e.App.FindRecordById("invoices", e.Request.PathValue("id"))
		if err != nil {
			return e.NotFoundError("", nil)
		}
		if err := access.Require(e, draft.GetString("workspace"), access.Member); err != nil {
			return err
		}
		issued, err := Issue(e.App, draft, now())
		if err != nil {
			return err
		}
		if err := apis.EnrichRecord(e, issued); err != nil {
			return err
		}
		return e.JSON(http.StatusOK, issued)
	}
}

// Issue turns a draft into an issued document and returns it. The checks run
// first, without a lock; then one transaction bumps the series counter (its
// first statement, so the write lock is taken before anything is read that
// the number depends on), confirms the draft is unchanged, numbers it,
// freezes the seller, buyer and totals, and settles a credited invoice.
// A failure anywhere rolls the counter back: no number is consumed.
func Issue(app core.App, draft *core.Record, now time.Time) (*core.Record, error) {
	if draft.GetString("status") != StatusDraft {
		return nil, apis.NewBadRequestError("Document "+draft.GetString("number")+" is already issued.", nil)
	}
	plan, err := planIssue(app, draft, now)
	if err != nil {
		return nil, err
	}

	var issued *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		var seq int64
		err := tx.DB().NewQuery(`INSERT INTO series_counters (series, year, last) VALUES ({:s}, {:y}, 1)
			ON CONFLICT (series, year) DO UPDATE SET last = last + 1
			RETURNING last`).
			Bind(dbx.Params{"s": plan.series.Id, "y": plan.counterYear}).Row(&seq)
		if err != nil {
			return err
		}

		r, err := tx.FindRecordById("invoices", draft.Id)
		if err != nil || r.GetString("status") != StatusDraft || !r.GetDateTime("updated").Equal(draft.GetDateTime("updated")) {
			return errChangedWhileIssuing
		}

		var last string
		err = tx.DB().NewQuery(`SELECT COALESCE(MAX(issue_date), '') FROM invoices WHERE series = {:s} AND status != 'draft'`).
			Bind(dbx.Params{"s": plan.series.Id}).Row(&last)
		if err != nil {
			return err
		}
		if last > plan.issueDate {
			return fielderr.New("issue_date", "Series "+plan.series.GetString("code")+" already has a document dated "+last+"; numbers must follow the dates, so the issue date cannot be earlier.")
		}

		number := FormatNumber(plan.series.GetString("pattern"), plan.series.GetString("code"), plan.date, seq)
		var taken int
		if err := tx.DB().NewQuery(`SELECT COUNT(*) FROM invoices WHERE workspace = {:w} AND number = {:n}`).
			Bind(dbx.Params{"w": r.GetString("workspace"), "n": number}).Row(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return fielderr.New("series", "Number "+number+" is already used by another series of this workspace; give the series a pattern of its own.")
		}

		r.Set("number", number)
		r.Set("status", StatusIssued)
		r.Set("issue_date", plan.issueDate)
		r.Set("due_date", plan.dueDate)
		r.Set("seller", plan.seller)
		r.Set("buyer", plan.buyer)
		r.Set("issued_at", types.NowDateTime())
		if err := tx.Save(r); err != nil {
			return err
		}
		if plan.credited != nil {
			if err := settleCredited(tx, plan.credited.Id); err != nil {
				return err
			}
		}
		issued = r
		return nil
	})
	return issued, err
}

// issuePlan is what Issue works out before taking the lock.
type issuePlan struct {
	series      *core.Record
	credited    *core.Record
	date        time.Time
	issueDate   string
	dueDate     string
	counterYear int
	seller      map[string]any
	buyer       map[string]any
}

// planIssue checks that a draft can be issued, naming every problem, and
// works out its dates and snapshots.
func planIssue(app core.App, draft *core.Record, now time.Time) (*issuePlan, error) {
	errs := fielderr.Errors{}
	ws := draft.GetString("workspace")
	workspace, err := app.FindRecordById("workspaces", ws)
	if err != nil {
		return nil, err
	}
	plan := &issuePlan{}

	plan.series = findInWorkspace(app, "series", draft.GetString("series"), ws)
	if plan.series == nil {
		errs.Add("series", "Choose the series that numbers this document.")
	}

	client := findInWorkspace(app, "clients", draft.GetString("client"), ws)
	if client == nil {
		errs.Add("client", "Choose the client to invoice.")
	}

	lines, lineErrs := en16931.ParseLines([]byte(draft.GetString("lines")))
	lineErrors(errs, lineErrs)
	if len(lines) == 0 && len(lineErrs) == 0 {
		errs.Add("lines", "Add at least one line.")
	}
	totals := readTotals(draft.GetString("totals"))
	if dec(totals.Gross).IsNegative() {
		errs.Add("lines", "A document cannot total less than zero; correct an invoice with a credit note instead.")
	}

	categories := map[string]bool{}
	for _, l := range lines {
		categories[l.VATCategory] = true
	}
	if categories["O"] && len(categories) > 1 {
		errs.Add("lines", "A document with lines not subject to VAT (O) cannot have lines of other VAT categories; issue them separately.")
	}
	checkSeller(errs, workspace, categories)
	if client != nil {
		checkBuyer(errs, client, categories)
	}

	if draft.GetString("currency") != workspace.GetString("currency") && draft.GetString("exchange_rate") == "" {
		errs.Add("exchange_rate", "The document is in "+draft.GetString("currency")+" and the workspace accounts in "+workspace.GetString("currency")+"; give the exchange rate.")
	}

	plan.issueDate = draft.GetString("issue_date")
	if plan.issueDate == "" {
		plan.issueDate = now.UTC().Format(dateLayout)
	}
	plan.date, _ = time.Parse(dateLayout, plan.issueDate)
	plan.dueDate = draft.GetString("due_date")
	if plan.dueDate == "" {
		plan.dueDate = plan.date.AddDate(0, 0, workspace.GetInt("payment_terms_days")).Format(dateLayout)
	} else if plan.dueDate < plan.issueDate {
		errs.Add("due_date", "The due date cannot be before the issue date.")
	}
	if plan.series != nil && plan.series.GetBool("yearly_reset") {
		plan.counterYear = plan.date.Year()
	}

	if draft.GetString("document_type") == DocumentCreditNote {
		plan.credited = findInWorkspace(app, "invoices", draft.GetString("credited_invoice"), ws)
		if err := checkCredit(app, errs, draft, plan.credited); err != nil {
			return nil, err
		}
	}

	if err := errs.Err(); err != nil {
		return nil, err
	}
	plan.seller = snapshot(workspace, sellerFields)
	plan.buyer = snapshot(client, buyerFields)
	plan.buyer["id"] = client.Id
	return plan, nil
}

// checkSeller names what the workspace lacks for the categories invoiced.
func checkSeller(errs fielderr.Errors, workspace *core.Record, categories map[string]bool) {
	if workspace.GetString("name") == "" {
		errs.Add("seller", "Your workspace needs its legal name.")
	}
	if workspace.GetString("country") == "" {
		errs.Add("seller", "Your workspace needs its country (workspace settings).")
	}
	for c := range categories {
		if !en16931.NeedsSellerVATID(c) || workspace.GetString("vat_id") != "" {
			continue
		}
		if en16931.NeedsBuyerVATID(c) || c == "G" || workspace.GetString("tax_id") == "" {
			errs.Add("seller", "Your workspace needs its VAT number for "+categoryName(c)+" lines (workspace settings).")
		}
	}
}

// checkBuyer names what the client lacks for the categories invoiced.
func checkBuyer(errs fielderr.Errors, client *core.Record, categories map[string]bool) {
	if client.GetString("country") == "" {
		errs.Add("client", "The client "+client.GetString("name")+" needs a country.")
	}
	for c := range categories {
		if en16931.NeedsBuyerVATID(c) && client.GetString("vat_id") == "" {
			errs.Add("client", "The client "+client.GetString("name")+" needs a VAT number for "+categoryName(c)+" lines.")
		}
	}
}

// checkCredit checks a credit note against the invoice it corrects: the
// invoice is issued and not cancelled, the currency is the same, and all its
// credit notes together credit at most its gross total.
func checkCredit(app core.App, errs fielderr.Errors, note, invoice *core.Record) error {
	if invoice == nil || invoice.GetString("document_type") != DocumentInvoice || invoice.GetString("status") == StatusDraft {
		errs.Add("credited_invoice", "A credit note corrects an issued invoice.")
		return nil
	}
	if invoice.GetString("status") == StatusCancelled {
		errs.Add("credited_invoice", "Invoice "+invoice.GetString("number")+" is already fully credited.")
		return nil
	}
	already, err := creditedTotal(app, invoice.Id)
	if err != nil {
		return err
	}
	gross := dec(readTotals(invoice.GetString("totals")).Gross)
	left := gross.Sub(already)
	if dec(readTotals(note.GetString("totals")).Gross).GreaterThan(left) {
		errs.Add("lines", "This credit note credits more than is left to credit on invoice "+invoice.GetString("number")+" ("+money.Amount(left)+" "+invoice.GetString("currency")+").")
	}
	return nil
}

// creditedTotal sums the gross totals of the issued credit notes of an invoice.
func creditedTotal(app core.App, invoiceID string) (sum decimal.Decimal, err error) {
	var rows []struct {
		Totals string `db:"totals"`
	}
	err = app.DB().NewQuery(`SELECT totals FROM invoices WHERE credited_invoice = {:i} AND document_type = 'credit_note' AND status != 'draft'`).
		Bind(dbx.Params{"i": invoiceID}).All(&rows)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sum, err
	}
	for _, row := range rows {
		sum = sum.Add(dec(readTotals(row.Totals).Gross))
	}
	return sum, nil
}

// settleCredited records on an invoice what its credit notes credit, and
// cancels it when they credit all of it.
func settleCredited(tx core.App, invoiceID string) error {
	invoice, err := tx.FindRecordById("invoices", invoiceID)
	if err != nil {
		return err
	}
	credited, err := creditedTotal(tx, invoiceID)
	if err != nil {
		return err
	}
	t := readTotals(invoice.GetString("totals"))
	t.Credited = money.Amount(credited)
	invoice.Set("status", t.settle(invoice.GetString("document_type")))
	invoice.Set("totals", t)
	return tx.Save(invoice)
}

// categoryName names a VAT category in a message.
func categoryName(code string) string {
	switch code {
	case "AE":
		return "reverse-charge (AE)"
	case "K":
		return "intra-EU supply (K)"
	case "G":
		return "export (G)"
	}
	return strings.TrimSpace("category " + code)
}
