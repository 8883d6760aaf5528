package conversions_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/internal/testserver"
)

// Through the whole server, with the real consent check: a user's
// conversions go to Google only while their latest decision accepts
// advertising and they have not objected; objecting, and then rejecting
// advertising, each stop the uploads.
func TestServerUploadsOnlyWithConsent(t *testing.T) {
	t.Parallel()
	google := newFakeGoogle(t)
	s := testserver.NewWithEnv(t, map[string]string{
		"KONTOR_GOOGLE_ADS_CUSTOMER_ID":        "1234567890",
		"KONTOR_GOOGLE_ADS_DEVELOPER_TOKEN":    "dev-token-123",
		"KONTOR_GOOGLE_ADS_CLIENT_ID":          "client-id",
		"KONTOR_GOOGLE_ADS_CLIENT_SECRET":      "client-secret",
		"KONTOR_GOOGLE_ADS_REFRESH_TOKEN":      "1//refresh-token",
		"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": "registration=111,first_payment=222,plan_change=333",
		"KONTOR_GOOGLE_OAUTH_TOKEN_URL":        google.URL + "/token",
		"KONTOR_GOOGLE_ADS_API_BASE":           google.URL,
		"KONTOR_GA4_MEASUREMENT_ID":            "G-TEST123456",
		"KONTOR_GA4_API_SECRET":                "mp-secret",
		"KONTOR_GA4_ENDPOINT":                  google.URL,
	})

	// no decision recorded: billing's registration conversion is not sent
	undecided := s.SignUp(t, "undecided@example.com")
	awaitStatus(t, s, "conversion:registration:"+undecided.ID, outbox.StatusNotSent, "no decision")

	// a user who accepts advertising, signed in, and came through an ad
	u := s.SignUp(t, "jane@example.com")
	decide := func(accepted, rejected []string) {
		s.Must(t, u.Token, http.MethodPost, "/api/kontor/consent", map[string]any{"consent_id": "browser-of-jane-0001", "revision": 1,
			"accepted": accepted, "rejected": rejected, "language": "en"})
	}
	decide([]string{"necessary", "analytics", "advertising"}, []string{})
	rec, err := s.App.FindRecordById("users", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("first_gclid", "Cj0KCQiA-gclid-of-jane")
	if err := s.App.Save(rec); err != nil {
		t.Fatal(err)
	}
	// Billing's registration of this user raced the decision above; the
	// plan changes below come after it.
	change := func(key string) string {
		r, _, err := outbox.Enqueue(s.App, outbox.Message{Kind: conversions.Kind, Key: "conversion:plan_change:" + key,
			Payload: conversions.Conversion{Event: "plan_change", User: u.ID, Value: "49.00", Currency: "EUR", Plan: "team",
				OccurredAt: time.Now().UTC().Format(time.RFC3339)}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Id
	}
	// Google Ads uploads name the conversion as order id; GA4 plan changes
	// are told apart by their user
	adsUploads := func(id string) int {
		n := 0
		for _, r := range google.requests("ads") {
			if strings.Contains(string(r.Body), `"orderId":"`+id+`"`) {
				n++
			}
		}
		return n
	}
	ga4PlanChanges := func() int {
		n := 0
		for _, r := range google.requests("ga4") {
			if strings.Contains(string(r.Body), `"user_id":"`+u.ID+`"`) && strings.Contains(string(r.Body), `"name":"plan_change"`) {
				n++
			}
		}
		return n
	}

	allowed := change("evt_allowed")
	awaitStatus(t, s, "google_ads:"+allowed, outbox.StatusSent, "")
	awaitStatus(t, s, "ga4:"+allowed, outbox.StatusSent, "")
	if a, g := adsUploads(allowed), ga4PlanChanges(); a != 1 || g != 1 {
		t.Errorf("the allowed conversion went %d times to Google Ads, %d to GA4", a, g)
	}

	// objecting stops uploads
	s.Must(t, u.Token, http.MethodPost, "/api/kontor/attribution/objection", map[string]any{"objected": true})
	afterObjection := change("evt_objected")
	awaitStatus(t, s, "conversion:plan_change:evt_objected", outbox.StatusNotSent, "objected")

	// lifting the objection but rejecting advertising stops them too
	s.Must(t, u.Token, http.MethodPost, "/api/kontor/attribution/objection", map[string]any{"objected": false})
	decide([]string{"necessary"}, []string{"analytics", "advertising"})
	afterWithdrawal := change("evt_withdrawn")
	awaitStatus(t, s, "conversion:plan_change:evt_withdrawn", outbox.StatusNotSent, "rejected advertising")

	if g := ga4PlanChanges(); g != 1 {
		t.Errorf("%d plan changes sent to GA4, want only the allowed one", g)
	}
	for _, id := range []string{afterObjection, afterWithdrawal} {
		if n := adsUploads(id); n != 0 {
			t.Errorf("%d uploads of %s", n, id)
		}
		if _, err := s.App.FindFirstRecordByData(outbox.Collection, "idempotency_key", "google_ads:"+id); err == nil {
			t.Errorf("an upload of %s was queued", id)
		}
	}
}

// awaitStatus waits until the running server's outbox message of the key
// has the status, with want in its last error.
func awaitStatus(t *testing.T, s *testserver.Server, key, status, want string) {
	t.Helper()
	var got, last string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		r, err := s.App.FindFirstRecordByData(outbox.Collection, "idempotency_key", key)
		if err != nil {
			continue
		}
		got, last = r.GetString("status"), r.GetString("last_error")
		if got == status && strings.Contains(last, want) {
			return
		}
	}
	t.Fatalf("message %s is %q (%q), want %s with %q", key, got, last, status, want)
}
