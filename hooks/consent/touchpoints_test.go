package consent_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/hooks/consent"
)

const campaignURL = "https://kontor.example/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=launch" +
	"&utm_content=hero&utm_term=invoicing&gclid=Cj0KCQ-first_1&fbclid=fb.1&msclkid=ms1&ttclid=tt1&li_fat_id=li1#plans"

// Without analytics or advertising consent nothing is stored and no cookie
// is set: neither when the decision rejects both, nor when there is no
// decision, nor by the decision itself.
func TestNoConsentNoTouchpointNoCookie(t *testing.T) {
	s := newServer(t)
	cases := []struct {
		name   string
		decide bool
	}{
		{"rejected all", true},
		{"no decision stored", false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := s.browser("browser-none-" + strconv.Itoa(i))
			if tc.decide {
				if r := b.decide(t); len(r.header.Values("Set-Cookie")) != 0 {
					t.Errorf("the decision set cookies: %q", r.header.Values("Set-Cookie"))
				}
			}
			r := b.land(t, campaignURL, "https://www.google.com/")
			if r.status != http.StatusNoContent || len(r.raw) != 0 {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if got := r.header.Values("Set-Cookie"); len(got) != 0 {
				t.Errorf("cookies set without consent: %q", got)
			}
			if n := s.count(t, consent.Touchpoints); n != 0 {
				t.Errorf("%d touchpoints stored without consent", n)
			}
		})
	}
}

// What a touchpoint keeps follows the categories: analytics keeps UTM
// parameters, referrer and landing page; advertising the click ids and the
// first-click cookie.
func TestTouchpointByCategory(t *testing.T) {
	s := newServer(t)
	analyticsFields := map[string]string{
		"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "launch", "utm_content": "hero", "utm_term": "invoicing",
		"referrer_url": "https://www.google.com/search?q=kontor", "referrer_host": "www.google.com",
		"landing_page": "https://kontor.example/pricing",
	}
	advertisingFields := map[string]string{"gclid": "Cj0KCQ-first_1", "fbclid": "fb.1", "msclkid": "ms1", "ttclid": "tt1", "li_fat_id": "li1"}
	cases := []struct {
		name      string
		accepted  []string
		want      []map[string]string
		gclidSets bool
	}{
		{"analytics only", []string{consent.Analytics}, []map[string]string{analyticsFields}, false},
		{"advertising only", []string{consent.Advertising}, []map[string]string{advertisingFields}, true},
		{"both", []string{consent.Analytics, consent.Advertising}, []map[string]string{analyticsFields, advertisingFields}, true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := s.browser("browser-category-" + strconv.Itoa(i))
			b.decide(t, tc.accepted...)
			r := b.land(t, campaignURL, "https://www.google.com/search?q=kontor#top")
			if r.status != http.StatusCreated {
				t.Fatalf("%d %s", r.status, r.raw)
			}

			tps := s.records(t, consent.Touchpoints, dbx.HashExp{"consent_id": b.consentID})
			if len(tps) != 1 {
				t.Fatalf("%d touchpoints", len(tps))
			}
			tp := tps[0]
			want := map[string]string{}
			for _, m := range tc.want {
				for k, v := range m {
					want[k] = v
				}
			}
			var stored []string
			for _, f := range append(append([]string{}, consent.UTMParams...), append(consent.ClickIDParams, "referrer_url", "referrer_host", "landing_page")...) {
				if got := tp.GetString(f); got != want[f] {
					t.Errorf("%s = %q, want %q", f, got, want[f])
				}
				if want[f] != "" {
					stored = append(stored, f)
				}
			}
			var answered []string
			for _, f := range r.body["stored"].([]any) {
				answered = append(answered, f.(string))
			}
			slices.Sort(stored)
			slices.Sort(answered)
			if !slices.Equal(stored, answered) {
				t.Errorf("answer says stored %q, want %q", answered, stored)
			}

			vid := r.setCookie(consent.VisitorCookie)
			if vid == nil || len(vid.Value) != 32 || tp.GetString("visitor_id") != vid.Value || tp.GetString("user") != "" {
				t.Fatalf("visitor cookie %v, touchpoint %v", vid, tp.FieldsData())
			}
			assertCookie(t, r, consent.VisitorCookie, consent.VisitorCookieMaxAge)
			gclid := r.setCookie(consent.FirstGclidCookie)
			if tc.gclidSets != (gclid != nil) {
				t.Fatalf("first gclid cookie %v, want one: %v", gclid, tc.gclidSets)
			}
			if gclid != nil {
				if gclid.Value != "Cj0KCQ-first_1" {
					t.Errorf("first gclid %q", gclid.Value)
				}
				assertCookie(t, r, consent.FirstGclidCookie, consent.FirstGclidCookieMaxAge)
			}
		})
	}
}

// assertCookie checks the attributes of a cookie the answer sets.
func assertCookie(t *testing.T, r reply, name string, maxAge time.Duration) {
	t.Helper()
	line := r.rawSetCookie(name)
	for _, attr := range []string{"Path=/", "Max-Age=" + strconv.Itoa(int(maxAge/time.Second)), "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(line, "; "+attr) {
			t.Errorf("Set-Cookie %q lacks %s", line, attr)
		}
	}
	c := r.setCookie(name)
	if until := time.Until(c.Expires); until < maxAge-time.Minute || until > maxAge+time.Minute {
		t.Errorf("%s expires in %v, want %v", name, until, maxAge)
	}
}

