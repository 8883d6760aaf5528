package hooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/kontor-app/kontor/internal/testserver"
)

// The sub-processors page lists exactly the external services configured:
// by the environment, by the app's settings (S3), and by the workspaces'
// payment, telephony and assistant accounts (only those enabled).
func TestSubprocessorsListOnlyWhatIsConfigured(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		s3   bool
		// accounts are the providers of workspaces' accounts, by table;
		// a name ending in "-off" is a disabled account
		accounts map[string][]string
		want     []string
		notWant  []string
	}{
		{"nothing configured", map[string]string{"KONTOR_VIES_URL": "off"}, false, nil,
			nil, []string{"Stripe", "Resend", "Google", "Gotenberg", "VIES", "S3"}},
		{"VIES by default", nil, false, nil,
			[]string{"VIES (European Commission)", "ec.europa.eu"}, []string{"Stripe", "Resend", "Gotenberg", "S3"}},
		{"Resend, Gotenberg and S3", map[string]string{"KONTOR_VIES_URL": "off", "KONTOR_RESEND_API_KEY": "re_test_123",
			"KONTOR_GOTENBERG_URL": "http://gotenberg:3000"}, true, nil,
			[]string{"Resend", "api.resend.com", "Gotenberg", "gotenberg:3000", "S3 storage kontor-files", "s3.eu-central-1.example.com"},
			[]string{"Stripe", "VIES", "Google"}},
		{"GA4", map[string]string{"KONTOR_VIES_URL": "off", "KONTOR_GA4_MEASUREMENT_ID": "G-ABCDEF1234", "KONTOR_GA4_API_SECRET": "secret"}, false, nil,
			[]string{"Google Analytics 4", "region1.google-analytics.com"}, []string{"Google Ads", "Resend"}},
		{"workspaces' accounts", map[string]string{"KONTOR_VIES_URL": "off"}, false,
			map[string][]string{"payment_accounts": {"stripe"}, "telephony_accounts": {"twilio", "telnyx-off"}, "assistant_accounts": {"anthropic"}},
			[]string{"Payment provider stripe", "Telephony provider twilio", "LLM provider anthropic"},
			[]string{"telnyx", "gemini", "gocardless"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := testserver.NewWithEnv(t, c.env)
			if c.s3 {
				st := s.App.Settings()
				st.S3.Enabled = true
				st.S3.Bucket = "kontor-files"
				st.S3.Endpoint = "https://s3.eu-central-1.example.com"
			}
			if len(c.accounts) > 0 {
				u := s.SignUp(t, "owner@example.com")
				ws := s.Workspace(t, u, "Ana GmbH")
				for table, providers := range c.accounts {
					for i, p := range providers {
						name, enabled := strings.CutSuffix(p, "-off")
						_, err := s.App.DB().NewQuery("INSERT INTO " + table + " (id, workspace, provider, enabled) VALUES ({:id}, {:w}, {:p}, {:on})").
							Bind(dbx.Params{"id": fmt.Sprintf("acct%011d", i), "w": ws, "p": name, "on": !enabled}).Execute()
						if err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			page := s.Do(t, "", http.MethodGet, "/subprocessors", nil)
			if page.Status != http.StatusOK || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") ||
				page.Header.Get("Content-Security-Policy") == "" {
				t.Fatalf("page: %d %v", page.Status, page.Header)
			}
			list := s.Must(t, "", http.MethodGet, "/api/kontor/privacy/subprocessors", nil)
			for _, w := range c.want {
				if !strings.Contains(string(page.Raw), w) || !strings.Contains(string(list.Raw), w) {
					t.Errorf("%q is not listed: %s", w, list.Raw)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(string(page.Raw), w) || strings.Contains(string(list.Raw), w) {
					t.Errorf("%q is listed but not configured: %s", w, list.Raw)
				}
			}
			if len(c.want) == 0 && list.String("items") != "[]" {
				t.Errorf("items: %s", list.String("items"))
			}
		})
	}
}
