package consent_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/consent"
)

// Each decision is stored as proof: who, what, which texts, from where.
func TestDecisionStoredAsProof(t *testing.T) {
	s := newServer(t)
	b := s.browser("a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d")

	r := b.do(t, http.MethodPost, "/api/kontor/consent", map[string]any{
		"consent_id": b.consentID, "revision": 3, "language": "de",
		"accepted": []string{"advertising", "necessary"}, "rejected": []string{"analytics"},
	})
	if r.status != http.StatusCreated || r.str("consent_id") != b.consentID {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	b.signUp(t, "ada@example.com")
	r = b.do(t, http.MethodPost, "/api/kontor/consent", map[string]any{
		"consent_id": b.consentID, "revision": 4, "language": "fr", "text_version": "2027-01-2",
		"accepted": []string{"necessary", "analytics", "analytics"}, "rejected": []string{"advertising"},
	})
	if r.status != http.StatusCreated {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	user, err := s.app.FindAuthRecordByEmail("users", "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}

	rows := s.records(t, consent.Consents, dbx.HashExp{"consent_id": b.consentID})
	want := []struct {
		user, language, version string
		revision                int
		accepted, rejected      []string
	}{
		{"", "de", consent.BannerTextVersion, 3, []string{"necessary", "advertising"}, []string{"analytics"}},
		{user.Id, "fr", "2027-01-2", 4, []string{"necessary", "analytics"}, []string{"advertising"}},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	for i, w := range want {
		row := rows[i]
		if row.GetString("user") != w.user || row.GetString("language") != w.language || row.GetString("text_version") != w.version ||
			row.GetInt("revision") != w.revision || !slices.Equal(row.GetStringSlice("accepted"), w.accepted) ||
			!slices.Equal(row.GetStringSlice("rejected"), w.rejected) || row.GetString("ip") != "127.0.0.0" ||
			row.GetString("user_agent") != "Mozilla/5.0 (kontor test)" || row.GetDateTime("created").IsZero() {
			t.Errorf("row %d: %v", i, row.FieldsData())
		}
	}
}

// A bad decision or visit is a 400 that says what is wrong, and nothing is
// written or set.
func TestValidation(t *testing.T) {
	s := newServer(t)
	valid := func() map[string]any {
		return map[string]any{"consent_id": "valid-consent-1", "revision": 1, "language": "en",
			"accepted": []string{"necessary", "analytics"}, "rejected": []string{"advertising"}}
	}
	with := func(key string, value any) map[string]any {
		b := valid()
		if value == nil {
			delete(b, key)
		} else {
			b[key] = value
		}
		return b
	}
	decisions := []struct {
		name  string
		body  any
		field string
		msg   string
	}{
		{"not JSON", "[1,2]", "", "JSON object"},
		{"consent id too short", with("consent_id", "short"), "consent_id", "8 to 64"},
		{"consent id too long", with("consent_id", strings.Repeat("a", 65)), "consent_id", "8 to 64"},
		{"consent id characters", with("consent_id", "abc_def/ghi"), "consent_id", "letters, digits or hyphens"},
		{"no revision", with("revision", nil), "revision", "revision is required"},
		{"negative revision", with("revision", -1), "revision", "whole number"},
		{"fractional revision", with("revision", 1.5), "revision", "whole number"},
		{"revision as text", with("revision", "1"), "revision", "whole number"},
		{"unknown category", with("accepted", []string{"necessary", "analytics", "marketing"}), "categories", `"marketing" is not a cookie category`},
		{"necessary missing", with("accepted", []string{"analytics"}), "accepted", `must include "necessary"`},
		{"necessary rejected", with("rejected", []string{"necessary", "advertising"}), "rejected", "cannot be rejected"},
		{"both ways", with("rejected", []string{"advertising", "analytics"}), "rejected", `"analytics" cannot be both accepted and rejected`},
		{"undecided", with("rejected", []string{}), "accepted", `"advertising" is neither accepted nor rejected`},
		{"no language", with("language", nil), "language", "one of en, es, de, fr, it"},
		{"unknown language", with("language", "pt"), "language", "one of en, es, de, fr, it"},
		{"bad text version", with("text_version", "v1 <b>"), "text_version", "version of the banner's texts"},
	}
	visits := []struct {
		name  string
		body  any
		field string
		msg   string
	}{
		{"bad consent id", map[string]any{"consent_id": "x", "landing_url": "https://kontor.example/"}, "consent_id", "8 to 64"},
		{"no landing url", map[string]any{"consent_id": "valid-consent-1"}, "landing_url", "http or https"},
		{"landing url not http", map[string]any{"consent_id": "valid-consent-1", "landing_url": "javascript:alert(1)"}, "landing_url", "http or https"},
		{"landing url relative", map[string]any{"consent_id": "valid-consent-1", "landing_url": "/pricing?gclid=1"}, "landing_url", "http or https"},
		{"landing url too long", map[string]any{"consent_id": "valid-consent-1", "landing_url": "https://kontor.example/?utm_source=" + strings.Repeat("a", 2000)}, "landing_url", "2000"},
		{"bad referrer", map[string]any{"consent_id": "valid-consent-1", "landing_url": "https://kontor.example/", "referrer": "ftp://x"}, "referrer", "referrer must be"},
	}

	b := s.browser("valid-consent-1")
	b.decide(t, consent.Analytics) // the visits below are refused for their shape, not for lack of consent
	consents, touchpoints := s.count(t, consent.Consents), s.count(t, consent.Touchpoints)
	check := func(t *testing.T, path string, body any, field, msg string) {
		t.Helper()
		r := b.do(t, http.MethodPost, path, body)
		if r.status != http.StatusBadRequest || !strings.Contains(r.str("message"), msg) {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		if field != "" && !strings.Contains(r.str("data"), `"`+field+`"`) {
			t.Errorf("error names no field %s: %s", field, r.raw)
		}
		if len(r.header.Values("Set-Cookie")) != 0 {
			t.Errorf("cookies set: %q", r.header.Values("Set-Cookie"))
		}
		if s.count(t, consent.Consents) != consents || s.count(t, consent.Touchpoints) != touchpoints {
			t.Errorf("something was written")
		}
	}
	for _, tc := range decisions {
		t.Run("decision "+tc.name, func(t *testing.T) {
			check(t, "/api/kontor/consent", tc.body, tc.field, tc.msg)
		})
	}
	for _, tc := range visits {
		t.Run("visit "+tc.name, func(t *testing.T) {
			check(t, "/api/kontor/touchpoints", tc.body, tc.field, tc.msg)
		})
	}
}
