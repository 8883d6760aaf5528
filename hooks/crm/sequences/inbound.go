package sequences

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// maxInboundBody is the largest webhook body read; Resend's carries no
// email body or attachment, only their metadata.
const maxInboundBody = 1 << 20

// inboundEvent is a Resend webhook event; email.received's data is the
// received email's metadata. Headers, when a provider sends them (as a
// map or as a list of name and value), are read for In-Reply-To and
// References.
type inboundEvent struct {
	Type string `json:"type"`
	Data struct {
		EmailID   string          `json:"email_id"`
		From      string          `json:"from"`
		To        []string        `json:"to"`
		Cc        []string        `json:"cc"`
		Bcc       []string        `json:"bcc"`
		MessageID string          `json:"message_id"`
		Subject   string          `json:"subject"`
		InReplyTo string          `json:"in_reply_to"`
		Headers   json.RawMessage `json:"headers"`
	} `json:"data"`
}

// references are the In-Reply-To and References of the email, as far as
// the event carries them.
func (ev inboundEvent) references() []string {
	out := []string{ev.Data.InReplyTo}
	var m map[string]any
	if json.Unmarshal(ev.Data.Headers, &m) == nil {
		for k, v := range m {
			if s, ok := v.(string); ok && (strings.EqualFold(k, "in-reply-to") || strings.EqualFold(k, "references")) {
				out = append(out, s)
			}
		}
	}
	var list []struct{ Name, Value string }
	if json.Unmarshal(ev.Data.Headers, &list) == nil {
		for _, h := range list {
			if strings.EqualFold(h.Name, "in-reply-to") || strings.EqualFold(h.Name, "references") {
				out = append(out, h.Value)
			}
		}
	}
	return out
}

// inboundRoute is POST /api/kontor/inbound/reply: a mail provider's
// inbound-email webhook (Resend's email.received), signed the Svix way
// with KONTOR_INBOUND_WEBHOOK_SECRET. A reply to a sequence email (its To
// is the enrolment's reply+{key}@ address, or its In-Reply-To or
// References a Message-ID the sequence sent) stops the enrolment as
// replied and records an email activity on the contact; one whose subject
// is "unsubscribe" (the mailto: of List-Unsubscribe) unsubscribes the
// contact. Off (503) without a secret; a bad signature is a 400 and
// writes nothing. Any other event, or an email that names no enrolment,
// is acknowledged (200) and changes nothing, so the provider does not
// retry it.
func (r *Runner) inboundRoute(e *core.RequestEvent) error {
	if r.key == nil {
		return unavailable(e, "Inbound replies are off on this server: set KONTOR_INBOUND_WEBHOOK_SECRET to the webhook's signing secret.")
	}
	body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, maxInboundBody))
	if err != nil {
		return e.BadRequestError("The webhook body could not be read.", nil)
	}
	now := r.cfg.Now()
	if err := VerifySignature(r.key, e.Request.Header, body, now); err != nil {
		return e.BadRequestError("The webhook signature is not valid: "+err.Error()+".", nil)
	}
	var ev inboundEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return e.BadRequestError("The webhook body is not a JSON event.", nil)
	}
	if ev.Type != "email.received" {
		return e.JSON(http.StatusOK, map[string]any{"ignored": ev.Type})
	}
	addresses := append(append(append([]string{}, ev.Data.To...), ev.Data.Cc...), ev.Data.Bcc...)
	key := replyKeyOf(addresses, ev.references()...)
	if key == "" {
		return e.JSON(http.StatusOK, map[string]any{"matched": false})
	}
	var result string
	err = e.App.RunInTransaction(func(tx core.App) error {
		var err error
		result, err = r.recordReply(tx, key, ev, now)
		return err
	})
	switch {
	case errors.Is(err, errNoEnrollment):
		return e.JSON(http.StatusOK, map[string]any{"matched": false})
	case err != nil:
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"matched": true, "result": result})
}

// errNoEnrollment is a reply key that names no enrolment.
var errNoEnrollment = errors.New("no enrolment has this reply key")

// recordReply stops the enrolment of the key for the reply (or
// unsubscribes its contact) and records the email on the contact, once
// per Message-ID: a webhook delivered twice records it once.
func (r *Runner) recordReply(tx core.App, key string, ev inboundEvent, now time.Time) (string, error) {
	en, err := tx.FindFirstRecordByData("sequence_enrollments", "reply_key", key)
	if err != nil {
		return "", errNoEnrollment
	}
	marker := "Message-ID: " + ev.Data.MessageID
	if ev.Data.MessageID != "" {
		n, err := tx.CountRecords("activities", dbx.HashExp{"contact": en.GetString("contact"), "type": "email"},
			dbx.Like("body", marker).Match(true, true))
		if err != nil {
			return "", err
		}
		if n > 0 {
			return "duplicate", nil
		}
	}
	result := StatusReplied
	subject := strings.TrimSpace(ev.Data.Subject)
	if strings.EqualFold(subject, "unsubscribe") {
		result = StatusUnsubscribed
		if err := unsubscribeContact(tx, en.GetString("contact"), now); err != nil {
			return "", err
		}
	} else if en.GetString("status") == StatusActive {
		if err := stop(tx, en, StatusReplied, "the contact replied", now); err != nil {
			return "", err
		}
	}
	seqName := ""
	if seq, err := tx.FindRecordById("sequences", en.GetString("sequence")); err == nil {
		seqName = seq.GetString("name")
	}
	title := "Reply: " + subject
	if result == StatusUnsubscribed {
		title = "Unsubscribed by email"
	}
	a := core.NewRecord(mustCollection(tx, "activities"))
	a.Load(map[string]any{
		"workspace": en.GetString("workspace"), "type": "email", "contact": en.GetString("contact"),
		"subject": truncate(title, 200), "occurred_at": now.UTC(),
		"body": truncate("A reply to the sequence "+seqName+".\nFrom: "+ev.Data.From+"\nSubject: "+subject+"\n"+marker, 10000),
	})
	return result, tx.Save(a)
}
