package calls_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestIsolation proves that calls, telephony accounts and the routes of
// click-to-call confine everyone to their workspace and role.
func TestIsolation(t *testing.T) {
	w := newWorld(t)
	api := newFakeAPI(t, answer{status: http.StatusCreated, body: twilioCreated})
	account := w.twilioAccount(t, api.URL)
	call := w.call(t, w.owner, w.contact)
	if call.Status != http.StatusOK {
		t.Fatalf("call: %d %s", call.Status, call.Raw)
	}
	callID := call.String("id")
	guest := w.users["guest"]
	cases := []struct {
		name, who, method, path string
		body                    map[string]any
		want                    int
	}{
		{"guest calls", "guest", http.MethodPost, "/api/kontor/contacts/" + w.contact + "/call", nil, 401},
		{"viewer calls", "viewer", http.MethodPost, "/api/kontor/contacts/" + w.contact + "/call", nil, 403},
		{"outsider calls", "outsider", http.MethodPost, "/api/kontor/contacts/" + w.contact + "/call", nil, 404},
		{"unknown contact", "owner", http.MethodPost, "/api/kontor/contacts/nosuchcontact00/call", nil, 404},
		{"guest asks readiness", "guest", http.MethodGet, "/api/kontor/workspaces/" + w.ws + "/telephony", nil, 401},
		{"outsider asks readiness", "outsider", http.MethodGet, "/api/kontor/workspaces/" + w.ws + "/telephony", nil, 404},
		{"viewer asks readiness", "viewer", http.MethodGet, "/api/kontor/workspaces/" + w.ws + "/telephony", nil, 200},
		{"guest lists providers", "guest", http.MethodGet, "/api/kontor/telephony-providers", nil, 401},
		{"member lists providers", "member", http.MethodGet, "/api/kontor/telephony-providers", nil, 200},
		{"viewer reads a call", "viewer", http.MethodGet, "/api/collections/calls/records/" + callID, nil, 200},
		{"outsider reads a call", "outsider", http.MethodGet, "/api/collections/calls/records/" + callID, nil, 404},
		{"guest reads a call", "guest", http.MethodGet, "/api/collections/calls/records/" + callID, nil, 404},
		{"member writes a call", "member", http.MethodPatch, "/api/collections/calls/records/" + callID, map[string]any{"status": "completed"}, 403},
		{"owner deletes a call", "owner", http.MethodDelete, "/api/collections/calls/records/" + callID, nil, 403},
		{"admin reads the account", "admin", http.MethodGet, "/api/collections/telephony_accounts/records/" + account, nil, 200},
		{"member reads the account", "member", http.MethodGet, "/api/collections/telephony_accounts/records/" + account, nil, 404},
		{"outsider reads the account", "outsider", http.MethodGet, "/api/collections/telephony_accounts/records/" + account, nil, 404},
		{"outsider changes the account", "outsider", http.MethodPatch, "/api/collections/telephony_accounts/records/" + account, map[string]any{"enabled": false}, 404},
		{"member creates an account", "member", http.MethodPost, "/api/collections/telephony_accounts/records",
			map[string]any{"workspace": w.ws, "provider": "telnyx", "from": callerID, "settings": map[string]string{"api_key": "KEY1"}}, 400},
		{"outsider creates an account", "outsider", http.MethodPost, "/api/collections/telephony_accounts/records",
			map[string]any{"workspace": w.ws, "provider": "telnyx", "from": callerID, "settings": map[string]string{"api_key": "KEY1"}}, 400},
	}
	for _, tc := range cases {
		u := guest
		switch tc.who {
		case "outsider":
			u = w.outsider
		case "guest":
		default:
			u = w.users[tc.who]
		}
		if r := w.s.Do(t, u.Token, tc.method, tc.path, tc.body); r.Status != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Raw, tc.want)
		}
	}
	// a user's own phone is theirs alone
	if r := w.s.Must(t, w.users["member"].Token, http.MethodGet, "/api/collections/users/records/"+w.owner.ID, nil); r.String("phone") != "" {
		t.Errorf("a co-member sees the owner's phone: %s", r.Raw)
	}
	if r := w.s.Must(t, w.owner.Token, http.MethodGet, "/api/collections/users/records/"+w.owner.ID, nil); r.String("phone") != ownerPhone {
		t.Errorf("the owner does not see their phone: %s", r.Raw)
	}
	if n := w.count(t, "calls"); n != 1 {
		t.Errorf("%d calls, want the owner's one", n)
	}
	if n := w.count(t, "telephony_accounts"); n != 1 {
		t.Errorf("%d accounts, want 1", n)
	}
	if r := w.s.Must(t, w.outsider.Token, http.MethodGet, "/api/collections/calls/records", nil); r.String("totalItems") != "0" {
		t.Errorf("the outsider lists %s calls", r.String("totalItems"))
	}
	if r := w.s.Must(t, w.users["viewer"].Token, http.MethodGet, "/api/kontor/workspaces/"+w.ws+"/telephony", nil); r.String("can_call") != "false" ||
		r.String("account") != "true" || r.String("provider") != "twilio" {
		t.Errorf("viewer's readiness: %s", r.Raw)
	}

	// another workspace's webhook route: its own account's signature does
	// not reach this workspace's call
	w.s.Create(t, w.outsider, "telephony_accounts", map[string]any{"workspace": w.w2, "provider": "twilio", "from": "+442071838750",
		"enabled": true, "settings": map[string]string{"account_sid": twilioSID, "auth_token": "beefbeefbeefbeefbeefbeefbeefbeef"}})
	path := "/api/kontor/webhooks/telephony/twilio/" + w.w2 + "?kontor_ref=" + callID + "&kontor_step=dial"
	f := url.Values{"CallSid": {"CA5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c"}, "DialCallStatus": {"completed"}, "DialCallDuration": {"60"}}
	got := w.deliver(t, path, "application/x-www-form-urlencoded", []byte(f.Encode()),
		map[string]string{"X-Twilio-Signature": twilioSignature("beefbeefbeefbeefbeefbeefbeefbeef", publicURL+path, f)})
	if got.status != http.StatusOK {
		t.Errorf("W2's webhook: %d %s", got.status, got.body)
	}
	if st := w.record(t, "calls", callID).GetString("status"); st != "initiated" {
		t.Errorf("W2's event changed W1's call: %s", st)
	}
	// W1's signature sent to W2's route fails W2's check
	path1 := "/api/kontor/webhooks/telephony/twilio/" + w.w2 + "?kontor_ref=" + callID
	if got := w.deliver(t, path1, "application/x-www-form-urlencoded", []byte(f.Encode()),
		map[string]string{"X-Twilio-Signature": twilioSignature(twilioToken, publicURL+path1, f)}); got.status != http.StatusBadRequest {
		t.Errorf("W1's signature on W2's route: %d %s", got.status, got.body)
	}
	for _, p := range []string{"/api/kontor/webhooks/telephony/telnyx/" + w.w2, "/api/kontor/webhooks/telephony/skype/" + w.ws,
		"/api/kontor/webhooks/telephony/twilio/nosuchworkspace"} {
		if got := w.deliver(t, p, "application/json", []byte(`{}`), nil); got.status != http.StatusNotFound {
			t.Errorf("%s: %d %s", p, got.status, got.body)
		}
	}
}

