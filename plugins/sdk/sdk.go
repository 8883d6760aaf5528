// Package sdk is all a Kontor plugin author imports: the versioned contract
// between Kontor and its plugins, the canonical invoice model and Serve.
//
// A plugin is a program whose main calls Serve with a value that implements
// Format (an e-invoice or export format), Payment (a payment provider), LLM
// (a large language model provider) or Telephony (click-to-call).
// Kontor starts it, checks the handshake (magic cookie and protocol
// version), asks it to Describe itself, and then calls it over gRPC
// (hashicorp/go-plugin). The package imports nothing of Kontor's server and
// nothing of PocketBase, so a plugin binary stays small and builds on its own.
//
//	func main() { sdk.Serve(myFormat{}) }
package sdk

import (
	"github.com/hashicorp/go-plugin"
)

// ProtocolVersion is the version of the plugin protocol: the gRPC services
// in pluginpb and the meaning of their fields. It changes only when an old
// plugin could no longer work with a new Kontor (or the reverse); Kontor
// refuses a plugin that speaks no version it speaks.
const ProtocolVersion = 1

// ModelVersion is the version of the canonical invoice JSON. A minor
// version adds optional fields, which older plugins ignore; a major version
// comes with a new ProtocolVersion.
const ModelVersion = "1.1"

// The kinds of plugin.
const (
	KindFormat    = "format"    // renders an invoice as a document (Format)
	KindPayment   = "payment"   // takes payments through a provider (Payment)
	KindLLM       = "llm"       // answers a conversation, calling tools (LLM)
	KindTelephony = "telephony" // places calls through a provider (Telephony)
)

// Kinds lists the kinds of plugin Kontor knows.
var Kinds = []string{KindFormat, KindPayment, KindLLM, KindTelephony}

// PluginName is the name of Kontor's plugin in go-plugin's plugin set.
const PluginName = "kontor"

// Handshake is what Kontor and a plugin check before they talk: a plugin
// started by anything else than Kontor (or by Kontor with another cookie)
// exits with a message, and a plugin of another ProtocolVersion is refused.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "KONTOR_PLUGIN",
	MagicCookieValue: "7d3c0a0e-kontor-plugin",
}

// Description is what a plugin says about itself.
type Description struct {
	// Kind is one of Kinds.
	Kind string `json:"kind"`
	// Name is the plugin's id in URLs and settings: lower case letters,
	// digits and dashes, e.g. "peppol-bis-3". Two loaded plugins cannot
	// share one.
	Name string `json:"name"`
	// Title names the plugin for people, e.g. "Peppol BIS Billing 3.0".
	Title string `json:"title"`
	// Version is the plugin's own version (semantic versioning).
	Version string `json:"version"`
	// Capabilities lists what the plugin handles; for a format, the
	// document types: CapabilityInvoice, CapabilityCreditNote.
	Capabilities []string `json:"capabilities"`
	// MediaType is, for a format, the media type of its documents.
	MediaType string `json:"media_type,omitempty"`
	// ModelVersion is the canonical model version the plugin was built
	// against (Serve fills it).
	ModelVersion string `json:"model_version"`
	// Models are, for an LLM, the models it offers, the default first.
	Models []string `json:"models,omitempty"`
	// Privacy says, for an LLM or telephony provider, what the provider
	// keeps of what it is sent and which privacy options the plugin sends.
	Privacy string `json:"privacy,omitempty"`
}

// Capabilities of a format.
const (
	CapabilityInvoice    = "invoice"     // renders invoices (BT-3 380)
	CapabilityCreditNote = "credit_note" // renders credit notes (BT-3 381)
	// CapabilityPDFAttachment marks a hybrid format (Factur-X, ZUGFeRD):
	// its Document is the XML that Kontor embeds, under the Document's
	// FileName, in the PDF/A-3 of the invoice, and the PDF is what the user
	// downloads; the format's MediaType is then "application/pdf".
	CapabilityPDFAttachment = "pdf_attachment"
)

// Has reports whether the description lists the capability.
func (d Description) Has(capability string) bool {
	for _, c := range d.Capabilities {
		if c == capability {
			return true
		}
	}
	return false
}

// Plugin is what every plugin implements.
type Plugin interface {
	// Describe says what the plugin is; it is called once, after start.
	Describe() Description
}
