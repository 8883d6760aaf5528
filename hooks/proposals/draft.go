package proposals

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/isocodes"
)

// dateLayout is how valid_until is written.
const dateLayout = "2006-01-02"

// saveProposal runs on every save of a proposal, from any route. A signed
// proposal keeps its content for good; otherwise the defaults are filled,
// the references checked and the totals computed from the lines, by the
// invoice engine.
func saveProposal(e *core.RecordEvent) error {
	r := e.Record
	if !r.IsNew() {
		original := r.Original()
		if original.GetString("status") == StatusSigned {
			if f := changedField(r, original, signedWritable); f != "" {
				return signedError(original)
			}
			return e.Next()
		}
		if r.GetString("status") == StatusSigned {
			return e.Next() // being signed: the accept route froze it as the buyer chose
		}
	} else {
		resetServerFields(r)
	}
	if err := prepare(e.App, r); err != nil {
		if access.WorkspaceGone(e.App, r) {
			return e.Next() // deleted with its workspace
		}
		return err
	}
	if !r.IsNew() && r.GetInt("version") > 0 && r.GetInt("version") == r.Original().GetInt("version") &&
		changedField(r, r.Original(), notContent) != "" {
		r.Set("changed_since_sent", true)
	}
	return e.Next()
}

// prepare fills a proposal's defaults, checks its references and fields,
// and computes its lines, totals and VAT breakdown.
func prepare(app core.App, r *core.Record) error {
	errs := fielderr.Errors{}
	ws := r.GetString("workspace")
	workspace, err := app.FindRecordById("workspaces", ws)
	if err != nil {
		return fielderr.New("workspace", "Choose one of your workspaces.")
	}

	var client *core.Record
	if id := r.GetString("client"); id != "" {
		if client = inWorkspace(app, "clients", id, ws); client == nil {
			errs.Add("client", "This client does not exist in the workspace.")
		}
	}

	if id := r.GetString("series"); id == "" {
		if s, err := app.FindFirstRecordByFilter("series", `workspace = {:w} && document_type = "proposal" && default = true`,
			map[string]any{"w": ws}); err == nil {
			r.Set("series", s.Id)
		}
	} else if s := inWorkspace(app, "series", id, ws); s == nil {
		errs.Add("series", "This series does not exist in the workspace.")
	} else if s.GetString("document_type") != "proposal" {
		errs.Add("series", "This series numbers "+strings.ReplaceAll(s.GetString("document_type"), "_", " ")+"s; choose a series for proposals.")
	}

	currency := strings.ToUpper(strings.TrimSpace(r.GetString("currency")))
	switch {
	case currency == "" && client != nil && client.GetString("currency") != "":
		currency = client.GetString("currency")
	case currency == "":
		currency = workspace.GetString("currency")
	}
	r.Set("currency", currency)
	if !isocodes.IsCurrency(currency) {
		errs.Add("currency", "Use a three-letter ISO 4217 currency code, like EUR, USD or GBP.")
	}
	if r.GetString("language") == "" {
		if client != nil && client.GetString("language") != "" {
			r.Set("language", client.GetString("language"))
		} else {
			r.Set("language", workspace.GetString("language"))
		}
	}
	if v := r.GetString("valid_until"); v != "" {
		if _, err := time.Parse(dateLayout, v); err != nil {
			errs.Add("valid_until", "Write the validity date as YYYY-MM-DD.")
		}
	}

	lines, lineErrs := parseLines([]byte(r.GetString("lines")))
	errs.AddLines(lineErrs)
	if err := errs.Err(); err != nil {
		return err
	}
	totals := compute(lines, r.GetString("language"))
	if lines == nil {
		lines = []Line{}
	}
	r.Set("lines", lines)
	r.Set("totals", totalsOf(totals))
	r.Set("vat_breakdown", totals.BreakdownForAPI())
	return nil
}

// inWorkspace returns the record of the collection with the id when it
// belongs to the workspace, otherwise nil.
func inWorkspace(app core.App, collection, id, workspaceID string) *core.Record {
	r, err := app.FindRecordById(collection, id)
	if err != nil || r.GetString("workspace") != workspaceID {
		return nil
	}
	return r
}
