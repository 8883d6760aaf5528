package privacy

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// SchemaVersion is the version of the archive's layout, in README.json.
// Raise it when a file is renamed or its shape changes.
const SchemaVersion = 1

// secretFields are never exported: credentials and sealed secrets, which
// are not data about the person but keys to their account or links.
var secretFields = map[string]bool{
	"password": true, "tokenKey": true, "public_token": true, "public_token_hash": true,
	"token_hash": true, "sealed_settings": true, "export": true,
}

// batchSize is how many records are read at a time, so that the memory
// an archive takes does not grow with the account.
const batchSize = 200

// manifestFile describes one file of the archive in README.json.
type manifestFile struct {
	Path     string `json:"path"`
	Category string `json:"category"`
	Records  int    `json:"records,omitempty"`
	Format   string `json:"format"`
}

// manifest is README.json.
type manifest struct {
	SchemaVersion int            `json:"schema_version"`
	GeneratedAt   string         `json:"generated_at"`
	User          string         `json:"user"`
	Workspaces    []string       `json:"workspaces"`
	Categories    []string       `json:"categories"`
	Files         []manifestFile `json:"files"`
	Missing       []string       `json:"missing,omitempty"`
	Notes         []string       `json:"notes"`
}

// archive writes the export of one user into a ZIP, record by record.
type archive struct {
	app      core.App
	zw       *zip.Writer
	fs       *filesystem.System
	einvoice EInvoiceFunc
	ctx      context.Context
	man      manifest
}

// category is one kind of data of the archive: the records of a
// collection that match where.
type category struct {
	name       string
	collection string
	where      dbx.Expression
	single     bool // one object rather than a list (the account)
	// folder is where the files of a record go; empty is
	// files/<category>/<record id>
	folder func(r *core.Record) string
}

// writeArchive writes the archive of everything about the user into w:
// their account, memberships, consents, touchpoints, objections, requests
// and the access-log entries about them, and, for each workspace they own,
// the workspace with its clients, invoices (with their PDFs and
// e-invoices), proposals and audit trails, payments, VAT checks and
// recurring invoices. It returns the workspaces exported.
func writeArchive(ctx context.Context, app core.App, w io.Writer, userID string, now time.Time, einvoice EInvoiceFunc) (manifest, error) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return manifest{}, err
	}
	defer fsys.Close()
	a := &archive{app: app, zw: zip.NewWriter(w), fs: fsys, einvoice: einvoice, ctx: ctx,
		man: manifest{SchemaVersion: SchemaVersion, GeneratedAt: now.UTC().Format(time.RFC3339), User: userID, Workspaces: []string{}}}

	var owned []string
	if err := app.DB().NewQuery("SELECT workspace FROM memberships WHERE user = {:u} AND role = 'owner' ORDER BY workspace").
		Bind(dbx.Params{"u": userID}).Column(&owned); err != nil {
		return a.man, err
	}
	a.man.Workspaces = append(a.man.Workspaces, owned...)
	ownedIDs := "SELECT [[workspace]] FROM {{memberships}} WHERE [[user]] = {:owner} AND [[role]] = 'owner'"
	params := dbx.Params{"owner": userID}
	inOwned := func(field string) dbx.Expression {
		return dbx.NewExp("[["+field+"]] IN ("+ownedIDs+")", params)
	}
	ofOwnedInvoices := dbx.NewExp("[[invoice]] IN (SELECT [[id]] FROM {{invoices}} WHERE [[workspace]] IN ("+ownedIDs+"))", params)
	me := dbx.HashExp{"user": userID}
	categories := []category{
		{name: "account", collection: "users", where: dbx.HashExp{"id": userID}, single: true},
		{name: "memberships", collection: "memberships", where: me},
		{name: "consents", collection: "consents", where: me},
		{name: "touchpoints", collection: "touchpoints", where: me},
		{name: "attribution_objections", collection: "attribution_objections", where: me},
		{name: "privacy_requests", collection: Requests, where: me},
		{name: "access_log", collection: AccessLog, where: dbx.Or(dbx.HashExp{"subject_user": userID}, dbx.HashExp{"actor": userID})},
		{name: "assistant_conversations", collection: "assistant_conversations", where: me},
		{name: "assistant_messages", collection: "assistant_messages",
			where: dbx.NewExp("[[conversation]] IN (SELECT [[id]] FROM {{assistant_conversations}} WHERE [[user]] = {:me})", dbx.Params{"me": userID})},
		{name: "workspaces", collection: "workspaces", where: inOwned("id")},
		{name: "clients", collection: "clients", where: inOwned("workspace")},
		{name: "invoices", collection: "invoices", where: inOwned("workspace")},
		{name: "invoice_pdfs", collection: "invoice_pdfs", where: inOwned("workspace"),
			folder: func(r *core.Record) string { return path.Join("files", "invoices", r.GetString("invoice")) }},
		{name: "payments", collection: "payments", where: ofOwnedInvoices},
		{name: "proposals", collection: "proposals", where: inOwned("workspace")},
		{name: "proposal_versions", collection: "proposal_versions", where: inOwned("workspace")},
		{name: "proposal_events", collection: "proposal_events", where: inOwned("workspace")},
		{name: "vat_checks", collection: "vat_checks", where: inOwned("workspace")},
		{name: "recurring_invoices", collection: "recurring_invoices", where: inOwned("workspace")},
	}
	for _, c := range categories {
		if err := ctx.Err(); err != nil {
			return a.man, err
		}
		if err := a.category(c); err != nil {
			return a.man, fmt.Errorf("%s: %w", c.name, err)
		}
	}
	a.man.Notes = []string{
		"Each list is a JSON file and, for tabular data, a CSV file with the same records.",
		"files/ holds the files of the records: invoice PDFs, e-invoices, signed proposals, signatures, logos.",
		"Passwords, session keys and the secret links of invoices and proposals are not exported.",
	}
	raw, err := json.MarshalIndent(a.man, "", "  ")
	if err != nil {
		return a.man, err
	}
	f, err := a.zw.Create("README.json")
	if err != nil {
		return a.man, err
	}
	if _, err := f.Write(raw); err != nil {
		return a.man, err
	}
	return a.man, a.zw.Close()
}

