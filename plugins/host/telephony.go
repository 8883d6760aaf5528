package host

import (
	"context"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Telephones lists the loaded telephony plugins, by name.
func (h *Host) Telephones() []Info {
	return h.Plugins(sdk.KindTelephony)
}

// PlaceCall asks the telephony plugin of the name to ring the user's phone
// and bridge it to the contact. A provider that was unavailable or
// rejected the request gives a *CallError whose Err is the
// *sdk.ProviderError.
func (h *Host) PlaceCall(ctx context.Context, provider string, req sdk.CallRequest) (*sdk.CallResult, error) {
	in, err := h.find(sdk.KindTelephony, provider)
	if err != nil {
		return nil, err
	}
	var res *sdk.CallResult
	err = h.call(ctx, in, "call", func(ctx context.Context, c *sdk.Client) (err error) {
		res, err = c.PlaceCall(ctx, req)
		return err
	})
	return res, err
}

// ParseCallWebhook asks the telephony plugin of the name to verify and
// read a webhook (and send the provider the commands it calls for).
func (h *Host) ParseCallWebhook(ctx context.Context, provider string, req sdk.CallWebhookRequest) (*sdk.CallEvent, error) {
	in, err := h.find(sdk.KindTelephony, provider)
	if err != nil {
		return nil, err
	}
	var ev *sdk.CallEvent
	err = h.call(ctx, in, "parse call webhook", func(ctx context.Context, c *sdk.Client) (err error) {
		ev, err = c.ParseCallWebhook(ctx, req)
		return err
	})
	return ev, err
}
