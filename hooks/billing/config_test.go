package billing_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/billing"
)

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	read := func(env map[string]string) (billing.Config, error) {
		return billing.ConfigFromEnv(func(name string) string { return env[name] })
	}

	off, err := read(nil)
	if err != nil || off.Enabled() || off.DefaultPlan != billing.Team {
		t.Fatalf("no variables: enabled %v, default plan %q, %v", off.Enabled(), off.DefaultPlan, err)
	}
	on, err := read(map[string]string{"KONTOR_STRIPE_SECRET_KEY": "sk_test_1", "KONTOR_STRIPE_PRICE_PRO": "price_pro",
		"KONTOR_STRIPE_API_BASE": "http://127.0.0.1:12111/", "KONTOR_PUBLIC_URL": "https://kontor.example/"})
	if err != nil || !on.Enabled() || on.DefaultPlan != billing.Free || on.APIBase != "http://127.0.0.1:12111" || on.PublicURL != "https://kontor.example" {
		t.Fatalf("billing on: %+v, %v", on, err)
	}
	free, _ := on.Plan(billing.Free)
	pro, _ := on.Plan(billing.Pro)
	team, _ := on.Plan(billing.Team)
	if got, _ := json.Marshal(free.Limits); string(got) != `{"invoices_per_month":10,"members":1,"einvoice_formats":[]}` {
		t.Errorf("free limits %s", got)
	}
	if got, _ := json.Marshal(pro.Limits); string(got) != `{"invoices_per_month":null,"members":3,"einvoice_formats":"all"}` {
		t.Errorf("pro limits %s", got)
	}
	if got, _ := json.Marshal(team.Limits); string(got) != `{"invoices_per_month":null,"members":null,"einvoice_formats":"all"}` {
		t.Errorf("team limits %s", got)
	}
	if pro.PriceID != "price_pro" || team.PriceID != "" {
		t.Errorf("prices: pro %q, team %q", pro.PriceID, team.PriceID)
	}

	custom, err := read(map[string]string{"KONTOR_STRIPE_SECRET_KEY": "rk_live_1", "KONTOR_BILLING_DEFAULT_PLAN": "Pro",
		"KONTOR_PLAN_FREE_INVOICES_PER_MONTH": "25", "KONTOR_PLAN_FREE_MEMBERS": "unlimited",
		"KONTOR_PLAN_FREE_EINVOICE_FORMATS": "peppol, xrechnung-ubl", "KONTOR_PLAN_PRO_EINVOICE_FORMATS": "none"})
	if err != nil {
		t.Fatal(err)
	}
	free, _ = custom.Plan(billing.Free)
	pro, _ = custom.Plan(billing.Pro)
	if custom.DefaultPlan != billing.Pro || free.Limits.InvoicesPerMonth != 25 || free.Limits.Members != billing.Unlimited ||
		!free.Limits.EInvoiceFormats.Allows("xrechnung-ubl") || free.Limits.EInvoiceFormats.Allows("facturx") ||
		pro.Limits.EInvoiceFormats.Allows("peppol") {
		t.Errorf("overrides: %+v", custom)
	}
	if offPro, _ := read(map[string]string{"KONTOR_BILLING_DEFAULT_PLAN": "free"}); offPro.DefaultPlan != billing.Free {
		t.Errorf("billing off with default plan free: %q", offPro.DefaultPlan)
	}

	for name, value := range map[string]string{
		"KONTOR_STRIPE_SECRET_KEY":            "pk_test_publishable",
		"KONTOR_STRIPE_WEBHOOK_SECRET":        "secret",
		"KONTOR_STRIPE_API_BASE":              "localhost:12111",
		"KONTOR_STRIPE_PRICE_PRO":             "price 1",
		"KONTOR_BILLING_DEFAULT_PLAN":         "enterprise",
		"KONTOR_PLAN_FREE_INVOICES_PER_MONTH": "ten",
		"KONTOR_PLAN_PRO_MEMBERS":             "0",
		"KONTOR_PLAN_TEAM_INVOICES_PER_MONTH": "-1",
		"KONTOR_PLAN_FREE_EINVOICE_FORMATS":   "Peppol BIS",
	} {
		_, err := read(map[string]string{"KONTOR_STRIPE_SECRET_KEY": "sk_test_1", name: value})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: %v", name, value, err)
		}
	}
	if _, err := read(map[string]string{"KONTOR_STRIPE_PRICE_PRO": "price_x", "KONTOR_STRIPE_PRICE_TEAM": "price_x"}); err == nil {
		t.Error("the same price for two plans was accepted")
	}
}
