// Package gocardless is the first-party payment plugin "gocardless": the
// buyer pays an invoice by instant bank payment (open banking) on
// GoCardless's hosted pages, through a Billing Request and a Billing
// Request Flow of GoCardless's REST API (no SDK: two POSTs and a signed
// webhook).
//
// Settings, passed with every call:
//
//	access_token    required: a read-write access token of the GoCardless
//	                account (live_… or sandbox_…)
//	webhook_secret  required for webhooks: the secret of the webhook
//	                endpoint created in GoCardless's dashboard
//	environment     optional: "live" (https://api.gocardless.com) or
//	                "sandbox" (https://api-sandbox.gocardless.com); empty
//	                for sandbox when the token starts with "sandbox_", live
//	                otherwise
//	base_url        optional: another API base URL, overriding environment
//	                (for tests)
package gocardless

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Name is the provider's id.
const Name = "gocardless"

// The settings the plugin reads.
const (
	SettingAccessToken   = "access_token"
	SettingWebhookSecret = "webhook_secret"
	SettingEnvironment   = "environment"
	SettingBaseURL       = "base_url"
)

// The API's base URLs and the version of the API the plugin speaks.
const (
	LiveURL    = "https://api.gocardless.com"
	SandboxURL = "https://api-sandbox.gocardless.com"
	APIVersion = "2015-07-06"
)

// MetaInvoiceNumber is the metadata key of the invoice number on the
// payment GoCardless creates.
const MetaInvoiceNumber = "invoice_number"

// defaultHTTPClient carries the calls to GoCardless; each call's context
// carries Kontor's deadline as well.
var defaultHTTPClient = &http.Client{Timeout: 60 * time.Second}

// Provider takes instant bank payments through GoCardless.
type Provider struct {
	// HTTPClient carries the calls to GoCardless; nil for a default client.
	HTTPClient *http.Client
}

// Describe says what the plugin is.
func (Provider) Describe() sdk.Description {
	return sdk.Description{
		Kind:    sdk.KindPayment,
		Name:    Name,
		Title:   "GoCardless (instant bank payments)",
		Version: "1.0.0",
	}
}

// billingRequest is the body of POST /billing_requests.
type billingRequest struct {
	PaymentRequest paymentRequest `json:"payment_request"`
}

type paymentRequest struct {
	Description string            `json:"description"`
	Amount      int64             `json:"amount"`
	Currency    string            `json:"currency"`
	Metadata    map[string]string `json:"metadata"`
}

// flow is the body of POST /billing_request_flows, and what it answers.
type flow struct {
	ID               string    `json:"id,omitempty"`
	AuthorisationURL string    `json:"authorisation_url,omitempty"`
	ExpiresAt        string    `json:"expires_at,omitempty"`
	RedirectURI      string    `json:"redirect_uri,omitempty"`
	ExitURI          string    `json:"exit_uri,omitempty"`
	Links            flowLinks `json:"links"`
}

type flowLinks struct {
	BillingRequest string `json:"billing_request"`
}

// CreatePayment creates a Billing Request for an instant bank payment of
// the amount ("Invoice <number>", the invoice number in the metadata of
// the payment it makes), then a Billing Request Flow for it, which returns
// the buyer to the success URL (redirect_uri) or the cancel URL
// (exit_uri). The link is the flow's authorisation_url; its id the Billing
// Request's id (BRQ…), which the webhooks quote.
//
// The idempotency key goes to GoCardless as the Billing Request's
// Idempotency-Key (and, suffixed "-flow", the flow's). GoCardless answers a
// repeated key with a 409 naming the Billing Request created the first
// time; the plugin then continues with that one. WebhookURL is not used:
// GoCardless posts events to the webhook endpoints set up in its dashboard.
func (p Provider) CreatePayment(ctx context.Context, req sdk.PaymentRequest) (*sdk.PaymentLink, error) {
	gc, err := p.api(req.Settings)
	if err != nil {
		return nil, err
	}
	if req.Invoice == nil || req.Invoice.Number == "" {
		return nil, errors.New("gocardless: the invoice has no number")
	}
	currency := strings.ToUpper(req.Currency)
	if currency == "" {
		currency = strings.ToUpper(req.Invoice.Currency)
	}
	minor, err := MinorUnits(req.Amount, currency)
	if err != nil {
		return nil, fmt.Errorf("gocardless: %w", err)
	}

	var brq struct {
		ID string `json:"id"`
	}
	err = gc.post(ctx, "/billing_requests", "billing_requests", billingRequest{PaymentRequest: paymentRequest{
		Description: "Invoice " + req.Invoice.Number,
		Amount:      minor,
		Currency:    currency,
		Metadata:    map[string]string{MetaInvoiceNumber: req.Invoice.Number},
	}}, req.IdempotencyKey, &brq)
	var conflict *conflictError
	switch {
	case errors.As(err, &conflict):
		brq.ID = conflict.id
	case err != nil:
		return nil, err
	}
	if brq.ID == "" {
		return nil, errors.New("gocardless: the billing request came back without an id")
	}

	in := flow{RedirectURI: req.SuccessURL, ExitURI: req.CancelURL, Links: flowLinks{BillingRequest: brq.ID}}
	var out flow
	flowKey := ""
	if req.IdempotencyKey != "" {
		flowKey = req.IdempotencyKey + "-flow"
	}
	err = gc.post(ctx, "/billing_request_flows", "billing_request_flows", in, flowKey, &out)
	if errors.As(err, &conflict) {
		// The flow of an earlier try exists, but GoCardless cannot fetch
		// a flow: make another one for the same Billing Request (which
		// still pays only once).
		err = gc.post(ctx, "/billing_request_flows", "billing_request_flows", in, "", &out)
	}
	if err != nil {
		return nil, err
	}
	if out.AuthorisationURL == "" {
		return nil, errors.New("gocardless: the billing request flow came back without an authorisation_url")
	}
	link := &sdk.PaymentLink{URL: out.AuthorisationURL, ID: brq.ID}
	if t, err := time.Parse(time.RFC3339Nano, out.ExpiresAt); err == nil {
		link.ExpiresAt = t.UTC().Format(time.RFC3339)
	}
	return link, nil
}

