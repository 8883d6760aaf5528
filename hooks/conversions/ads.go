package conversions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// adsDateTime is Google Ads' conversion_date_time layout,
// "yyyy-mm-dd hh:mm:ss+hh:mm".
const adsDateTime = "2006-01-02 15:04:05-07:00"

// adsMessage is the payload of a google_ads message.
type adsMessage struct {
	User  string `json:"user"`
	Event string `json:"event"`
	// NotSent is why the conversion is not uploaded (no click id); the
	// message then ends not_sent, for the admins to see.
	NotSent string `json:"not_sent,omitempty"`
	// Body is the request of ConversionUploadService.UploadClickConversions.
	Body *adsUploadRequest `json:"body,omitempty"`
}

// adsUploadRequest is the body of customers/{id}:uploadClickConversions
// (REST: the proto's fields in lowerCamelCase).
type adsUploadRequest struct {
	Conversions    []clickConversion `json:"conversions"`
	PartialFailure bool              `json:"partialFailure"`
}

type clickConversion struct {
	Gclid              string `json:"gclid"`
	ConversionAction   string `json:"conversionAction"`
	ConversionDateTime string `json:"conversionDateTime"`
	// ConversionValue and CurrencyCode are left out for an event without
	// a value: the conversion action's default value applies.
	ConversionValue *float64         `json:"conversionValue,omitempty"`
	CurrencyCode    string           `json:"currencyCode,omitempty"`
	OrderID         string           `json:"orderId"`
	UserIdentifiers []userIdentifier `json:"userIdentifiers,omitempty"`
	Consent         adsConsent       `json:"consent"`
}

// userIdentifier holds one identifier (the proto's oneof).
type userIdentifier struct {
	HashedEmail       string `json:"hashedEmail,omitempty"`
	HashedPhoneNumber string `json:"hashedPhoneNumber,omitempty"`
}

// adsConsent is ClickConversion.consent: only ad_user_data may be set on
// an upload.
type adsConsent struct {
	AdUserData string `json:"adUserData"`
}

// adsPayload builds the google_ads message of a conversion; why is set
// instead when Google Ads does not take the event at all.
func (s *sender) adsPayload(orderID string, c Conversion, user *core.Record, occurred time.Time, value float64, hasValue bool) (p *adsMessage, why string) {
	cfg := s.ads.cfg
	if !adsEvents[c.Event] {
		return nil, "Google Ads takes a " + c.Event + " as an adjustment of the original conversion, which Kontor does not upload"
	}
	action := cfg.ConversionActions[c.Event]
	if action == "" {
		return nil, "no Google Ads conversion action for " + c.Event + " (KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS)"
	}
	p = &adsMessage{User: user.Id, Event: c.Event}
	gclid := user.GetString("first_gclid")
	if gclid == "" {
		p.NotSent = "no Google click id"
		return p, ""
	}
	conv := clickConversion{
		Gclid:              gclid,
		ConversionAction:   "customers/" + cfg.CustomerID + "/conversionActions/" + action,
		ConversionDateTime: occurred.UTC().Format(adsDateTime),
		OrderID:            orderID,
		Consent:            adsConsent{AdUserData: "GRANTED"},
	}
	if hasValue {
		conv.ConversionValue, conv.CurrencyCode = &value, c.Currency
	}
	if h := HashedEmail(user.Email()); h != "" {
		conv.UserIdentifiers = append(conv.UserIdentifiers, userIdentifier{HashedEmail: h})
	}
	if h := HashedPhone(user.GetString("phone")); h != "" {
		conv.UserIdentifiers = append(conv.UserIdentifiers, userIdentifier{HashedPhoneNumber: h})
	}
	p.Body = &adsUploadRequest{Conversions: []clickConversion{conv}, PartialFailure: true}
	return p, ""
}

