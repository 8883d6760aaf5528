package billing

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// The names of the limits, as a refusal's data.limit gives them.
const (
	LimitInvoices = "invoices_per_month"
	LimitMembers  = "members"
	LimitFormats  = "einvoice_formats"
)

// UpgradeURL is where a user chooses another plan.
func (b *Billing) UpgradeURL() string {
	return strings.TrimRight(b.cfg.PublicURL, "/") + "/#/billing"
}

// paymentRequired is the 402 of a limit reached: message says which limit
// and plan; data carries the limit, the plan and the link to upgrade.
func (b *Billing) paymentRequired(limit string, plan Plan, message string) *router.ApiError {
	err := apis.NewApiError(http.StatusPaymentRequired, message, nil)
	// set after construction: NewApiError would turn plain values into
	// validation items
	err.Data = map[string]any{"limit": limit, "plan": plan.ID, "upgrade_url": b.UpgradeURL()}
	return err
}

// upgradeHint says what to do about a limit, in the words of the situation.
func (b *Billing) upgradeHint() string {
	if !b.cfg.Enabled() {
		return "the server's operator sets the plans (KONTOR_BILLING_DEFAULT_PLAN)."
	}
	return "upgrade the workspace's plan (Billing) to go further."
}

// limitIssuing refuses to issue an invoice beyond the plan's invoices per
// month. It runs inside the issuing transaction (after the series counter
// was bumped, so issuing is serialised), and its refusal rolls the number
// back with everything else.
func (b *Billing) limitIssuing(e *core.RecordEvent) error {
	r := e.Record
	if r.GetString("status") == "draft" || r.GetString("document_type") != "invoice" {
		return e.Next()
	}
	if r.IsNew() || r.Original().GetString("status") != "draft" {
		return e.Next() // not the transition from draft to issued
	}
	ws := r.GetString("workspace")
	plan, err := b.PlanOf(e.App, ws)
	if err != nil {
		return err
	}
	limit := plan.Limits.InvoicesPerMonth
	if limit < 0 {
		return e.Next()
	}
	issued, err := invoicesIssued(e.App, ws, b.now())
	if err != nil {
		return err
	}
	if !limit.Allows(issued) {
		month := b.now().UTC().Format("January 2006")
		return b.paymentRequired(LimitInvoices, plan, "The "+plan.ID+" plan allows "+limit.String()+" invoices per month and this workspace has issued "+
			itoa(issued)+" in "+month+"; "+b.upgradeHint())
	}
	return e.Next()
}

// limitMembers refuses a membership beyond the plan's members per
// workspace. The first membership of a workspace, its creator's, always
// passes. The count and the insert share one transaction, so two members
// added at once cannot both take the last place.
func (b *Billing) limitMembers(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		ws := e.Record.GetString("workspace")
		n, err := members(tx, ws)
		if err != nil {
			return err
		}
		if n == 0 {
			return e.Next()
		}
		plan, err := b.PlanOf(tx, ws)
		if err != nil {
			return err
		}
		if limit := plan.Limits.Members; !limit.Allows(n) {
			noun := "members"
			if limit == 1 {
				noun = "member"
			}
			return b.paymentRequired(LimitMembers, plan, "The "+plan.ID+" plan allows "+limit.String()+" "+noun+" per workspace and this workspace has "+
				itoa(n)+"; "+b.upgradeHint())
		}
		return e.Next()
	})
}

// AllowsFormat returns nil when the workspace's plan allows e-invoices in
// the format of the name (as GET /api/kontor/formats names it), else the
// 402 to answer.
func (b *Billing) AllowsFormat(app core.App, workspaceID, format string) error {
	plan, err := b.PlanOf(app, workspaceID)
	if err != nil {
		return err
	}
	f := plan.Limits.EInvoiceFormats
	if f.Allows(format) {
		return nil
	}
	which := "no e-invoice formats"
	if len(f.Names) > 0 {
		which = "only the e-invoice formats " + strings.Join(f.Names, ", ")
	}
	return b.paymentRequired(LimitFormats, plan, "The "+plan.ID+" plan includes "+which+", not "+format+"; "+b.upgradeHint())
}
