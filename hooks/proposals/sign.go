package proposals

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Limits of a drawn signature.
const (
	maxSignatureBytes = 512 << 10
	maxSignatureSide  = 4000
)

// errClosed is returned inside the transaction when the link stopped
// accepting answers since its page was read.
var errClosed = errors.New("closed")

// formRoute serves a form the buyer posts through a link: a link that no
// longer takes answers gets its page with a 409, a body that cannot be
// read (too large) a 400 with the message of tooLarge; otherwise handle
// answers. An errClosed from handle (the link closed while the form was
// checked) is the same 409.
func (p *proposals) formRoute(tooLarge string, handle func(e *core.RequestEvent, l *publicLink, token string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		token := e.Request.PathValue("token")
		l, err := findLink(e.App, token, p.now())
		if err != nil {
			return err
		}
		if l.state != stateOpen {
			return writePage(e, http.StatusConflict, l, token, closedText(l), pageForm{}, nil)
		}
		e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxFormBytes)
		if err := e.Request.ParseForm(); err != nil {
			return writePage(e, http.StatusBadRequest, l, token, pageText(l.snapshot.Language, tooLarge), pageForm{}, nil)
		}
		err = handle(e, l, token)
		if errors.Is(err, errClosed) {
			if l, err = findLink(e.App, token, p.now()); err != nil {
				return err
			}
			return writePage(e, http.StatusConflict, l, token, closedText(l), pageForm{}, nil)
		}
		return err
	}
}

// answer records the buyer's answer in one transaction: it confirms that
// the link still leads to the open version ev was made for, lets apply
// set the proposal's fields, appends ev, saves, and queues the email to
// the proposal's owner. It returns the proposal, or errClosed.
func (p *proposals) answer(app core.App, token string, ev Event, now time.Time, template, key string, apply func(r *core.Record) error) (*core.Record, error) {
	var answered *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		current, err := findLink(tx, token, now)
		if err != nil {
			return err
		}
		if current.state != stateOpen || current.version.GetInt("version") != ev.Version {
			return errClosed
		}
		r := current.proposal
		if err := apply(r); err != nil {
			return err
		}
		if _, err := appendEvent(tx, r, ev, now); err != nil {
			return err
		}
		if err := tx.Save(r); err != nil {
			return err
		}
		answered = r
		if p.cfg.Mailer == nil {
			return nil
		}
		return p.cfg.Mailer.QueueProposalMail(tx, r, template, key, "")
	})
	return answered, err
}

