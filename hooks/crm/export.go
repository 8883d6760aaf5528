package crm

import (
	"database/sql"
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// exportColumn is a column of an export: its header and the SQL that reads
// it.
type exportColumn struct{ header, sql string }

// exports are, per entity, the columns of its CSV export and the tables
// they are read from. Headers are the import's field names, so an export
// imports back.
var exports = map[string]struct {
	from    string
	columns []exportColumn
}{
	"contacts": {
		from: "contacts t LEFT JOIN companies c ON c.id = t.company",
		columns: []exportColumn{{"id", "t.id"}, {"first_name", "t.first_name"}, {"last_name", "t.last_name"}, {"email", "t.email"},
			{"phone", "t.phone"}, {"job_title", "t.job_title"}, {"status", "t.status"}, {"source", "t.source"},
			{"country", "t.country"}, {"timezone", "t.timezone"}, {"language", "t.language"}, {"company_name", "c.name"},
			{"notes", "t.notes"}, {"score", "t.score"}, {"unsubscribed", "t.unsubscribed"}, {"client", "t.client"},
			{"created", "t.created"}},
	},
	"companies": {
		from: "companies t",
		columns: []exportColumn{{"id", "t.id"}, {"name", "t.name"}, {"domain", "t.domain"}, {"website", "t.website"},
			{"country", "t.country"}, {"industry", "t.industry"}, {"employees", "t.employees"}, {"vat_id", "t.vat_id"},
			{"address_line", "t.address_line"}, {"city", "t.city"}, {"postal_code", "t.postal_code"}, {"notes", "t.notes"},
			{"client", "t.client"}, {"created", "t.created"}},
	},
	"deals": {
		from: "deals t LEFT JOIN pipeline_stages s ON s.id = t.stage LEFT JOIN contacts p ON p.id = t.contact LEFT JOIN companies c ON c.id = t.company",
		columns: []exportColumn{{"id", "t.id"}, {"title", "t.title"}, {"value", "t.value"}, {"currency", "t.currency"},
			{"stage", "s.name"}, {"status", "t.status"}, {"expected_close", "t.expected_close"},
			{"contact", "trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, ''))"}, {"company_name", "c.name"},
			{"close_reason", "t.close_reason"}, {"won_at", "t.won_at"}, {"lost_at", "t.lost_at"}, {"created", "t.created"}},
	},
}

// exportRoute is GET /api/kontor/crm/export?workspace=ID&entity=contacts
// (or companies or deals): a CSV file (RFC 4180, UTF-8, comma separated,
// a header line), streamed row by row.
func exportRoute(e *core.RequestEvent) error {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	q := e.Request.URL.Query()
	ws := q.Get("workspace")
	if ws == "" {
		return fielderr.New("workspace", "Choose the workspace to export from.")
	}
	if err := access.Require(e, ws, access.Viewer); err != nil {
		return err
	}
	entity := q.Get("entity")
	ex, ok := exports[entity]
	if !ok {
		return fielderr.New("entity", "Export contacts, companies or deals.")
	}
	selects := make([]string, len(ex.columns))
	for i, c := range ex.columns {
		selects[i] = "coalesce(CAST(" + c.sql + " AS TEXT), '')"
	}
	rows, err := e.App.DB().NewQuery("SELECT " + strings.Join(selects, ", ") + " FROM " + ex.from +
		" WHERE t.workspace = {:w} ORDER BY t.created, t.id").Bind(dbx.Params{"w": ws}).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()

	h := e.Response.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+entity+"-"+time.Now().UTC().Format(dateLayout)+`.csv"`)
	e.Response.WriteHeader(http.StatusOK)
	w := csv.NewWriter(e.Response)
	header := make([]string, len(ex.columns))
	for i, c := range ex.columns {
		header[i] = c.header
	}
	if err := w.Write(header); err != nil {
		return err
	}
	values := make([]sql.NullString, len(ex.columns))
	dest := make([]any, len(values))
	for i := range values {
		dest[i] = &values[i]
	}
	record := make([]string, len(values))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, v := range values {
			record[i] = safeCell(v.String)
		}
		if err := w.Write(record); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return rows.Err()
}

// safeCell keeps a spreadsheet from running a cell as a formula: a value
// starting with =, @, a tab or a carriage return, or with + or - not
// followed by a digit (phone numbers and amounts stay as they are), gets a
// leading apostrophe.
func safeCell(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '@', '\t', '\r':
		return "'" + v
	case '+', '-':
		if len(v) == 1 || v[1] < '0' || v[1] > '9' {
			return "'" + v
		}
	}
	return v
}
