// Package conversions reports Kontor's own marketing conversions (a
// registration, a first payment, a plan change, a refund) server-side to
// Google Ads and GA4, only for users whose latest advertising decision is
// "accepted" and who have not objected.
//
// Billing queues an outbox message of kind "conversion" per event. Its
// handler checks the user's consent and fans the event out: one outbox
// message per configured destination ("google_ads", "ga4"), keyed by the
// conversion message's id and holding the request body to send. Their
// handlers check the consent again right before sending, so a withdrawal
// or an objection between queueing and sending stops the upload, and POST
// through go-resty; a 429 or 5xx is retried by the outbox with backoff, any
// other refusal fails the message with Google's message. A destination
// without configuration is off; with neither, conversion messages end
// not_sent. See docs/consent.md, "Conversions".
package conversions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// The outbox kinds: the conversion billing queues, and the uploads it fans
// out to.
const (
	// Kind is billing's conversion message (billing.ConversionKind).
	Kind = "conversion"
	// KindGoogleAds is one click conversion upload to Google Ads.
	KindGoogleAds = "google_ads"
	// KindGA4 is one Measurement Protocol event sent to GA4.
	KindGA4 = "ga4"
)

// The conversion events.
const (
	EventRegistration = "registration"
	EventFirstPayment = "first_payment"
	EventPlanChange   = "plan_change"
	EventRefund       = "refund"
)

var (
	events = map[string]bool{EventRegistration: true, EventFirstPayment: true, EventPlanChange: true, EventRefund: true}
	// adsEvents are the events uploaded to Google Ads as click conversions;
	// a refund is not one (Google Ads takes it as an adjustment).
	adsEvents = map[string]bool{EventRegistration: true, EventFirstPayment: true, EventPlanChange: true}
)

// Conversion is the payload of a conversion message, as billing queues it
// (billing.Conversion).
type Conversion struct {
	Event     string `json:"event"`
	User      string `json:"user"`
	Workspace string `json:"workspace"`
	// Value is a decimal string in the currency's major unit ("19.00");
	// "0" with no currency when the event has no value.
	Value    string `json:"value"`
	Currency string `json:"currency"`
	// OccurredAt is when it happened, RFC 3339.
	OccurredAt string `json:"occurred_at"`
	// Plan is the new plan of a plan change.
	Plan string `json:"plan,omitempty"`
}

// amount is the conversion's value, and whether it has one: a value with a
// currency.
func (c Conversion) amount() (float64, bool, error) {
	if strings.TrimSpace(c.Currency) == "" {
		return 0, false, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(c.Value), 64)
	if err != nil || v < 0 {
		return 0, false, fmt.Errorf("the conversion's value %q is not an amount", c.Value)
	}
	return v, true, nil
}

// sender carries conversions out.
type sender struct {
	app     core.App
	allowed AllowedFunc
	now     func() time.Time
	ads     *adsClient // nil when off
	ga4     *ga4Client // nil when off
}

// Register binds the handlers of the conversion messages and of the
// uploads they fan out to, and says at start which destinations are on.
func Register(app core.App, ob *outbox.Worker, cfg Config) {
	s := &sender{app: app, allowed: cfg.Allowed, now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.Ads != nil {
		s.ads = newAdsClient(*cfg.Ads, s.now)
	}
	if cfg.GA4 != nil {
		s.ga4 = newGA4Client(*cfg.GA4)
	}
	ob.Handle(Kind, s.fanOut)
	ob.Handle(KindGoogleAds, s.deliverAds)
	ob.Handle(KindGA4, s.deliverGA4)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		var on []string
		if cfg.Ads != nil {
			on = append(on, "Google Ads (customer "+cfg.Ads.CustomerID+", API "+GoogleAdsAPIVersion+")")
		}
		if cfg.GA4 != nil {
			on = append(on, "GA4 ("+cfg.GA4.MeasurementID+" at "+cfg.GA4.Endpoint+")")
		}
		switch {
		case len(on) == 0:
			se.App.Logger().Info("Conversion uploads are OFF (no KONTOR_GOOGLE_ADS_* or KONTOR_GA4_* set)")
		case cfg.Allowed == nil:
			se.App.Logger().Warn("Conversion uploads are configured but have no consent check: nothing is uploaded")
		default:
			se.App.Logger().Info("Conversion uploads: " + strings.Join(on, ", ") + ", with advertising consent only")
		}
		return se.Next()
	})
}