// accept answers POST /p/{token}/accept: the buyer signs. The form is
// checked; then one transaction freezes the lines the buyer ticked and
// their totals on the proposal, marks it signed, appends the "signed"
// event and queues the email to its owner. The signed PDF is made after
// commit.
func (p *proposals) accept(e *core.RequestEvent, l *publicLink, token string) error {
	lang := l.snapshot.Language
	f := e.Request.PostForm
	form := pageForm{Name: strings.TrimSpace(f.Get("name")), Email: strings.TrimSpace(f.Get("email"))}
	included, badIndex := indexes(f["included"])
	lines, err := withIncluded(l.snapshot.Lines, included)
	if badIndex || err != nil {
		return writePage(e, http.StatusBadRequest, l, token, pageText(lang, "error_closed"), form, nil)
	}
	var problem string
	signature, sigErr := decodeSignature(f.Get("signature"))
	switch {
	case len([]rune(form.Name)) < 2 || len([]rune(form.Name)) > 200:
		problem = "error_name"
	case len(form.Email) > 254 || is.EmailFormat.Validate(form.Email) != nil:
		problem = "error_email"
	case f.Get("consent") != "yes":
		problem = "error_consent"
	case sigErr != nil:
		problem = "error_signature"
	}
	if problem != "" {
		return writePage(e, http.StatusBadRequest, l, token, pageText(lang, problem), form, included)
	}

	totals := compute(lines, lang)
	now := p.now().UTC()
	ev := requestEvent(e, EventSigned)
	ev.Actor, ev.ActorEmail = form.Name, form.Email
	ev.Version, ev.DocumentHash = l.version.GetInt("version"), l.version.GetString("document_hash")
	ev.Details = map[string]any{
		"included": included, "totals": totalsOf(totals), "vat_breakdown": totals.BreakdownForAPI(),
		"consent": ConsentSentence, "signature_sha256": "",
	}
	if signature != nil {
		ev.Details["signature_sha256"] = hashOf(signature)
	}
	signed, err := p.answer(e.App, token, ev, now, "proposal_signed", "proposal_signed:"+l.proposal.Id, func(r *core.Record) error {
		r.Set("status", StatusSigned)
		r.Set("signed_at", now)
		r.Set("signer_name", form.Name)
		r.Set("signer_email", form.Email)
		r.Set("lines", lines)
		r.Set("totals", totalsOf(totals))
		r.Set("vat_breakdown", totals.BreakdownForAPI())
		if signature == nil {
			return nil
		}
		file, err := filesystem.NewFileFromBytes(signature, "signature.png")
		r.Set("signature", file)
		return err
	})
	if err != nil {
		return err
	}
	if _, _, err := p.storeSignedPDF(e.App, signed); err != nil {
		e.App.Logger().Error("proposals: the signed PDF could not be made; it is made on first request", "proposal", signed.Id, "error", err)
	}
	return e.Redirect(http.StatusSeeOther, "/p/"+token)
}

// decline answers POST /p/{token}/decline: the buyer declines, with a
// reason. One transaction marks the proposal declined, appends the
// "declined" event and queues the email to its owner.
func (p *proposals) decline(e *core.RequestEvent, l *publicLink, token string) error {
	reason := strings.TrimSpace(e.Request.PostForm.Get("reason"))
	if reason == "" || len([]rune(reason)) > 2000 {
		return writePage(e, http.StatusBadRequest, l, token, pageText(l.snapshot.Language, "error_reason"), pageForm{Reason: reason}, nil)
	}
	now := p.now().UTC()
	ev := requestEvent(e, EventDeclined)
	ev.Actor = l.snapshot.Buyer["name"]
	ev.Version, ev.DocumentHash = l.version.GetInt("version"), l.version.GetString("document_hash")
	ev.Details = map[string]any{"reason": reason}
	key := "proposal_declined:" + l.proposal.Id + ":" + itoa(ev.Version)
	_, err := p.answer(e.App, token, ev, now, "proposal_declined", key, func(r *core.Record) error {
		r.Set("status", StatusDeclined)
		r.Set("declined_at", now)
		r.Set("decline_reason", reason)
		return nil
	})
	if err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/p/"+token)
}

// closedText is the message of a form posted to a link that no longer
// takes answers; the page itself says why.
func closedText(l *publicLink) string {
	if l.state == stateGone {
		return ""
	}
	return pageText(l.snapshot.Language, "error_closed")
}

// indexes reads the ticked optional lines, sorted and without repeats;
// bad is true when one is not a number.
func indexes(values []string) (out []int, bad bool) {
	seen := map[int]bool{}
	out = []int{}
	for _, v := range values {
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return nil, true
		}
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	sort.Ints(out)
	return out, false
}

// decodeSignature reads a drawn signature, a PNG as a data URL; empty is
// none. It must be a PNG of a sensible size.
func decodeSignature(dataURL string) ([]byte, error) {
	dataURL = strings.TrimSpace(dataURL)
	if dataURL == "" {
		return nil, nil
	}
	raw, ok := strings.CutPrefix(dataURL, "data:image/png;base64,")
	if !ok {
		return nil, errors.New("not a PNG data URL")
	}
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(data) > maxSignatureBytes {
		return nil, errors.New("not a PNG of at most 512 KiB")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxSignatureSide || cfg.Height > maxSignatureSide {
		return nil, errors.New("not a readable PNG")
	}
	return data, nil
}
