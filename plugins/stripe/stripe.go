// Package stripe is the first-party payment plugin "stripe": the buyer pays
// an invoice on a Stripe Checkout page, and Stripe's webhooks say whether
// the payment succeeded, failed, expired or was refunded.
//
// It calls Stripe with the workspace's own keys, passed with every call
// (sdk.PaymentRequest.Settings), through a stripe-go client made for the
// call: never the package-global stripe.Key, so two workspaces never share
// a key.
//
// Settings:
//
//	secret_key      required: the account's secret key, sk_live_…/sk_test_…,
//	                or a restricted key rk_live_…/rk_test_… allowed to write
//	                Checkout Sessions
//	webhook_secret  required for webhooks: the signing secret (whsec_…) of
//	                the webhook endpoint set up in Stripe's dashboard
//	api_base        optional: another API base URL (tests use stripe-mock);
//	                empty for https://api.stripe.com
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Name is the provider's id.
const Name = "stripe"

// The settings the plugin reads.
const (
	SettingSecretKey     = "secret_key"
	SettingWebhookSecret = "webhook_secret"
	SettingAPIBase       = "api_base"
)

// Metadata keys set on the Checkout Session (and on its PaymentIntent, from
// which Stripe copies them to the charge).
const (
	MetaInvoiceNumber  = "invoice_number"
	MetaIdempotencyKey = "kontor_idempotency_key"
)

// defaultHTTPClient carries the calls to Stripe; each call's context
// carries Kontor's deadline as well.
var defaultHTTPClient = &http.Client{Timeout: 60 * time.Second}

// Provider takes payments through Stripe Checkout.
type Provider struct {
	// HTTPClient carries the calls to Stripe; nil for a default client.
	HTTPClient *http.Client
}

// Describe says what the plugin is.
func (Provider) Describe() sdk.Description {
	return sdk.Description{
		Kind:    sdk.KindPayment,
		Name:    Name,
		Title:   "Stripe (card and wallet payments via Stripe Checkout)",
		Version: "1.0.0",
	}
}

// CreatePayment creates a Checkout Session for the amount due: mode
// payment, one line "Invoice <number>", the buyer's email prefilled when
// the invoice has one, the invoice number as client_reference_id and in
// the metadata. The request's idempotency key goes to Stripe as its
// Idempotency-Key, so a retried request returns the same session.
// WebhookURL is not used: Stripe posts events to the endpoints set up in
// its dashboard, not per session.
func (p Provider) CreatePayment(ctx context.Context, req sdk.PaymentRequest) (*sdk.PaymentLink, error) {
	api, err := p.client(req.Settings)
	if err != nil {
		return nil, err
	}
	if req.Invoice == nil || req.Invoice.Number == "" {
		return nil, errors.New("stripe: the invoice has no number")
	}
	if req.SuccessURL == "" {
		return nil, errors.New("stripe: a success URL is required")
	}
	currency := req.Currency
	if currency == "" {
		currency = req.Invoice.Currency
	}
	minor, err := MinorUnits(req.Amount, currency)
	if err != nil {
		return nil, fmt.Errorf("stripe: %w", err)
	}
	number := req.Invoice.Number
	title := "Invoice " + number
	meta := map[string]string{MetaInvoiceNumber: number}
	if req.IdempotencyKey != "" {
		meta[MetaIdempotencyKey] = req.IdempotencyKey
	}
	params := &stripego.CheckoutSessionParams{
		Mode: stripego.String(string(stripego.CheckoutSessionModePayment)),
		LineItems: []*stripego.CheckoutSessionLineItemParams{{
			Quantity: stripego.Int64(1),
			PriceData: &stripego.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripego.String(strings.ToLower(currency)),
				UnitAmount:  stripego.Int64(minor),
				ProductData: &stripego.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripego.String(title)},
			},
		}},
		SuccessURL:        stripego.String(req.SuccessURL),
		ClientReferenceID: stripego.String(number),
		Metadata:          meta,
		PaymentIntentData: &stripego.CheckoutSessionPaymentIntentDataParams{
			Description: stripego.String(title),
			Metadata:    map[string]string{MetaInvoiceNumber: number},
		},
	}
	if req.CancelURL != "" {
		params.CancelURL = stripego.String(req.CancelURL)
	}
	if email := buyerEmail(req.Invoice); email != "" {
		params.CustomerEmail = stripego.String(email)
	}
	params.Context = ctx
	if req.IdempotencyKey != "" {
		params.SetIdempotencyKey(req.IdempotencyKey)
	}
	s, err := api.CheckoutSessions.New(params)
	if err != nil {
		return nil, apiError(err)
	}
	link := &sdk.PaymentLink{URL: s.URL, ID: s.ID}
	if s.ExpiresAt > 0 {
		link.ExpiresAt = time.Unix(s.ExpiresAt, 0).UTC().Format(time.RFC3339)
	}
	if link.URL == "" || link.ID == "" {
		return nil, errors.New("stripe: the Checkout Session came back without a URL or an id")
	}
	return link, nil
}

// client makes a Stripe client for the account of the settings.
func (p Provider) client(settings map[string]string) (*client.API, error) {
	key := strings.TrimSpace(settings[SettingSecretKey])
	if key == "" {
		return nil, errors.New("stripe: the secret_key setting is not set")
	}
	if !validKey(key) {
		return nil, errors.New("stripe: the secret_key setting is not a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_live_…, rk_test_…)")
	}
	cfg := &stripego.BackendConfig{
		HTTPClient:        p.HTTPClient,
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelNull},
		MaxNetworkRetries: stripego.Int64(2),
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultHTTPClient
	}
	if base := strings.TrimSpace(settings[SettingAPIBase]); base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errors.New("stripe: the api_base setting is not an http(s) URL")
		}
		cfg.URL = stripego.String(strings.TrimRight(base, "/"))
	}
	b := stripego.GetBackendWithConfig(stripego.APIBackend, cfg)
	return client.New(key, &stripego.Backends{API: b, Connect: b, Uploads: b}), nil
}

// validKey reports whether the key looks like a Stripe secret or
// restricted key (a publishable key pk_… cannot create sessions).
func validKey(key string) bool {
	for _, prefix := range []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_"} {
		if strings.HasPrefix(key, prefix) && len(key) > len(prefix) {
			return true
		}
	}
	return false
}

// buyerEmail is the buyer's email: the contact's, else an electronic
// address of scheme EM.
func buyerEmail(inv *sdk.Invoice) string {
	if c := inv.Buyer.Contact; c != nil && strings.Contains(c.Email, "@") {
		return strings.TrimSpace(c.Email)
	}
	if ea := inv.Buyer.ElectronicAddress; ea != nil && ea.Scheme == "EM" && strings.Contains(ea.ID, "@") {
		return strings.TrimSpace(ea.ID)
	}
	return ""
}

// apiError turns a stripe-go error into one that carries Stripe's message
// (which never contains the full key).
func apiError(err error) error {
	var se *stripego.Error
	if errors.As(err, &se) && se.Msg != "" {
		if se.HTTPStatusCode != 0 {
			return fmt.Errorf("stripe: %s (HTTP %d)", se.Msg, se.HTTPStatusCode)
		}
		return fmt.Errorf("stripe: %s", se.Msg)
	}
	return fmt.Errorf("stripe: %w", err)
}
