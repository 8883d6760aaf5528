package sdk

import (
	"context"

	"github.com/kontor-app/kontor/plugins/sdk/pluginpb"
)

// PlaceCall asks a telephony plugin to place a call. A provider failure
// comes back as a *ProviderError.
func (c *Client) PlaceCall(ctx context.Context, req CallRequest) (*CallResult, error) {
	res, err := c.telephony.Call(ctx, &pluginpb.CallRequest{
		Settings: req.Settings, From: req.From, AgentPhone: req.AgentPhone, To: req.To,
		Record: req.Record, AnnounceRecording: req.AnnounceRecording,
		StatusCallbackUrl: req.StatusCallbackURL, Reference: req.Reference,
	})
	if err != nil {
		return nil, fromStatus(err)
	}
	return &CallResult{ProviderCallID: res.GetProviderCallId(), Status: res.GetStatus()}, nil
}

// ParseCallWebhook asks a telephony plugin to verify and read a webhook.
func (c *Client) ParseCallWebhook(ctx context.Context, req CallWebhookRequest) (*CallEvent, error) {
	in := &pluginpb.ParseCallWebhookRequest{Body: req.Body, Url: req.URL, Settings: req.Settings}
	for name, values := range req.Headers {
		in.Headers = append(in.Headers, &pluginpb.Header{Name: name, Values: values})
	}
	ev, err := c.telephony.ParseCallWebhook(ctx, in)
	if err != nil {
		return nil, fromStatus(err)
	}
	return &CallEvent{
		ID: ev.GetId(), ProviderCallID: ev.GetProviderCallId(), Reference: ev.GetReference(), Leg: ev.GetLeg(),
		Status: ev.GetStatus(), DurationSeconds: int(ev.GetDurationSeconds()), RecordingURL: ev.GetRecordingUrl(),
		OccurredAt: ev.GetOccurredAt(), Reply: ev.GetReply(), ReplyContentType: ev.GetReplyContentType(),
	}, nil
}

// telephonyServer serves Call and ParseCallWebhook.
type telephonyServer struct {
	pluginpb.UnimplementedTelephonyServer
	impl Telephony
}

func (s *telephonyServer) Call(ctx context.Context, req *pluginpb.CallRequest) (res *pluginpb.CallResult, err error) {
	defer recoverInto(&err)
	out, err := s.impl.Call(ctx, CallRequest{
		Settings: req.GetSettings(), From: req.GetFrom(), AgentPhone: req.GetAgentPhone(), To: req.GetTo(),
		Record: req.GetRecord(), AnnounceRecording: req.GetAnnounceRecording(),
		StatusCallbackURL: req.GetStatusCallbackUrl(), Reference: req.GetReference(),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	if out == nil {
		out = &CallResult{}
	}
	return &pluginpb.CallResult{ProviderCallId: out.ProviderCallID, Status: out.Status}, nil
}

func (s *telephonyServer) ParseCallWebhook(ctx context.Context, req *pluginpb.ParseCallWebhookRequest) (res *pluginpb.CallEvent, err error) {
	defer recoverInto(&err)
	headers := make(map[string][]string, len(req.GetHeaders()))
	for _, h := range req.GetHeaders() {
		headers[h.GetName()] = append(headers[h.GetName()], h.GetValues()...)
	}
	ev, err := s.impl.ParseCallWebhook(ctx, CallWebhookRequest{Headers: headers, Body: req.GetBody(), URL: req.GetUrl(), Settings: req.GetSettings()})
	if err != nil {
		return nil, toStatus(err)
	}
	if ev == nil {
		ev = &CallEvent{Status: CallIgnored}
	}
	return &pluginpb.CallEvent{
		Id: ev.ID, ProviderCallId: ev.ProviderCallID, Reference: ev.Reference, Leg: ev.Leg, Status: ev.Status,
		DurationSeconds: int32(ev.DurationSeconds), RecordingUrl: ev.RecordingURL, OccurredAt: ev.OccurredAt,
		Reply: ev.Reply, ReplyContentType: ev.ReplyContentType,
	}, nil
}
