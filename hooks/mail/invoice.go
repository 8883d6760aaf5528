package mail

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cast"

	"github.com/kontor-app/kontor/hooks/fielderr"
)

// invoiceTemplates are the emails about an issued invoice, and whether
// they attach its PDF and e-invoice.
var invoiceTemplates = map[string]bool{"invoice_sent": true, "reminder": true, "payment_received": false}

// QueueInvoiceMail queues, in app's transaction, an email about an issued
// invoice to its client, from the template of the name (e.g.
// "invoice_sent", "reminder"), with the idempotency key given; data adds
// values for the template:
//
//	"to"       the address to send to instead of the client's email
//	"message"  a personal note of the sender, shown as written
//	"level", "levels"  a reminder's level, of how many: the first is
//	           friendly, the last final, those between firm
//	"dunning_letter", "dunning_date"  a client id and a day: attaches the
//	           client's dunning letter of that day
//	"payment", "date", "due"  a payment's amount and date, and what is
//	           still due after it
//
// The email is in the client's language, else the invoice's, else the
// workspace's, else English; it goes out in the workspace's name with
// replies to the workspace's email. invoice_sent and reminder attach the
// invoice's PDF and, when the client prefers an e-invoice format, the
// e-invoice. A draft, or a client with no email address and no "to", is a
// 400 error that names the problem.
func (m *Mailer) QueueInvoiceMail(app core.App, invoice *core.Record, template, key string, data map[string]any) error {
	attach, ok := invoiceTemplates[template]
	if !ok {
		return fmt.Errorf("mail: %q is not an email about an invoice", template)
	}
	if s := invoice.GetString("status"); s == "" || s == "draft" {
		return apis.NewBadRequestError("This invoice is a draft: issue it before emailing it.", nil)
	}
	workspace, err := app.FindRecordById("workspaces", invoice.GetString("workspace"))
	if err != nil {
		return err
	}
	client, _ := app.FindRecordById("clients", invoice.GetString("client"))
	var seller struct {
		IBAN string `json:"iban"`
	}
	_ = json.Unmarshal([]byte(invoice.GetString("seller")), &seller)
	name, clientLang := buyerOf(invoice).Name, ""
	if client != nil {
		name, clientLang = client.GetString("name"), client.GetString("language")
	}

	to := strings.TrimSpace(cast.ToString(data["to"]))
	if to == "" {
		to = clientEmail(app, invoice)
	}
	if to == "" {
		return fielderr.New("to", "The client "+name+" has no email address. Add one to the client, or give the address to send the invoice to.")
	}
	if err := is.EmailFormat.Validate(to); err != nil {
		return fielderr.New("to", "\""+to+"\" is not a valid email address.")
	}

	var totals struct {
		Gross string `json:"gross"`
		Due   string `json:"due"`
	}
	_ = json.Unmarshal([]byte(invoice.GetString("totals")), &totals)
	v := Values{
		Name: name, ToClient: true, Workspace: workspace.GetString("name"), Client: name,
		Document: invoice.GetString("document_type"), Number: invoice.GetString("number"),
		IssueDate: invoice.GetString("issue_date"), DueDate: invoice.GetString("due_date"),
		Currency: invoice.GetString("currency"), Amount: totals.Gross, Due: totals.Due, IBAN: seller.IBAN,
		Message: strings.TrimSpace(cast.ToString(data["message"])),
		Level:   firmness(cast.ToInt(data["level"]), cast.ToInt(data["levels"])),
		Payment: cast.ToString(data["payment"]), Date: cast.ToString(data["date"]),
	}
	if due, ok := data["due"]; ok {
		v.Due = cast.ToString(due)
	}
	if id := invoice.GetString("credited_invoice"); id != "" {
		if credited, err := app.FindRecordById("invoices", id); err == nil {
			v.Credited = credited.GetString("number")
		}
	}

	var attachments []Attachment
	if attach {
		attachments = append(attachments, Attachment{InvoicePDF: invoice.Id})
		if client != nil && client.GetString("preferred_format") != "" {
			attachments = append(attachments, Attachment{EInvoice: &EInvoiceRef{Invoice: invoice.Id, Format: client.GetString("preferred_format")}})
		}
	}
	if letter := cast.ToString(data["dunning_letter"]); letter != "" {
		attachments = append(attachments, Attachment{DunningLetter: &DunningLetterRef{Client: letter, Date: cast.ToString(data["dunning_date"])}})
		v.DunningLetter = true
	}
	var payLink string
	if template != "payment_received" && m.cfg.PayURL != nil {
		payLink = m.cfg.PayURL(app, invoice)
	}
	return m.Queue(app, Mail{
		Template: template, Key: key, Workspace: workspace, To: to,
		Language:    Language(clientLang, invoice.GetString("language"), workspace.GetString("language")),
		Summary:     summary(template, v, to),
		Values:      v,
		Attachments: attachments,
		SecretLink:  payLink,
	})
}

// firmness is the tone of reminder level of levels: 1 friendly for the
// first, 3 final for the last, 2 firm for those between. Without levels,
// the level itself, from 1 to 3.
func firmness(level, levels int) int {
	switch {
	case levels <= 0:
		return min(max(level, 1), 3)
	case level <= 1:
		return 1
	case level >= levels:
		return 3
	}
	return 2
}

// summary describes an invoice email in the outbox, in the words of the
// people who read it there: "Invoice INV-2026-0001 to ap@acme.example".
func summary(template string, v Values, to string) string {
	document := "Invoice"
	if v.Document == "credit_note" {
		document = "Credit note"
	}
	switch template {
	case "reminder":
		return fmt.Sprintf("Reminder %d for invoice %s to %s", min(max(v.Level, 1), 3), v.Number, to)
	case "payment_received":
		return fmt.Sprintf("Payment received for invoice %s to %s", v.Number, to)
	}
	return fmt.Sprintf("%s %s to %s", document, v.Number, to)
}

// buyer is what an issued invoice froze of its client.
type buyer struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

func buyerOf(invoice *core.Record) buyer {
	var b buyer
	_ = json.Unmarshal([]byte(invoice.GetString("buyer")), &b)
	return b
}

// clientEmail is where emails about an invoice go: its client's email, or,
// when the client has none (or is gone), the email frozen on the invoice.
func clientEmail(app core.App, invoice *core.Record) string {
	if client, err := app.FindRecordById("clients", invoice.GetString("client")); err == nil && client.GetString("email") != "" {
		return client.GetString("email")
	}
	return buyerOf(invoice).Email
}