// category writes the JSON (and CSV) of a category and the files of its
// records. A collection that does not exist in this installation is left
// out and named in README.json.
func (a *archive) category(c category) error {
	col, err := a.app.FindCachedCollectionByNameOrId(c.collection)
	if err != nil {
		a.man.Missing = append(a.man.Missing, c.name+": no such collection")
		return nil
	}
	a.man.Categories = append(a.man.Categories, c.name)
	var fields []string
	for _, f := range col.Fields {
		if secretFields[f.GetName()] || f.Type() == core.FieldTypePassword {
			continue
		}
		fields = append(fields, f.GetName())
	}

	jsonPath := c.name + ".json"
	jw, err := a.zw.Create(jsonPath)
	if err != nil {
		return err
	}
	count := 0
	if !c.single {
		if _, err := io.WriteString(jw, "[\n"); err != nil {
			return err
		}
	}
	err = a.each(col, c.where, func(r *core.Record) error {
		obj := make(map[string]any, len(fields))
		for _, name := range fields {
			obj[name] = r.Get(name)
		}
		raw, err := json.Marshal(obj)
		if err != nil {
			return err
		}
		if count > 0 {
			if _, err := io.WriteString(jw, ",\n"); err != nil {
				return err
			}
		}
		count++
		_, err = jw.Write(raw)
		return err
	})
	if err != nil {
		return err
	}
	if !c.single {
		if _, err := io.WriteString(jw, "\n]\n"); err != nil {
			return err
		}
	} else if count == 0 {
		if _, err := io.WriteString(jw, "null\n"); err != nil {
			return err
		}
	}
	a.man.Files = append(a.man.Files, manifestFile{Path: jsonPath, Category: c.name, Records: count, Format: "json"})

	if !c.single {
		if err := a.csv(col, c, fields, count); err != nil {
			return err
		}
	}
	return a.files(col, c)
}