// The first Google click id is kept once and never overwritten; the
// visitor id is reused.
func TestFirstGclidNeverOverwritten(t *testing.T) {
	s := newServer(t)
	b := s.browser("browser-gclid")
	b.decide(t, consent.Analytics, consent.Advertising)

	visits := []struct {
		url, wantCookie string
		setsGclid       bool
	}{
		{"https://kontor.example/?utm_source=blog", "", false}, // no click id yet: nothing to keep
		{"https://kontor.example/?gclid=FIRST", "FIRST", true},
		{"https://kontor.example/?gclid=SECOND", "FIRST", false},
		{"https://kontor.example/features", "FIRST", false},
	}
	vid := ""
	for i, v := range visits {
		r := b.land(t, v.url, "")
		if r.status != http.StatusCreated {
			t.Fatalf("visit %d: %d %s", i, r.status, r.raw)
		}
		if (r.setCookie(consent.FirstGclidCookie) != nil) != v.setsGclid {
			t.Errorf("visit %d: Set-Cookie %q", i, r.header.Values("Set-Cookie"))
		}
		if b.jar[consent.FirstGclidCookie] != v.wantCookie {
			t.Errorf("visit %d: first gclid %q, want %q", i, b.jar[consent.FirstGclidCookie], v.wantCookie)
		}
		if i == 0 {
			vid = b.jar[consent.VisitorCookie]
		} else if r.setCookie(consent.VisitorCookie) != nil {
			t.Errorf("visit %d: visitor cookie set again", i)
		}
	}
	tps := s.records(t, consent.Touchpoints, nil)
	if len(tps) != len(visits) {
		t.Fatalf("%d touchpoints", len(tps))
	}
	for i, tp := range tps {
		if tp.GetString("visitor_id") != vid {
			t.Errorf("touchpoint %d of visitor %q, want %q", i, tp.GetString("visitor_id"), vid)
		}
	}
	if tps[2].GetString("gclid") != "SECOND" {
		t.Errorf("the touchpoint keeps its own click id: %q", tps[2].GetString("gclid"))
	}
}

// A later decision that withdraws a category expires the cookies it
// allowed, and later visits keep only what the new decision allows.
func TestWithdrawalExpiresCookies(t *testing.T) {
	s := newServer(t)
	cases := []struct {
		name          string
		now           []string
		expired, kept []string
		visitStatus   int
	}{
		{"advertising withdrawn", []string{consent.Analytics}, []string{consent.FirstGclidCookie}, []string{consent.VisitorCookie}, http.StatusCreated},
		{"analytics withdrawn", []string{consent.Advertising}, nil, []string{consent.VisitorCookie, consent.FirstGclidCookie}, http.StatusCreated},
		{"both withdrawn", nil, []string{consent.FirstGclidCookie, consent.VisitorCookie}, nil, http.StatusNoContent},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := s.browser("browser-withdraw-" + strconv.Itoa(i))
			b.decide(t, consent.Analytics, consent.Advertising)
			if r := b.land(t, "https://kontor.example/?gclid=G1&utm_source=x", ""); r.status != http.StatusCreated {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if len(b.jar) != 2 {
				t.Fatalf("cookies before withdrawal: %v", b.jar)
			}

			r := b.decide(t, tc.now...)
			for _, name := range tc.expired {
				c := r.setCookie(name)
				if c == nil || c.MaxAge >= 0 || !strings.Contains(r.rawSetCookie(name), "Max-Age=0") {
					t.Errorf("%s not expired: %q", name, r.header.Values("Set-Cookie"))
				}
			}
			for _, name := range tc.kept {
				if r.setCookie(name) != nil || b.jar[name] == "" {
					t.Errorf("%s touched: %q", name, r.header.Values("Set-Cookie"))
				}
			}

			before := s.count(t, consent.Touchpoints)
			v := b.land(t, "https://kontor.example/?gclid=G2&utm_source=y", "")
			if v.status != tc.visitStatus {
				t.Fatalf("visit after withdrawal: %d %s", v.status, v.raw)
			}
			if tc.visitStatus == http.StatusNoContent {
				if s.count(t, consent.Touchpoints) != before || len(v.header.Values("Set-Cookie")) != 0 {
					t.Errorf("stored or set something after withdrawing everything")
				}
				return
			}
			tps := s.records(t, consent.Touchpoints, dbx.HashExp{"consent_id": b.consentID})
			last := tps[len(tps)-1]
			if (last.GetString("gclid") != "") != contains(tc.now, consent.Advertising) ||
				(last.GetString("utm_source") != "") != contains(tc.now, consent.Analytics) {
				t.Errorf("after withdrawal kept %v", last.FieldsData())
			}
			if v.setCookie(consent.FirstGclidCookie) != nil {
				t.Errorf("first gclid cookie set again after withdrawal: %q", v.header.Values("Set-Cookie"))
			}
		})
	}
}
