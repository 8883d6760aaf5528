package sdk

import (
	"context"
	"errors"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/kontor-app/kontor/plugins/sdk/pluginpb"
)

// MaxMessageSize is the largest message either end accepts: an invoice of
// thousands of lines, or the document rendered from it.
const MaxMessageSize = 64 << 20

// GRPCPlugin is the go-plugin glue of a Kontor plugin, both ends of it: in
// a plugin, Impl serves the gRPC services; in Kontor, GRPCClient returns a
// *Client. Plugin authors do not use it directly: Serve does.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	// Impl is the plugin, on the plugin's side; nil on Kontor's.
	Impl Plugin
}

// PluginSets are the plugin sets Kontor offers, by protocol version.
func PluginSets() map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{ProtocolVersion: {PluginName: &GRPCPlugin{}}}
}

// GRPCServer registers the services Impl implements.
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return errors.New("sdk: GRPCPlugin has no Impl to serve")
	}
	pluginpb.RegisterPluginServer(s, &pluginServer{impl: p.Impl})
	if f, ok := p.Impl.(Format); ok {
		pluginpb.RegisterFormatServer(s, &formatServer{impl: f})
	}
	if pay, ok := p.Impl.(Payment); ok {
		pluginpb.RegisterPaymentServer(s, &paymentServer{impl: pay})
	}
	if l, ok := p.Impl.(LLM); ok {
		pluginpb.RegisterLLMServer(s, &llmServer{impl: l})
	}
	if t, ok := p.Impl.(Telephony); ok {
		pluginpb.RegisterTelephonyServer(s, &telephonyServer{impl: t})
	}
	return nil
}

// GRPCClient returns Kontor's end of the connection, a *Client.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return NewClient(c), nil
}

// ServerOptions are the options of the gRPC server of a plugin.
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.MaxRecvMsgSize(MaxMessageSize), grpc.MaxSendMsgSize(MaxMessageSize)}
}

// DialOptions are the options Kontor dials a plugin with.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(MaxMessageSize), grpc.MaxCallSendMsgSize(MaxMessageSize))}
}
