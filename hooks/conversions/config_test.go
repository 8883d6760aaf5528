package conversions_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/billing"
	"github.com/kontor-app/kontor/hooks/conversions"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

var fullEnv = map[string]string{
	"KONTOR_GOOGLE_ADS_CUSTOMER_ID":        "123-456-7890",
	"KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID":  "9876543210",
	"KONTOR_GOOGLE_ADS_DEVELOPER_TOKEN":    "dev-token",
	"KONTOR_GOOGLE_ADS_CLIENT_ID":          "client.apps.googleusercontent.com",
	"KONTOR_GOOGLE_ADS_CLIENT_SECRET":      "secret",
	"KONTOR_GOOGLE_ADS_REFRESH_TOKEN":      "1//refresh",
	"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": "registration=123, first_payment=456,plan_change=789",
	"KONTOR_GA4_MEASUREMENT_ID":            "G-ABC123XYZ9",
	"KONTOR_GA4_API_SECRET":                "mp-secret",
}

func with(changes map[string]string) map[string]string {
	vars := map[string]string{}
	for k, v := range fullEnv {
		vars[k] = v
	}
	for k, v := range changes {
		vars[k] = v
	}
	return vars
}

func TestConfigFromEnv(t *testing.T) {
	// nothing set: off
	cfg, err := conversions.ConfigFromEnv(env(nil))
	if err != nil || cfg.Enabled() || cfg.Ads != nil || cfg.GA4 != nil {
		t.Fatalf("empty environment: %+v %v", cfg, err)
	}

	// everything set, defaults for the endpoints
	cfg, err = conversions.ConfigFromEnv(env(fullEnv))
	if err != nil {
		t.Fatal(err)
	}
	wantAds := &conversions.AdsConfig{CustomerID: "1234567890", LoginCustomerID: "9876543210", DeveloperToken: "dev-token",
		ClientID: "client.apps.googleusercontent.com", ClientSecret: "secret", RefreshToken: "1//refresh",
		TokenURL: "https://oauth2.googleapis.com/token", APIBase: "https://googleads.googleapis.com",
		ConversionActions: map[string]string{"registration": "123", "first_payment": "456", "plan_change": "789"}}
	if !reflect.DeepEqual(cfg.Ads, wantAds) {
		t.Errorf("Ads %+v", cfg.Ads)
	}
	if want := (&conversions.GA4Config{MeasurementID: "G-ABC123XYZ9", APISecret: "mp-secret", Endpoint: "https://region1.google-analytics.com"}); !reflect.DeepEqual(cfg.GA4, want) {
		t.Errorf("GA4 %+v", cfg.GA4)
	}

	// endpoints overridden; one destination alone
	cfg, err = conversions.ConfigFromEnv(env(map[string]string{"KONTOR_GA4_MEASUREMENT_ID": "G-ABC123XYZ9", "KONTOR_GA4_API_SECRET": "s",
		"KONTOR_GA4_ENDPOINT": "http://127.0.0.1:9999/"}))
	if err != nil || cfg.Ads != nil || cfg.GA4 == nil || cfg.GA4.Endpoint != "http://127.0.0.1:9999" {
		t.Errorf("GA4 alone: %+v %v", cfg, err)
	}
	cfg, err = conversions.ConfigFromEnv(env(with(map[string]string{"KONTOR_GOOGLE_ADS_API_BASE": "http://127.0.0.1:1/", "KONTOR_GOOGLE_OAUTH_TOKEN_URL": "http://127.0.0.1:2/token",
		"KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID": "", "KONTOR_GA4_MEASUREMENT_ID": "", "KONTOR_GA4_API_SECRET": ""})))
	if err != nil || cfg.GA4 != nil || cfg.Ads.APIBase != "http://127.0.0.1:1" || cfg.Ads.TokenURL != "http://127.0.0.1:2/token" || cfg.Ads.LoginCustomerID != "" {
		t.Errorf("Google Ads alone: %+v %v", cfg.Ads, err)
	}

	// partial or malformed: an error naming the problem
	for _, c := range []struct {
		vars map[string]string
		want []string
	}{
		{map[string]string{"KONTOR_GOOGLE_ADS_DEVELOPER_TOKEN": "", "KONTOR_GOOGLE_ADS_REFRESH_TOKEN": ""},
			[]string{"KONTOR_GOOGLE_ADS_DEVELOPER_TOKEN, KONTOR_GOOGLE_ADS_REFRESH_TOKEN"}},
		{map[string]string{"KONTOR_GA4_API_SECRET": ""}, []string{"GA4", "KONTOR_GA4_API_SECRET"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_CUSTOMER_ID": "12345"}, []string{"KONTOR_GOOGLE_ADS_CUSTOMER_ID", "ten digits"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID": "abc"}, []string{"KONTOR_GOOGLE_ADS_LOGIN_CUSTOMER_ID"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": "registration"}, []string{"event=conversion action id"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": "registration=abc"}, []string{"event=conversion action id"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": "signup=1"}, []string{`unknown event "signup"`, "first_payment, plan_change, registration"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": "refund=1"}, []string{"refunds are not uploaded"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": "registration=1,registration=2"}, []string{"registration twice"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS": " , "}, []string{"KONTOR_GOOGLE_ADS_CONVERSION_ACTIONS"}},
		{map[string]string{"KONTOR_GOOGLE_ADS_API_BASE": "googleads.googleapis.com"}, []string{"KONTOR_GOOGLE_ADS_API_BASE", "http(s) URL"}},
		{map[string]string{"KONTOR_GA4_MEASUREMENT_ID": "UA-12345-1"}, []string{"KONTOR_GA4_MEASUREMENT_ID"}},
		{map[string]string{"KONTOR_GA4_ENDPOINT": "ftp://example.com"}, []string{"KONTOR_GA4_ENDPOINT"}},
	} {
		_, err := conversions.ConfigFromEnv(env(with(c.vars)))
		if err == nil {
			t.Errorf("%v: no error", c.vars)
			continue
		}
		for _, want := range c.want {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%v: %q does not say %q", c.vars, err, want)
			}
		}
	}

	// an endpoint alone is a partial configuration too
	if _, err := conversions.ConfigFromEnv(env(map[string]string{"KONTOR_GA4_ENDPOINT": "https://www.google-analytics.com"})); err == nil ||
		!strings.Contains(err.Error(), "KONTOR_GA4_MEASUREMENT_ID, KONTOR_GA4_API_SECRET") {
		t.Errorf("endpoint alone: %v", err)
	}
}

// The conversion messages conversions reads are the ones billing writes.
func TestConversionContractWithBilling(t *testing.T) {
	if conversions.Kind != billing.ConversionKind {
		t.Errorf("kind %q, billing writes %q", conversions.Kind, billing.ConversionKind)
	}
	for _, e := range []string{billing.ConversionRegistration, billing.ConversionFirstPayment, billing.ConversionPlanChange, billing.ConversionRefund} {
		if e != conversions.EventRegistration && e != conversions.EventFirstPayment && e != conversions.EventPlanChange && e != conversions.EventRefund {
			t.Errorf("billing's event %q is unknown here", e)
		}
	}
	written, _ := json.Marshal(billing.Conversion{Event: "plan_change", User: "u", Workspace: "w", Value: "19.00", Currency: "EUR",
		OccurredAt: "2026-11-23T10:00:00Z", Plan: "team"})
	var read conversions.Conversion
	if err := json.Unmarshal(written, &read); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(read)
	var a, b map[string]any
	_ = json.Unmarshal(written, &a)
	_ = json.Unmarshal(again, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("billing writes %s, conversions reads %s", written, again)
	}
}
