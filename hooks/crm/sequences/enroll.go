package sequences

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// maxEnroll is the most contacts one enroll request takes.
const maxEnroll = 1000

// Skip reasons of the enroll route.
const (
	SkipUnsubscribed = "unsubscribed"
	SkipNoEmail      = "no email"
	SkipActive       = "already active"
)

// skip is a contact the enroll route left out, and why.
type skip struct {
	Contact string `json:"contact"`
	Reason  string `json:"reason"`
}

// enrollRoute is POST /api/kontor/sequences/{id}/enroll, for members and
// up: {"contacts": [ids]} enrols each contact in the sequence, its first
// step scheduled after its delay inside the contact's window. A contact
// who unsubscribed, has no email or is already active in the sequence is
// skipped, with the reason. A contact that is not one of the workspace's,
// a paused sequence or one without steps is a 400, and nothing is written.
// 200 {"enrolled": n, "skipped": [{contact, reason}]}.
func (r *Runner) enrollRoute(e *core.RequestEvent) error {
	seq, err := access.RequireRecord(e, "sequences", access.Member)
	if err != nil {
		return err
	}
	if r.cfg.Secrets == nil {
		return unavailable(e, "Sequences cannot send on this server: no encryption key is configured.")
	}
	var body struct {
		Contacts []string `json:"contacts"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(e.Response, e.Request.Body, 1<<20)).Decode(&body); err != nil {
		return fielderr.New("contacts", `The body must be JSON like {"contacts": ["CONTACT_ID"]}.`)
	}
	ids := make([]string, 0, len(body.Contacts))
	seen := map[string]bool{}
	for _, id := range body.Contacts {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	switch {
	case len(ids) == 0:
		return fielderr.New("contacts", "Choose at least one contact to enrol.")
	case len(ids) > maxEnroll:
		return fielderr.New("contacts", "Enrol at most "+strconv.Itoa(maxEnroll)+" contacts at a time.")
	}
	if !seq.GetBool("active") {
		return fielderr.New("sequence", "This sequence is paused: activate it before enrolling contacts.")
	}
	steps, err := stepsOf(e.App, seq.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(steps) == 0 {
		return fielderr.New("sequence", "This sequence has no steps yet: add an email before enrolling contacts.")
	}
	ws := seq.GetString("workspace")
	contacts := make([]*core.Record, len(ids))
	for i, id := range ids {
		c, err := e.App.FindRecordById("contacts", id)
		if err != nil || c.GetString("workspace") != ws {
			return fielderr.New("contacts", "The contact "+id+" is not one of this workspace's contacts.")
		}
		contacts[i] = c
	}

	now := r.cfg.Now()
	enrolled, skipped := 0, []skip{}
	err = e.App.RunInTransaction(func(tx core.App) error {
		enrolled, skipped = 0, []skip{}
		workspace, err := tx.FindRecordById("workspaces", ws)
		if err != nil {
			return err
		}
		window, _ := ParseWindow(seq.GetString("window_start"), seq.GetString("window_end"))
		business := seq.GetBool("business_days")
		first := steps[0]
		for _, c := range contacts {
			c, err := tx.FindRecordById("contacts", c.Id)
			if err != nil {
				return err
			}
			reason := ""
			switch {
			case c.GetBool("unsubscribed"):
				reason = SkipUnsubscribed
			case strings.TrimSpace(c.GetString("email")) == "":
				reason = SkipNoEmail
			default:
				n, err := tx.CountRecords("sequence_enrollments", dbx.HashExp{"sequence": seq.Id, "contact": c.Id, "status": StatusActive})
				if err != nil {
					return err
				}
				if n > 0 {
					reason = SkipActive
				}
			}
			if reason != "" {
				skipped = append(skipped, skip{Contact: c.Id, Reason: reason})
				continue
			}
			token := newToken()
			loc := Location(c.GetString("timezone"), workspace.GetString("timezone"))
			en := core.NewRecord(mustCollection(tx, "sequence_enrollments"))
			en.Load(map[string]any{
				"workspace": ws, "sequence": seq.Id, "contact": c.Id, "status": StatusActive,
				"next_step":    first.GetInt("position"),
				"next_send_at": Schedule(now, first.GetInt("delay_days"), first.GetInt("delay_hours"), business, window, loc),
				"sent_count":   0, "token_hash": hashToken(token), "token_sealed": r.cfg.Secrets.Seal([]byte(token)),
				"reply_key": newReplyKey(),
			})
			if err := tx.Save(en); err != nil {
				return err
			}
			enrolled++
		}
		return nil
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"enrolled": enrolled, "skipped": skipped})
}

// stopRoute is POST /api/kontor/enrollments/{id}/stop, for members and
// up: an active enrolment stops (stopped) and sends nothing more. 400
// when it is not active; 200 with the enrolment.
func (r *Runner) stopRoute(e *core.RequestEvent) error {
	en, err := access.RequireRecord(e, "sequence_enrollments", access.Member)
	if err != nil {
		return err
	}
	if s := en.GetString("status"); s != StatusActive {
		return fielderr.New("status", "This enrolment is not active any more ("+s+").")
	}
	reason := "stopped by " + e.Auth.GetString("name")
	if e.Auth.GetString("name") == "" {
		reason = "stopped by " + e.Auth.Email()
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("sequence_enrollments", en.Id)
		if err != nil {
			return err
		}
		en = fresh
		if en.GetString("status") != StatusActive {
			return nil
		}
		return stop(tx, en, StatusStopped, reason, r.cfg.Now())
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := apis.EnrichRecord(e, en); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, en)
}