// api is GoCardless's API for one account.
type api struct {
	http  *http.Client
	base  string
	token string
}

// api reads the account's settings.
func (p Provider) api(settings map[string]string) (*api, error) {
	token := strings.TrimSpace(settings[SettingAccessToken])
	if token == "" {
		return nil, errors.New("gocardless: the access_token setting is not set")
	}
	a := &api{http: p.HTTPClient, token: token}
	if a.http == nil {
		a.http = defaultHTTPClient
	}
	switch env := strings.ToLower(strings.TrimSpace(settings[SettingEnvironment])); env {
	case "live":
		a.base = LiveURL
	case "sandbox":
		a.base = SandboxURL
	case "":
		a.base = LiveURL
		if strings.HasPrefix(token, "sandbox_") {
			a.base = SandboxURL
		}
	default:
		return nil, fmt.Errorf("gocardless: the environment setting is %q; it is \"live\" or \"sandbox\"", env)
	}
	if base := strings.TrimSpace(settings[SettingBaseURL]); base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, errors.New("gocardless: the base_url setting is not an http(s) URL")
		}
		a.base = strings.TrimRight(base, "/")
	}
	return a, nil
}

// post sends {envelope: in} to the path and reads {envelope: out}.
func (a *api) post(ctx context.Context, path, envelope string, in any, idempotencyKey string, out any) error {
	body, err := json.Marshal(map[string]any{envelope: in})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("gocardless: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("GoCardless-Version", APIVersion)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "kontor-gocardless/1.0")
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	res, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("gocardless: POST %s: %w", path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("gocardless: POST %s: %w", path, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return apiError(path, res.StatusCode, raw)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(raw, &env); err != nil || env[envelope] == nil {
		return fmt.Errorf("gocardless: POST %s: the answer is not a %s object", path, envelope)
	}
	if err := json.Unmarshal(env[envelope], out); err != nil {
		return fmt.Errorf("gocardless: POST %s: %v", path, err)
	}
	return nil
}

// apiErrorBody is GoCardless's error: {"error": {...}}.
type apiErrorBody struct {
	Error struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		RequestID string `json:"request_id"`
		Errors    []struct {
			Field   string            `json:"field"`
			Message string            `json:"message"`
			Reason  string            `json:"reason"`
			Links   map[string]string `json:"links"`
		} `json:"errors"`
	} `json:"error"`
}

// conflictError is GoCardless's answer to a repeated Idempotency-Key: the
// resource exists already, with this id.
type conflictError struct{ id string }

func (e *conflictError) Error() string {
	return "gocardless: already created with this idempotency key: " + e.id
}

// apiError reads GoCardless's error answer: its message, and what each
// field is wrong for, e.g. "Validation failed (amount must be greater than
// 0)".
func apiError(path string, status int, raw []byte) error {
	var body apiErrorBody
	if err := json.Unmarshal(raw, &body); err != nil || body.Error.Message == "" {
		text := strings.TrimSpace(string(raw))
		if len(text) > 200 {
			text = text[:200] + "…"
		}
		return fmt.Errorf("gocardless: POST %s: HTTP %d: %s", path, status, text)
	}
	var details []string
	for _, e := range body.Error.Errors {
		if e.Reason == "idempotent_creation_conflict" && e.Links["conflicting_resource_id"] != "" {
			return &conflictError{id: e.Links["conflicting_resource_id"]}
		}
		switch {
		case e.Field != "" && e.Message != "":
			details = append(details, e.Field+" "+e.Message)
		case e.Message != "" && e.Message != body.Error.Message:
			details = append(details, e.Message)
		}
	}
	msg := body.Error.Message
	if len(details) > 0 {
		msg += " (" + strings.Join(details, "; ") + ")"
	}
	if body.Error.RequestID != "" {
		return fmt.Errorf("gocardless: %s (HTTP %d, request %s)", msg, status, body.Error.RequestID)
	}
	return fmt.Errorf("gocardless: %s (HTTP %d)", msg, status)
}
