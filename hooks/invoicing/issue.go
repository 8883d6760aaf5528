package invoicing

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/shopspring/decimal"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/money"
	"github.com/kontor-app/kontor/numbering"
)

// errChangedWhileIssuing is returned when the draft changed between the
// checks and the transaction; the caller may try again.
var errChangedWhileIssuing = apis.NewApiError(http.StatusConflict, "The draft changed while it was being issued; review it and issue again.", nil)

// issueRoute is POST /api/kontor/invoices/{id}/issue.
func issueRoute(now func() time.Time) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		// the draft, the role and the facts in one statement
		draft, row, err := access.RequireRecordWith(e, "invoices", access.Member, issueFactsColumns)
		if err != nil {
			return err
		}
		facts, err := readIssueFacts(draft, row)
		if err != nil {
			return err
		}
		issued, err := issue(e.App, draft, facts, now())
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
// first, without a lock; then one transaction bumps the series counter,
// confirms the draft is unchanged, numbers it, freezes the seller, buyer
// and totals, and settles a credited invoice (issueIn). A failure anywhere
// rolls the counter back: no number is consumed. Issued outside a
// transaction, concurrent issues share their transaction (issueBatcher).
func Issue(app core.App, draft *core.Record, now time.Time) (*core.Record, error) {
	facts, err := loadIssueFacts(app, draft)
	if err != nil {
		return nil, err
	}
	return issue(app, draft, facts, now)
}

// issue is Issue with the facts read.
func issue(app core.App, draft *core.Record, facts issueFacts, now time.Time) (*core.Record, error) {
	if draft.GetString("status") != StatusDraft {
		return nil, apis.NewBadRequestError("Document "+draft.GetString("number")+" is already issued.", nil)
	}
	plan, err := planIssue(app, draft, facts, now)
	if err != nil {
		return nil, err
	}

	if b := batcherOf(app); b != nil && !app.IsTransactional() {
		return b.issue(app, draft, plan)
	}
	var issued *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		issued, err = issueIn(tx, draft, plan)
		return err
	})
	return issued, err
}

