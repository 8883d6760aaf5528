package conversions_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/outbox"
)

// hashes of the normalised identifiers of the user of these tests
const (
	janeEmailHash = "338abf9ef1c8793cadc7bcf51ed595338eb727ed9e06ce3d91d566d60b975937" // janedoe@googlemail.com
	janePhoneHash = "cb24629d1dbeb6ee24e7c20610896274e8102e67aa6efc2f3a1be2893c38008b" // +34600111222
)

// jane is a user who came through a Google ad and accepted analytics.
func jane(t *testing.T, w *world) string {
	return w.user(t, "Jane.Doe+kontor@GoogleMail.com", map[string]any{
		"first_gclid": "Cj0KCQiA-gclid-of-jane", "ga_client_id": "GA1.1.1234567890.1700000000", "phone": "+34 600 111 222"})
}

// A first payment goes to Google Ads as a click conversion and to GA4 as a
// purchase; both requests are as Google documents them, field by field.
func TestFirstPaymentUploadedToGoogleAdsAndGA4(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	user := jane(t, w)
	ws := w.workspace(t, "Nordlicht GmbH")
	occurred := w.clock.Now().Add(-time.Hour).Truncate(time.Second)
	id := w.queue(t, "first_payment:"+ws, conversions.Conversion{Event: "first_payment", User: user, Workspace: ws,
		Value: "19.00", Currency: "EUR", OccurredAt: occurred.Format(time.RFC3339)})
	w.run(t)

	w.status(t, "conversion:first_payment:"+ws, outbox.StatusSent, "")
	for _, key := range []string{"google_ads:" + id, "ga4:" + id} {
		m := w.status(t, key, outbox.StatusSent, "")
		if m.GetString("workspace") != "" {
			t.Errorf("%s belongs to workspace %s; the user's identifiers are for no workspace's admins", key, m.GetString("workspace"))
		}
	}

	// the access token, from the refresh token
	tokens := w.google.requests("token")
	if len(tokens) != 1 {
		t.Fatalf("%d token requests", len(tokens))
	}
	form, _ := parseForm(tokens[0].Body)
	fields(t, "token form", form, map[string]any{"grant_type": "refresh_token", "client_id": "client-id.apps.googleusercontent.com",
		"client_secret": "client-secret", "refresh_token": "1//refresh-token"})
	if ct := tokens[0].Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("token request Content-Type %q", ct)
	}

	// Google Ads: UploadClickConversions
	ads := w.google.requests("ads")
	if len(ads) != 1 {
		t.Fatalf("%d Google Ads requests", len(ads))
	}
	r := ads[0]
	if r.Method != http.MethodPost || r.Path != "/v26/customers/1234567890:uploadClickConversions" {
		t.Errorf("Google Ads request %s %s", r.Method, r.Path)
	}
	for header, want := range map[string]string{"Authorization": "Bearer ya29.token-1", "developer-token": "dev-token-123",
		"login-customer-id": "9876543210", "Content-Type": "application/json"} {
		if got := r.Header.Get(header); got != want {
			t.Errorf("Google Ads header %s = %q, want %q", header, got, want)
		}
	}
	fields(t, "ads", body(t, r.Body), map[string]any{
		"conversions": []any{map[string]any{
			"gclid":              "Cj0KCQiA-gclid-of-jane",
			"conversionAction":   "customers/1234567890/conversionActions/222",
			"conversionDateTime": occurred.UTC().Format("2006-01-02 15:04:05") + "+00:00",
			"conversionValue":    19.0,
			"currencyCode":       "EUR",
			"orderId":            id,
			"userIdentifiers":    []any{map[string]any{"hashedEmail": janeEmailHash}, map[string]any{"hashedPhoneNumber": janePhoneHash}},
			"consent":            map[string]any{"adUserData": "GRANTED"},
		}},
		"partialFailure": true,
	})

	// GA4: Measurement Protocol
	ga := w.google.requests("ga4")
	if len(ga) != 1 {
		t.Fatalf("%d GA4 requests", len(ga))
	}
	r = ga[0]
	if r.Method != http.MethodPost || r.Path != "/mp/collect" {
		t.Errorf("GA4 request %s %s", r.Method, r.Path)
	}
	if q := r.Query; q.Get("measurement_id") != "G-TEST123456" || q.Get("api_secret") != "mp-secret" || len(q) != 2 {
		t.Errorf("GA4 query %v", q)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GA4 Content-Type %q", ct)
	}
	fields(t, "ga4", body(t, r.Body), map[string]any{
		"client_id":        "1234567890.1700000000",
		"user_id":          user,
		"timestamp_micros": float64(occurred.UnixMicro()),
		"consent":          map[string]any{"ad_user_data": "GRANTED", "ad_personalization": "DENIED"},
		"events": []any{map[string]any{"name": "purchase", "params": map[string]any{
			"transaction_id": id, "value": 19.0, "currency": "EUR"}}},
	})
}