// each calls fn for every record of the collection matching where, in
// batches.
func (a *archive) each(col *core.Collection, where dbx.Expression, fn func(r *core.Record) error) error {
	for offset := 0; ; offset += batchSize {
		var batch []*core.Record
		if err := a.app.RecordQuery(col).AndWhere(where).OrderBy("rowid").
			Limit(batchSize).Offset(int64(offset)).All(&batch); err != nil {
			return err
		}
		for _, r := range batch {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(batch) < batchSize {
			return nil
		}
	}
}

// csv writes the category's records as CSV, one column per field; lists
// and objects are written as JSON.
func (a *archive) csv(col *core.Collection, c category, fields []string, count int) error {
	csvPath := c.name + ".csv"
	f, err := a.zw.Create(csvPath)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.Write(fields); err != nil {
		return err
	}
	row := make([]string, len(fields))
	err = a.each(col, c.where, func(r *core.Record) error {
		for i, name := range fields {
			row[i] = cell(r.Get(name))
		}
		return w.Write(row)
	})
	if err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	a.man.Files = append(a.man.Files, manifestFile{Path: csvPath, Category: c.name, Records: count, Format: "csv"})
	return nil
}

// cell is a field value as a CSV cell.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case fmt.Stringer:
		return x.String()
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

// files copies the stored files of the category's records under
// files/<category>/<record id>/, and for invoices their e-invoice in the
// format their client prefers.
func (a *archive) files(col *core.Collection, c category) error {
	var fileFields []string
	for _, f := range col.Fields {
		if f.Type() == core.FieldTypeFile && !secretFields[f.GetName()] {
			fileFields = append(fileFields, f.GetName())
		}
	}
	withEInvoice := c.collection == "invoices" && a.einvoice != nil
	if len(fileFields) == 0 && !withEInvoice {
		return nil
	}
	return a.each(col, c.where, func(r *core.Record) error {
		dir := path.Join("files", c.name, r.Id)
		if c.folder != nil {
			dir = c.folder(r)
		}
		for _, field := range fileFields {
			for _, name := range r.GetStringSlice(field) {
				if err := a.copyFile(r.BaseFilesPath()+"/"+name, path.Join(dir, name), c.name); err != nil {
					a.man.Missing = append(a.man.Missing, path.Join(dir, name)+": "+err.Error())
				}
			}
		}
		if withEInvoice && r.GetString("status") != "draft" {
			a.addEInvoice(r, dir, c.name)
		}
		return nil
	})
}

// copyFile streams a stored file into the archive.
func (a *archive) copyFile(key, to, category string) error {
	rd, err := a.fs.GetReader(key)
	if err != nil {
		return err
	}
	defer rd.Close()
	w, err := a.zw.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, rd); err != nil {
		return err
	}
	a.man.Files = append(a.man.Files, manifestFile{Path: to, Category: category, Format: path.Ext(to)})
	return nil
}

// addEInvoice adds the e-invoice of an issued invoice whose client has a
// preferred format; one that cannot be made is named in README.json.
func (a *archive) addEInvoice(invoice *core.Record, dir, category string) {
	client, err := a.app.FindRecordById("clients", invoice.GetString("client"))
	if err != nil || client.GetString("preferred_format") == "" {
		return
	}
	name, content, err := a.einvoice(a.ctx, a.app, invoice, client.GetString("preferred_format"))
	if err != nil {
		a.man.Missing = append(a.man.Missing, "e-invoice of "+invoice.GetString("number")+": "+err.Error())
		return
	}
	to := path.Join(dir, "einvoice-"+path.Base(name))
	w, err := a.zw.Create(to)
	if err == nil {
		_, err = w.Write(content)
	}
	if err != nil {
		a.man.Missing = append(a.man.Missing, "e-invoice of "+invoice.GetString("number")+": "+err.Error())
		return
	}
	a.man.Files = append(a.man.Files, manifestFile{Path: to, Category: category, Format: path.Ext(to)})
}
