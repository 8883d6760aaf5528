package privacy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// The defaults of Config.
const (
	DefaultInvoiceRetentionYears = 10
	DefaultErasureGraceDays      = 7
	DefaultExportExpiry          = 7 * 24 * time.Hour
	// DefaultSchedule runs the retention jobs daily at 04:10, after the
	// touchpoint purge of hooks/consent (03:30).
	DefaultSchedule = "10 4 * * *"
)

// MaxErasureGraceDays bounds the grace period of an erasure: the account
// must be anonymised within the month GDPR art. 12(3) allows.
const MaxErasureGraceDays = 29

// Subprocessor is an external service Kontor hands personal data to, as
// the sub-processors page lists it.
type Subprocessor struct {
	// Name is the service, e.g. "Stripe".
	Name string `json:"name"`
	// Purpose says what it does for Kontor, e.g. "Subscription billing".
	Purpose string `json:"purpose"`
	// Host is where the data goes, e.g. "api.stripe.com".
	Host string `json:"host"`
	// Data says which personal data it receives.
	Data string `json:"data"`
}

// EInvoiceFunc gives the e-invoice of an issued invoice in the format
// named, for the export archive: its file name and content.
type EInvoiceFunc func(ctx context.Context, app core.App, invoice *core.Record, format string) (name string, content []byte, err error)

// Config tunes the capability; the zero value of a field is its default.
type Config struct {
	// InvoiceRetentionYears is how long an issued invoice is kept, in
	// years from the end of the calendar year of its issue
	// (KONTOR_INVOICE_RETENTION_YEARS, default 10).
	InvoiceRetentionYears int
	// ErasureGraceDays is how long an erasure request can still be
	// cancelled before the account is anonymised
	// (KONTOR_ERASURE_GRACE_DAYS, default 7, at most 29).
	ErasureGraceDays int
	// ExportExpiry is how long an export archive waits for its download
	// (KONTOR_EXPORT_EXPIRY_HOURS, default 168).
	ExportExpiry time.Duration
	// Schedule is the cron expression of the retention jobs
	// (default DefaultSchedule).
	Schedule string

	// Subprocessors lists the external services configured, for the
	// sub-processors page; nil lists none.
	Subprocessors func(app core.App) []Subprocessor
	// DeleteInvoice deletes an issued invoice whose retention ended at
	// retainedUntil (invoicing.DeleteAfterRetention); nil keeps every
	// invoice.
	DeleteInvoice func(app core.App, invoice *core.Record, retainedUntil, now time.Time) error
	// EInvoice renders an invoice's e-invoice for the export archive; nil
	// leaves e-invoices out.
	EInvoice EInvoiceFunc
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.InvoiceRetentionYears <= 0 {
		c.InvoiceRetentionYears = DefaultInvoiceRetentionYears
	}
	if c.ErasureGraceDays <= 0 {
		c.ErasureGraceDays = DefaultErasureGraceDays
	}
	if c.ErasureGraceDays > MaxErasureGraceDays {
		c.ErasureGraceDays = MaxErasureGraceDays
	}
	if c.ExportExpiry <= 0 {
		c.ExportExpiry = DefaultExportExpiry
	}
	if c.Schedule == "" {
		c.Schedule = DefaultSchedule
	}
	if c.Subprocessors == nil {
		c.Subprocessors = func(core.App) []Subprocessor { return nil }
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// ConfigFromEnv reads KONTOR_INVOICE_RETENTION_YEARS,
// KONTOR_ERASURE_GRACE_DAYS and KONTOR_EXPORT_EXPIRY_HOURS through getenv
// (usually os.Getenv). A malformed or out-of-range value is an error. The
// functions of Config are left for the caller to set.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	var cfg Config
	number := func(name string, min, max int) (int, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			return 0, fmt.Errorf("%s must be a whole number from %d to %d, got %q", name, min, max, v)
		}
		return n, nil
	}
	var err error
	if cfg.InvoiceRetentionYears, err = number("KONTOR_INVOICE_RETENTION_YEARS", 1, 100); err != nil {
		return cfg, err
	}
	if cfg.ErasureGraceDays, err = number("KONTOR_ERASURE_GRACE_DAYS", 1, MaxErasureGraceDays); err != nil {
		return cfg, err
	}
	hours, err := number("KONTOR_EXPORT_EXPIRY_HOURS", 1, 24*30)
	if err != nil {
		return cfg, err
	}
	cfg.ExportExpiry = time.Duration(hours) * time.Hour
	return cfg, nil
}
