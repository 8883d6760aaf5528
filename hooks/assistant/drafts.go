package assistant

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// init adds the drafting tools draft_proposal and draft_followup_email.
func init() {
	addTool(tool{
		def: toolDef("draft_proposal",
			"Draft a proposal (a quote) in this workspace, for a client and optionally a deal. It is saved as a draft for the user to review and send; it is never sent by this tool.",
			`{"type":"object","properties":{
				"title":{"type":"string","description":"The proposal's title."},
				"client_id":{"type":"string","description":"The client's id (search_contacts finds it)."},
				"deal_id":{"type":"string","description":"The deal's id, when the proposal is for a deal."},
				"intro":{"type":"string","description":"An introduction for the buyer."},
				"lines":{"type":"array","description":"What is offered.","items":{"type":"object","properties":{
					"description":{"type":"string"},
					"quantity":{"type":"string","description":"A decimal number, e.g. \"1\" or \"2.5\"."},
					"unit_price":{"type":"string","description":"The net price of one unit, a decimal number, e.g. \"950.00\"."},
					"vat_rate":{"type":"string","description":"The VAT rate in percent, e.g. \"19\"."},
					"vat_category":{"type":"string","description":"The EN 16931 VAT category code: S (standard), Z, E, AE (reverse charge), K, G, O."}},
				"required":["description","quantity","unit_price"]}}},
			"required":["title","lines"]}`),
		collection: "proposals",
		drafts:     true,
		run:        draftProposal,
	})
	addTool(tool{
		def: toolDef("draft_followup_email",
			"Draft a follow-up email to a contact, or about a deal, of this workspace. It is saved as a draft for the user to review; it is never sent by this tool.",
			`{"type":"object","properties":{
				"contact_id":{"type":"string","description":"The contact's id."},
				"deal_id":{"type":"string","description":"The deal's id."},
				"subject":{"type":"string"},
				"body":{"type":"string","description":"The email's text."}},
			"required":["subject","body"]}`),
		collection: EmailDrafts,
		drafts:     true,
		run:        draftFollowUpEmail,
	})
}

// proposalLine is a line the model proposes.
type proposalLine struct {
	Description string      `json:"description"`
	Quantity    json.Number `json:"quantity"`
	UnitPrice   json.Number `json:"unit_price"`
	VATRate     json.Number `json:"vat_rate"`
	VATCategory string      `json:"vat_category"`
}

// maxDraftLines is how many lines a drafted proposal may have.
const maxDraftLines = 50

// draftProposal is the tool draft_proposal. The proposal goes through the
// proposals collection's create request, as if the user had created it:
// its hooks fill the defaults, check the client and lines, compute the
// totals, set the creator and start its audit trail. Its status is draft.
func draftProposal(tc *toolContext, raw json.RawMessage) (toolOutput, error) {
	var args struct {
		Title    string         `json:"title"`
		ClientID string         `json:"client_id"`
		DealID   string         `json:"deal_id"`
		Intro    string         `json:"intro"`
		Lines    []proposalLine `json:"lines"`
	}
	if err := decodeArgs(raw, &args); err != nil {
		return toolOutput{}, err
	}
	args.Title = strings.TrimSpace(args.Title)
	switch {
	case args.Title == "":
		return toolOutput{}, toolError("Give the proposal a title.")
	case len(args.Lines) == 0 || len(args.Lines) > maxDraftLines:
		return toolOutput{}, toolError(fmt.Sprintf("Give the proposal one to %d lines.", maxDraftLines))
	}
	var out toolOutput
	col, err := tc.e.App.FindCachedCollectionByNameOrId("proposals")
	if err != nil {
		return out, err
	}
	r := core.NewRecord(col)
	r.Set("workspace", tc.workspace)
	r.Set("title", clip(args.Title, 300))
	r.Set("intro", args.Intro)
	r.Set("status", "draft")
	if args.ClientID != "" {
		client, err := tc.find("clients", "client", args.ClientID)
		if err != nil {
			return out, err
		}
		r.Set("client", client.Id)
	}
	if args.DealID != "" {
		deal, err := tc.find("deals", "deal", args.DealID)
		if err != nil {
			return out, err
		}
		r.Set("deal", deal.Id)
	}
	lines := make([]map[string]any, 0, len(args.Lines))
	for _, l := range args.Lines {
		line := map[string]any{"description": l.Description, "quantity": l.Quantity.String(), "unit_price": l.UnitPrice.String()}
		if l.VATRate != "" {
			line["vat_rate"] = l.VATRate.String()
		}
		if l.VATCategory != "" {
			line["vat_category"] = l.VATCategory
		}
		lines = append(lines, line)
	}
	r.Set("lines", lines)

	ev := new(core.RecordRequestEvent)
	ev.RequestEvent = tc.e
	ev.Collection = col
	ev.Record = r
	app := tc.e.App
	err = app.OnRecordCreateRequest().Trigger(ev, func(e *core.RecordRequestEvent) error {
		return e.App.Save(e.Record)
	})
	// the hooks may have run in a transaction set on the shared request
	tc.e.App = app
	if err != nil {
		return out, invalid(err)
	}
	out.touched("proposals", r.Id)
	var totals struct {
		Gross string `json:"gross"`
	}
	_ = json.Unmarshal([]byte(r.GetString("totals")), &totals)
	out.result = map[string]any{"id": r.Id, "title": r.GetString("title"), "status": r.GetString("status"),
		"currency": r.GetString("currency"), "gross": totals.Gross, "lines": r.Get("lines"),
		"note": "Saved as a draft; the user reviews and sends it. Nothing was sent."}
	out.cards = []Card{{Collection: "proposals", ID: r.Id, Title: r.GetString("title"),
		Subtitle: joinNonEmpty("draft", joinValue(totals.Gross, r.GetString("currency"))), Link: "#/proposals/" + r.Id}}
	return out, nil
}

