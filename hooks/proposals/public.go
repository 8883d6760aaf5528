package proposals

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/en16931"
	"github.com/kontor-app/kontor/hooks/publicpage"
	"github.com/kontor-app/kontor/money"
)

// maxFormBytes bounds what the public forms may post: a drawn signature
// and a few fields.
const maxFormBytes = 1 << 20

// openedAgain is how long an open from the same IP and browser is not
// recorded again.
const openedAgain = 30 * time.Minute

// pageRoute is GET /p/{token}: the buyer's page. Opening a link that can
// still be signed records an "opened" event and marks a sent proposal
// viewed.
func (p *proposals) pageRoute(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	l, err := findLink(e.App, token, p.now())
	if err != nil {
		return err
	}
	if l.state == stateOpen {
		if err := p.recordOpen(e, l); err != nil {
			return err
		}
	}
	return writePage(e, http.StatusOK, l, token, "", pageForm{}, nil)
}

// recordOpen appends an "opened" event, unless the same IP and browser
// opened the same version within openedAgain, and moves sent to viewed.
func (p *proposals) recordOpen(e *core.RequestEvent, l *publicLink) error {
	now := p.now().UTC()
	ev := requestEvent(e, EventOpened)
	ev.Actor, ev.ActorEmail = l.snapshot.Buyer["name"], ""
	ev.Version, ev.DocumentHash = l.version.GetInt("version"), l.version.GetString("document_hash")
	return e.App.RunInTransaction(func(tx core.App) error {
		var seen int
		err := tx.DB().NewQuery(`SELECT COUNT(*) FROM proposal_events WHERE proposal = {:p} AND type = 'opened'
			AND version = {:v} AND ip = {:ip} AND user_agent = {:ua} AND at >= {:since}`).
			Bind(dbx.Params{"p": l.proposal.Id, "v": ev.Version, "ip": truncate(ev.IP, 64), "ua": truncate(ev.UserAgent, 1000),
				"since": now.Add(-openedAgain).Format(time.RFC3339Nano)}).Row(&seen)
		if err != nil || seen > 0 {
			return err
		}
		r, err := tx.FindRecordById("proposals", l.proposal.Id)
		if err != nil {
			return err
		}
		if _, err := appendEvent(tx, r, ev, now); err != nil {
			return err
		}
		if r.GetString("status") == StatusSent {
			r.Set("status", StatusViewed)
			r.Set("viewed_at", now)
		}
		if err := tx.Save(r); err != nil {
			return err
		}
		l.proposal = r
		return nil
	})
}

// totalsRequest is the body of the totals route.
type totalsRequest struct {
	Included []int `json:"included"`
}

// totalsResponse is what a choice of optional lines totals.
type totalsResponse struct {
	Totals       Totals                  `json:"totals"`
	VATBreakdown []en16931.BreakdownJSON `json:"vat_breakdown"`
}

// totalsRoute is POST /p/{token}/totals: the totals with the optional
// lines the buyer ticked, computed by the engine that computes the signed
// ones. It writes nothing.
func (p *proposals) totalsRoute(e *core.RequestEvent) error {
	l, err := findLink(e.App, e.Request.PathValue("token"), p.now())
	if err != nil {
		return err
	}
	if l.state == stateGone {
		return e.NotFoundError("This link does not lead to a proposal.", nil)
	}
	var body totalsRequest
	if err := json.NewDecoder(http.MaxBytesReader(e.Response, e.Request.Body, 64<<10)).Decode(&body); err != nil {
		return e.BadRequestError(`The body must be JSON like {"included": [2, 3]}.`, nil)
	}
	lines, err := withIncluded(l.snapshot.Lines, body.Included)
	if err != nil {
		return e.BadRequestError("The "+err.Error()+".", nil)
	}
	t := compute(lines, l.snapshot.Language)
	return e.JSON(http.StatusOK, totalsResponse{Totals: totalsOf(t), VATBreakdown: t.BreakdownForAPI()})
}

