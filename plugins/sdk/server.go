package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kontor-app/kontor/plugins/sdk/pluginpb"
)

// pluginServer serves Describe.
type pluginServer struct {
	pluginpb.UnimplementedPluginServer
	impl Plugin
}

func (s *pluginServer) Describe(context.Context, *pluginpb.DescribeRequest) (*pluginpb.Description, error) {
	d := s.impl.Describe()
	if d.ModelVersion == "" {
		d.ModelVersion = ModelVersion
	}
	return descriptionToPB(d), nil
}

// formatServer serves Render.
type formatServer struct {
	pluginpb.UnimplementedFormatServer
	impl Format
}

func (s *formatServer) Render(ctx context.Context, req *pluginpb.RenderRequest) (res *pluginpb.RenderResponse, err error) {
	defer recoverInto(&err)
	var inv Invoice
	if err := json.Unmarshal(req.GetInvoice(), &inv); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "the invoice is not canonical invoice JSON: %v", err)
	}
	doc, err := s.impl.Render(ctx, &inv)
	if err != nil {
		return nil, toStatus(err)
	}
	if doc == nil {
		return nil, status.Error(codes.Internal, "the plugin rendered nothing")
	}
	return documentToPB(doc), nil
}

// paymentServer serves CreatePayment and ParseWebhook.
type paymentServer struct {
	pluginpb.UnimplementedPaymentServer
	impl Payment
}

func (s *paymentServer) CreatePayment(ctx context.Context, req *pluginpb.CreatePaymentRequest) (res *pluginpb.CreatePaymentResponse, err error) {
	defer recoverInto(&err)
	var inv Invoice
	if err := json.Unmarshal(req.GetInvoice(), &inv); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "the invoice is not canonical invoice JSON: %v", err)
	}
	link, err := s.impl.CreatePayment(ctx, PaymentRequest{
		Invoice: &inv, Amount: req.GetAmount(), Currency: req.GetCurrency(),
		SuccessURL: req.GetSuccessUrl(), CancelURL: req.GetCancelUrl(), IdempotencyKey: req.GetIdempotencyKey(),
		Settings: req.GetSettings(), WebhookURL: req.GetWebhookUrl(),
	})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pluginpb.CreatePaymentResponse{Url: link.URL, Id: link.ID, ExpiresAt: link.ExpiresAt}, nil
}

func (s *paymentServer) ParseWebhook(ctx context.Context, req *pluginpb.ParseWebhookRequest) (res *pluginpb.ParseWebhookResponse, err error) {
	defer recoverInto(&err)
	headers := make(map[string][]string, len(req.GetHeaders()))
	for _, h := range req.GetHeaders() {
		headers[h.GetName()] = append(headers[h.GetName()], h.GetValues()...)
	}
	ev, err := s.impl.ParseWebhook(ctx, WebhookRequest{Headers: headers, Body: req.GetBody(), Settings: req.GetSettings()})
	if err != nil {
		return nil, toStatus(err)
	}
	return &pluginpb.ParseWebhookResponse{Event: &pluginpb.PaymentEvent{
		Id: ev.ID, Type: ev.Type, PaymentId: ev.PaymentID, InvoiceNumber: ev.InvoiceNumber,
		Amount: ev.Amount, Currency: ev.Currency, OccurredAt: ev.OccurredAt,
	}}, nil
}

// recoverInto turns a panic of the plugin's code into an error of the one
// call, logged with its stack, instead of the end of the plugin.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		Logger().Error("plugin panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		*err = status.Errorf(codes.Internal, "the plugin panicked: %v", r)
	}
}

// toStatus keeps a status error, makes a *ProviderError a status that
// carries it (see providerStatus) and any other error an Unknown one
// carrying its message.
func toStatus(err error) error {
	var pe *ProviderError
	if errors.As(err, &pe) {
		return providerStatus(pe)
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Unknown, err.Error())
}
