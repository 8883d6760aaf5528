package hooks

import (
	"fmt"
	"io/fs"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"

	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/crm/sequences"
	"github.com/kontor-app/kontor/hooks/mail"
	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/hooks/privacy"
	"github.com/kontor-app/kontor/hooks/security"
	"github.com/kontor-app/kontor/hooks/vies"
	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
	"github.com/kontor-app/kontor/secret"
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

	// GotenbergURL is the base URL of a Gotenberg server that renders PDFs
	// from the HTML template when asked (?renderer=gotenberg) instead of the
	// built-in renderer (KONTOR_GOTENBERG_URL); empty turns it off.
	GotenbergURL string

	// Plugins are the plugins to run: the first-party formats built into the
	// binary and the third-party plugins of KONTOR_PLUGINS_DIR
	// (KONTOR_PLUGINS_SHA256, KONTOR_PLUGIN_TIMEOUT).
	Plugins host.Config

	// Outbox tunes the worker that carries out outward effects
	// (KONTOR_OUTBOX_MAX_ATTEMPTS).
	Outbox outbox.Config

	// Mail is how emails are sent (KONTOR_RESEND_API_KEY,
	// KONTOR_RESEND_BASE_URL, KONTOR_PUBLIC_URL, KONTOR_MAIL_FROM).
	Mail mail.Config

	// EncryptionKey seals secrets Kontor must keep but not store readable,
	// such as a proposal's link in its queued email (KONTOR_ENCRYPTION_KEY:
	// 32 bytes in base64 or hex). Empty keeps a generated key in the data
	// directory (encryption.key).
	EncryptionKey []byte

	// EncryptionKeys is the key ring that seals secrets, newest first
	// (KONTOR_ENCRYPTION_KEYS: "id:key,id:key", docs/security.md); values
	// are sealed under the first key and open with any.
	// KONTOR_ENCRYPTION_KEY and the data directory's key file join it as
	// older keys.
	EncryptionKeys []secret.Key

	// Security is the sign-in lockout, trusted proxies, rate limiter and
	// session settings (KONTOR_TRUSTED_PROXIES, KONTOR_RATE_LIMIT,
	// KONTOR_LOCKOUT_*, KONTOR_AUTH_TOKEN_TTL, KONTOR_IDLE_TIMEOUT).
	Security security.Config

	// Billing is Kontor's own plans on Stripe (KONTOR_STRIPE_*,
	// KONTOR_BILLING_DEFAULT_PLAN, KONTOR_PLAN_*); without a Stripe key,
	// billing is off and every workspace is on the default plan.
	Billing billing.Config

	// Conversions are where conversion events go, with advertising
	// consent: Google Ads and GA4 (KONTOR_GOOGLE_ADS_*, KONTOR_GA4_*);
	// both off when not configured.
	Conversions conversions.Config

	// Sequences are how sales sequences hear replies: the inbound-email
	// webhook's signing secret and the reply domain
	// (KONTOR_INBOUND_WEBHOOK_SECRET, KONTOR_INBOUND_REPLY_DOMAIN); both
	// off when not set.
	Sequences sequences.Config

	// VIES is where clients' VAT numbers are checked (KONTOR_VIES_URL:
	// the VIES REST API by default, "off" for no checks).
	VIES vies.Config

	// Privacy is the retention of invoices, the grace period of an erasure
	// and the expiry of export archives (KONTOR_INVOICE_RETENTION_YEARS,
	// KONTOR_ERASURE_GRACE_DAYS, KONTOR_EXPORT_EXPIRY_HOURS).
	Privacy privacy.Config
}

// DefaultConfig returns the settings used when no variable is set.
func DefaultConfig() Config {
	return Config{
		DefaultPaymentTermsDays: 30,
		Plugins:                 host.Config{Builtin: firstparty.Plugins(), CallTimeout: host.DefaultCallTimeout},
		VIES:                    vies.Config{URL: vies.DefaultURL},
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

	if v := strings.TrimSpace(getenv("KONTOR_GOTENBERG_URL")); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("KONTOR_GOTENBERG_URL must be an http(s) URL such as http://gotenberg:3000, got %q", v)
		}
		cfg.GotenbergURL = v
	}

	if v := getenv("KONTOR_OUTBOX_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return cfg, fmt.Errorf("KONTOR_OUTBOX_MAX_ATTEMPTS must be a whole number from 1 to 100, got %q", v)
		}
		cfg.Outbox.MaxAttempts = n
	}

	cfg.Mail.ResendAPIKey = strings.TrimSpace(getenv("KONTOR_RESEND_API_KEY"))
	for name, target := range map[string]*string{"KONTOR_RESEND_BASE_URL": &cfg.Mail.ResendBaseURL, "KONTOR_PUBLIC_URL": &cfg.Mail.PublicURL} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("%s must be an http(s) URL, got %q", name, v)
		}
		*target = strings.TrimRight(v, "/")
	}
	if v := strings.TrimSpace(getenv("KONTOR_MAIL_FROM")); v != "" {
		if _, err := netmail.ParseAddress(v); err != nil {
			return cfg, fmt.Errorf("KONTOR_MAIL_FROM must be an email address such as \"Kontor <invoices@example.com>\", got %q", v)
		}
		cfg.Mail.From = v
	}
	if cfg.Mail.PublicURL == "" {
		cfg.Mail.PublicURL = "http://127.0.0.1:8090"
	}

	if v := strings.TrimSpace(getenv("KONTOR_ENCRYPTION_KEY")); v != "" {
		key, err := secret.ParseKey(v)
		if err != nil {
			return cfg, fmt.Errorf("KONTOR_ENCRYPTION_KEY: %w", err)
		}
		cfg.EncryptionKey = key
	}
	if v := strings.TrimSpace(getenv("KONTOR_ENCRYPTION_KEYS")); v != "" {
		keys, err := secret.ParseKeys(v)
		if err != nil {
			return cfg, fmt.Errorf("KONTOR_ENCRYPTION_KEYS (id:key,id:key, newest first): %w", err)
		}
		cfg.EncryptionKeys = keys
	}
	sec, err := security.ConfigFromEnv(getenv)
	if err != nil {
		return cfg, err
	}
	cfg.Security = sec

	switch v := strings.TrimSpace(getenv("KONTOR_VIES_URL")); {
	case v == "":
	case strings.EqualFold(v, "off"):
		cfg.VIES.URL = ""
	default:
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("KONTOR_VIES_URL must be an http(s) URL such as %s, or off, got %q", vies.DefaultURL, v)
		}
		cfg.VIES.URL = strings.TrimRight(v, "/")
	}

	b, err := billing.ConfigFromEnv(getenv)
	if err != nil {
		return cfg, err
	}
	cfg.Billing = b

	if cfg.Conversions, err = conversions.ConfigFromEnv(getenv); err != nil {
		return cfg, err
	}

	if cfg.Privacy, err = privacy.ConfigFromEnv(getenv); err != nil {
		return cfg, err
	}

	if cfg.Sequences, err = sequences.ConfigFromEnv(getenv); err != nil {
		return cfg, err
	}

	plugins, err := host.ConfigFromEnv(getenv)
	if err != nil {
		return cfg, err
	}
	plugins.Builtin = cfg.Plugins.Builtin
	cfg.Plugins = plugins

	return cfg, nil
}
