package render

import (
	"strconv"
	"strings"
	"time"

	"github.com/kontor-app/kontor/locale"
)

// proposalView is a proposal with every label translated and every value
// formatted. It fills the parts of a view a proposal shares with an
// invoice (header, lines table, totals, VAT breakdown, terms as notes,
// footers), and adds the proposal's title and introduction, the
// acceptance and the audit certificate.
type proposalView struct {
	*view
	Subject    string // the proposal's own title
	Intro      string
	NotCounted string // said under the totals when an optional line is not chosen

	Signature   *signatureView
	Certificate *certificateView
}

// signatureView is the acceptance block of a signed proposal.
type signatureView struct {
	Heading    string
	Accepted   string // who accepted, and when
	Consent    string // the sentence they agreed to, quoted
	ImageLabel string // under the drawn signature
}

// certificateView is the audit certificate of a signed proposal.
type certificateView struct {
	Title, Intro  string
	Facts         []pair // proposal id, version, document hash, chain head
	EventsHeading string
	Seq, Event    string // column headings
	Time, IP      string
	Events        []eventView
}

// eventView is one event of the audit trail: its row, and the details
// printed under it across the table.
type eventView struct {
	Seq, Type, Time, IP string
	Details             []detailView
}

// detailView is a labelled value under an event's row; Small values
// (hashes) are printed in a smaller face.
type detailView struct {
	Label, Value string
	Small        bool
}

// newProposalView translates and formats a proposal.
func newProposalView(p Proposal) *proposalView {
	lang := printLanguage(p.Language)
	t := func(key string, pairs ...string) string { return text(lang, key, pairs...) }
	v := &view{Lang: lang, Number: p.Number, Draft: p.Draft, Title: t("proposal")}
	v.DraftMark = t("draft")
	v.DraftNotice = t("draft_notice_proposal")
	v.setHeading()
	add := func(key, value string) { v.addMeta(t(key), value) }
	add("number", p.Number)
	add("proposal_date", locale.Date(p.Date, lang))
	add("valid_until", locale.Date(p.ValidUntil, lang))

	v.Seller = newPartyView(p.Seller, lang, true)
	v.Buyer = newPartyView(p.Buyer, lang, false)
	v.BillTo = t("proposal_for")
	v.Footer = footerOf(p.Seller, lang)

	pv := &proposalView{view: v, Subject: strings.TrimSpace(p.Title), Intro: plainText(p.Intro)}
	v.Labels = tableLabels(lang)
	v.AmountsIn = t("amounts_in", "currency", p.Currency)
	for _, l := range p.Lines {
		lv := newLineView(l.Line, lang)
		if l.Optional {
			lv.Note = t("proposal_optional")
			if !l.Included {
				lv.Note, lv.Excluded = t("proposal_not_chosen"), true
				pv.NotCounted = t("proposal_not_counted")
			}
		}
		v.addLine(lv)
	}
	v.Breakdown = newBreakdownViews(p.Breakdown, lang)
	v.Totals = documentTotals(p.Totals, p.Currency, lang)

	v.NotesHeading = t("proposal_terms")
	if terms := plainText(p.Terms); terms != "" {
		v.Notes = strings.Split(terms, "\n")
	}

	if s := p.Signature; s != nil {
		signer := strings.TrimSpace(s.Name)
		if email := strings.TrimSpace(s.Email); email != "" {
			signer += " <" + email + ">"
		}
		date, clock := s.SignedAt, "–"
		if at, err := time.Parse(time.RFC3339Nano, s.SignedAt); err == nil {
			at = at.UTC()
			date, clock = locale.Date(at.Format("2006-01-02"), lang), at.Format("15:04:05")
		}
		pv.Signature = &signatureView{
			Heading:    t("proposal_acceptance"),
			Accepted:   t("proposal_accepted", "signer", signer, "date", date, "time", clock),
			ImageLabel: t("proposal_signature"),
		}
		if consent := strings.TrimSpace(s.Consent); consent != "" {
			pv.Signature.Consent = t("proposal_consent", "consent", consent)
		}
	}
	if c := p.Certificate; c != nil {
		pv.Certificate = newCertificateView(c, lang)
	}
	return pv
}

// newCertificateView translates and formats an audit certificate.
func newCertificateView(c *AuditCertificate, lang string) *certificateView {
	t := func(key string) string { return text(lang, key) }
	cv := &certificateView{
		Title: t("audit_title"), Intro: t("audit_intro"),
		Facts: []pair{
			{t("audit_proposal_id"), c.ProposalID},
			{t("audit_version"), strconv.Itoa(c.Version)},
			{t("audit_document_hash"), c.DocumentHash},
			{t("audit_chain_head"), c.ChainHead},
		},
		EventsHeading: t("audit_events"),
		Seq:           t("audit_col_seq"), Event: t("audit_col_event"),
		Time: t("audit_col_time"), IP: t("audit_col_ip"),
	}
	for _, e := range c.Events {
		ev := eventView{Seq: strconv.Itoa(e.Seq), Type: eventType(e.Type, lang), Time: utcTime(e.At), IP: e.IP}
		actor := strings.TrimSpace(e.Actor)
		if email := strings.TrimSpace(e.ActorEmail); email != "" {
			actor = strings.TrimSpace(actor + " <" + email + ">")
		}
		for _, d := range []detailView{
			{Label: t("audit_actor"), Value: actor},
			{Label: t("audit_user_agent"), Value: strings.TrimSpace(e.UserAgent)},
			{Label: t("audit_document_hash"), Value: e.DocumentHash, Small: true},
			{Label: t("audit_event_hash"), Value: e.Hash, Small: true},
		} {
			if d.Value != "" {
				ev.Details = append(ev.Details, d)
			}
		}
		cv.Events = append(cv.Events, ev)
	}
	return cv
}

// eventType names an event type in the language; an unknown type prints
// as itself.
func eventType(typ, lang string) string {
	if s := text(lang, "audit_event_"+typ); s != "audit_event_"+typ {
		return s
	}
	return typ
}

// utcTime prints an event's RFC 3339 time in UTC, exactly as recorded when
// it already is UTC, so that it reads as it was hashed.
func utcTime(at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil || strings.HasSuffix(at, "Z") {
		return at
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// plainText trims a text typed by a user and makes its line breaks plain.
func plainText(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRight(line, " \t")
	}
	return strings.Join(lines, "\n")
}
