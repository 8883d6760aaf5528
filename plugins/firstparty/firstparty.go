// Package firstparty lists Kontor's first-party plugins: compiled into the
// server binary, served out of process by its hidden "plugin NAME"
// subcommand, so `go run . serve` offers them with no extra build.
package firstparty

import (
	"github.com/kontor-app/kontor/plugins/anthropic"
	"github.com/kontor-app/kontor/plugins/facturx"
	"github.com/kontor-app/kontor/plugins/fatturapa"
	"github.com/kontor-app/kontor/plugins/gemini"
	"github.com/kontor-app/kontor/plugins/gocardless"
	"github.com/kontor-app/kontor/plugins/peppol"
	"github.com/kontor-app/kontor/plugins/sdk"
	"github.com/kontor-app/kontor/plugins/stripe"
	"github.com/kontor-app/kontor/plugins/telnyx"
	"github.com/kontor-app/kontor/plugins/twilio"
	"github.com/kontor-app/kontor/plugins/xrechnung"
)

// Plugins returns the first-party plugins.
func Plugins() []sdk.Plugin {
	return []sdk.Plugin{
		peppol.Format{},
		xrechnung.UBL{},
		xrechnung.CII{},
		facturx.Format{},
		fatturapa.Format{},
		stripe.Provider{},
		gocardless.Provider{},
		anthropic.Provider{},
		gemini.Provider{},
		twilio.Provider{},
		telnyx.Provider{},
	}
}
