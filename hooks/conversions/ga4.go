package conversions

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/pocketbase/pocketbase/core"
)

// ga4Message is the payload of a ga4 message.
type ga4Message struct {
	User  string `json:"user"`
	Event string `json:"event"`
	// Body is the Measurement Protocol request.
	Body *ga4Request `json:"body"`
}

// ga4Request is the body of POST /mp/collect.
type ga4Request struct {
	ClientID        string     `json:"client_id"`
	UserID          string     `json:"user_id"`
	TimestampMicros int64      `json:"timestamp_micros"`
	Consent         ga4Consent `json:"consent"`
	Events          []ga4Event `json:"events"`
}

type ga4Consent struct {
	AdUserData        string `json:"ad_user_data"`
	AdPersonalization string `json:"ad_personalization"`
}

type ga4Event struct {
	Name   string         `json:"name"`
	Params map[string]any `json:"params,omitempty"`
}

// ga4Names are the GA4 events of the conversion events: GA4's recommended
// sign_up, purchase and refund, and a custom plan_change.
var ga4Names = map[string]string{
	EventRegistration: "sign_up",
	EventFirstPayment: "purchase",
	EventPlanChange:   "plan_change",
	EventRefund:       "refund",
}

// ga4Payload builds the ga4 message of a conversion. The transaction id of
// a purchase or refund is the conversion message's id.
func (s *sender) ga4Payload(id string, c Conversion, user *core.Record, occurred time.Time, value float64, hasValue bool) *ga4Message {
	params := map[string]any{}
	switch c.Event {
	case EventFirstPayment, EventRefund:
		params["transaction_id"] = id
	case EventPlanChange:
		if c.Plan != "" {
			params["plan"] = c.Plan
		}
	}
	if hasValue {
		params["value"], params["currency"] = value, c.Currency
	}
	return &ga4Message{User: user.Id, Event: c.Event, Body: &ga4Request{
		ClientID:        GAClientID(user.GetString("ga_client_id"), user.Id),
		UserID:          user.Id,
		TimestampMicros: occurred.UnixMicro(),
		// advertising consent lets the event be used to measure ads, not
		// to personalise them
		Consent: ga4Consent{AdUserData: "GRANTED", AdPersonalization: "DENIED"},
		Events:  []ga4Event{{Name: ga4Names[c.Event], Params: params}},
	}}
}

// GAClientID is the GA4 client id of a user: the one of their _ga cookie
// kept at sign-up (the cookie's value "GA1.1.1234567890.1700000000" gives
// "1234567890.1700000000"; a bare id is taken as it is), else one derived
// from the user's id, the same for every event of the user, in GA's
// "<number>.<number>" form. GA4 requires a client id for a web stream; the
// user_id ties the events to the user either way.
func GAClientID(stored, userID string) string {
	stored = strings.TrimSpace(stored)
	if parts := strings.Split(stored, "."); len(parts) == 4 && strings.HasPrefix(parts[0], "GA") {
		return parts[2] + "." + parts[3]
	}
	if stored != "" {
		return stored
	}
	sum := sha256.Sum256([]byte("kontor ga4 client id:" + userID))
	return fmt.Sprintf("%d.%d", binary.BigEndian.Uint32(sum[:4]), binary.BigEndian.Uint32(sum[4:8]))
}

// ga4Client sends Measurement Protocol events to one web data stream.
type ga4Client struct {
	cfg  GA4Config
	http *resty.Client
}

func newGA4Client(cfg GA4Config) *ga4Client {
	return &ga4Client{cfg: cfg, http: newHTTPClient()}
}

// send posts one request. GA4 answers 2xx to whatever it receives, valid
// or not (its /debug/mp/collect validates); anything else is an error of
// the endpoint.
func (g *ga4Client) send(ctx context.Context, body *ga4Request) error {
	res, err := g.http.R().SetContext(ctx).
		SetQueryParams(map[string]string{"measurement_id": g.cfg.MeasurementID, "api_secret": g.cfg.APISecret}).
		SetBody(body).
		Post(g.cfg.Endpoint + "/mp/collect")
	if err != nil {
		return fmt.Errorf("GA4 cannot be reached: %w", cause(err))
	}
	if res.StatusCode() < 200 || res.StatusCode() > 299 {
		return statusError("GA4", res.StatusCode(), snippet(res.Body()))
	}
	return nil
}
