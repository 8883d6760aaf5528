package mail

// Kind is the outbox kind of an email.
const Kind = "email"

// Email is the payload of an outbox message of kind "email": the email as
// it was rendered when it was queued, and its attachments.
type Email struct {
	From    string            `json:"from"`
	To      []string          `json:"to"`
	Cc      []string          `json:"cc,omitempty"`
	Bcc     []string          `json:"bcc,omitempty"`
	ReplyTo string            `json:"reply_to,omitempty"`
	Subject string            `json:"subject"`
	HTML    string            `json:"html"`
	Text    string            `json:"text,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	// Language is the language it is written in; Template the template it
	// was written from ("" for PocketBase's own mails).
	Language string `json:"language,omitempty"`
	Template string `json:"template,omitempty"`

	Attachments []Attachment `json:"attachments,omitempty"`

	// SealedLink is the secret link of the email, sealed; it replaces
	// sealedLink in the HTML and the text when the email is sent.
	SealedLink string `json:"sealed_link,omitempty"`
}

// Attachment is a file of an email: a reference to a document, which is
// read or produced when the email is sent, or a file carried in the
// payload. Documents are referred to rather than copied: an issued
// invoice's PDF never changes, so every attempt attaches the same file,
// and the outbox stays small.
type Attachment struct {
	// InvoicePDF is the id of an issued invoice whose PDF is attached.
	InvoicePDF string `json:"invoice_pdf,omitempty"`
	// EInvoice is an issued invoice's e-invoice in a format; a hybrid
	// format's PDF replaces the invoice's plain PDF of the same name.
	EInvoice *EInvoiceRef `json:"einvoice,omitempty"`
	// DunningLetter is a client's statement of what is owed on a day,
	// with late-payment interest and compensation.
	DunningLetter *DunningLetterRef `json:"dunning_letter,omitempty"`

	// Name, ContentType and Content are a file carried in the payload
	// (Content is base64 in the JSON); Inline shows it in the HTML, by
	// its name as content id.
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Content     []byte `json:"content,omitempty"`
	Inline      bool   `json:"inline,omitempty"`
}

// EInvoiceRef names an e-invoice: the invoice and the format.
type EInvoiceRef struct {
	Invoice string `json:"invoice"`
	Format  string `json:"format"`
}

// DunningLetterRef names a dunning letter: the client and the day.
type DunningLetterRef struct {
	Client string `json:"client"`
	Date   string `json:"date"`
}

// File is an attachment ready to send.
type File struct {
	Name        string
	ContentType string
	Content     []byte
	Inline      bool
}
