package calls_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// keyPair is an Ed25519 key pair standing in for a Telnyx account's.
func keyPair(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func TestTwilioWebhook(t *testing.T) {
	w := newWorld(t)
	api := newFakeAPI(t, answer{status: http.StatusCreated, body: twilioCreated})
	w.twilioAccount(t, api.URL)
	r := w.call(t, w.owner, w.contact)
	if r.Status != http.StatusOK {
		t.Fatalf("call: %d %s", r.Status, r.Raw)
	}
	id := r.String("id")
	const sid = "CA5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c"
	path := "/api/kontor/webhooks/telephony/twilio/" + w.ws
	form := func(kv ...string) url.Values {
		v := url.Values{"AccountSid": {twilioSID}, "CallSid": {sid}, "From": {callerID}, "To": {ownerPhone}, "ApiVersion": {"2010-04-01"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	post := func(query string, f url.Values, signature string) delivered {
		return w.deliver(t, path+query, "application/x-www-form-urlencoded", []byte(f.Encode()), map[string]string{"X-Twilio-Signature": signature})
	}
	signed := func(query string, f url.Values) delivered {
		return post(query, f, twilioSignature(twilioToken, publicURL+path+query, f))
	}
	state := func() (string, string, string) {
		call := w.record(t, "calls", id)
		activity := w.record(t, "activities", call.GetString("activity"))
		return call.GetString("status") + "/" + call.GetString("agent_status") + "/" + call.GetString("contact_status"),
			call.GetString("updated") + activity.GetString("updated"), activity.GetString("body")
	}
	_, before, _ := state()

	// forgeries: nothing is written
	answered := form("CallStatus", "in-progress", "SequenceNumber", "2", "Timestamp", "Mon, 23 Nov 2026 10:00:05 +0000")
	ref := "?kontor_ref=" + id
	forged := []struct {
		name      string
		signature string
	}{
		{"unsigned", ""},
		{"signed with another token", twilioSignature("0000000000000000000000000000000a", publicURL+path+ref, answered)},
		{"signed for another URL", twilioSignature(twilioToken, "https://evil.example"+path+ref, answered)},
		{"signed without the query", twilioSignature(twilioToken, publicURL+path, answered)},
	}
	for _, f := range forged {
		if got := post(ref, answered, f.signature); got.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", f.name, got.status, got.body)
		}
	}
	tampered := form("CallStatus", "completed", "CallDuration", "999", "SequenceNumber", "2")
	if got := post(ref, tampered, twilioSignature(twilioToken, publicURL+path+ref, answered)); got.status != http.StatusBadRequest {
		t.Errorf("tampered body: %d %s", got.status, got.body)
	}
	if st, after, _ := state(); after != before || st != "initiated//" {
		t.Fatalf("a forgery was written: %s", st)
	}

	// the user answers, then the contact's leg ends after 3 min 12 s
	if got := signed(ref, answered); got.status != http.StatusOK || !strings.Contains(got.body, `"updated"`) {
		t.Fatalf("answered: %d %s", got.status, got.body)
	}
	if st, _, body := state(); st != "ringing/answered/" || body != "Calling…" {
		t.Errorf("after the user answered: %s %q", st, body)
	}
	dial := "?kontor_ref=" + id + "&kontor_step=dial"
	dialed := form("DialCallStatus", "completed", "DialCallDuration", "192", "DialCallSid", "CA00000000000000000000000000000001")
	got := signed(dial, dialed)
	if got.status != http.StatusOK || got.body != "<Response/>" || !strings.HasPrefix(got.contentType, "text/xml") {
		t.Fatalf("dial action: %d %q %q", got.status, got.contentType, got.body)
	}
	st, after, body := state()
	if st != "completed/answered/completed" || body != "Answered, 3 min 12 s" {
		t.Errorf("after the conversation: %s %q", st, body)
	}
	call := w.record(t, "calls", id)
	if call.GetInt("duration_seconds") != 192 || call.GetDateTime("ended_at").IsZero() || call.GetDateTime("answered_at").IsZero() {
		t.Errorf("call %v", call.PublicExport())
	}
	if !w.record(t, "activities", call.GetString("activity")).GetBool("done") {
		t.Error("the call's activity is not done")
	}

	// repeats and late events change nothing; the reply is still sent
	if got := signed(dial, dialed); got.status != http.StatusOK || got.body != "<Response/>" {
		t.Errorf("repeat: %d %s", got.status, got.body)
	}
	if got := signed(ref, answered); got.status != http.StatusOK || !strings.Contains(got.body, "duplicate") {
		t.Errorf("repeat: %d %s", got.status, got.body)
	}
	if _, again, _ := state(); again != after {
		t.Error("a repeated event was written again")
	}
	completed := form("CallStatus", "completed", "CallDuration", "200", "SequenceNumber", "3")
	if got := signed(ref, completed); got.status != http.StatusOK {
		t.Errorf("user's leg completed: %d %s", got.status, got.body)
	}
	if st, _, body := state(); st != "completed/completed/completed" || body != "Answered, 3 min 12 s" {
		t.Errorf("after the user's leg completed: %s %q", st, body)
	}

	// the contact's announcement step is answered with TwiML
	announce := "?kontor_ref=" + id + "&kontor_say=" + url.QueryEscape("This call is recorded.") + "&kontor_step=announce"
	got = signed(announce, form("CallSid", "CA00000000000000000000000000000001", "ParentCallSid", sid))
	if got.status != http.StatusOK || got.body != "<Response><Say>This call is recorded.</Say></Response>" {
		t.Errorf("announce: %d %s", got.status, got.body)
	}
}

func TestTwilioUnansweredCall(t *testing.T) {
	w := newWorld(t)
	api := newFakeAPI(t, answer{status: http.StatusCreated, body: twilioCreated})
	w.twilioAccount(t, api.URL)
	id := w.call(t, w.owner, w.contact).String("id")
	path := "/api/kontor/webhooks/telephony/twilio/" + w.ws + "?kontor_ref=" + id
	f := url.Values{"CallSid": {"CA5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c"}, "CallStatus": {"no-answer"}, "SequenceNumber": {"3"}}
	got := w.deliver(t, path, "application/x-www-form-urlencoded", []byte(f.Encode()),
		map[string]string{"X-Twilio-Signature": twilioSignature(twilioToken, publicURL+path, f)})
	if got.status != http.StatusOK {
		t.Fatalf("%d %s", got.status, got.body)
	}
	call := w.record(t, "calls", id)
	if call.GetString("status") != "no_answer" || w.record(t, "activities", call.GetString("activity")).GetString("body") != "Your phone was not answered" {
		t.Errorf("call %v", call.PublicExport())
	}
}

func TestTelnyxWebhook(t *testing.T) {
	w := newWorld(t)
	api := newFakeAPI(t, answer{status: http.StatusOK, body: `{"data":{"result":"ok"}}`})
	api.answers["/v2/calls"] = answer{status: http.StatusOK, body: `{"data":{"call_control_id":"v3:agent-leg-1","record_type":"call"}}`}
	pub, priv := keyPair(t)
	w.telnyxAccount(t, api.URL, pub)
	r := w.call(t, w.owner, w.contact)
	if r.Status != http.StatusOK {
		t.Fatalf("call: %d %s", r.Status, r.Raw)
	}
	id := r.String("id")
	path := "/api/kontor/webhooks/telephony/telnyx/" + w.ws
	agentState := `{"ref":"` + id + `","leg":"agent","to":"+34600111222","from":"+4930901820"}`
	contactState := `{"ref":"` + id + `","leg":"contact","to":"+34600111222","from":"+4930901820","agent":"v3:agent-leg-1"}`
	event := func(typ, eventID, callControlID, state, extra string) []byte {
		return []byte(`{"data":{"event_type":"` + typ + `","id":"` + eventID + `","occurred_at":"2026-11-23T10:00:05.123456Z",` +
			`"payload":{"call_control_id":"` + callControlID + `","call_leg_id":"428c31b6","client_state":"` +
			base64.StdEncoding.EncodeToString([]byte(state)) + `","connection_id":"` + telnyxConn + `"` + extra + `},"record_type":"event"},` +
			`"meta":{"attempt":1,"delivered_to":"` + publicURL + path + `"}}`)
	}
	post := func(body []byte, headers map[string]string) delivered {
		return w.deliver(t, path, "application/json", body, headers)
	}
	calls := func() string {
		call := w.record(t, "calls", id)
		return call.GetString("status") + "/" + call.GetString("agent_status") + "/" + call.GetString("contact_status")
	}

	answered := event("call.answered", "evt-answered", "v3:agent-leg-1", agentState, "")
	_, other := keyPair(t)
	forged := []struct {
		name    string
		headers map[string]string
	}{
		{"unsigned", nil},
		{"signed with another key", telnyxHeaders(other, time.Now(), answered)},
		{"replayed an hour later", telnyxHeaders(priv, time.Now().Add(-time.Hour), answered)},
		{"signature of another body", telnyxHeaders(priv, time.Now(), event("call.answered", "evt-other", "v3:x", agentState, ""))},
	}
	for _, f := range forged {
		if got := post(answered, f.headers); got.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", f.name, got.status, got.body)
		}
	}
	if got := calls(); got != "initiated//" || len(api.seen()) != 1 {
		t.Fatalf("a forgery was acted on: %s, %d requests to Telnyx", got, len(api.seen()))
	}

	// the user answers: the plugin transfers the call to the contact
	if got := post(answered, telnyxHeaders(priv, time.Now(), answered)); got.status != http.StatusOK {
		t.Fatalf("answered: %d %s", got.status, got.body)
	}
	reqs := api.seen()
	if len(reqs) != 2 {
		t.Fatalf("requests to Telnyx: %+v", reqs)
	}
	wantTransfer := `{"client_state":"` + base64.StdEncoding.EncodeToString([]byte(contactState)) + `","command_id":"evt-answered","from":"+4930901820",` +
		`"to":"+34600111222","webhook_url":"` + publicURL + path + `","webhook_url_method":"POST"}`
	if reqs[1].Path != "/v2/calls/v3:agent-leg-1/actions/transfer" || reqs[1].Body != wantTransfer || reqs[1].Authorization != "Bearer "+telnyxKey {
		t.Errorf("transfer %s\n got %s\nwant %s", reqs[1].Path, reqs[1].Body, wantTransfer)
	}
	if got := calls(); got != "ringing/answered/" {
		t.Errorf("after the user answered: %s", got)
	}

	// the contact answers, and hangs up after 3 min 12 s
	contactAnswered := event("call.answered", "evt-contact-answered", "v3:contact-leg-1", contactState, "")
	hangup := event("call.hangup", "evt-hangup", "v3:contact-leg-1", contactState,
		`,"hangup_cause":"normal_clearing","start_time":"2026-11-23T10:00:10Z","end_time":"2026-11-23T10:03:22Z"`)
	for _, body := range [][]byte{contactAnswered, hangup} {
		if got := post(body, telnyxHeaders(priv, time.Now(), body)); got.status != http.StatusOK {
			t.Fatalf("%d %s", got.status, got.body)
		}
	}
	call := w.record(t, "calls", id)
	activity := w.record(t, "activities", call.GetString("activity"))
	if calls() != "completed/answered/completed" || call.GetInt("duration_seconds") != 192 || activity.GetString("body") != "Answered, 3 min 12 s" {
		t.Errorf("call %v, activity %q", call.PublicExport(), activity.GetString("body"))
	}

	// a repeat sends no command twice and changes nothing
	if got := post(answered, telnyxHeaders(priv, time.Now(), answered)); got.status != http.StatusOK || !strings.Contains(got.body, "duplicate") {
		t.Errorf("repeat: %d %s", got.status, got.body)
	}
	if got := calls(); got != "completed/answered/completed" {
		t.Errorf("after a repeat: %s", got)
	}
}