// A registration has no value: Google Ads gets none (the conversion
// action's default applies) and GA4 a bare sign_up. A plan change names
// the plan.
func TestRegistrationAndPlanChange(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	user := jane(t, w)
	at := w.clock.Now().Add(-time.Minute).Truncate(time.Second)
	reg := w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0", OccurredAt: at.Format(time.RFC3339)})
	plan := w.queue(t, "plan_change:evt_1", conversions.Conversion{Event: "plan_change", User: user, Value: "49.00", Currency: "EUR",
		Plan: "team", OccurredAt: at.Format(time.RFC3339)})
	w.run(t)

	for _, id := range []string{reg, plan} {
		w.status(t, "google_ads:"+id, outbox.StatusSent, "")
		w.status(t, "ga4:"+id, outbox.StatusSent, "")
	}
	ads := map[string]map[string]any{}
	for _, r := range w.google.requests("ads") {
		c := body(t, r.Body)["conversions"].([]any)[0].(map[string]any)
		ads[c["orderId"].(string)] = c
	}
	fields(t, "registration", ads[reg], map[string]any{
		"gclid": "Cj0KCQiA-gclid-of-jane", "conversionAction": "customers/1234567890/conversionActions/111",
		"conversionDateTime": at.UTC().Format("2006-01-02 15:04:05") + "+00:00", "orderId": reg,
		"userIdentifiers": []any{map[string]any{"hashedEmail": janeEmailHash}, map[string]any{"hashedPhoneNumber": janePhoneHash}},
		"consent":         map[string]any{"adUserData": "GRANTED"},
	})
	if c := ads[plan]; c["conversionAction"] != "customers/1234567890/conversionActions/333" || c["conversionValue"] != 49.0 || c["currencyCode"] != "EUR" {
		t.Errorf("plan change %v", c)
	}

	events := map[string]any{}
	for _, r := range w.google.requests("ga4") {
		e := body(t, r.Body)["events"].([]any)[0].(map[string]any)
		events[e["name"].(string)] = e
	}
	fields(t, "events", events, map[string]any{
		"sign_up":     map[string]any{"name": "sign_up"},
		"plan_change": map[string]any{"name": "plan_change", "params": map[string]any{"plan": "team", "value": 49.0, "currency": "EUR"}},
	})
}

// Withdrawing advertising consent stops uploads: before the conversion is
// fanned out nothing is queued, and between queueing and sending the
// queued uploads end not_sent. Google hears nothing either way.
func TestWithdrawalStopsUploads(t *testing.T) {
	t.Parallel()
	testConsentStopsUploads(t, withdrawn)
}

// Objecting to attribution stops uploads the same way.
func TestObjectionStopsUploads(t *testing.T) {
	t.Parallel()
	testConsentStopsUploads(t, objected)
}

func testConsentStopsUploads(t *testing.T, reason string) {
	t.Run("before queueing", func(t *testing.T) {
		w := newWorld(t, nil)
		user := jane(t, w)
		w.consent.set(user, reason)
		w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
			OccurredAt: w.clock.Now().Format(time.RFC3339)})
		w.run(t)
		w.status(t, "conversion:registration:"+user, outbox.StatusNotSent, reason)
		if k := w.kinds(t); k["google_ads"]+k["ga4"] != 0 {
			t.Errorf("uploads queued: %v", k)
		}
		w.noRequests(t)
	})
	t.Run("between queueing and sending", func(t *testing.T) {
		w := newWorld(t, nil)
		user := jane(t, w)
		// allowed when the conversion is fanned out, not afterwards
		w.consent.decide = func(call int) (bool, string) { return call == 1, reason }
		id := w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
			OccurredAt: w.clock.Now().Format(time.RFC3339)})
		w.run(t)
		w.status(t, "conversion:registration:"+user, outbox.StatusSent, "")
		w.status(t, "google_ads:"+id, outbox.StatusNotSent, reason)
		w.status(t, "ga4:"+id, outbox.StatusNotSent, reason)
		w.noRequests(t)
	})
}

