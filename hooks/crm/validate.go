package crm

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // contacts' time zones are checked on any machine

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/isocodes"
)

// The contact statuses: a lead is a contact not yet qualified; a customer
// was converted into a client.
const (
	StatusLead         = "lead"
	StatusQualified    = "qualified"
	StatusCustomer     = "customer"
	StatusDisqualified = "disqualified"
)

// DefaultTimezone is a contact's time zone when neither it nor its
// workspace names one.
const DefaultTimezone = "Europe/Brussels"

var (
	domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)
	vatIDPattern  = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z+*]{2,13}$`)
	vatIDJunk     = strings.NewReplacer(" ", "", ".", "", "-", "", "/", "")
)

// saveContact checks a contact on every save, from any route.
func saveContact(e *core.RecordEvent) error {
	if err := prepareContact(e.App, e.Record).Err(); err != nil {
		return err
	}
	return e.Next()
}

// saveCompany checks a company on every save, from any route.
func saveCompany(e *core.RecordEvent) error {
	if err := prepareCompany(e.App, e.Record).Err(); err != nil {
		return err
	}
	return e.Next()
}

// prepareContact normalises a contact, fills its defaults and returns what
// is wrong with it: a name, the email's format and uniqueness in the
// workspace, an E.164 phone, the country, the time zone, and that its
// company and owner belong to its workspace.
func prepareContact(app core.App, r *core.Record) fielderr.Errors {
	errs := fielderr.Errors{}
	ws := r.GetString("workspace")
	for _, f := range []string{"first_name", "last_name", "job_title", "source", "timezone"} {
		r.Set(f, strings.TrimSpace(r.GetString(f)))
	}
	if r.GetString("first_name") == "" && r.GetString("last_name") == "" {
		errs.Add("last_name", "Give the contact a first or a last name.")
	}
	if r.GetString("status") == "" {
		r.Set("status", StatusLead)
	}
	if msg := checkEmail(r); msg != "" {
		errs.Add("email", msg)
	} else if email := r.GetString("email"); email != "" && ws != "" {
		var other string
		_ = app.DB().NewQuery("SELECT id FROM contacts WHERE workspace = {:w} AND lower(email) = {:e} AND id != {:id} LIMIT 1").
			Bind(dbx.Params{"w": ws, "e": email, "id": r.Id}).Row(&other)
		if other != "" {
			errs.Add("email", "Another contact of the workspace has the email "+email+".")
		}
	}
	if p := strings.TrimSpace(r.GetString("phone")); p != "" {
		if n := conversions.NormalizePhone(p); n != "" {
			r.Set("phone", n)
		} else {
			errs.Add("phone", "Write the phone number in international form, with + and the country code, like +34 600 111 222.")
		}
	}
	checkCountry(r, errs)
	if tz := r.GetString("timezone"); tz != "" {
		if loc, err := time.LoadLocation(tz); err != nil || tz == "Local" || tz != loc.String() {
			errs.Add("timezone", "Use an IANA time zone name, like Europe/Madrid or America/New_York.")
		}
	}
	checkRef(app, r, "company", "companies", "This company does not exist in the workspace.", errs)
	checkOwner(app, r, errs)
	return errs
}

// prepareCompany normalises a company and returns what is wrong with it:
// a name, the domain, website, country and VAT number, and that its owner
// is a member of its workspace.
func prepareCompany(app core.App, r *core.Record) fielderr.Errors {
	errs := fielderr.Errors{}
	for _, f := range []string{"name", "industry", "address_line", "city", "postal_code"} {
		r.Set(f, strings.TrimSpace(r.GetString(f)))
	}
	if r.GetString("name") == "" {
		errs.Add("name", "Give the company a name.")
	}
	if d := strings.TrimSpace(r.GetString("domain")); d != "" {
		d = strings.ToLower(d)
		if strings.Contains(d, "://") {
			if u, err := url.Parse(d); err == nil {
				d = u.Hostname()
			}
		}
		d = strings.TrimPrefix(strings.TrimSuffix(d, "/"), "www.")
		r.Set("domain", d)
		if !domainPattern.MatchString(d) {
			errs.Add("domain", "Write the domain as a host name, like acme.com.")
		}
	}
	if w := strings.TrimSpace(r.GetString("website")); w != "" {
		if !strings.Contains(w, "://") {
			w = "https://" + w
		}
		r.Set("website", w)
		if u, err := url.Parse(w); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Add("website", "Write the website as a web address, like https://acme.com.")
		}
	}
	checkCountry(r, errs)
	if v := strings.ToUpper(vatIDJunk.Replace(r.GetString("vat_id"))); v != "" {
		r.Set("vat_id", v)
		if !vatIDPattern.MatchString(v) {
			errs.Add("vat_id", "A VAT number starts with its country prefix, like DE123456789 or ESB12345678.")
		}
	}
	if r.GetInt("employees") < 0 {
		errs.Add("employees", "The number of employees cannot be negative.")
	}
	checkOwner(app, r, errs)
	return errs
}

// checkEmail normalises the email of r to lower case and returns what is
// wrong with it; "" when it is empty or an address.
func checkEmail(r *core.Record) string {
	email := strings.ToLower(strings.TrimSpace(r.GetString("email")))
	r.Set("email", email)
	if email == "" {
		return ""
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return "Write the email as an address, like ana@acme.com."
	}
	return ""
}

// checkCountry normalises the country of r to upper case and checks it is
// an ISO 3166-1 code.
func checkCountry(r *core.Record, errs fielderr.Errors) {
	c := strings.ToUpper(strings.TrimSpace(r.GetString("country")))
	r.Set("country", c)
	if c != "" && !isocodes.IsCountry(c) {
		errs.Add("country", "Use the two-letter ISO 3166-1 country code, like DE, ES or FR.")
	}
}

// checkRef checks that the record the field names, if any, is in the same
// workspace as r.
func checkRef(app core.App, r *core.Record, field, collection, message string, errs fielderr.Errors) {
	if id := r.GetString(field); id != "" && inWorkspace(app, collection, id, r.GetString("workspace")) == nil {
		errs.Add(field, message)
	}
}

// checkOwner checks that the owner of r, if any, is a member of its
// workspace.
func checkOwner(app core.App, r *core.Record, errs fielderr.Errors) {
	id := r.GetString("owner")
	if id == "" {
		return
	}
	var n int
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM memberships WHERE workspace = {:w} AND user = {:u}").
		Bind(dbx.Params{"w": r.GetString("workspace"), "u": id}).Row(&n)
	if n == 0 {
		errs.Add("owner", "The owner must be a member of the workspace.")
	}
}

// inWorkspace returns the record of the collection with the id when it
// belongs to the workspace, otherwise nil.
func inWorkspace(app core.App, collection, id, workspace string) *core.Record {
	r, err := app.FindRecordById(collection, id)
	if err != nil || r.GetString("workspace") != workspace {
		return nil
	}
	return r
}
