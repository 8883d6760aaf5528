package scoring

import (
	"regexp"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/isocodes"
)

// Caps on the engagement counts: past them, more of the same says
// nothing new.
const (
	maxOpens    = 10
	maxReplies  = 5
	maxMeetings = 5
)

// Features are what is known of a contact that a score weighs.
type Features struct {
	// Country is the contact's (else their company's) ISO code; Home the
	// workspace's.
	Country, Home string
	// Employees is the company's size; 0 when unknown.
	Employees int
	// JobTitle is the contact's role.
	JobTitle string
	// ProposalOpens counts the opens of proposals of the contact's deals,
	// Replies the sequences they replied to, Meetings their meetings.
	ProposalOpens, Replies, Meetings int
}

// decisionRE matches a job title of someone who decides a purchase, in
// Kontor's languages.
var decisionRE = regexp.MustCompile(`(?i)\b(ceo|cto|cfo|coo|cmo|cio|chief|c-level|(co-?)?founder|owner|president|director|head of|vp|vice president|partner|managing|principal|` +
	`geschäftsführer|geschaftsfuhrer|inhaber|gründer|leiter|vorstand|` +
	`gerente|directora?|fundadora?|propietari[oa]|soci[oa]|jef[ea]|responsable|` +
	`directeur|directrice|dirigeante?|fondat(eur|rice)|gérante?|présidente?|` +
	`amministratore|titolare|fondat(ore|rice)|direttore|direttrice|responsabile)\b`)

// DecisionMaker says a job title names someone who decides.
func DecisionMaker(title string) bool {
	return decisionRE.MatchString(title)
}

// Vector is the features in the order of Signals.
func (f Features) Vector() []float64 {
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	country := strings.ToUpper(strings.TrimSpace(f.Country))
	home := country != "" && country == strings.ToUpper(strings.TrimSpace(f.Home))
	return []float64{
		b(home),
		b(!home && isocodes.IsEU(country)),
		b(f.Employees >= 1 && f.Employees <= 9),
		b(f.Employees >= 10 && f.Employees <= 250),
		b(f.Employees > 250),
		b(DecisionMaker(f.JobTitle)),
		float64(min(f.ProposalOpens, maxOpens)),
		float64(min(f.Replies, maxReplies)),
		float64(min(f.Meetings, maxMeetings)),
	}
}

// FeaturesOf reads a contact's features: its fit from the contact, its
// company and its workspace; its engagement from the opens of proposals
// of its deals, its replied enrolments and its meetings.
func FeaturesOf(app core.App, contact *core.Record) (Features, error) {
	f := Features{Country: contact.GetString("country"), JobTitle: contact.GetString("job_title")}
	if ws, err := app.FindRecordById("workspaces", contact.GetString("workspace")); err == nil {
		f.Home = ws.GetString("country")
	}
	if id := contact.GetString("company"); id != "" {
		if c, err := app.FindRecordById("companies", id); err == nil {
			f.Employees = c.GetInt("employees")
			if f.Country == "" {
				f.Country = c.GetString("country")
			}
		}
	}
	if contact.Id == "" {
		return f, nil
	}
	p := dbx.Params{"c": contact.Id}
	for _, q := range []struct {
		sql string
		out *int
	}{
		{`SELECT COUNT(*) FROM proposal_events pe JOIN proposals p ON p.id = pe.proposal JOIN deals d ON d.id = p.deal
			WHERE d.contact = {:c} AND pe.type = 'opened'`, &f.ProposalOpens},
		{`SELECT COUNT(*) FROM sequence_enrollments WHERE contact = {:c} AND status = 'replied'`, &f.Replies},
		{`SELECT COUNT(*) FROM activities WHERE contact = {:c} AND type = 'meeting'`, &f.Meetings},
	} {
		if err := app.DB().NewQuery(q.sql).Bind(p).Row(q.out); err != nil {
			return f, err
		}
	}
	return f, nil
}
