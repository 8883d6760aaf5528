package crm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// previewRows is how many mapped rows an import shows.
const previewRows = 20

// importFields are, per entity, the fields a CSV column may be mapped to.
// company_name names a contact's company, found by name in the workspace
// or created.
var importFields = map[string][]string{
	"contacts": {"first_name", "last_name", "email", "phone", "job_title", "status", "source", "country", "timezone",
		"language", "notes", "company_name"},
	"companies": {"name", "domain", "website", "country", "industry", "employees", "vat_id", "address_line", "city",
		"postal_code", "notes"},
}

// languages are the languages a contact may speak, as in the schema.
var languages = []string{"en", "es", "de", "fr", "it"}

// rowError is one problem of one row of an import.
type rowError struct {
	// Row is the line of the file the row starts on; the header is line 1.
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// importResult is the answer of an import.
type importResult struct {
	Entity           string              `json:"entity"`
	DryRun           bool                `json:"dry_run"`
	Rows             int                 `json:"rows"`
	Valid            int                 `json:"valid"`
	Created          int                 `json:"created"`
	CompaniesCreated int                 `json:"companies_created"`
	Errors           []rowError          `json:"errors"`
	Preview          []map[string]string `json:"preview"`
}

// errRollback undoes an import's transaction: a dry run, or a run with
// errors.
var errRollback = errors.New("import rolled back")

// importRoute is POST /api/kontor/crm/import: contacts or companies from a
// CSV file with a column mapping. Every row is checked by the same rules as
// the record API, in one transaction; a dry run, or any row with a
// problem, rolls it all back, so nothing is written unless every row is
// good.
func (c *crm) importRoute(e *core.RequestEvent) error {
	if e.Auth == nil || e.Auth.Collection().Name != "users" {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, c.cfg.MaxImportBytes+1<<20)
	if err := e.Request.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apis.NewBadRequestError(fmt.Sprintf("The file is larger than %s; split it into smaller files.", sizeName(c.cfg.MaxImportBytes)), nil)
		}
		return apis.NewBadRequestError("Send the import as multipart/form-data with workspace, entity, file, mapping and dry_run.", nil)
	}
	ws := e.Request.FormValue("workspace")
	if ws == "" {
		return fielderr.New("workspace", "Choose the workspace to import into.")
	}
	if err := access.Require(e, ws, access.Member); err != nil {
		return err
	}
	entity := e.Request.FormValue("entity")
	fields, ok := importFields[entity]
	if !ok {
		return fielderr.New("entity", "Import contacts or companies.")
	}
	dryRun, err := parseDryRun(e.Request.FormValue("dry_run"))
	if err != nil {
		return fielderr.New("dry_run", "dry_run is true or false.")
	}
	file, header, err := e.Request.FormFile("file")
	if err != nil {
		return fielderr.New("file", "Attach the CSV file.")
	}
	defer file.Close()
	if header.Size > c.cfg.MaxImportBytes {
		return fielderr.New("file", fmt.Sprintf("The file is larger than %s; split it into smaller files.", sizeName(c.cfg.MaxImportBytes)))
	}
	data, err := io.ReadAll(io.LimitReader(file, c.cfg.MaxImportBytes+1))
	if err != nil {
		return err
	}
	if int64(len(data)) > c.cfg.MaxImportBytes {
		return fielderr.New("file", fmt.Sprintf("The file is larger than %s; split it into smaller files.", sizeName(c.cfg.MaxImportBytes)))
	}
	table, err := readCSV(data, c.cfg.MaxImportRows)
	if errors.Is(err, errTooManyRows) {
		return fielderr.New("file", fmt.Sprintf("The file has more than %d rows; split it into smaller files.", c.cfg.MaxImportRows))
	}
	if err != nil {
		return fielderr.New("file", "The file cannot be read: "+err.Error()+".")
	}
	mapping, err := parseMapping(e.Request.FormValue("mapping"), table.Header, fields)
	if err != nil {
		return fielderr.New("mapping", err.Error())
	}

	result := &importResult{Entity: entity, DryRun: dryRun, Rows: len(table.Rows), Errors: []rowError{}, Preview: []map[string]string{}}
	err = e.App.RunInTransaction(func(tx core.App) error {
		imp := &importer{app: tx, workspace: ws, entity: entity, header: table.Header, mapping: mapping, companies: map[string]string{}, result: result}
		for i, row := range table.Rows {
			imp.row(table.Lines[i], row, i < previewRows)
		}
		if dryRun || len(result.Errors) > 0 {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return err
	}
	sort.SliceStable(result.Errors, func(i, j int) bool { return result.Errors[i].Row < result.Errors[j].Row })
	if dryRun || len(result.Errors) > 0 {
		result.Created, result.CompaniesCreated = 0, 0
	}
	if !dryRun && len(result.Errors) > 0 {
		bad := map[int]bool{}
		for _, re := range result.Errors {
			bad[re.Row] = true
		}
		return e.JSON(http.StatusBadRequest, struct {
			Status  int            `json:"status"`
			Message string         `json:"message"`
			Data    map[string]any `json:"data"`
			*importResult
		}{http.StatusBadRequest, fmt.Sprintf("%d of %d rows have problems; nothing was imported.", len(bad), len(table.Rows)),
			map[string]any{}, result})
	}
	return e.JSON(http.StatusOK, result)
}

// importer turns the rows of one import into records.
type importer struct {
	app       core.App
	workspace string
	entity    string
	header    []string
	// mapping maps a CSV column's index to a field
	mapping map[int]string
	// companies are the ids of the companies found or created, by lower
	// case name
	companies map[string]string
	result    *importResult
}

// row checks one row and saves it; its problems go to the result.
func (imp *importer) row(line int, cells []string, preview bool) {
	collection, err := imp.app.FindCachedCollectionByNameOrId(imp.entity)
	if err != nil {
		imp.fail(line, "", err.Error())
		return
	}
	r := core.NewRecord(collection)
	r.Set("workspace", imp.workspace)
	errs := fielderr.Errors{}
	companyName := ""
	for col, field := range imp.mapping {
		v := strings.TrimSpace(cells[col])
		switch field {
		case "company_name":
			companyName = v
		case "employees":
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(strings.NewReplacer(" ", "", ",", "", ".", "").Replace(v))
			if err != nil || n < 0 {
				errs.Add(field, "Write the number of employees as a whole number, like 25.")
				continue
			}
			r.Set(field, n)
		case "status":
			v = strings.ToLower(v)
			if v != "" && !slices.Contains([]string{StatusLead, StatusQualified, StatusCustomer, StatusDisqualified}, v) {
				errs.Add(field, "The status is lead, qualified, customer or disqualified.")
				continue
			}
			r.Set(field, v)
		case "language":
			v = strings.ToLower(v)
			if v != "" && !slices.Contains(languages, v) {
				errs.Add(field, "The language is one of "+strings.Join(languages, ", ")+".")
				continue
			}
			r.Set(field, v)
		default:
			r.Set(field, v)
		}
	}
	if companyName != "" {
		if id, err := imp.company(companyName); err != nil {
			errs.Add("company_name", firstMessage(err))
		} else {
			r.Set("company", id)
		}
	}
	var more fielderr.Errors
	if imp.entity == "contacts" {
		more = prepareContact(imp.app, r)
	} else {
		more = prepareCompany(imp.app, r)
	}
	for f, m := range more {
		if s, ok := m.(string); ok {
			errs.Add(f, s)
		}
	}
	if preview {
		p := map[string]string{}
		for _, field := range imp.mapping {
			if field == "company_name" {
				p[field] = companyName
			} else {
				p[field] = r.GetString(field)
			}
		}
		imp.result.Preview = append(imp.result.Preview, p)
	}
	if len(errs) == 0 {
		if err := imp.app.Save(r); err != nil {
			for f, m := range fieldMessages(err) {
				errs.Add(f, m)
			}
		}
	}
	if len(errs) > 0 {
		for _, f := range sortedKeys(errs) {
			if s, ok := errs[f].(string); ok {
				imp.fail(line, f, s)
			}
		}
		return
	}
	imp.result.Valid++
	imp.result.Created++
}

// company returns the id of the workspace's company of that name (the
// case does not matter), creating it when there is none.
func (imp *importer) company(name string) (string, error) {
	key := strings.ToLower(name)
	if id, ok := imp.companies[key]; ok {
		return id, nil
	}
	var id string
	_ = imp.app.DB().NewQuery("SELECT id FROM companies WHERE workspace = {:w} AND lower(name) = {:n} ORDER BY created LIMIT 1").
		Bind(map[string]any{"w": imp.workspace, "n": key}).Row(&id)
	if id == "" {
		collection, err := imp.app.FindCachedCollectionByNameOrId("companies")
		if err != nil {
			return "", err
		}
		c := core.NewRecord(collection)
		c.Set("workspace", imp.workspace)
		c.Set("name", name)
		if err := imp.app.Save(c); err != nil {
			return "", err
		}
		id = c.Id
		imp.result.CompaniesCreated++
	}
	imp.companies[key] = id
	return id, nil
}

// fail records a problem of the row at line with a field; the column is
// the CSV column mapped to it.
func (imp *importer) fail(line int, field, message string) {
	column := ""
	for col, f := range imp.mapping {
		if f == field || (field == "company" && f == "company_name") {
			column = imp.header[col]
		}
	}
	imp.result.Errors = append(imp.result.Errors, rowError{Row: line, Column: column, Field: field, Message: message})
}

// parseDryRun reads the dry_run form value; empty is false.
func parseDryRun(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	return strconv.ParseBool(v)
}

// parseMapping reads the mapping {"CSV column": "field"} and returns the
// field of each mapped column index. A column mapped to "" is skipped; no
// mapping maps the columns named like a field. Each field is mapped once.
func parseMapping(raw string, header, fields []string) (map[int]string, error) {
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(h)] = i
	}
	mapping := map[string]string{}
	if strings.TrimSpace(raw) == "" {
		for _, h := range header {
			f := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(h), " ", "_"))
			if slices.Contains(fields, f) {
				mapping[h] = f
			}
		}
	} else if err := json.Unmarshal([]byte(raw), &mapping); err != nil {
		return nil, errors.New(`The mapping is a JSON object from CSV column to field, like {"E-mail": "email"}.`)
	}
	out := map[int]string{}
	used := map[string]string{}
	for column, field := range mapping {
		if field == "" {
			continue
		}
		i, ok := index[strings.ToLower(strings.TrimSpace(column))]
		if !ok {
			return nil, fmt.Errorf("The file has no column %q.", column)
		}
		if !slices.Contains(fields, field) {
			return nil, fmt.Errorf("%q is not a field that can be imported; use one of %s.", field, strings.Join(fields, ", "))
		}
		if other, ok := used[field]; ok {
			return nil, fmt.Errorf("The columns %q and %q are both mapped to %s.", other, column, field)
		}
		used[field] = column
		out[i] = field
	}
	if len(out) == 0 {
		return nil, errors.New("Map at least one column of the file to a field.")
	}
	return out, nil
}

// fieldMessages are the messages of a save's error, by field; "" for an
// error that names no field.
func fieldMessages(err error) map[string]string {
	out := map[string]string{}
	var verrs validation.Errors
	var apiErr *router.ApiError
	switch {
	case errors.As(err, &verrs):
	case errors.As(err, &apiErr):
		v, ok := apiErr.RawData().(validation.Errors)
		if !ok {
			out[""] = apiErr.Message
			return out
		}
		verrs = v
	default:
		out[""] = err.Error()
		return out
	}
	for f, e := range verrs {
		out[f] = e.Error()
	}
	return out
}

// firstMessage is the message of a save's error for its first field.
func firstMessage(err error) string {
	msgs := fieldMessages(err)
	keys := make([]string, 0, len(msgs))
	for k := range msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return msgs[keys[0]]
}

func sortedKeys(errs fielderr.Errors) []string {
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sizeName writes a byte count as people read it, like 5 MB.
func sizeName(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