func TestAccountSettings(t *testing.T) {
	w := newWorld(t)
	admin := w.users["admin"]
	r := w.s.Create(t, admin, "telephony_accounts", map[string]any{"workspace": w.ws, "provider": "twilio", "from": "+49 30 901820",
		"enabled": true, "settings": map[string]string{"account_sid": twilioSID, "auth_token": twilioToken}})
	if r.String("from") != callerID || r.String("settings_hint.auth_token") != "f00dcafe…4567" ||
		r.String("settings_hint.account_sid") != twilioSID || r.String("sealed_settings") != "" ||
		r.String("webhook_url") != publicURL+"/api/kontor/webhooks/telephony/twilio/"+w.ws {
		t.Errorf("account: %s", r.Raw)
	}
	stored := w.record(t, "telephony_accounts", r.String("id")).GetString("sealed_settings")
	if stored == "" || strings.Contains(stored, twilioToken) {
		t.Errorf("sealed settings %q", stored)
	}
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"caller id not in E.164", map[string]any{"workspace": w.ws, "provider": "telnyx", "from": "030 901820"}, "from"},
		{"no caller id", map[string]any{"workspace": w.ws, "provider": "telnyx"}, "from"},
		{"no such plugin", map[string]any{"workspace": w.ws, "provider": "skype", "from": callerID}, "provider"},
		{"settings not an object", map[string]any{"workspace": w.ws, "provider": "telnyx", "from": callerID, "settings": "KEY1"}, "settings"},
	}
	for _, tc := range cases {
		r := w.s.Do(t, admin.Token, http.MethodPost, "/api/collections/telephony_accounts/records", tc.body)
		if r.Status != http.StatusBadRequest || r.String("data."+tc.field+".message") == "" {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
		}
	}
	if n := w.count(t, "telephony_accounts"); n != 1 {
		t.Errorf("%d accounts", n)
	}
	// an update keeps the settings it does not name
	r = w.s.Must(t, admin.Token, http.MethodPatch, "/api/collections/telephony_accounts/records/"+r.String("id"),
		map[string]any{"settings": map[string]string{"language": "de-DE"}})
	if r.String("settings_hint.auth_token") != "f00dcafe…4567" || r.String("settings_hint.language") != "de-DE" {
		t.Errorf("after an update: %s", r.Raw)
	}
}
