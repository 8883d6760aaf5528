package sequences

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/hooks/mail"
)

// DefaultDailyLimit is a workspace's daily limit of sequence emails when
// it sets none.
const DefaultDailyLimit = 200

// batchSize is how many due enrolments one run looks at; the rest wait
// for the next minute.
const batchSize = 500

// Result counts what a run did: emails queued, enrolments moved to the
// next window, left for a later day by the daily limit, stopped (the
// contact unsubscribed or has no email) and completed.
type Result struct {
	Sent, Deferred, Limited, Stopped, Completed int
}

// outcome is what happened to one due enrolment.
type outcome int

const (
	skipped outcome = iota
	sent
	deferred
	limited
	stopped
)

// SendDue queues, at now, the email of every active enrolment of an
// active sequence whose next_send_at has come, oldest first. Each goes
// in one transaction that queues it through the outbox (once per
// enrolment and step: the key sequence:{enrolment}:{position}), records
// it in sequence_sends and advances the enrolment to its next step (or
// completes it). Outside the contact's window an enrolment moves to the
// window's next opening instead; once a workspace has queued its
// sequence_daily_limit emails on now's UTC day, its enrolments wait.
func (r *Runner) SendDue(now time.Time) (Result, error) {
	var res Result
	if r.cfg.Mailer == nil {
		return res, fmt.Errorf("sequences: no mailer")
	}
	var ids []string
	err := r.app.DB().NewQuery(`SELECT e.id FROM sequence_enrollments e JOIN sequences s ON s.id = e.sequence
		WHERE e.status = 'active' AND s.active = TRUE AND e.next_send_at != '' AND e.next_send_at <= {:now}
		ORDER BY e.next_send_at, e.id LIMIT {:limit}`).
		Bind(dbx.Params{"now": dbTime(now), "limit": batchSize}).
		Column(&ids)
	if err != nil {
		return res, err
	}
	full := map[string]bool{} // workspaces at their daily limit
	for _, id := range ids {
		var done outcome
		var completed bool
		err := r.app.RunInTransaction(func(tx core.App) error {
			var err error
			done, completed, err = r.sendOne(tx, id, now, full)
			return err
		})
		if err != nil {
			r.app.Logger().Warn("sequences: not sent; tried again on the next run", "enrollment", id, "error", err)
			continue
		}
		switch done {
		case sent:
			res.Sent++
		case deferred:
			res.Deferred++
		case limited:
			res.Limited++
		case stopped:
			res.Stopped++
		}
		if completed {
			res.Completed++
		}
	}
	return res, nil
}

// dbTime writes t as PocketBase stores dates, for comparisons in SQL.
func dbTime(t time.Time) string {
	return t.UTC().Format(types.DefaultDateLayout)
}

// sendOne sends the due step of one enrolment in tx; see SendDue.
func (r *Runner) sendOne(tx core.App, id string, now time.Time, full map[string]bool) (outcome, bool, error) {
	e, err := tx.FindRecordById("sequence_enrollments", id)
	if err != nil || e.GetString("status") != StatusActive || e.GetDateTime("next_send_at").Time().After(now) {
		return skipped, false, nil
	}
	ws := e.GetString("workspace")
	if full[ws] {
		return limited, false, nil
	}
	seq, err := tx.FindRecordById("sequences", e.GetString("sequence"))
	if err != nil || !seq.GetBool("active") {
		return skipped, false, nil
	}
	workspace, err := tx.FindRecordById("workspaces", ws)
	if err != nil {
		return skipped, false, err
	}
	contact, err := tx.FindRecordById("contacts", e.GetString("contact"))
	if err != nil {
		return stopped, false, stop(tx, e, StatusStopped, "the contact is gone", now)
	}
	switch {
	case contact.GetBool("unsubscribed"):
		return stopped, false, stop(tx, e, StatusUnsubscribed, "the contact unsubscribed", now)
	case strings.TrimSpace(contact.GetString("email")) == "":
		return stopped, false, stop(tx, e, StatusStopped, "the contact has no email address", now)
	}

	loc := Location(contact.GetString("timezone"), workspace.GetString("timezone"))
	window, _ := ParseWindow(seq.GetString("window_start"), seq.GetString("window_end"))
	business := seq.GetBool("business_days")
	if !InWindow(now, window, business, loc) {
		e.Set("next_send_at", NextSlot(now, window, business, loc))
		return deferred, false, tx.Save(e)
	}

	limit := workspace.GetInt("sequence_daily_limit")
	if limit <= 0 {
		limit = DefaultDailyLimit
	}
	day := now.UTC().Truncate(24 * time.Hour)
	var today int
	if err := tx.DB().NewQuery(`SELECT COUNT(*) FROM sequence_sends WHERE workspace = {:w} AND sent_at >= {:from} AND sent_at < {:to}`).
		Bind(dbx.Params{"w": ws, "from": dbTime(day), "to": dbTime(day.Add(24 * time.Hour))}).Row(&today); err != nil {
		return skipped, false, err
	}
	if today >= limit {
		full[ws] = true
		return limited, false, nil
	}

	steps, err := stepsOf(tx, seq.Id)
	if err != nil {
		return skipped, false, err
	}
	step := stepAtOrAfter(steps, e.GetInt("next_step"))
	if step == nil {
		e.Set("status", StatusCompleted)
		e.Set("next_send_at", nil)
		return skipped, true, tx.Save(e)
	}

	if err := r.queue(tx, e, seq, step, contact, workspace); err != nil {
		return skipped, false, err
	}
	send := core.NewRecord(mustCollection(tx, "sequence_sends"))
	send.Load(map[string]any{"workspace": ws, "enrollment": e.Id, "sequence": seq.Id, "contact": contact.Id,
		"position": step.GetInt("position"), "subject": truncate(step.GetString("subject"), 300), "sent_at": now.UTC()})
	if err := tx.Save(send); err != nil {
		return skipped, false, err
	}

	e.Set("last_sent_at", now.UTC())
	e.Set("sent_count", e.GetInt("sent_count")+1)
	completed := false
	if next := stepAtOrAfter(steps, step.GetInt("position")+1); next != nil {
		e.Set("next_step", next.GetInt("position"))
		e.Set("next_send_at", Schedule(now, next.GetInt("delay_days"), next.GetInt("delay_hours"), business, window, loc))
	} else {
		e.Set("next_step", step.GetInt("position")+1)
		e.Set("status", StatusCompleted)
		e.Set("next_send_at", nil)
		completed = true
	}
	return sent, completed, tx.Save(e)
}

