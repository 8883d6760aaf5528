// Command testplugin is a misbehaving plugin for the host's tests. What it
// does depends on the name it is run under:
//
//   - crashy: a format "crashy" that exits during Render for invoice number
//     (or buyer reference) CRASH, hangs for HANG, fails for FAIL and
//     otherwise echoes the number;
//   - badcookie: expects another magic cookie;
//   - badversion: speaks protocol version 99;
//   - notaplugin: prints a line and exits;
//   - badkind: describes itself as a plugin of kind "fax".
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/kontor-app/kontor/plugins/sdk"
)

type crashy struct{ kind string }

func (c crashy) Describe() sdk.Description {
	return sdk.Description{Kind: c.kind, Name: "crashy", Title: "Crashy", Version: "0.0.1",
		Capabilities: []string{sdk.CapabilityInvoice}, MediaType: "text/plain"}
}

func (crashy) Render(_ context.Context, inv *sdk.Invoice) (*sdk.Document, error) {
	what := inv.Number
	if inv.BuyerReference != "" {
		what = inv.BuyerReference
	}
	switch what {
	case "CRASH":
		fmt.Fprintln(os.Stderr, "crashy: exiting in the middle of a call")
		os.Exit(3)
	case "HANG":
		time.Sleep(time.Hour)
	case "FAIL":
		return nil, errors.New("crashy cannot render this")
	}
	sdk.Logger().Info("crashy rendered", "number", inv.Number)
	return &sdk.Document{Content: []byte(inv.Number), MediaType: "text/plain", FileName: inv.Number + ".txt"}, nil
}

func serve(handshake plugin.HandshakeConfig, version int, p sdk.Plugin) {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  handshake,
		VersionedPlugins: map[int]plugin.PluginSet{version: {sdk.PluginName: &sdk.GRPCPlugin{Impl: p}}},
		GRPCServer:       plugin.DefaultGRPCServer,
	})
}

func main() {
	name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	switch {
	case strings.HasPrefix(name, "crashy"):
		sdk.Serve(crashy{kind: sdk.KindFormat})
	case name == "badcookie":
		h := sdk.Handshake
		h.MagicCookieValue = "another-cookie"
		serve(h, sdk.ProtocolVersion, crashy{kind: sdk.KindFormat})
	case name == "badversion":
		h := sdk.Handshake
		h.ProtocolVersion = 99
		serve(h, 99, crashy{kind: sdk.KindFormat})
	case name == "badkind":
		serve(sdk.Handshake, sdk.ProtocolVersion, crashy{kind: "fax"})
	default:
		fmt.Println("hello, I am not a plugin")
	}
}
