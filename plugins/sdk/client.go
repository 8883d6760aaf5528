package sdk

import (
	"context"
	"encoding/json"

	"google.golang.org/grpc"

	"github.com/kontor-app/kontor/plugins/sdk/pluginpb"
)

// Client is Kontor's end of a plugin: the calls of the contract over a gRPC
// connection.
type Client struct {
	plugin    pluginpb.PluginClient
	format    pluginpb.FormatClient
	payment   pluginpb.PaymentClient
	llm       pluginpb.LLMClient
	telephony pluginpb.TelephonyClient
}

// NewClient returns the client of a plugin on the connection.
func NewClient(c *grpc.ClientConn) *Client {
	return &Client{
		plugin:  pluginpb.NewPluginClient(c),
		format:  pluginpb.NewFormatClient(c),
		payment: pluginpb.NewPaymentClient(c),

		llm:       pluginpb.NewLLMClient(c),
		telephony: pluginpb.NewTelephonyClient(c),
	}
}

// Describe asks the plugin what it is.
func (c *Client) Describe(ctx context.Context) (Description, error) {
	d, err := c.plugin.Describe(ctx, &pluginpb.DescribeRequest{})
	if err != nil {
		return Description{}, err
	}
	return descriptionFromPB(d), nil
}

// Render asks a format plugin to render the invoice.
func (c *Client) Render(ctx context.Context, inv *Invoice) (*Document, error) {
	raw, err := json.Marshal(inv)
	if err != nil {
		return nil, err
	}
	return c.RenderJSON(ctx, raw)
}

// RenderJSON asks a format plugin to render a canonical invoice given as JSON.
func (c *Client) RenderJSON(ctx context.Context, invoice []byte) (*Document, error) {
	res, err := c.format.Render(ctx, &pluginpb.RenderRequest{Invoice: invoice})
	if err != nil {
		return nil, err
	}
	return documentFromPB(res), nil
}

// CreatePayment asks a payment plugin for a payment link.
func (c *Client) CreatePayment(ctx context.Context, req PaymentRequest) (*PaymentLink, error) {
	raw, err := json.Marshal(req.Invoice)
	if err != nil {
		return nil, err
	}
	res, err := c.payment.CreatePayment(ctx, &pluginpb.CreatePaymentRequest{
		Invoice: raw, Amount: req.Amount, Currency: req.Currency,
		SuccessUrl: req.SuccessURL, CancelUrl: req.CancelURL, IdempotencyKey: req.IdempotencyKey,
		Settings: req.Settings, WebhookUrl: req.WebhookURL,
	})
	if err != nil {
		return nil, err
	}
	return &PaymentLink{URL: res.GetUrl(), ID: res.GetId(), ExpiresAt: res.GetExpiresAt()}, nil
}

// ParseWebhook asks a payment plugin to verify and read a webhook.
func (c *Client) ParseWebhook(ctx context.Context, req WebhookRequest) (*PaymentEvent, error) {
	in := &pluginpb.ParseWebhookRequest{Body: req.Body, Settings: req.Settings}
	for name, values := range req.Headers {
		in.Headers = append(in.Headers, &pluginpb.Header{Name: name, Values: values})
	}
	res, err := c.payment.ParseWebhook(ctx, in)
	if err != nil {
		return nil, err
	}
	ev := res.GetEvent()
	return &PaymentEvent{
		ID: ev.GetId(), Type: ev.GetType(), PaymentID: ev.GetPaymentId(), InvoiceNumber: ev.GetInvoiceNumber(),
		Amount: ev.GetAmount(), Currency: ev.GetCurrency(), OccurredAt: ev.GetOccurredAt(),
	}, nil
}
