package proposals

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/numbering"
)

// tokenBytes is the size of a public link's secret: 256 bits.
const tokenBytes = 32

// sendResponse is the answer of the send route. PublicURL holds the link's
// secret; it is returned this once and stored nowhere readable.
type sendResponse struct {
	Proposal  *core.Record `json:"proposal"`
	PublicURL string       `json:"public_url"`
	Emailed   bool         `json:"emailed"`
}

// sendRoute is POST /api/kontor/proposals/{id}/send.
func (p *proposals) sendRoute(e *core.RequestEvent) error {
	proposal, err := access.RequireRecord(e, "proposals", access.Member)
	if err != nil {
		return err
	}
	token, emailed := "", false
	err = e.App.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById("proposals", proposal.Id)
		if err != nil {
			return err
		}
		token, emailed, err = p.send(tx, r, requestEvent(e, EventSent))
		proposal = r
		return err
	})
	if err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, proposal); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, sendResponse{Proposal: proposal, PublicURL: p.link(token), Emailed: emailed})
}

// link is the public URL of a token.
func (p *proposals) link(token string) string {
	return p.cfg.PublicURL + "/p/" + token
}

// send freezes the proposal r as its next version, through tx: it numbers
// it on the first send, stores the snapshot and its hash with the hash of a
// new link's secret, supersedes the older versions (their links stop
// working), appends the "sent" event and queues the email to the client.
// It returns the secret and whether an email was queued.
func (p *proposals) send(tx core.App, r *core.Record, ev Event) (string, bool, error) {
	now := p.now().UTC()
	if r.GetString("status") == StatusSigned {
		return "", false, signedError(r)
	}
	errs := fielderr.Errors{}
	client := inWorkspace(tx, "clients", r.GetString("client"), r.GetString("workspace"))
	if client == nil {
		errs.Add("client", "Choose the client to send the proposal to.")
	}
	lines, _ := parseLines([]byte(r.GetString("lines")))
	if len(lines) == 0 {
		errs.Add("lines", "Add at least one line.")
	}
	validUntil := r.GetString("valid_until")
	if validUntil == "" {
		validUntil = now.AddDate(0, 0, defaultValidityDays).Format(dateLayout)
		r.Set("valid_until", validUntil)
	} else if validUntil < now.Format(dateLayout) {
		errs.Add("valid_until", "The validity date has passed; set a later one to send the proposal.")
	}
	if r.GetString("series") == "" {
		errs.Add("series", "Choose the series that numbers proposals.")
	}
	workspace, err := tx.FindRecordById("workspaces", r.GetString("workspace"))
	if err != nil {
		return "", false, err
	}
	if workspace.GetString("name") == "" {
		errs.Add("workspace", "Your workspace needs its legal name.")
	}
	if err := errs.Err(); err != nil {
		return "", false, err
	}

	if r.GetString("number") == "" {
		series, err := tx.FindRecordById("series", r.GetString("series"))
		if err != nil {
			return "", false, err
		}
		year := 0
		if series.GetBool("yearly_reset") {
			year = now.Year()
		}
		seq, err := numbering.Next(tx.DB(), series.Id, year)
		if err != nil {
			return "", false, err
		}
		r.Set("number", numbering.FormatNumber(series.GetString("pattern"), series.GetString("code"), now, seq))
	}

	version := r.GetInt("version") + 1
	s, err := buildSnapshot(tx, r, version, now.Format(time.RFC3339))
	if err != nil {
		return "", false, err
	}
	raw, err := snapshotJSON(s)
	if err != nil {
		return "", false, err
	}
	documentHash := hashOf(raw)

	secret := make([]byte, tokenBytes)
	if _, err := rand.Read(secret); err != nil {
		return "", false, err
	}
	token := base64.RawURLEncoding.EncodeToString(secret)

	if _, err := tx.DB().NewQuery(`UPDATE proposal_versions SET superseded_at = {:now} WHERE proposal = {:p} AND superseded_at = ''`).
		Bind(dbx.Params{"now": types.NowDateTime().String(), "p": r.Id}).Execute(); err != nil {
		return "", false, err
	}
	collection, err := tx.FindCachedCollectionByNameOrId("proposal_versions")
	if err != nil {
		return "", false, err
	}
	v := core.NewRecord(collection)
	v.Set("workspace", r.GetString("workspace"))
	v.Set("proposal", r.Id)
	v.Set("version", version)
	v.Set("snapshot", types.JSONRaw(raw))
	v.Set("document_hash", documentHash)
	v.Set("token_hash", hashOf([]byte(token)))
	v.Set("sent_at", now)
	if err := tx.Save(v); err != nil {
		return "", false, err
	}

	r.Set("version", version)
	r.Set("status", StatusSent)
	r.Set("sent_at", now)
	r.Set("document_hash", documentHash)
	r.Set("changed_since_sent", false)
	for _, f := range []string{"viewed_at", "declined_at", "decline_reason", "expired_at"} {
		r.Set(f, nil)
	}
	emailed := client.GetString("email") != "" && p.cfg.Mailer != nil
	ev.Version, ev.DocumentHash = version, documentHash
	ev.Details = map[string]any{"number": r.GetString("number"), "valid_until": validUntil, "emailed_to": ""}
	if emailed {
		ev.Details["emailed_to"] = client.GetString("email")
	}
	if _, err := appendEvent(tx, r, ev, now); err != nil {
		return "", false, err
	}
	if err := tx.Save(r); err != nil {
		return "", false, err
	}
	if emailed {
		key := "proposal_sent:" + r.Id + ":" + itoa(version)
		if err := p.cfg.Mailer.QueueProposalMail(tx, r, "proposal_sent", key, p.link(token)); err != nil {
			return "", false, err
		}
	}
	return token, emailed, nil
}

// buildSnapshot freezes the proposal's content as version, sent at sentAt
// (RFC 3339), with its workspace and client as they are now.
func buildSnapshot(app core.App, r *core.Record, version int, sentAt string) (Snapshot, error) {
	lines, errs := parseLines([]byte(r.GetString("lines")))
	if len(errs) > 0 {
		return Snapshot{}, errs
	}
	totals := compute(lines, r.GetString("language"))
	if lines == nil {
		lines = []Line{}
	}
	s := Snapshot{
		ProposalID: r.Id, Number: r.GetString("number"), Version: version,
		Title: r.GetString("title"), Intro: r.GetString("intro"), Terms: r.GetString("terms"),
		Lines: lines, Totals: totalsOf(totals), VATBreakdown: totals.BreakdownForAPI(),
		Currency: r.GetString("currency"), Language: r.GetString("language"),
		ValidUntil: r.GetString("valid_until"), SentAt: sentAt,
		Seller: map[string]string{}, Buyer: map[string]string{},
	}
	if w, err := app.FindRecordById("workspaces", r.GetString("workspace")); err == nil {
		s.Seller = partyOf(w, sellerFields)
	}
	if c := inWorkspace(app, "clients", r.GetString("client"), r.GetString("workspace")); c != nil {
		s.Buyer = partyOf(c, buyerFields)
	}
	return s, nil
}
