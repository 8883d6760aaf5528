package billing

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The plans, from smallest to largest.
const (
	Free = "free"
	Pro  = "pro"
	Team = "team"
)

// Unlimited is the Limit that never refuses.
const Unlimited Limit = -1

// Limit is a maximum count, or Unlimited. In JSON an unlimited limit is null.
type Limit int

// MarshalJSON writes Unlimited as null.
func (l Limit) MarshalJSON() ([]byte, error) {
	if l < 0 {
		return []byte("null"), nil
	}
	return []byte(strconv.Itoa(int(l))), nil
}

// Allows reports whether one more is allowed when used are in use.
func (l Limit) Allows(used int) bool {
	return l < 0 || used < int(l)
}

// String is the limit in words: a number or "unlimited".
func (l Limit) String() string {
	if l < 0 {
		return "unlimited"
	}
	return strconv.Itoa(int(l))
}

// Formats are the e-invoice formats a plan allows: every format, or the
// listed format names (those of GET /api/kontor/formats). In JSON: "all" or
// a list.
type Formats struct {
	All   bool
	Names []string
}

// Allows reports whether the format of the name is allowed.
func (f Formats) Allows(name string) bool {
	if f.All {
		return true
	}
	for _, n := range f.Names {
		if n == name {
			return true
		}
	}
	return false
}

// MarshalJSON writes "all" or the list of names.
func (f Formats) MarshalJSON() ([]byte, error) {
	if f.All {
		return []byte(`"all"`), nil
	}
	names := f.Names
	if names == nil {
		names = []string{}
	}
	return json.Marshal(names)
}

// Limits are what a plan allows a workspace.
type Limits struct {
	// InvoicesPerMonth is how many invoices (not credit notes) a workspace
	// may issue per calendar month (UTC).
	InvoicesPerMonth Limit `json:"invoices_per_month"`
	// Members is how many memberships a workspace may have, its owner's
	// included.
	Members Limit `json:"members"`
	// EInvoiceFormats are the e-invoice formats a workspace may produce.
	EInvoiceFormats Formats `json:"einvoice_formats"`
}

// Plan is one of Kontor's plans.
type Plan struct {
	ID     string `json:"id"`
	Limits Limits `json:"limits"`
	// PriceID is the Stripe price a subscription to the plan is billed
	// with; empty for a plan that cannot be bought (free, or a paid plan
	// whose price is not configured).
	PriceID string `json:"-"`
}

// Config is how Kontor bills its own plans through Stripe.
type Config struct {
	// SecretKey is the Stripe secret key (KONTOR_STRIPE_SECRET_KEY); empty
	// turns billing off: no Stripe, and every workspace is on DefaultPlan.
	SecretKey string
	// WebhookSecret verifies Stripe's webhook signatures
	// (KONTOR_STRIPE_WEBHOOK_SECRET); without it webhooks are refused.
	WebhookSecret string
	// APIBase is the base URL of Stripe's API (KONTOR_STRIPE_API_BASE),
	// e.g. a stripe-mock; empty is Stripe itself.
	APIBase string
	// DefaultPlan is the plan of every workspace without a subscription
	// (KONTOR_BILLING_DEFAULT_PLAN): free when billing is on, team when off.
	DefaultPlan string
	// Plans are free, pro and team, in this order, with their limits and
	// prices (KONTOR_STRIPE_PRICE_PRO, KONTOR_STRIPE_PRICE_TEAM,
	// KONTOR_PLAN_<PLAN>_<LIMIT>).
	Plans []Plan
	// PublicURL is where users reach Kontor, for Stripe's return URLs and
	// the upgrade link of a refusal (KONTOR_PUBLIC_URL).
	PublicURL string
}

// DefaultPlans returns the plans with their default limits and no prices.
func DefaultPlans() []Plan {
	return []Plan{
		{ID: Free, Limits: Limits{InvoicesPerMonth: 10, Members: 1, EInvoiceFormats: Formats{}}},
		{ID: Pro, Limits: Limits{InvoicesPerMonth: Unlimited, Members: 3, EInvoiceFormats: Formats{All: true}}},
		{ID: Team, Limits: Limits{InvoicesPerMonth: Unlimited, Members: Unlimited, EInvoiceFormats: Formats{All: true}}},
	}
}

// Enabled reports whether billing is on: a Stripe secret key is set.
func (c Config) Enabled() bool { return c.SecretKey != "" }

// Plan returns the plan of the id.
func (c Config) Plan(id string) (Plan, bool) {
	for _, p := range c.plans() {
		if p.ID == id {
			return p, true
		}
	}
	return Plan{}, false
}

// planOfPrice returns the plan billed with the Stripe price.
func (c Config) planOfPrice(priceID string) (Plan, bool) {
	if priceID == "" {
		return Plan{}, false
	}
	for _, p := range c.plans() {
		if p.PriceID == priceID {
			return p, true
		}
	}
	return Plan{}, false
}