// adsClient calls the Google Ads API with an access token it gets, and
// keeps until shortly before it expires, from the OAuth refresh token.
type adsClient struct {
	cfg  AdsConfig
	http *resty.Client
	now  func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

func newAdsClient(cfg AdsConfig, now func() time.Time) *adsClient {
	return &adsClient{cfg: cfg, http: newHTTPClient(), now: now}
}

// accessToken returns a valid access token, refreshing it when needed.
func (a *adsClient) accessToken(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" && a.now().Before(a.expires) {
		return a.token, nil
	}
	res, err := a.http.R().SetContext(ctx).SetFormData(map[string]string{
		"grant_type":    "refresh_token",
		"client_id":     a.cfg.ClientID,
		"client_secret": a.cfg.ClientSecret,
		"refresh_token": a.cfg.RefreshToken,
	}).Post(a.cfg.TokenURL)
	if err != nil {
		return "", fmt.Errorf("Google's OAuth token endpoint cannot be reached: %w", cause(err))
	}
	var t struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(res.Body(), &t)
	if res.StatusCode() == http.StatusOK && t.AccessToken != "" {
		a.token = t.AccessToken
		// renewed a minute early, so that no call goes out with a token
		// about to expire
		a.expires = a.now().Add(time.Duration(max(t.ExpiresIn-60, 0)) * time.Second)
		return a.token, nil
	}
	msg := t.Error
	if t.Description != "" {
		msg += ": " + t.Description
	}
	if msg == "" {
		msg = snippet(res.Body())
	}
	return "", statusError("Google's OAuth token endpoint", res.StatusCode(), msg)
}

// forget drops the access token when Google no longer takes it.
func (a *adsClient) forget(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token == token {
		a.token = ""
	}
}

// alreadyThere are the per-conversion errors that say Google Ads already
// has the conversion: an upload repeated after its answer was lost.
var alreadyThere = map[string]bool{"CLICK_CONVERSION_ALREADY_EXISTS": true, "ORDER_ID_ALREADY_IN_USE": true}

// tooSoon are the per-conversion errors Google asks to retry later (six
// hours after the click or the conversion action's creation).
var tooSoon = map[string]bool{"TOO_RECENT_EVENT": true, "TOO_RECENT_CONVERSION_ACTION": true}

// upload sends one upload request.
func (a *adsClient) upload(ctx context.Context, body *adsUploadRequest) error {
	token, err := a.accessToken(ctx)
	if err != nil {
		return err
	}
	req := a.http.R().SetContext(ctx).SetAuthToken(token).SetHeader("developer-token", a.cfg.DeveloperToken).SetBody(body)
	if a.cfg.LoginCustomerID != "" {
		req.SetHeader("login-customer-id", a.cfg.LoginCustomerID)
	}
	res, err := req.Post(a.cfg.APIBase + "/" + GoogleAdsAPIVersion + "/customers/" + a.cfg.CustomerID + ":uploadClickConversions")
	if err != nil {
		return fmt.Errorf("Google Ads cannot be reached: %w", cause(err))
	}
	if res.StatusCode() == http.StatusUnauthorized {
		// the token was revoked or expired early: the retry gets another
		a.forget(token)
		return fmt.Errorf("Google Ads refused the access token: %s", googleMessage(res.Body()))
	}
	if res.StatusCode() < 200 || res.StatusCode() > 299 {
		return statusError("Google Ads", res.StatusCode(), googleMessage(res.Body()))
	}
	var answer struct {
		PartialFailureError *googleStatus `json:"partialFailureError"`
	}
	if err := json.Unmarshal(res.Body(), &answer); err != nil {
		return fmt.Errorf("Google Ads answered %s with what is not JSON: %s", res.Status(), snippet(res.Body()))
	}
	pf := answer.PartialFailureError
	if pf == nil || (pf.Code == 0 && pf.Message == "" && len(pf.codes()) == 0) {
		return nil
	}
	codes := pf.codes()
	done, later := len(codes) > 0, false
	for _, c := range codes {
		done = done && alreadyThere[c]
		later = later || tooSoon[c]
	}
	switch {
	case done:
		return nil
	case later:
		return errors.New("Google Ads asks to upload later: " + pf.String())
	}
	return outbox.Permanent(errors.New("Google Ads refused the conversion: " + pf.String()))
}
