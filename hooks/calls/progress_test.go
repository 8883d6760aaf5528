package calls

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// newCall is a calls row in memory, as placed.
func newCall(recorded bool) *core.Record {
	c := core.NewBaseCollection("calls")
	for _, name := range []string{"status", "agent_status", "contact_status", "recording_url", "error", "provider_call_id"} {
		c.Fields.Add(&core.TextField{Name: name})
	}
	for _, name := range []string{"answered_at", "ended_at"} {
		c.Fields.Add(&core.DateField{Name: name})
	}
	c.Fields.Add(&core.NumberField{Name: "duration_seconds"}, &core.BoolField{Name: "recorded"}, &core.JSONField{Name: "handled_events"})
	r := core.NewRecord(c)
	r.Set("status", sdk.CallInitiated)
	r.Set("recorded", recorded)
	return r
}

func TestProgress(t *testing.T) {
	agent := func(status string) sdk.CallEvent { return sdk.CallEvent{Leg: sdk.LegAgent, Status: status} }
	contact := func(status string, seconds int) sdk.CallEvent {
		return sdk.CallEvent{Leg: sdk.LegContact, Status: status, DurationSeconds: seconds}
	}
	cases := []struct {
		name     string
		recorded bool
		events   []sdk.CallEvent
		status   string
		body     string
		seconds  int
	}{
		{"placed", false, nil, "initiated", "Calling…", 0},
		{"user's phone rings", false, []sdk.CallEvent{agent("ringing")}, "ringing", "Calling…", 0},
		{"contact answers", false, []sdk.CallEvent{agent("answered"), contact("answered", 0)}, "answered", "Answered, in progress", 0},
		{"conversation", false, []sdk.CallEvent{agent("answered"), contact("answered", 0), contact("completed", 192), agent("completed")},
			"completed", "Answered, 3 min 12 s", 192},
		{"user's leg ends first", false, []sdk.CallEvent{agent("answered"), agent("completed"), contact("completed", 45)},
			"completed", "Answered, 45 s", 45},
		{"contact busy", false, []sdk.CallEvent{agent("answered"), contact("busy", 0), agent("completed")}, "busy", "Busy", 0},
		{"contact does not answer", false, []sdk.CallEvent{agent("answered"), contact("no_answer", 0)}, "no_answer", "No answer", 0},
		{"user does not answer", false, []sdk.CallEvent{agent("ringing"), agent("no_answer")}, "no_answer", "Your phone was not answered", 0},
		{"user's phone busy", false, []sdk.CallEvent{agent("busy")}, "busy", "Your phone was busy", 0},
		{"user hangs up before the contact answers", false, []sdk.CallEvent{agent("answered"), agent("completed")},
			"canceled", "Ended before the contact answered", 0},
		{"late ringing after the end", false, []sdk.CallEvent{contact("completed", 10), agent("completed"), agent("ringing"), contact("answered", 0)},
			"completed", "Answered, 10 s", 10},
		{"recorded", true, []sdk.CallEvent{contact("completed", 3723), {Leg: sdk.LegContact, Status: sdk.CallRecorded, RecordingURL: "https://api.twilio.com/rec/RE1"}},
			"completed", "Answered, 1 h 2 min 3 s\nRecorded: https://api.twilio.com/rec/RE1", 3723},
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call := newCall(tc.recorded)
			for i, ev := range tc.events {
				progress(call, &ev, at.Add(time.Duration(i)*time.Second))
			}
			if got := call.GetString("status"); got != tc.status {
				t.Errorf("status %q, want %q", got, tc.status)
			}
			if got := activityBody(call); got != tc.body {
				t.Errorf("body %q, want %q", got, tc.body)
			}
			if got := call.GetInt("duration_seconds"); got != tc.seconds {
				t.Errorf("duration %d, want %d", got, tc.seconds)
			}
		})
	}
}

func TestHandled(t *testing.T) {
	call := newCall(false)
	for _, tc := range []struct {
		id   string
		want bool
	}{{"ev-1", false}, {"ev-2", false}, {"ev-1", true}, {"", false}, {"", false}} {
		if got := handled(call, tc.id); got != tc.want {
			t.Errorf("handled(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestRecordingNotice(t *testing.T) {
	c := core.NewBaseCollection("workspaces")
	c.Fields.Add(&core.TextField{Name: "language"}, &core.TextField{Name: "call_recording_notice"})
	for _, tc := range []struct{ language, notice, want string }{
		{"fr", "", "Cet appel est enregistré."},
		{"es", "  ", "Esta llamada está siendo grabada."},
		{"", "", "This call is being recorded."},
		{"de", " Wir zeichnen auf. ", "Wir zeichnen auf."},
	} {
		ws := core.NewRecord(c)
		ws.Set("language", tc.language)
		ws.Set("call_recording_notice", tc.notice)
		if got := recordingNotice(ws); got != tc.want {
			t.Errorf("%q %q: %q, want %q", tc.language, tc.notice, got, tc.want)
		}
	}
}