// pageCSP lets the page load its own style, script and data from Kontor
// and nothing else.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// writePage writes the buyer's page of a link with the HTTP status given:
// the error of a refused form, what the buyer typed and the optional lines
// they ticked (nil: as sent).
func writePage(e *core.RequestEvent, status int, l *publicLink, token, errorText string, form pageForm, included []int) error {
	v := viewOf(l, token)
	v.Error, v.Form = errorText, form
	if included != nil && l.state == stateOpen {
		if lines, err := withIncluded(l.snapshot.Lines, included); err == nil {
			t := compute(lines, l.snapshot.Language)
			v.Lines, v.Totals, v.Breakdown = pageLines(lines), pageTotalsOf(totalsOf(t)), pageBreakdownOf(t.BreakdownForAPI())
		}
	}
	if l.state == stateGone && status == http.StatusOK {
		status = http.StatusNotFound
	}
	var buf bytes.Buffer
	if err := renderPage(&buf, v); err != nil {
		return err
	}
	return publicpage.Write(e, status, buf.Bytes(), pageCSP)
}

// viewOf is the page of a link: the version it shows, or, once signed, the
// proposal as the buyer signed it.
func viewOf(l *publicLink, token string) pageView {
	v := pageView{State: l.state, Token: token, Lang: "en"}
	if l.state == stateGone {
		return v
	}
	s := l.snapshot
	v.Lang, v.Number, v.Title, v.Intro, v.Terms = s.Language, s.Number, s.Title, s.Intro, s.Terms
	v.Date, v.ValidUntil, v.Currency = dateOf(s.SentAt), s.ValidUntil, s.Currency
	v.Seller, v.Buyer = pagePartyOf(s.Seller), pagePartyOf(s.Buyer)
	v.Lines, v.Totals, v.Breakdown = pageLines(s.Lines), pageTotalsOf(s.Totals), pageBreakdownOf(s.VATBreakdown)
	v.DocumentHash = l.version.GetString("document_hash")
	v.HasPDF = true
	r := l.proposal
	switch l.state {
	case stateSigned:
		if lines, errs := parseLines([]byte(r.GetString("lines"))); len(errs) == 0 {
			t := compute(lines, s.Language)
			v.Lines, v.Totals, v.Breakdown = pageLines(lines), pageTotalsOf(totalsOf(t)), pageBreakdownOf(t.BreakdownForAPI())
		}
		v.SignerName, v.SignerEmail = r.GetString("signer_name"), r.GetString("signer_email")
		v.SignedAt = r.GetDateTime("signed_at").Time().UTC().Format(time.RFC3339)
	case stateDeclined:
		v.DeclineReason = r.GetString("decline_reason")
		v.DeclinedAt = r.GetDateTime("declined_at").Time().UTC().Format(time.RFC3339)
	}
	return v
}

func pagePartyOf(m map[string]string) pageParty {
	return pageParty{Name: m["name"], AddressLine: m["address_line"], PostalCode: m["postal_code"], City: m["city"],
		Country: m["country"], VATID: m["vat_id"], Email: m["email"]}
}

func pageLines(lines []Line) []pageLine {
	out := make([]pageLine, len(lines))
	for i, l := range lines {
		out[i] = pageLine{Index: i, Description: l.Description, Quantity: l.Quantity.String(), UnitCode: l.UnitCode,
			UnitPrice: money.Plain(l.UnitPrice, 2), VATCategory: l.VATCategory, VATRate: l.VATRate.String(),
			NetAmount: money.Amount(l.NetAmount), Optional: l.Optional, Included: l.Included}
		if !l.DiscountPercent.IsZero() {
			out[i].DiscountPercent = l.DiscountPercent.String()
		}
	}
	return out
}

func pageTotalsOf(t Totals) pageTotals { return pageTotals{Net: t.Net, VAT: t.VAT, Gross: t.Gross} }

func pageBreakdownOf(b []en16931.BreakdownJSON) []pageBreakdown {
	out := make([]pageBreakdown, len(b))
	for i, row := range b {
		out[i] = pageBreakdown(row)
	}
	return out
}

// dateOf is the day of an RFC 3339 time, "" when there is none.
func dateOf(rfc3339 string) string {
	if len(rfc3339) < 10 {
		return ""
	}
	return rfc3339[:10]
}
