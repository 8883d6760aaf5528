package hooks

import (
	"fmt"
	"io/fs"
	"strconv"
)

// Config holds Kontor's settings, read once from the KONTOR_* environment
// variables at start. Every variable is listed with its default in README.md.
type Config struct {
	// PublicDir is a folder to serve the web UI from at "/" instead of the
	// copy built into the binary, e.g. while working on it (KONTOR_PUBLIC_DIR).
	PublicDir string

	// Public is the web UI served at "/"; nil serves none. main sets it from
	// PublicDir or the built-in copy.
	Public fs.FS

	// DefaultPaymentTermsDays is the payment term a new workspace gets when
	// none is given (KONTOR_DEFAULT_PAYMENT_TERMS_DAYS).
	DefaultPaymentTermsDays int
}

// DefaultConfig returns the settings used when no variable is set.
func DefaultConfig() Config {
	return Config{
		DefaultPaymentTermsDays: 30,
	}
}

// ConfigFromEnv reads the configuration through getenv (usually os.Getenv).
// A malformed value is an error rather than a silent default.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := DefaultConfig()

	if v := getenv("KONTOR_PUBLIC_DIR"); v != "" {
		cfg.PublicDir = v
	}

	if v := getenv("KONTOR_DEFAULT_PAYMENT_TERMS_DAYS"); v != "" {
		days, err := strconv.Atoi(v)
		if err != nil || days < 0 || days > 365 {
			return cfg, fmt.Errorf("KONTOR_DEFAULT_PAYMENT_TERMS_DAYS must be a whole number of days from 0 to 365, got %q", v)
		}
		cfg.DefaultPaymentTermsDays = days
	}

	return cfg, nil
}