// fanOut handles a conversion message: with the user's consent it queues
// one upload per destination that takes the event.
func (s *sender) fanOut(_ context.Context, m outbox.Item) error {
	var c Conversion
	if err := json.Unmarshal(m.Payload, &c); err != nil {
		return outbox.Permanent(fmt.Errorf("a conversion message that cannot be read: %w", err))
	}
	if !events[c.Event] {
		return outbox.Permanent(fmt.Errorf("unknown conversion event %q", c.Event))
	}
	occurred, err := time.Parse(time.RFC3339, c.OccurredAt)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("the conversion's occurred_at %q is not an RFC 3339 time", c.OccurredAt))
	}
	value, hasValue, err := c.amount()
	if err != nil {
		return outbox.Permanent(err)
	}
	if s.ads == nil && s.ga4 == nil {
		return outbox.NotSent("conversion uploads are off: no KONTOR_GOOGLE_ADS_* or KONTOR_GA4_* is set")
	}
	user, err := s.user(c.User)
	if err != nil {
		return err
	}
	if err := s.consent(user.Id); err != nil {
		return err
	}

	var queue []outbox.Message
	var skipped []string
	if s.ads != nil {
		if p, why := s.adsPayload(m.ID, c, user, occurred, value, hasValue); why != "" {
			skipped = append(skipped, why)
		} else {
			queue = append(queue, outbox.Message{Kind: KindGoogleAds, Key: KindGoogleAds + ":" + m.ID, Payload: p,
				Summary: "Google Ads conversion: " + c.Event})
		}
	}
	if s.ga4 != nil {
		queue = append(queue, outbox.Message{Kind: KindGA4, Key: KindGA4 + ":" + m.ID,
			Payload: s.ga4Payload(m.ID, c, user, occurred, value, hasValue), Summary: "GA4 event: " + c.Event})
	}
	if len(queue) == 0 {
		return outbox.NotSent(strings.Join(skipped, "; "))
	}
	// The uploads belong to no workspace: they carry the user's click id
	// and hashed email, which the workspace's other admins must not see.
	return s.app.RunInTransaction(func(tx core.App) error {
		for _, msg := range queue {
			if _, _, err := outbox.Enqueue(tx, msg); err != nil {
				return err
			}
		}
		return nil
	})
}

// user finds the user a conversion is about; a conversion of no user, or
// of a deleted one, is not sent.
func (s *sender) user(id string) (*core.Record, error) {
	if id == "" {
		return nil, outbox.NotSent("the conversion names no user")
	}
	u, err := s.app.FindRecordById("users", id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, outbox.NotSent("the user no longer exists")
	}
	return u, err
}

// consent returns nil when the user's conversions may be uploaded, and
// NotSent with the reason when not.
func (s *sender) consent(userID string) error {
	if s.allowed == nil {
		return outbox.NotSent("no consent check is configured, so nothing is uploaded")
	}
	ok, reason, err := s.allowed(s.app, userID)
	if err != nil {
		return fmt.Errorf("checking the user's advertising consent: %w", err)
	}
	if !ok {
		if reason == "" {
			reason = "the user has not accepted advertising"
		}
		return outbox.NotSent(reason)
	}
	return nil
}

// deliverAds handles a google_ads message: with the user's consent still
// given, it uploads the click conversion.
func (s *sender) deliverAds(ctx context.Context, m outbox.Item) error {
	var p adsMessage
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return outbox.Permanent(fmt.Errorf("a Google Ads message that cannot be read: %w", err))
	}
	if p.NotSent != "" {
		return outbox.NotSent(p.NotSent)
	}
	if s.ads == nil {
		return outbox.NotSent("Google Ads uploads are off now")
	}
	if p.Body == nil {
		return outbox.Permanent(errors.New("a Google Ads message without a request"))
	}
	if _, err := s.user(p.User); err != nil {
		return err
	}
	if err := s.consent(p.User); err != nil {
		return err
	}
	return s.ads.upload(ctx, p.Body)
}

// ga4MaxAge is how far back GA4 takes an event's timestamp.
const ga4MaxAge = 72 * time.Hour

// deliverGA4 handles a ga4 message: with the user's consent still given, it
// sends the event.
func (s *sender) deliverGA4(ctx context.Context, m outbox.Item) error {
	var p ga4Message
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return outbox.Permanent(fmt.Errorf("a GA4 message that cannot be read: %w", err))
	}
	if p.Body == nil {
		return outbox.Permanent(errors.New("a GA4 message without a request"))
	}
	if s.ga4 == nil {
		return outbox.NotSent("GA4 events are off now")
	}
	if _, err := s.user(p.User); err != nil {
		return err
	}
	if err := s.consent(p.User); err != nil {
		return err
	}
	if at := time.UnixMicro(p.Body.TimestampMicros); s.now().Sub(at) > ga4MaxAge {
		return outbox.NotSent("GA4 takes events up to 72 hours old; this one is from " + at.UTC().Format(time.RFC3339))
	}
	return s.ga4.send(ctx, p.Body)
}
