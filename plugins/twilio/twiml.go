package twilio

import (
	"encoding/xml"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// TwiML is what Twilio runs once the user answers: <Dial> the contact
// with the caller id, bridging the two, and report how the contact's leg
// ended to the <Dial action>. When recording, the user first hears the
// announcement (<Say>), the dial records from the contact's answer in two
// channels, and the contact hears the announcement before being connected
// (<Number url>, answered by ParseCallWebhook); without recording the
// TwiML has no record attribute and no announcement.
func TwiML(req sdk.CallRequest, language string) (string, error) {
	action, err := callbackURL(req.StatusCallbackURL, req.Reference, StepDial, "")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("<Response>")
	if req.Record {
		say(&b, req.AnnounceRecording, language)
	}
	b.WriteString(`<Dial callerId="` + attr(req.From) + `" action="` + attr(action) + `" method="POST"`)
	number := "<Number>"
	if req.Record {
		rec, err := callbackURL(req.StatusCallbackURL, req.Reference, StepRecording, "")
		if err != nil {
			return "", err
		}
		announce, err := callbackURL(req.StatusCallbackURL, req.Reference, StepAnnounce, req.AnnounceRecording)
		if err != nil {
			return "", err
		}
		b.WriteString(` record="record-from-answer-dual" recordingStatusCallback="` + attr(rec) +
			`" recordingStatusCallbackMethod="POST" recordingStatusCallbackEvent="completed"`)
		number = `<Number url="` + attr(announce) + `" method="POST">`
	}
	b.WriteString(">" + number + text(req.To) + "</Number></Dial></Response>")
	return b.String(), nil
}

// say writes a <Say> of the text.
func say(b *strings.Builder, what, language string) {
	b.WriteString("<Say")
	if language != "" {
		b.WriteString(` language="` + attr(language) + `"`)
	}
	b.WriteString(">" + text(what) + "</Say>")
}

func text(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string { return text(s) }
