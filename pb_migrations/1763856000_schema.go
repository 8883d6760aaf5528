// Package pb_migrations holds Kontor's schema as Go migrations: every
// collection, field, index and API rule. Migrations are append-only: a
// change to the schema is a new file, never an edit of an applied one.
package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// API rules. Every workspace-owned collection reaches its workspace's
// memberships through the back-relation; conditions on the same back-relation
// share one join, so "user ?= me && role ?!= viewer" means one membership
// row that is both mine and not a viewer's.
const (
	signedIn = `@request.auth.id != "" && @request.auth.collectionName = "users"`

	// ruleMember: any member of the record's workspace (viewers included).
	ruleMember = signedIn + ` && workspace.memberships_via_workspace.user ?= @request.auth.id`
	// ruleWriter: owners, admins and members; not viewers.
	ruleWriter = ruleMember + ` && workspace.memberships_via_workspace.role ?!= "viewer"`
	// ruleAdmin: owners and admins.
	ruleAdmin = ruleMember + ` && (workspace.memberships_via_workspace.role ?= "owner" || workspace.memberships_via_workspace.role ?= "admin")`
)

var languages = []string{"en", "es", "de", "fr", "it"}

func init() {
	m.Register(up, down)
}

func up(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	users.Fields.Add(&core.SelectField{Name: "language", Values: languages, MaxSelect: 1})
	if err := app.Save(users); err != nil {
		return err
	}

	workspaces := core.NewBaseCollection("workspaces")
	workspaces.Fields.Add(
		&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
		&core.TextField{Name: "address_line", Max: 300},
		&core.TextField{Name: "city", Max: 100},
		&core.TextField{Name: "postal_code", Max: 20},
		&core.TextField{Name: "country", Max: 2},
		&core.TextField{Name: "vat_id", Max: 20},
		&core.TextField{Name: "tax_id", Max: 30},
		&core.TextField{Name: "iban", Max: 34},
		&core.TextField{Name: "bic", Max: 11},
		&core.EmailField{Name: "email"},
		&core.TextField{Name: "phone", Max: 30},
		&core.TextField{Name: "contact_name", Max: 100},
		&core.TextField{Name: "electronic_address", Max: 200},
		&core.TextField{Name: "electronic_address_scheme", Max: 4},
		&core.TextField{Name: "currency", Max: 3},
		&core.SelectField{Name: "language", Values: languages, MaxSelect: 1},
		&core.NumberField{Name: "payment_terms_days", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(365.0)},
		&core.FileField{Name: "logo", MaxSelect: 1, MaxSize: 2 << 20, MimeTypes: []string{"image/png", "image/jpeg"}},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	if err := app.Save(workspaces); err != nil {
		return err
	}

	memberships := core.NewBaseCollection("memberships")
	memberships.Fields.Add(
		workspaceRelation(workspaces),
		&core.RelationField{Name: "user", CollectionId: users.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
		&core.SelectField{Name: "role", Values: []string{"owner", "admin", "member", "viewer"}, MaxSelect: 1, Required: true},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	memberships.AddIndex("idx_memberships_workspace_user", true, "workspace, user", "")
	memberships.AddIndex("idx_memberships_user", false, "user", "")
	memberships.ListRule = types.Pointer(ruleMember)
	memberships.ViewRule = types.Pointer(ruleMember)
	memberships.CreateRule = types.Pointer(ruleAdmin)
	memberships.UpdateRule = types.Pointer(ruleAdmin)
	memberships.DeleteRule = types.Pointer(ruleAdmin + ` || user = @request.auth.id`)
	if err := app.Save(memberships); err != nil {
		return err
	}

	// the rules of workspaces and users reach memberships, which must exist first
	wsMember := signedIn + ` && memberships_via_workspace.user ?= @request.auth.id`
	workspaces.ListRule = types.Pointer(wsMember)
	workspaces.ViewRule = types.Pointer(wsMember)
	workspaces.CreateRule = types.Pointer(signedIn)
	workspaces.UpdateRule = types.Pointer(wsMember + ` && (memberships_via_workspace.role ?= "owner" || memberships_via_workspace.role ?= "admin")`)
	workspaces.DeleteRule = types.Pointer(wsMember + ` && memberships_via_workspace.role ?= "owner"`)
	if err := app.Save(workspaces); err != nil {
		return err
	}

	// A user sees themself and the people they share a workspace with.
	coMember := signedIn + ` && (id = @request.auth.id || memberships_via_user.workspace.memberships_via_workspace.user ?= @request.auth.id)`
	users.ListRule = types.Pointer(coMember)
	users.ViewRule = types.Pointer(coMember)
	if err := app.Save(users); err != nil {
		return err
	}

	clients := core.NewBaseCollection("clients")
	clients.Fields.Add(
		workspaceRelation(workspaces),
		&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
		&core.EmailField{Name: "email"},
		&core.TextField{Name: "address_line", Max: 300},
		&core.TextField{Name: "city", Max: 100},
		&core.TextField{Name: "postal_code", Max: 20},
		&core.TextField{Name: "country", Max: 2},
		&core.TextField{Name: "vat_id", Max: 20},
		&core.SelectField{Name: "language", Values: languages, MaxSelect: 1},
		&core.TextField{Name: "currency", Max: 3},
		&core.TextField{Name: "electronic_address", Max: 200},
		&core.TextField{Name: "electronic_address_scheme", Max: 4},
		&core.TextField{Name: "notes", Max: 5000},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	clients.AddIndex("idx_clients_workspace_name", false, "workspace, name", "")
	clients.ListRule = types.Pointer(ruleMember)
	clients.ViewRule = types.Pointer(ruleMember)
	clients.CreateRule = types.Pointer(ruleWriter)
	clients.UpdateRule = types.Pointer(ruleWriter)
	clients.DeleteRule = types.Pointer(ruleWriter)
	if err := app.Save(clients); err != nil {
		return err
	}

	documentTypes := []string{"invoice", "credit_note"}

	series := core.NewBaseCollection("series")
	series.Fields.Add(
		workspaceRelation(workspaces),
		&core.TextField{Name: "code", Required: true, Max: 20, Pattern: `^[A-Za-z0-9_-]+$`, Presentable: true},
		&core.SelectField{Name: "document_type", Values: documentTypes, MaxSelect: 1, Required: true},
		&core.TextField{Name: "pattern", Required: true, Max: 100},
		&core.BoolField{Name: "yearly_reset"},
		&core.BoolField{Name: "default"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	series.AddIndex("idx_series_workspace_code", true, "workspace, code", "")
	series.ListRule = types.Pointer(ruleMember)
	series.ViewRule = types.Pointer(ruleMember)
	series.CreateRule = types.Pointer(ruleAdmin)
	series.UpdateRule = types.Pointer(ruleAdmin)
	series.DeleteRule = types.Pointer(ruleAdmin)
	if err := app.Save(series); err != nil {
		return err
	}

	// The counters behind the series are a plain table, not a collection,
	// so no API route can read or write them.
	if _, err := app.DB().NewQuery(`CREATE TABLE series_counters (
		series TEXT NOT NULL,
		year   INTEGER NOT NULL,
		last   INTEGER NOT NULL,
		PRIMARY KEY (series, year)
	) WITHOUT ROWID`).Execute(); err != nil {
		return err
	}

	invoices := core.NewBaseCollection("invoices")
	invoices.Fields.Add(
		workspaceRelation(workspaces),
		&core.RelationField{Name: "client", CollectionId: clients.Id, MaxSelect: 1},
		&core.SelectField{Name: "document_type", Values: documentTypes, MaxSelect: 1, Required: true},
		&core.RelationField{Name: "series", CollectionId: series.Id, MaxSelect: 1},
		&core.TextField{Name: "number", Max: 100, Presentable: true},
		&core.SelectField{Name: "status", Values: []string{"draft", "issued", "partially_paid", "paid", "cancelled"}, MaxSelect: 1},
		&core.SelectField{Name: "language", Values: languages, MaxSelect: 1},
		&core.TextField{Name: "issue_date", Max: 10},
		&core.TextField{Name: "due_date", Max: 10},
		&core.TextField{Name: "currency", Max: 3},
		&core.TextField{Name: "exchange_rate", Max: 30},
		&core.JSONField{Name: "lines", MaxSize: 2 << 20},
		&core.TextField{Name: "notes", Max: 5000},
		&core.TextField{Name: "buyer_reference", Max: 200},
		&core.TextField{Name: "order_reference", Max: 200},
		&core.JSONField{Name: "totals", MaxSize: 4096},
		&core.JSONField{Name: "vat_breakdown", MaxSize: 65536},
		&core.JSONField{Name: "seller", MaxSize: 65536},
		&core.JSONField{Name: "buyer", MaxSize: 65536},
		&core.DateField{Name: "issued_at"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	invoices.AddIndex("idx_invoices_workspace_number", true, "workspace, number", "number != ''")
	invoices.AddIndex("idx_invoices_workspace_status", false, "workspace, status", "")
	// the last issue date of a series, read when issuing to keep dates in order
	invoices.AddIndex("idx_invoices_series_issue_date", false, "series, issue_date", "number != ''")
	invoices.ListRule = types.Pointer(ruleMember)
	invoices.ViewRule = types.Pointer(ruleMember)
	invoices.CreateRule = types.Pointer(ruleWriter)
	invoices.UpdateRule = types.Pointer(ruleWriter)
	invoices.DeleteRule = types.Pointer(ruleWriter)
	if err := app.Save(invoices); err != nil {
		return err
	}
	// the self relation needs the collection's id, known only after the first save
	invoices.Fields.AddAt(16, &core.RelationField{Name: "credited_invoice", CollectionId: invoices.Id, MaxSelect: 1})
	invoices.AddIndex("idx_invoices_credited_invoice", false, "credited_invoice", "")
	if err := app.Save(invoices); err != nil {
		return err
	}

	payments := core.NewBaseCollection("payments")
	invoiceWriter := signedIn + ` && invoice.workspace.memberships_via_workspace.user ?= @request.auth.id && invoice.workspace.memberships_via_workspace.role ?!= "viewer"`
	payments.Fields.Add(
		&core.RelationField{Name: "workspace", CollectionId: workspaces.Id, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "invoice", CollectionId: invoices.Id, MaxSelect: 1, Required: true},
		&core.TextField{Name: "amount", Required: true, Max: 20},
		&core.TextField{Name: "date", Max: 10},
		&core.SelectField{Name: "method", Values: []string{"bank_transfer", "card", "cash", "cheque", "direct_debit", "online", "other"}, MaxSelect: 1},
		&core.TextField{Name: "reference", Max: 200},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	payments.AddIndex("idx_payments_invoice", false, "invoice", "")
	payments.ListRule = types.Pointer(ruleMember)
	payments.ViewRule = types.Pointer(ruleMember)
	payments.CreateRule = types.Pointer(invoiceWriter)
	payments.UpdateRule = nil // a recorded payment is corrected by deleting it and recording it again
	payments.DeleteRule = types.Pointer(ruleAdmin)
	return app.Save(payments)
}

func down(app core.App) error {
	if err := deleteCollections(app, "payments", "invoices", "series", "clients", "memberships", "workspaces"); err != nil {
		return err
	}
	if _, err := app.DB().NewQuery("DROP TABLE series_counters").Execute(); err != nil {
		return err
	}
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	users.Fields.RemoveByName("language")
	own := "id = @request.auth.id"
	users.ListRule, users.ViewRule = &own, &own
	return app.Save(users)
}
