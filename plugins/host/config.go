// Package host runs Kontor's plugins: it discovers them, starts each as a
// process of its own through hashicorp/go-plugin, checks the handshake and
// the protocol version, keeps them healthy, restarts them when they crash,
// bounds every call with a timeout, and passes their logs into the server's
// log. Formats, payment, LLM and telephony providers are then called by
// name.
//
// First-party plugins are compiled into the server binary and served by its
// hidden subcommand "plugin NAME" (see Command and RunCommand): the host
// starts os.Executable() with it, so they run out of process with no extra
// build step. Third-party plugins are binaries in a plugins directory. Both
// go through the same code.
package host

import (
	"time"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// Config says which plugins to run and how.
type Config struct {
	// Builtin are the first-party plugins, compiled into Executable and
	// served by its "plugin NAME" subcommand. Each starts on first use.
	Builtin []sdk.Plugin

	// Executable is the binary that serves Builtin; empty for
	// os.Executable(), the running server.
	Executable string

	// PluginsDir is the folder of third-party plugin binaries
	// (KONTOR_PLUGINS_DIR); empty for none. Every regular, executable file
	// in it is started at boot and asked to describe itself.
	PluginsDir string

	// AllowedSHA256, when not empty, lists the SHA-256 sums (hex) of the
	// only third-party binaries the host may start (KONTOR_PLUGINS_SHA256).
	AllowedSHA256 []string

	// CallTimeout bounds one call to a plugin (KONTOR_PLUGIN_TIMEOUT); a
	// plugin that does not answer in time is restarted. Zero means
	// DefaultCallTimeout.
	CallTimeout time.Duration

	// LLMTimeout bounds one Chat with an LLM plugin, which waits for the
	// model's whole answer and the plugin's retries. Zero means
	// DefaultLLMTimeout, or CallTimeout when that is longer.
	LLMTimeout time.Duration

	// StartTimeout bounds the start and handshake of a plugin. Zero means
	// DefaultStartTimeout.
	StartTimeout time.Duration

	// HealthInterval is how often running plugins are pinged; a plugin
	// that does not answer is restarted. Zero means DefaultHealthInterval;
	// negative turns the checks off.
	HealthInterval time.Duration
}

// Defaults of Config.
const (
	DefaultCallTimeout    = 30 * time.Second
	DefaultLLMTimeout     = 3 * time.Minute
	DefaultStartTimeout   = 10 * time.Second
	DefaultHealthInterval = 30 * time.Second
)

func (c Config) withDefaults() Config {
	if c.CallTimeout <= 0 {
		c.CallTimeout = DefaultCallTimeout
	}
	if c.LLMTimeout <= 0 {
		c.LLMTimeout = max(DefaultLLMTimeout, c.CallTimeout)
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = DefaultStartTimeout
	}
	if c.HealthInterval == 0 {
		c.HealthInterval = DefaultHealthInterval
	}
	return c
}