func (w *world) noRequests(t *testing.T) {
	t.Helper()
	for _, endpoint := range []string{"token", "ads", "ga4"} {
		if n := len(w.google.requests(endpoint)); n != 0 {
			t.Errorf("%d requests to %s", n, endpoint)
		}
	}
}

// Without a Google click id the Google Ads upload ends not_sent; GA4 still
// gets the event, with a client id derived from the user's id when there
// is no _ga cookie.
func TestNoClickID(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	user := w.user(t, "plain@example.com", nil)
	id := w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
		OccurredAt: w.clock.Now().Format(time.RFC3339)})
	w.run(t)
	w.status(t, "google_ads:"+id, outbox.StatusNotSent, "no Google click id")
	w.status(t, "ga4:"+id, outbox.StatusSent, "")
	if n := len(w.google.requests("ads")) + len(w.google.requests("token")); n != 0 {
		t.Errorf("%d calls to Google Ads", n)
	}
	ga := w.google.requests("ga4")
	if len(ga) != 1 {
		t.Fatalf("%d GA4 requests", len(ga))
	}
	b := body(t, ga[0].Body)
	if b["client_id"] != conversions.GAClientID("", user) || !regexp.MustCompile(`^[0-9]+\.[0-9]+$`).MatchString(b["client_id"].(string)) || b["user_id"] != user {
		t.Errorf("GA4 ids %v %v", b["client_id"], b["user_id"])
	}
}

// A refund goes to GA4 only: Google Ads takes refunds as adjustments of
// the original conversion, which Kontor does not upload.
func TestRefundGoesToGA4Only(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	user := jane(t, w)
	at := w.clock.Now().Add(-time.Hour).Truncate(time.Second)
	id := w.queue(t, "refund:evt_9", conversions.Conversion{Event: "refund", User: user, Value: "19.00", Currency: "EUR", OccurredAt: at.Format(time.RFC3339)})
	w.run(t)
	w.status(t, "conversion:refund:evt_9", outbox.StatusSent, "")
	if k := w.kinds(t); k["google_ads"] != 0 || k["ga4"] != 1 {
		t.Errorf("queued %v", k)
	}
	ga := w.google.requests("ga4")
	if len(ga) != 1 {
		t.Fatalf("%d GA4 requests", len(ga))
	}
	fields(t, "ga4.events", body(t, ga[0].Body)["events"], []any{map[string]any{"name": "refund",
		"params": map[string]any{"transaction_id": id, "value": 19.0, "currency": "EUR"}}})

	// with Google Ads alone, a refund goes nowhere and says so
	w2 := newWorld(t, func(c *conversions.Config) { c.GA4 = nil })
	user2 := jane(t, w2)
	w2.queue(t, "refund:evt_9", conversions.Conversion{Event: "refund", User: user2, Value: "19.00", Currency: "EUR", OccurredAt: at.Format(time.RFC3339)})
	w2.run(t)
	w2.status(t, "conversion:refund:evt_9", outbox.StatusNotSent, "adjustment")
}

