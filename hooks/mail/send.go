package mail

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/access"
	"github.com/kontor-app/kontor/hooks/fielderr"
	"github.com/kontor-app/kontor/hooks/outbox"
)

// repeatWindow is how soon a second send of an invoice to the same address
// counts as a repeat of the first (a double click, a retried request)
// rather than a new email.
const repeatWindow = time.Minute

// maxNoteLength is the longest personal note an invoice email carries.
const maxNoteLength = 5000

// sendRequest is the optional body of the send route.
type sendRequest struct {
	// To is the address to send to instead of the client's email.
	To string `json:"to"`
	// Message is a personal note shown in the email.
	Message string `json:"message"`
}

// sendRoute is POST /api/kontor/invoices/{id}/send: it emails an issued
// invoice or credit note to its client, with its PDF, for members and up.
// One transaction queues the email and records the send on the invoice:
// sent_at, and the status sent when it was issued (a partially paid or
// paid invoice keeps its status). Sending again later is a new email;
// sending again to the same address within a minute is taken for a
// double click and changes nothing.
func (m *Mailer) sendRoute(e *core.RequestEvent) error {
	invoice, err := access.RequireRecord(e, "invoices", access.Member)
	if err != nil {
		return err
	}

	var body sendRequest
	if e.Request.ContentLength != 0 {
		if err := json.NewDecoder(e.Request.Body).Decode(&body); err != nil {
			return e.BadRequestError(`The body must be JSON like {"to": "ap@client.example", "message": "Thank you!"}, or empty to send to the client's email.`, nil)
		}
	}
	body.To, body.Message = strings.TrimSpace(body.To), strings.TrimSpace(body.Message)
	errs := fielderr.Errors{}
	if body.To != "" && is.EmailFormat.Validate(body.To) != nil {
		errs.Add("to", "Enter a valid email address, like ap@client.example.")
	}
	if len([]rune(body.Message)) > maxNoteLength {
		errs.Add("message", "Keep the message under "+strconv.Itoa(maxNoteLength)+" characters.")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if s := invoice.GetString("status"); s == "" || s == "draft" {
		return e.BadRequestError("This invoice is a draft: issue it before sending it.", nil)
	}

	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("invoices", invoice.Id)
		if err != nil {
			return err
		}
		invoice = fresh
		to := body.To
		if to == "" {
			to = clientEmail(tx, fresh)
		}
		key, repeat, err := sendKey(tx, fresh.Id, to, m.now())
		if err != nil || repeat {
			return err
		}
		if fresh.GetString("status") == "issued" {
			fresh.Set("status", "sent")
		}
		fresh.Set("sent_at", m.now())
		if err := tx.Save(fresh); err != nil {
			return err
		}
		return m.QueueInvoiceMail(tx, fresh, "invoice_sent", key, map[string]any{"to": body.To, "message": body.Message})
	})
	if err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, invoice); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, invoice)
}

// sendKey is the idempotency key of a send of the invoice to the address:
// "invoice_sent:<invoice id>:<n>", n counting the sends of the invoice, so
// every deliberate send is an email of its own. When the last send went to
// the same address less than repeatWindow ago, it is its key, and repeat
// is true.
func sendKey(app core.App, invoiceID, to string, now time.Time) (key string, repeat bool, err error) {
	prefix := "invoice_sent:" + invoiceID + ":"
	var sends []*core.Record
	err = app.RecordQuery(outbox.Collection).
		AndWhere(dbx.NewExp("idempotency_key >= {:from} AND idempotency_key < {:to}",
			dbx.Params{"from": prefix, "to": strings.TrimSuffix(prefix, ":") + ";"})).
		OrderBy("created DESC").
		All(&sends)
	if err != nil {
		return "", false, err
	}
	if len(sends) > 0 {
		last := sends[0]
		var email Email
		_ = json.Unmarshal([]byte(last.GetString("payload")), &email)
		if now.Sub(last.GetDateTime("created").Time()) < repeatWindow && slices.Equal(email.To, []string{to}) {
			return last.GetString("idempotency_key"), true, nil
		}
	}
	return prefix + strconv.Itoa(len(sends)+1), false, nil
}

// statusRoute is GET /api/kontor/mail/status: how emails are sent now
// ({"sender": "resend", "smtp" or "off"}), for any signed-in user, so the
// web UI can say when mail is off.
func (m *Mailer) statusRoute(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to do this.", nil)
	}
	return e.JSON(http.StatusOK, map[string]string{"sender": m.Sender()})
}
