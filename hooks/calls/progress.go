package calls

import (
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// final reports whether a status ends a leg.
func final(status string) bool {
	switch status {
	case sdk.CallCompleted, sdk.CallBusy, sdk.CallNoAnswer, sdk.CallFailed, sdk.CallCanceled:
		return true
	}
	return false
}

// progress applies a verified event to its call: the contact's leg says
// how the conversation went (and always has the last word), the agent's
// leg whether the user answered; when the user's phone was not answered,
// or the user hung up before the contact's leg ended, the agent's leg
// ends the call. A leg never goes back from a final status, so events
// delivered late or twice change nothing. at is when it happened.
func progress(call *core.Record, ev *sdk.CallEvent, at time.Time) {
	when, _ := types.ParseDateTime(at.UTC())
	if ev.RecordingURL != "" {
		call.Set("recording_url", ev.RecordingURL)
	}
	switch {
	case ev.Status == sdk.CallRecorded:
		return
	case ev.Leg == sdk.LegContact:
		if final(call.GetString("contact_status")) && !final(ev.Status) {
			return
		}
		call.Set("contact_status", ev.Status)
		switch {
		case ev.Status == sdk.CallAnswered:
			if !final(call.GetString("status")) {
				call.Set("status", sdk.CallAnswered)
			}
			if call.GetDateTime("answered_at").IsZero() {
				call.Set("answered_at", when)
			}
		case final(ev.Status):
			call.Set("status", ev.Status)
			call.Set("ended_at", when)
			call.Set("duration_seconds", 0)
			if ev.Status == sdk.CallCompleted {
				call.Set("duration_seconds", ev.DurationSeconds)
				if call.GetDateTime("answered_at").IsZero() {
					answered, _ := types.ParseDateTime(at.UTC().Add(-time.Duration(ev.DurationSeconds) * time.Second))
					call.Set("answered_at", answered)
				}
			}
		case !final(call.GetString("status")) && call.GetString("status") != sdk.CallAnswered:
			call.Set("status", sdk.CallRinging)
		}
	default:
		if final(call.GetString("agent_status")) && !final(ev.Status) {
			return
		}
		call.Set("agent_status", ev.Status)
		status := call.GetString("status")
		switch {
		case final(call.GetString("contact_status")):
			// the contact's leg told how the call went
		case !final(ev.Status):
			if status == sdk.CallInitiated || status == sdk.CallRinging {
				call.Set("status", sdk.CallRinging)
			}
		case ev.Status == sdk.CallCompleted && call.GetString("contact_status") == sdk.CallAnswered:
			// the user hung up a conversation whose end the contact's leg
			// has not told yet
			call.Set("status", sdk.CallCompleted)
			call.Set("ended_at", when)
			if answered := call.GetDateTime("answered_at"); !answered.IsZero() {
				call.Set("duration_seconds", int(at.Sub(answered.Time()).Round(time.Second).Seconds()))
			}
		case ev.Status == sdk.CallCompleted:
			// the user answered and hung up before the contact did
			call.Set("status", sdk.CallCanceled)
			call.Set("ended_at", when)
		default:
			call.Set("status", ev.Status)
			call.Set("ended_at", when)
		}
	}
}

// handled reports whether the call already took the event of the id, and
// otherwise notes it.
func handled(call *core.Record, id string) bool {
	if id == "" {
		return false
	}
	var ids []string
	_ = call.UnmarshalJSONField("handled_events", &ids)
	if slices.Contains(ids, id) {
		return true
	}
	call.Set("handled_events", append(ids, id))
	return false
}

// activityBody is what the call's activity says: how the call went.
func activityBody(call *core.Record) string {
	byContact := final(call.GetString("contact_status"))
	var body string
	switch call.GetString("status") {
	case sdk.CallInitiated, sdk.CallRinging:
		body = "Calling…"
	case sdk.CallAnswered:
		body = "Answered, in progress"
	case sdk.CallCompleted:
		body = "Answered, " + duration(call.GetInt("duration_seconds"))
	case sdk.CallBusy:
		body = "Busy"
		if !byContact {
			body = "Your phone was busy"
		}
	case sdk.CallNoAnswer:
		body = "No answer"
		if !byContact {
			body = "Your phone was not answered"
		}
	case sdk.CallCanceled:
		body = "Canceled"
		if !byContact {
			body = "Ended before the contact answered"
		}
	case sdk.CallFailed:
		body = "Failed"
		if reason := call.GetString("error"); reason != "" {
			body += ": " + reason
		}
	}
	if call.GetBool("recorded") {
		body += "\nRecorded"
		if url := call.GetString("recording_url"); url != "" {
			body += ": " + url
		}
	}
	return body
}

// duration is a call's length for people: "45 s", "3 min 12 s",
// "1 h 2 min 3 s".
func duration(seconds int) string {
	h, m, s := seconds/3600, seconds/60%60, seconds%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d h %d min %d s", h, m, s)
	case m > 0:
		return fmt.Sprintf("%d min %d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}

// saveActivity brings the call's activity up to date with the call: its
// body, and done once the call ended.
func saveActivity(tx core.App, call *core.Record) error {
	if call.GetString("activity") == "" {
		return nil
	}
	activity, err := tx.FindRecordById("activities", call.GetString("activity"))
	if err != nil {
		return nil // deleted by a user meanwhile
	}
	body, done := activityBody(call), final(call.GetString("status"))
	if activity.GetString("body") == body && activity.GetBool("done") == done {
		return nil
	}
	activity.Set("body", body)
	activity.Set("done", done)
	return tx.Save(activity)
}
