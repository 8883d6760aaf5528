package sdk_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// switchboard is a telephony plugin that echoes what it is asked.
type switchboard struct{}

func (switchboard) Describe() sdk.Description {
	return sdk.Description{Kind: sdk.KindTelephony, Name: "switchboard", Title: "Switchboard", Version: "1.0.0"}
}

func (switchboard) Call(_ context.Context, req sdk.CallRequest) (*sdk.CallResult, error) {
	if req.To == "+490" {
		return nil, &sdk.ProviderError{Provider: "switchboard", HTTPStatus: 400, Type: "21211", Message: "The 'To' number is not valid."}
	}
	id := strings.Join([]string{req.Settings["sid"], req.From, req.AgentPhone, req.To, req.AnnounceRecording, req.StatusCallbackURL, req.Reference}, "|")
	if req.Record {
		id += "|rec"
	}
	return &sdk.CallResult{ProviderCallID: id, Status: sdk.CallInitiated}, nil
}

func (switchboard) ParseCallWebhook(_ context.Context, req sdk.CallWebhookRequest) (*sdk.CallEvent, error) {
	if req.Headers["X-Sig"][0] != req.Settings["secret"] {
		return nil, errors.New("invalid signature")
	}
	return &sdk.CallEvent{ID: "ev1", ProviderCallID: "CA1", Reference: req.URL, Leg: sdk.LegContact, Status: sdk.CallCompleted,
		DurationSeconds: 81, RecordingURL: string(req.Body), OccurredAt: "2026-03-02T10:00:00Z", Reply: []byte("<Response/>"), ReplyContentType: "text/xml"}, nil
}

func TestTelephonyRoundTrip(t *testing.T) {
	c := connect(t, switchboard{})
	ctx := context.Background()
	res, err := c.PlaceCall(ctx, sdk.CallRequest{Settings: map[string]string{"sid": "AC1"}, From: "+491", AgentPhone: "+492", To: "+493",
		Record: true, AnnounceRecording: "recorded", StatusCallbackURL: "https://k/cb", Reference: "r1"})
	if err != nil || res.ProviderCallID != "AC1|+491|+492|+493|recorded|https://k/cb|r1|rec" || res.Status != sdk.CallInitiated {
		t.Fatalf("%+v %v", res, err)
	}
	_, err = c.PlaceCall(ctx, sdk.CallRequest{To: "+490"})
	var pe *sdk.ProviderError
	if !errors.As(err, &pe) || pe.Unavailable || pe.Type != "21211" || !strings.Contains(err.Error(), "switchboard rejected the request (HTTP 400 21211): The 'To' number is not valid.") {
		t.Fatalf("got %v", err)
	}

	ev, err := c.ParseCallWebhook(ctx, sdk.CallWebhookRequest{Headers: map[string][]string{"X-Sig": {"s3"}}, Body: []byte("https://rec/1.mp3"),
		URL: "https://k/cb?ref=r1", Settings: map[string]string{"secret": "s3"}})
	want := &sdk.CallEvent{ID: "ev1", ProviderCallID: "CA1", Reference: "https://k/cb?ref=r1", Leg: sdk.LegContact, Status: sdk.CallCompleted,
		DurationSeconds: 81, RecordingURL: "https://rec/1.mp3", OccurredAt: "2026-03-02T10:00:00Z", Reply: []byte("<Response/>"), ReplyContentType: "text/xml"}
	if err != nil || !reflect.DeepEqual(ev, want) {
		t.Fatalf("got %+v %v", ev, err)
	}
	_, err = c.ParseCallWebhook(ctx, sdk.CallWebhookRequest{Headers: map[string][]string{"X-Sig": {"forged"}}, Settings: map[string]string{"secret": "s3"}})
	if err == nil || !strings.Contains(err.Error(), "invalid signature") || errors.As(err, &pe) {
		t.Fatalf("forged: %v", err)
	}
}
