package assistant

import (
	"encoding/json"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// init adds the tool search_contacts.
func init() {
	addTool(tool{
		def: toolDef("search_contacts",
			"Search this workspace's contacts (people in the sales pipeline) and clients (companies or people invoiced) by name or email. Returns their ids, names, emails and status.",
			`{"type":"object","properties":{
				"query":{"type":"string","description":"Words of the name or email to look for."},
				"limit":{"type":"integer","description":"At most this many of each kind (default 10, at most 25)."}},
			"required":["query"]}`),
		collection: "contacts",
		run:        searchContacts,
	})
}

type searchArgs struct {
	Query string `json:"query"`
	Limit int    `json:"limit"`
}

// searchHit is a contact or client found.
type searchHit struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Company string `json:"company,omitempty"`
	Status  string `json:"status,omitempty"`
	Country string `json:"country,omitempty"`
}

// searchContacts is the tool search_contacts: the workspace's contacts
// (people in the pipeline) and clients (who is invoiced) whose name or
// email holds every word of the query.
func searchContacts(tc *toolContext, raw json.RawMessage) (toolOutput, error) {
	var args searchArgs
	if err := decodeArgs(raw, &args); err != nil {
		return toolOutput{}, err
	}
	words := strings.Fields(args.Query)
	if len(words) == 0 || len(words) > 10 || len(args.Query) > 200 {
		return toolOutput{}, toolError("Give a query of one to ten words.")
	}
	limit := clampLimit(args.Limit, 10, 25)
	var out toolOutput
	hits := []searchHit{}

	var contacts []*core.Record
	if err := tc.e.App.RecordQuery("contacts").AndWhere(dbx.HashExp{"workspace": tc.workspace}).
		AndWhere(matchWords(words, "first_name", "last_name", "email")).
		OrderBy("last_name", "first_name", "id").Limit(int64(limit)).All(&contacts); err != nil {
		return out, err
	}
	for _, c := range contacts {
		hit := searchHit{Kind: "contact", ID: c.Id, Name: contactName(c), Email: c.GetString("email"),
			Company: tc.nameOf("companies", c.GetString("company")), Status: c.GetString("status")}
		hits = append(hits, hit)
		out.touched("contacts", c.Id)
		out.cards = append(out.cards, Card{Collection: "contacts", ID: c.Id, Title: hit.Name, Subtitle: joinNonEmpty(hit.Company, hit.Email), Link: "#/contacts/" + c.Id})
	}

	var clients []*core.Record
	if err := tc.e.App.RecordQuery("clients").AndWhere(dbx.HashExp{"workspace": tc.workspace}).
		AndWhere(matchWords(words, "name", "email")).
		OrderBy("name", "id").Limit(int64(limit)).All(&clients); err != nil {
		return out, err
	}
	for _, c := range clients {
		hit := searchHit{Kind: "client", ID: c.Id, Name: c.GetString("name"), Email: c.GetString("email"), Country: c.GetString("country")}
		hits = append(hits, hit)
		out.touched("clients", c.Id)
		out.cards = append(out.cards, Card{Collection: "clients", ID: c.Id, Title: hit.Name, Subtitle: hit.Email, Link: "#/clients/" + c.Id})
	}
	out.result = map[string]any{"results": hits}
	return out, nil
}

// matchWords is true when every word is in one of the columns.
func matchWords(words []string, columns ...string) dbx.Expression {
	all := make([]dbx.Expression, 0, len(words))
	for _, w := range words {
		either := make([]dbx.Expression, 0, len(columns))
		for _, c := range columns {
			either = append(either, dbx.Like(c, w))
		}
		all = append(all, dbx.Or(either...))
	}
	return dbx.And(all...)
}

// joinNonEmpty joins the parts that are not empty with " · ".
func joinNonEmpty(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " · ")
}