func (c Config) plans() []Plan {
	if len(c.Plans) == 0 {
		return DefaultPlans()
	}
	return c.Plans
}

// defaultPlan is the plan of a workspace without a subscription.
func (c Config) defaultPlan() Plan {
	id := c.DefaultPlan
	if id == "" {
		id = Free
		if !c.Enabled() {
			id = Team
		}
	}
	p, _ := c.Plan(id)
	return p
}

var formatName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,49}$`)

// ConfigFromEnv reads the billing configuration through getenv (usually
// os.Getenv). A malformed value is an error naming its variable.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{Plans: DefaultPlans(), PublicURL: "http://127.0.0.1:8090"}
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }

	if v := get("KONTOR_STRIPE_SECRET_KEY"); v != "" {
		if !strings.HasPrefix(v, "sk_") && !strings.HasPrefix(v, "rk_") {
			return cfg, fmt.Errorf("KONTOR_STRIPE_SECRET_KEY must be a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_…), got a value starting %q", prefix(v))
		}
		cfg.SecretKey = v
	}
	if v := get("KONTOR_STRIPE_WEBHOOK_SECRET"); v != "" {
		if !strings.HasPrefix(v, "whsec_") {
			return cfg, fmt.Errorf("KONTOR_STRIPE_WEBHOOK_SECRET must be the signing secret of a Stripe webhook endpoint (whsec_…), got a value starting %q", prefix(v))
		}
		cfg.WebhookSecret = v
	}
	for name, target := range map[string]*string{"KONTOR_STRIPE_API_BASE": &cfg.APIBase, "KONTOR_PUBLIC_URL": &cfg.PublicURL} {
		v := get(name)
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("%s must be an http(s) URL, got %q", name, v)
		}
		*target = strings.TrimRight(v, "/")
	}

	for i := range cfg.Plans {
		p := &cfg.Plans[i]
		upper := strings.ToUpper(p.ID)
		if p.ID != Free {
			name := "KONTOR_STRIPE_PRICE_" + upper
			if v := get(name); v != "" {
				if strings.ContainsAny(v, " \t/?#") {
					return cfg, fmt.Errorf("%s must be the id of a Stripe price (price_…), got %q", name, v)
				}
				p.PriceID = v
			}
		}
		for _, l := range []struct {
			suffix string
			target *Limit
			min    int
		}{{"INVOICES_PER_MONTH", &p.Limits.InvoicesPerMonth, 0}, {"MEMBERS", &p.Limits.Members, 1}} {
			name := "KONTOR_PLAN_" + upper + "_" + l.suffix
			v := get(name)
			if v == "" {
				continue
			}
			if strings.EqualFold(v, "unlimited") {
				*l.target = Unlimited
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < l.min || n > 1_000_000 {
				return cfg, fmt.Errorf("%s must be a whole number from %d to 1000000, or unlimited, got %q", name, l.min, v)
			}
			*l.target = Limit(n)
		}
		name := "KONTOR_PLAN_" + upper + "_EINVOICE_FORMATS"
		switch v := get(name); {
		case v == "":
		case strings.EqualFold(v, "all"):
			p.Limits.EInvoiceFormats = Formats{All: true}
		case strings.EqualFold(v, "none"):
			p.Limits.EInvoiceFormats = Formats{}
		default:
			f := Formats{}
			for _, n := range strings.Split(v, ",") {
				n = strings.TrimSpace(n)
				if !formatName.MatchString(n) {
					return cfg, fmt.Errorf("%s must be all, none or a comma-separated list of format names such as peppol-bis-3,xrechnung-ubl, got %q", name, v)
				}
				f.Names = append(f.Names, n)
			}
			p.Limits.EInvoiceFormats = f
		}
	}
	for i, p := range cfg.Plans {
		for _, q := range cfg.Plans[:i] {
			if p.PriceID != "" && p.PriceID == q.PriceID {
				return cfg, fmt.Errorf("KONTOR_STRIPE_PRICE_%s and KONTOR_STRIPE_PRICE_%s must be different prices, both are %q", strings.ToUpper(q.ID), strings.ToUpper(p.ID), p.PriceID)
			}
		}
	}

	if v := get("KONTOR_BILLING_DEFAULT_PLAN"); v != "" {
		v = strings.ToLower(v)
		if _, ok := cfg.Plan(v); !ok {
			return cfg, fmt.Errorf("KONTOR_BILLING_DEFAULT_PLAN must be free, pro or team, got %q", v)
		}
		cfg.DefaultPlan = v
	} else if cfg.Enabled() {
		cfg.DefaultPlan = Free
	} else {
		cfg.DefaultPlan = Team
	}
	return cfg, nil
}

// prefix is the start of a secret, enough to recognise a mix-up without
// writing the secret into a log.
func prefix(v string) string {
	if len(v) > 6 {
		return v[:6] + "…"
	}
	return v
}