// draftFollowUpEmail is the tool draft_followup_email: an email_drafts
// record, addressed to the contact (or the deal's contact); nothing sends
// it.
func draftFollowUpEmail(tc *toolContext, raw json.RawMessage) (toolOutput, error) {
	var args struct {
		ContactID string `json:"contact_id"`
		DealID    string `json:"deal_id"`
		Subject   string `json:"subject"`
		Body      string `json:"body"`
	}
	if err := decodeArgs(raw, &args); err != nil {
		return toolOutput{}, err
	}
	args.Subject, args.Body = strings.TrimSpace(args.Subject), strings.TrimSpace(args.Body)
	switch {
	case args.Subject == "" || args.Body == "":
		return toolOutput{}, toolError("Give the email a subject and a body.")
	case args.ContactID == "" && args.DealID == "":
		return toolOutput{}, toolError("Say whom the email is for: a contact_id or a deal_id.")
	}
	var out toolOutput
	col, err := tc.e.App.FindCachedCollectionByNameOrId(EmailDrafts)
	if err != nil {
		return out, err
	}
	r := core.NewRecord(col)
	r.Set("workspace", tc.workspace)
	r.Set("subject", clip(args.Subject, 200))
	r.Set("body", clip(args.Body, 10000))
	r.Set("author", tc.user)
	link, about := "", ""
	var contact *core.Record
	if args.DealID != "" {
		deal, err := tc.find("deals", "deal", args.DealID)
		if err != nil {
			return out, err
		}
		r.Set("deal", deal.Id)
		link, about = "#/deals/"+deal.Id, deal.GetString("title")
		if args.ContactID == "" && deal.GetString("contact") != "" {
			args.ContactID = deal.GetString("contact")
		}
	}
	if args.ContactID != "" {
		if contact, err = tc.find("contacts", "contact", args.ContactID); err != nil {
			return out, err
		}
		r.Set("contact", contact.Id)
		r.Set("to", contact.GetString("email"))
		link, about = "#/contacts/"+contact.Id, contactName(contact)
	}
	if err := tc.e.App.Save(r); err != nil {
		return out, invalid(err)
	}
	out.touched(EmailDrafts, r.Id)
	out.result = map[string]any{"id": r.Id, "to": r.GetString("to"), "subject": r.GetString("subject"), "body": r.GetString("body"),
		"note": "Saved as a draft; the user reviews it. Nothing was sent."}
	out.cards = []Card{{Collection: EmailDrafts, ID: r.Id, Title: r.GetString("subject"),
		Subtitle: joinNonEmpty("draft", about, r.GetString("to")), Link: link}}
	return out, nil
}

// invalid turns the refusal of a save into a tool error that tells the
// model what to fix, field by field; any other error stays as it is.
func invalid(err error) error {
	var api *router.ApiError
	if errors.As(err, &api) && api.Status == 400 {
		msg := api.Message
		var details []string
		collect("", api.Data, &details)
		sort.Strings(details)
		if len(details) > 0 {
			msg += " (" + strings.Join(details, "; ") + ")"
		}
		return toolError("The draft was not saved: " + msg)
	}
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		return toolError("The draft was not saved: " + verrs.Error())
	}
	return err
}

// collect lists the messages of PocketBase's error data as "field: message".
func collect(prefix string, data any, out *[]string) {
	switch d := data.(type) {
	case map[string]any:
		if m, ok := d["message"].(string); ok && prefix != "" {
			*out = append(*out, prefix+": "+m)
			return
		}
		for k, v := range d {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			collect(name, v, out)
		}
	case error:
		*out = append(*out, prefix+": "+d.Error())
	default:
		if b, err := json.Marshal(d); err == nil {
			var m map[string]any
			if json.Unmarshal(b, &m) == nil && len(m) > 0 {
				collect(prefix, m, out)
			}
		}
	}
}
