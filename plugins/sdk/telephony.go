package sdk

import "context"

// Telephony is a plugin of kind "telephony": click-to-call through a
// provider. Calling a contact rings the user's phone first and, when the
// user answers, bridges it to the contact; the provider's webhooks then
// say how the call went.
type Telephony interface {
	Plugin
	// Call places the call. A provider that is unavailable or rejects the
	// request gives a *ProviderError.
	Call(ctx context.Context, req CallRequest) (*CallResult, error)
	// ParseCallWebhook verifies a webhook (its signature) and reads the
	// call event in it. It may send the provider the commands the event
	// calls for (bridging the contact when the user answered) and may ask
	// Kontor to answer the webhook with a Reply.
	ParseCallWebhook(ctx context.Context, req CallWebhookRequest) (*CallEvent, error)
}

// CallRequest is a call to place.
type CallRequest struct {
	// Settings are the workspace's account at the provider, by the names
	// the plugin documents. A plugin never logs them.
	Settings map[string]string
	// From is the workspace's caller id, E.164, shown to both phones.
	From string
	// AgentPhone is the user's phone, E.164: rung first.
	AgentPhone string
	// To is the contact's phone, E.164: rung when the user answers.
	To string
	// Record asks to record the call; Kontor sets it only when the
	// workspace enabled recording. The callee is then told first.
	Record bool
	// AnnounceRecording is what the callee is told when Record is set.
	AnnounceRecording string
	// StatusCallbackURL is where the provider posts the call's events,
	// Kontor's webhook route for the workspace.
	StatusCallbackURL string
	// Reference is Kontor's reference of the call; its events quote it.
	Reference string
}

// CallResult is a call placed.
type CallResult struct {
	// ProviderCallID is the provider's id of the call; its events quote it.
	ProviderCallID string
	// Status is one of the Call statuses, usually CallInitiated.
	Status string
}

// CallWebhookRequest is a webhook as Kontor received it.
type CallWebhookRequest struct {
	// Headers are the HTTP headers, by canonical name.
	Headers map[string][]string
	// Body is the raw body, as signed by the provider.
	Body []byte
	// URL is the full public URL the provider posted to, query included,
	// as the provider signed it.
	URL string
	// Settings are the workspace's account at the provider, as in
	// CallRequest.
	Settings map[string]string
}

// Statuses of a call.
const (
	CallInitiated = "initiated"
	CallRinging   = "ringing"
	CallAnswered  = "answered"
	CallCompleted = "completed"
	CallBusy      = "busy"
	CallNoAnswer  = "no_answer"
	CallFailed    = "failed"
	CallCanceled  = "canceled"
	CallRecorded  = "recorded" // the recording is ready at RecordingURL
	CallIgnored   = "ignored"  // nothing for Kontor to log
)

// Legs of a call.
const (
	LegAgent   = "agent"   // the user's phone, rung first
	LegContact = "contact" // the contact's phone, bridged to it
)

// CallEvent is what a webhook says.
type CallEvent struct {
	// ID is the event's id; Kontor handles each id once.
	ID string
	// ProviderCallID is the id Call returned.
	ProviderCallID string
	// Reference is the CallRequest's Reference.
	Reference string
	// Leg is LegAgent or LegContact: the contact's leg says how the
	// conversation went, the agent's whether the user answered.
	Leg string
	// Status is one of the Call statuses.
	Status string
	// DurationSeconds is, when completed, how long the leg lasted.
	DurationSeconds int
	// RecordingURL is, when recorded, where the recording is.
	RecordingURL string
	// OccurredAt is when it happened (RFC 3339), when the provider says.
	OccurredAt string
	// Reply is what Kontor answers the webhook with (e.g. TwiML), with
	// ReplyContentType; empty for an empty 200.
	Reply            []byte
	ReplyContentType string
}
