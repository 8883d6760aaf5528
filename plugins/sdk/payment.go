package sdk

import "context"

// Payment is a plugin of kind "payment": a payment provider. Kontor asks it
// for a payment link for an invoice, and gives it the webhooks the provider
// sends so it can say what happened.
type Payment interface {
	Plugin
	// CreatePayment asks the provider for a way for the buyer to pay.
	CreatePayment(ctx context.Context, req PaymentRequest) (*PaymentLink, error)
	// ParseWebhook verifies a webhook (its signature) and reads the payment
	// event in it. An event the plugin does not care about has Type
	// EventIgnored.
	ParseWebhook(ctx context.Context, req WebhookRequest) (*PaymentEvent, error)
}

// PaymentRequest is what Kontor asks a provider to collect.
type PaymentRequest struct {
	// Invoice is the invoice to pay.
	Invoice *Invoice
	// Amount is the amount to collect, a decimal string, e.g. "120.50".
	Amount string
	// Currency is its ISO 4217 code.
	Currency string
	// SuccessURL and CancelURL are where the buyer returns to.
	SuccessURL, CancelURL string
	// IdempotencyKey is the same for retries of one request.
	IdempotencyKey string
	// Settings are the workspace's account at the provider, by the names
	// the plugin documents (e.g. "secret_key"); Kontor keeps them
	// encrypted and passes them with each call. A plugin never logs them.
	Settings map[string]string
	// WebhookURL is where the provider should post its events about this
	// payment, for providers that take it per payment.
	WebhookURL string
}

// PaymentLink is where the buyer pays.
type PaymentLink struct {
	// URL is the page the buyer pays on.
	URL string
	// ID is the provider's id of the payment, quoted again in its events.
	ID string
	// ExpiresAt is when the link stops working (RFC 3339), empty for never.
	ExpiresAt string
}

// WebhookRequest is a webhook as Kontor received it.
type WebhookRequest struct {
	// Headers are the HTTP headers, by canonical name.
	Headers map[string][]string
	// Body is the raw body, as signed by the provider.
	Body []byte
	// Settings are the workspace's account at the provider, as in
	// PaymentRequest: the webhook's signing secret among them.
	Settings map[string]string
}

// PaymentEvent is what a webhook says.
type PaymentEvent struct {
	// ID is the provider's event id; Kontor handles each id once.
	ID string
	// Type is one of the Event constants.
	Type string
	// PaymentID is the id CreatePayment returned.
	PaymentID string
	// InvoiceNumber is the number of the invoice paid, when the provider
	// carries it.
	InvoiceNumber string
	// Amount is the amount, a decimal string, and Currency its ISO 4217 code.
	Amount, Currency string
	// OccurredAt is when it happened (RFC 3339).
	OccurredAt string
}

// Types of PaymentEvent.
const (
	EventSucceeded = "succeeded"
	EventFailed    = "failed"
	EventRefunded  = "refunded"
	EventExpired   = "expired"
	EventIgnored   = "ignored"
)