// queue queues the step's email to the contact in the workspace's name:
// the step's text with the contact's values, the unsubscribe link under
// it and in List-Unsubscribe (one click, RFC 8058), a Message-ID a reply
// names in In-Reply-To, and the reply address of the enrolment when
// inbound replies are configured.
func (r *Runner) queue(tx core.App, e, seq, step, contact, workspace *core.Record) error {
	if r.cfg.Secrets == nil {
		return fmt.Errorf("no key opens the enrolment's unsubscribe secret")
	}
	token, err := r.cfg.Secrets.Open(e.GetString("token_sealed"))
	if err != nil {
		return fmt.Errorf("the enrolment's unsubscribe secret: %w", err)
	}
	unsubscribe := strings.TrimRight(r.cfg.PublicURL, "/") + "/u/" + string(token)
	company := ""
	if c, err := tx.FindRecordById("companies", contact.GetString("company")); err == nil {
		company = c.GetString("name")
	}
	values := map[string]string{
		"first_name": contact.GetString("first_name"), "last_name": contact.GetString("last_name"),
		"company": company, "sender": workspace.GetString("name"),
	}
	lang := mail.Language(contact.GetString("language"), workspace.GetString("language"))
	key := e.GetString("reply_key")
	position := strconv.Itoa(step.GetInt("position"))
	listUnsubscribe := "<" + unsubscribe + ">"
	replyTo := ""
	if d := r.cfg.InboundReplyDomain; d != "" {
		replyTo = "reply+" + key + "@" + d
		listUnsubscribe += ", <mailto:" + replyTo + "?subject=unsubscribe>"
	}
	to := strings.TrimSpace(contact.GetString("email"))
	return r.cfg.Mailer.Queue(tx, mail.Mail{
		Template:  mail.Written,
		Key:       "sequence:" + e.Id + ":" + position,
		Workspace: workspace,
		To:        to,
		Language:  lang,
		Summary:   fmt.Sprintf("Sequence %q, step %s, to %s", seq.GetString("name"), position, to),
		Values: mail.Values{ToClient: true, Workspace: workspace.GetString("name"),
			Name: strings.TrimSpace(values["first_name"] + " " + values["last_name"])},
		Subject:    fill(step.GetString("subject"), values),
		Body:       fill(step.GetString("body"), values),
		Footer:     footer(lang),
		SecretLink: unsubscribe,
		ReplyTo:    replyTo,
		Headers: map[string]string{
			"List-Unsubscribe":      listUnsubscribe,
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Message-ID":            "<seq." + key + "." + position + "@" + r.messageDomain() + ">",
		},
	})
}

// messageDomain is the domain of the Message-IDs: the reply domain, else
// the public URL's host.
func (r *Runner) messageDomain() string {
	if r.cfg.InboundReplyDomain != "" {
		return r.cfg.InboundReplyDomain
	}
	if u, err := url.Parse(r.cfg.PublicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "kontor.invalid"
}

// stepsOf returns the steps of a sequence by position.
func stepsOf(app core.App, sequence string) ([]*core.Record, error) {
	return app.FindRecordsByFilter("sequence_steps", "sequence = {:s}", "position,created", 0, 0, dbx.Params{"s": sequence})
}

// stepAtOrAfter is the first step at the position or after it, or nil.
func stepAtOrAfter(steps []*core.Record, position int) *core.Record {
	for _, s := range steps {
		if s.GetInt("position") >= position {
			return s
		}
	}
	return nil
}

// mustCollection finds a collection of Kontor's schema.
func mustCollection(app core.App, name string) *core.Collection {
	c, err := app.FindCachedCollectionByNameOrId(name)
	if err != nil {
		panic("sequences: " + err.Error())
	}
	return c
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
