package host

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// ConfigFromEnv reads the plugin settings through getenv (usually
// os.Getenv): KONTOR_PLUGINS_DIR, KONTOR_PLUGINS_SHA256 (SHA-256 sums in
// hex, separated by commas or spaces) and KONTOR_PLUGIN_TIMEOUT (a Go
// duration from 1s to 10m, default 30s). A malformed value is an error
// naming the variable. Builtin is left to the caller.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{PluginsDir: strings.TrimSpace(getenv("KONTOR_PLUGINS_DIR")), CallTimeout: DefaultCallTimeout}

	for _, s := range strings.FieldsFunc(getenv("KONTOR_PLUGINS_SHA256"), func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n' || r == '\t'
	}) {
		if b, err := hex.DecodeString(s); err != nil || len(b) != 32 {
			return cfg, fmt.Errorf("KONTOR_PLUGINS_SHA256 must list SHA-256 sums (64 hex digits each, separated by commas), got %q", s)
		}
		cfg.AllowedSHA256 = append(cfg.AllowedSHA256, strings.ToLower(s))
	}

	if v := strings.TrimSpace(getenv("KONTOR_PLUGIN_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > 10*time.Minute {
			return cfg, fmt.Errorf("KONTOR_PLUGIN_TIMEOUT must be a duration from 1s to 10m, like 30s, got %q", v)
		}
		cfg.CallTimeout = d
	}
	return cfg, nil
}
