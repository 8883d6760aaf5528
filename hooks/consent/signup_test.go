package consent_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/consent"
)

// Sign-up links the visitor's touchpoints to the new user and keeps the
// first Google click id and the Google Analytics client id, each only as
// the visitor's decision allows.
func TestSignUpLinks(t *testing.T) {
	s := newServer(t)
	cases := []struct {
		name        string
		accepted    []string
		withdrawAll bool // a later decision rejects everything, but the browser kept its cookies
		noVisitor   bool // the browser lost its visitor id
		linked      bool
		gclid, ga   string
	}{
		{"everything accepted", []string{consent.Analytics, consent.Advertising}, false, false, true, "GCLID-1", "123456789.1700000000"},
		{"analytics only", []string{consent.Analytics}, false, false, true, "", "123456789.1700000000"},
		{"advertising only", []string{consent.Advertising}, false, false, true, "GCLID-1", ""},
		{"withdrawn since", []string{consent.Analytics, consent.Advertising}, true, false, false, "", ""},
		{"no visitor id", []string{consent.Analytics, consent.Advertising}, false, true, false, "", ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := s.browser("browser-signup-" + strconv.Itoa(i))
			b.decide(t, tc.accepted...)
			b.land(t, "https://kontor.example/?gclid=GCLID-1&utm_source=ads", "")
			b.land(t, "https://kontor.example/pricing", "")
			// the first gclid cookie is set only with advertising; put it
			// there anyway to prove sign-up checks the decision itself
			b.jar[consent.FirstGclidCookie] = "GCLID-1"
			b.jar[consent.GACookie] = "GA1.1.123456789.1700000000"
			vid := b.jar[consent.VisitorCookie]
			if tc.withdrawAll {
				b.decide(t)
				b.jar[consent.VisitorCookie] = vid
			}
			if tc.noVisitor {
				delete(b.jar, consent.VisitorCookie)
			}
			other := s.browser("browser-other-" + strconv.Itoa(i))
			other.decide(t, consent.Analytics)
			other.land(t, "https://kontor.example/?utm_source=other", "")

			email := "user" + strconv.Itoa(i) + "@example.com"
			r := b.do(t, http.MethodPost, "/api/collections/users/records", map[string]any{
				"email": email, "password": password, "passwordConfirm": password, "language": "en",
			})
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if strings.Contains(string(r.raw), "GCLID-1") || strings.Contains(string(r.raw), "123456789") {
				t.Errorf("the answer shows hidden fields: %s", r.raw)
			}
			user, err := s.app.FindRecordById("users", r.str("id"))
			if err != nil {
				t.Fatal(err)
			}
			if user.GetString("first_gclid") != tc.gclid || user.GetString("ga_client_id") != tc.ga {
				t.Errorf("first_gclid %q, ga_client_id %q; want %q, %q", user.GetString("first_gclid"), user.GetString("ga_client_id"), tc.gclid, tc.ga)
			}
			linked := s.records(t, consent.Touchpoints, dbx.HashExp{"user": user.Id})
			if want := map[bool]int{true: 2, false: 0}[tc.linked]; len(linked) != want {
				t.Errorf("%d touchpoints linked, want %d", len(linked), want)
			}
			for _, tp := range linked {
				if tp.GetString("visitor_id") != vid {
					t.Errorf("linked another visitor's touchpoint: %v", tp.FieldsData())
				}
			}
		})
	}
}

// Hidden fields cannot be written by the user, and
// attribution_objected only through the objection route.
func TestUserFieldsServerWritten(t *testing.T) {
	s := newServer(t)
	b := s.browser("browser-fields")
	r := b.do(t, http.MethodPost, "/api/collections/users/records", map[string]any{
		"email": "eve@example.com", "password": password, "passwordConfirm": password,
		"first_gclid": "forged", "ga_client_id": "1.2",
	})
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	user, _ := s.app.FindRecordById("users", r.str("id"))
	if user.GetString("first_gclid") != "" || user.GetString("ga_client_id") != "" {
		t.Errorf("hidden fields written: %v", user.FieldsData())
	}
	b.signIn(t, "eve@example.com")

	r = b.do(t, http.MethodPatch, "/api/collections/users/records/"+user.Id, map[string]any{"attribution_objected": true})
	if r.status != http.StatusBadRequest || !strings.Contains(r.str("data"), "attribution_objected") {
		t.Errorf("%d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, "/api/collections/users/records", map[string]any{
		"email": "mallory@example.com", "password": password, "passwordConfirm": password, "attribution_objected": true,
	})
	if r.status != http.StatusBadRequest {
		t.Errorf("%d %s", r.status, r.raw)
	}
	// other fields stay writable, and the mirror keeps its value
	b.do(t, http.MethodPost, "/api/kontor/attribution/objection", map[string]any{"objected": true})
	r = b.do(t, http.MethodPatch, "/api/collections/users/records/"+user.Id, map[string]any{"name": "Eve", "attribution_objected": true})
	if r.status != http.StatusOK || r.str("attribution_objected") != "true" {
		t.Errorf("%d %s", r.status, r.raw)
	}
}

func TestGAClientID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"GA1.1.123456789.1700000000", "123456789.1700000000"},
		{"GA1.2.987.654", "987.654"},
		{"GA1.3-2.1.2", "1.2"},
		{"GA1.1.abc.1700000000", ""},
		{"GS1.1.123.456", ""},
		{"123456789.1700000000", ""},
		{"", ""},
	} {
		if got := consent.GAClientID(tc.in); got != tc.want {
			t.Errorf("GAClientID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