// issueIn numbers, freezes and saves a draft in the transaction tx. Its
// first statement bumps the series counter and, under the write lock that
// takes, reads what the number depends on: that the draft is unchanged and
// the series' latest issue date. A number another series of the workspace
// already gave is refused by the unique index when the document is saved.
// A credited invoice is settled in the same transaction.
func issueIn(tx core.App, draft *core.Record, plan *issuePlan) (*core.Record, error) {
	// with the number, under the write lock it takes: the draft is still
	// the one checked (a draft, not saved since), and the series' latest
	// issue date
	var unchanged bool
	var last string
	seq, err := numbering.NextWith(tx.DB(), plan.series.ID, plan.counterYear, `
		EXISTS(SELECT 1 FROM invoices WHERE id = ? AND status = 'draft' AND updated = ?),
		COALESCE((SELECT issue_date FROM invoices WHERE series = ? AND number != '' ORDER BY issue_date DESC LIMIT 1), '')`,
		[]any{draft.Id, draft.GetString("updated"), plan.series.ID}, &unchanged, &last)
	switch {
	case err != nil:
		return nil, err
	case !unchanged:
		return nil, errChangedWhileIssuing
	case last > plan.issueDate:
		return nil, fielderr.New("issue_date", "Series "+plan.series.Code+" already has a document dated "+last+"; numbers must follow the dates, so the issue date cannot be earlier.")
	}

	number := numbering.FormatNumber(plan.series.Pattern, plan.series.Code, plan.date, seq)
	r := draft.Fresh()
	r.Set("number", number)
	r.Set("status", StatusIssued)
	r.Set("issue_date", plan.issueDate)
	r.Set("due_date", plan.dueDate)
	r.Set("seller", plan.seller)
	r.Set("buyer", plan.buyer)
	r.Set("issued_at", types.NowDateTime())
	// The draft was validated when it was saved and is unchanged since;
	// what issuing adds is made here. Skipping the field validation keeps
	// its relation lookups out of the write lock; the hooks still run.
	if err := tx.SaveNoValidate(r); err != nil {
		if numberTaken(err) {
			return nil, fielderr.New("series", "Number "+number+" is already used by another series of this workspace; give the series a pattern of its own.")
		}
		return nil, err
	}
	if plan.credited != nil {
		if err := settleCredited(tx, plan.credited.Id); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// numberTaken reports whether saving failed on the workspace's unique
// numbers (index idx_invoices_workspace_number, which PocketBase reports as
// both fields not unique): two series of it whose patterns make the same
// number.
func numberTaken(err error) bool {
	var errs validation.Errors
	return errors.As(err, &errs) && errs["workspace"] != nil && errs["number"] != nil
}

// issuePlan is what Issue works out before taking the lock.
type issuePlan struct {
	series      *seriesRule
	credited    *core.Record
	date        time.Time
	issueDate   string
	dueDate     string
	counterYear int
	seller      types.JSONRaw
	buyer       types.JSONRaw
}

// planIssue checks that a draft can be issued, naming every problem, and
// works out its dates and snapshots.
func planIssue(app core.App, draft *core.Record, facts issueFacts, now time.Time) (*issuePlan, error) {
	errs := fielderr.Errors{}
	workspace, client := facts.seller, facts.buyer
	plan := &issuePlan{series: facts.series}
	if plan.series == nil {
		errs.Add("series", "Choose the series that numbers this document.")
	}
	if client == nil {
		errs.Add("client", "Choose the client to invoice.")
	}

	lines, lineErrs := en16931.ParseLines([]byte(draft.GetString("lines")))
	errs.AddLines(lineErrs)
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

	if draft.GetString("currency") != workspace["currency"] && draft.GetString("exchange_rate") == "" {
		errs.Add("exchange_rate", "The document is in "+draft.GetString("currency")+" and the workspace accounts in "+workspace["currency"]+"; give the exchange rate.")
	}

	plan.issueDate = draft.GetString("issue_date")
	if plan.issueDate == "" {
		plan.issueDate = now.UTC().Format(dateLayout)
	}
	plan.date, _ = time.Parse(dateLayout, plan.issueDate)
	plan.dueDate = draft.GetString("due_date")
	if plan.dueDate == "" {
		plan.dueDate = plan.date.AddDate(0, 0, facts.paymentTermsDays).Format(dateLayout)
	} else if plan.dueDate < plan.issueDate {
		errs.Add("due_date", "The due date cannot be before the issue date.")
	}
	if plan.series != nil && plan.series.YearlyReset {
		plan.counterYear = plan.date.Year()
	}

	if draft.GetString("document_type") == DocumentCreditNote {
		plan.credited = findInWorkspace(app, "invoices", draft.GetString("credited_invoice"), draft.GetString("workspace"))
		if err := checkCredit(app, errs, draft, plan.credited); err != nil {
			return nil, err
		}
	}

	if err := errs.Err(); err != nil {
		return nil, err
	}
	plan.seller, plan.buyer = facts.sellerSnapshot, facts.buyerSnapshot
	return plan, nil
}

// checkSeller names what the workspace lacks for the categories invoiced.
func checkSeller(errs fielderr.Errors, workspace party, categories map[string]bool) {
	if workspace["name"] == "" {
		errs.Add("seller", "Your workspace needs its legal name.")
	}
	if workspace["country"] == "" {
		errs.Add("seller", "Your workspace needs its country (workspace settings).")
	}
	for c := range categories {
		if !en16931.NeedsSellerVATID(c) || workspace["vat_id"] != "" {
			continue
		}
		if en16931.NeedsBuyerVATID(c) || c == "G" || workspace["tax_id"] == "" {
			errs.Add("seller", "Your workspace needs its VAT number for "+categoryName(c)+" lines (workspace settings).")
		}
	}
}

// checkBuyer names what the client lacks for the categories invoiced.
func checkBuyer(errs fielderr.Errors, client party, categories map[string]bool) {
	if client["country"] == "" {
		errs.Add("client", "The client "+client["name"]+" needs a country.")
	}
	for c := range categories {
		if en16931.NeedsBuyerVATID(c) && client["vat_id"] == "" {
			errs.Add("client", "The client "+client["name"]+" needs a VAT number for "+categoryName(c)+" lines.")
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
	settleStatus(invoice, t)
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