// A 5xx or 429 is retried with backoff until Google takes the upload; the
// retry sends the same body, with the same order id, and reuses the token.
func TestServerErrorsRetried(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	user := jane(t, w)
	w.google.script("ads", answer{Status: http.StatusServiceUnavailable, Body: `{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}`})
	w.google.script("ga4", answer{Status: http.StatusInternalServerError}, answer{Status: http.StatusTooManyRequests})
	id := w.queue(t, "first_payment:x", conversions.Conversion{Event: "first_payment", User: user, Value: "19.00", Currency: "EUR",
		OccurredAt: w.clock.Now().Format(time.RFC3339)})
	w.run(t)
	w.status(t, "google_ads:"+id, outbox.StatusPending, "503 Service Unavailable: UNAVAILABLE: The service is currently unavailable.")
	w.status(t, "ga4:"+id, outbox.StatusPending, "500")

	for round := 0; w.pending(t) > 0; round++ {
		if round > 5 {
			t.Fatal("the uploads are not retried")
		}
		w.clock.Add(5 * time.Minute) // past the backoff, within the token's hour
		w.run(t)
	}
	if m := w.status(t, "google_ads:"+id, outbox.StatusSent, ""); m.GetInt("attempts") != 2 {
		t.Errorf("Google Ads upload took %d attempts", m.GetInt("attempts"))
	}
	if m := w.status(t, "ga4:"+id, outbox.StatusSent, ""); m.GetInt("attempts") != 3 {
		t.Errorf("GA4 event took %d attempts", m.GetInt("attempts"))
	}
	ads := w.google.requests("ads")
	if len(ads) != 2 || string(ads[0].Body) != string(ads[1].Body) || !strings.Contains(string(ads[1].Body), `"orderId":"`+id+`"`) {
		t.Errorf("Google Ads requests %d: %s / %s", len(ads), ads[0].Body, ads[len(ads)-1].Body)
	}
	if n := len(w.google.requests("token")); n != 1 {
		t.Errorf("%d token requests, want the token reused", n)
	}
}

