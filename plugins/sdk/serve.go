package sdk

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// namePattern is what a plugin name looks like: it appears in URLs.
var namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Serve serves the plugin to Kontor and returns only when Kontor stops it.
// It is all a plugin's main does. Started by anything else than Kontor, the
// binary prints that it is a plugin and exits with status 1; a plugin whose
// Describe does not match what it implements exits the same way, saying why.
func Serve(p Plugin) {
	if err := Check(p); err != nil {
		fmt.Fprintln(os.Stderr, "kontor plugin:", err)
		os.Exit(1)
	}
	go exitWithParent()
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{ProtocolVersion: {PluginName: &GRPCPlugin{Impl: p}}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, ServerOptions()...)...)
		},
		Logger: hcLogger,
	})
}

// exitWithParent ends the plugin when the process that started it is gone
// (killed without stopping its plugins), so no plugin outlives Kontor.
func exitWithParent() {
	parent := os.Getppid()
	for range time.Tick(time.Second) {
		if os.Getppid() != parent {
			os.Exit(0)
		}
	}
}

// Check reports what is wrong with a plugin: a description CheckDescription
// refuses, or a kind the plugin does not implement.
func Check(p Plugin) error {
	d := p.Describe()
	if err := CheckDescription(d); err != nil {
		return err
	}
	switch d.Kind {
	case KindFormat:
		if _, ok := p.(Format); !ok {
			return fmt.Errorf("%s says it is a format but does not implement sdk.Format", d.Name)
		}
	case KindPayment:
		if _, ok := p.(Payment); !ok {
			return fmt.Errorf("%s says it is a payment provider but does not implement sdk.Payment", d.Name)
		}
	case KindLLM:
		if _, ok := p.(LLM); !ok {
			return fmt.Errorf("%s says it is an LLM provider but does not implement sdk.LLM", d.Name)
		}
	case KindTelephony:
		if _, ok := p.(Telephony); !ok {
			return fmt.Errorf("%s says it is a telephony provider but does not implement sdk.Telephony", d.Name)
		}
	}
	return nil
}

// CheckDescription reports what is wrong with a description: a name that
// cannot be an id, or a kind that is not one of Kinds.
func CheckDescription(d Description) error {
	if !namePattern.MatchString(d.Name) {
		return fmt.Errorf("name %q must be lower case letters, digits and dashes, like \"my-format\"", d.Name)
	}
	if !slices.Contains(Kinds, d.Kind) {
		return fmt.Errorf("%s has kind %q; a plugin is a %q, %q, %q or %q", d.Name, d.Kind, KindFormat, KindPayment, KindLLM, KindTelephony)
	}
	return nil
}