// Any other refusal fails the upload at once, with Google's message.
func TestRefusalsArePermanent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		endpoint string
		answer   answer
		want     string
	}{
		{"Google Ads 400", "ads", answer{http.StatusBadRequest, `{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT",` +
			`"details":[{"@type":"type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure","errors":[{"errorCode":{"conversionUploadError":"INVALID_CONVERSION_ACTION"},"message":"The conversion action cannot be found."}]}]}}`},
			"Google Ads answered 400 Bad Request: INVALID_ARGUMENT: Request contains an invalid argument. [conversionUploadError=INVALID_CONVERSION_ACTION The conversion action cannot be found.]"},
		{"Google Ads 403", "ads", answer{http.StatusForbidden, `{"error":{"code":403,"message":"The developer token is not approved.","status":"PERMISSION_DENIED"}}`},
			"403 Forbidden: PERMISSION_DENIED: The developer token is not approved."},
		{"Google Ads partial failure", "ads", answer{http.StatusOK, `{"partialFailureError":{"code":3,"message":"The imported gclid could not be decoded.",` +
			`"details":[{"errors":[{"errorCode":{"conversionUploadError":"UNPARSEABLE_GCLID"},"message":"The imported gclid could not be decoded."}]}]},"results":[{}]}`},
			"Google Ads refused the conversion: The imported gclid could not be decoded. [conversionUploadError=UNPARSEABLE_GCLID"},
		{"revoked refresh token", "token", answer{http.StatusBadRequest, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`},
			"Google's OAuth token endpoint answered 400 Bad Request: invalid_grant: Token has been expired or revoked."},
		{"GA4 400", "ga4", answer{http.StatusBadRequest, `bad request`}, "GA4 answered 400 Bad Request: bad request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, nil)
			user := jane(t, w)
			w.google.script(c.endpoint, c.answer)
			id := w.queue(t, "first_payment:x", conversions.Conversion{Event: "first_payment", User: user, Value: "19.00", Currency: "EUR",
				OccurredAt: w.clock.Now().Format(time.RFC3339)})
			w.run(t)
			key := "google_ads:" + id
			if c.endpoint == "ga4" {
				key = "ga4:" + id
			}
			if m := w.status(t, key, outbox.StatusFailed, c.want); m.GetInt("attempts") != 1 {
				t.Errorf("failed after %d attempts", m.GetInt("attempts"))
			}
		})
	}
}

// Google Ads saying it already has the conversion (an upload repeated
// after its answer was lost) is a success; "too recent" is retried.
func TestPartialFailuresThatAreNotFailures(t *testing.T) {
	t.Parallel()
	partial := func(code string) answer {
		return answer{http.StatusOK, `{"partialFailureError":{"code":3,"message":"m","details":[{"errors":[{"errorCode":{"conversionUploadError":"` + code + `"},"message":"m"}]}]},"results":[{}]}`}
	}
	for code, status := range map[string]string{"CLICK_CONVERSION_ALREADY_EXISTS": outbox.StatusSent, "ORDER_ID_ALREADY_IN_USE": outbox.StatusSent,
		"TOO_RECENT_EVENT": outbox.StatusPending, "TOO_RECENT_CONVERSION_ACTION": outbox.StatusPending} {
		t.Run(code, func(t *testing.T) {
			w := newWorld(t, func(c *conversions.Config) { c.GA4 = nil })
			user := jane(t, w)
			w.google.script("ads", partial(code))
			id := w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
				OccurredAt: w.clock.Now().Format(time.RFC3339)})
			w.run(t)
			want := ""
			if status == outbox.StatusPending {
				want = "Google Ads asks to upload later"
			}
			w.status(t, "google_ads:"+id, status, want)
		})
	}
}

// A 401 drops the access token; the retry gets a new one.
func TestExpiredTokenRenewed(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *conversions.Config) { c.GA4 = nil })
	user := jane(t, w)
	w.google.script("ads", answer{http.StatusUnauthorized, `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`})
	id := w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
		OccurredAt: w.clock.Now().Format(time.RFC3339)})
	w.run(t)
	w.status(t, "google_ads:"+id, outbox.StatusPending, "UNAUTHENTICATED")
	w.clock.Add(time.Hour)
	w.run(t)
	w.status(t, "google_ads:"+id, outbox.StatusSent, "")
	ads := w.google.requests("ads")
	if len(ads) != 2 || ads[0].Header.Get("Authorization") != "Bearer ya29.token-1" || ads[1].Header.Get("Authorization") != "Bearer ya29.token-2" {
		t.Errorf("authorizations %q %q", ads[0].Header.Get("Authorization"), ads[len(ads)-1].Header.Get("Authorization"))
	}
}

// A conversion older than GA4's 72 hours when it would be sent is not sent
// to GA4; Google Ads still takes it.
func TestTooOldForGA4(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	user := jane(t, w)
	id := w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
		OccurredAt: w.clock.Now().Add(-73 * time.Hour).Format(time.RFC3339)})
	w.run(t)
	w.status(t, "ga4:"+id, outbox.StatusNotSent, "72 hours")
	w.status(t, "google_ads:"+id, outbox.StatusSent, "")
}

// Unconfigured, conversions are off: each ends not_sent saying so, and
// nothing is queued or sent. Without a consent check nothing is sent
// either.
func TestOffAndWithoutConsentCheck(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		edit func(*conversions.Config)
		want string
	}{
		"off":              {func(c *conversions.Config) { c.Ads, c.GA4 = nil, nil }, "conversion uploads are off"},
		"no consent check": {func(c *conversions.Config) { c.Allowed = nil }, "no consent check"},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, c.edit)
			user := jane(t, w)
			w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
				OccurredAt: w.clock.Now().Format(time.RFC3339)})
			w.run(t)
			w.status(t, "conversion:registration:"+user, outbox.StatusNotSent, c.want)
			if k := w.kinds(t); len(k) != 1 {
				t.Errorf("queued %v", k)
			}
			w.noRequests(t)
		})
	}
}

// A conversion of a user deleted since is not sent; a malformed one fails.
func TestDeletedUserAndMalformedConversion(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	user := jane(t, w)
	id := w.queue(t, "registration:"+user, conversions.Conversion{Event: "registration", User: user, Value: "0",
		OccurredAt: w.clock.Now().Format(time.RFC3339)})
	w.queue(t, "bad:1", conversions.Conversion{Event: "trial", User: user, OccurredAt: w.clock.Now().Format(time.RFC3339)})
	w.queue(t, "bad:2", conversions.Conversion{Event: "first_payment", User: user, Value: "lots", Currency: "EUR", OccurredAt: w.clock.Now().Format(time.RFC3339)})
	// the conversion is fanned out, then the user deletes their account
	w.consent.decide = func(call int) (bool, string) {
		if call == 1 {
			r, _ := w.app.FindRecordById("users", user)
			if err := w.app.Delete(r); err != nil {
				t.Error(err)
			}
		}
		return true, ""
	}
	w.run(t)
	w.status(t, "google_ads:"+id, outbox.StatusNotSent, "the user no longer exists")
	w.status(t, "ga4:"+id, outbox.StatusNotSent, "the user no longer exists")
	w.status(t, "conversion:bad:1", outbox.StatusFailed, `unknown conversion event "trial"`)
	w.status(t, "conversion:bad:2", outbox.StatusFailed, `value "lots"`)
	w.noRequests(t)
}
