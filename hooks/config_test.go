package hooks

import (
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr bool
	}{
		{"defaults", nil, Config{DefaultPaymentTermsDays: 30}, false},
		{"set", map[string]string{"KONTOR_PUBLIC_DIR": "/srv/ui", "KONTOR_DEFAULT_PAYMENT_TERMS_DAYS": "14"}, Config{PublicDir: "/srv/ui", DefaultPaymentTermsDays: 14}, false},
		{"zero days", map[string]string{"KONTOR_DEFAULT_PAYMENT_TERMS_DAYS": "0"}, Config{DefaultPaymentTermsDays: 0}, false},
		{"days not a number", map[string]string{"KONTOR_DEFAULT_PAYMENT_TERMS_DAYS": "two weeks"}, Config{}, true},
		{"days too many", map[string]string{"KONTOR_DEFAULT_PAYMENT_TERMS_DAYS": "400"}, Config{}, true},
		{"gotenberg", map[string]string{"KONTOR_GOTENBERG_URL": "http://gotenberg:3000"}, Config{DefaultPaymentTermsDays: 30, GotenbergURL: "http://gotenberg:3000"}, false},
		{"gotenberg not a URL", map[string]string{"KONTOR_GOTENBERG_URL": "gotenberg:3000"}, Config{}, true},
		{"plugin timeout not a duration", map[string]string{"KONTOR_PLUGIN_TIMEOUT": "soon"}, Config{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string { return c.env[k] })
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !c.wantErr && (got.PublicDir != c.want.PublicDir || got.DefaultPaymentTermsDays != c.want.DefaultPaymentTermsDays || got.GotenbergURL != c.want.GotenbergURL) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestConfigVIESURL(t *testing.T) {
	cases := []struct {
		name, value, want string
		wantErr           bool
	}{
		{"default", "", "https://ec.europa.eu/taxation_customs/vies/rest-api", false},
		{"off", "off", "", false},
		{"OFF", " OFF ", "", false},
		{"own", "http://vies-proxy:8080/rest-api/", "http://vies-proxy:8080/rest-api", false},
		{"not a URL", "ec.europa.eu", "", true},
		{"no scheme", "//ec.europa.eu/vies", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string {
				if k == "KONTOR_VIES_URL" {
					return c.value
				}
				return ""
			})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !c.wantErr && got.VIES.URL != c.want {
				t.Errorf("URL %q, want %q", got.VIES.URL, c.want)
			}
		})
	}
}

func TestConfigMailFrom(t *testing.T) {
	cases := []struct {
		name, value, want string
		wantErr           bool
	}{
		{"default", "", "", false},
		{"address", "invoices@kontor.example", "invoices@kontor.example", false},
		{"with a name", " Kontor <invoices@kontor.example> ", "Kontor <invoices@kontor.example>", false},
		{"not an address", "Kontor", "", true},
		{"two addresses", "a@example.com, b@example.com", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string {
				if k == "KONTOR_MAIL_FROM" {
					return c.value
				}
				return ""
			})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !c.wantErr && got.Mail.From != c.want {
				t.Errorf("From %q, want %q", got.Mail.From, c.want)
			}
		})
	}
}

func TestConfigEncryptionKey(t *testing.T) {
	cases := []struct {
		name, value string
		wantLen     int
		wantErr     bool
	}{
		{"default: generated in the data directory", "", 0, false},
		{"base64", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=", 32, false},
		{"hex", strings.Repeat("0f", 32), 32, false},
		{"too short", "c2hvcnQ=", 0, true},
		{"not a key", "my secret", 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string {
				if k == "KONTOR_ENCRYPTION_KEY" {
					return c.value
				}
				return ""
			})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if len(got.EncryptionKey) != c.wantLen {
				t.Errorf("key of %d bytes, want %d", len(got.EncryptionKey), c.wantLen)
			}
		})
	}
}

func TestConfigEncryptionKeys(t *testing.T) {
	key := "q83vq83vq83vq83vq83vq83vq83vq83vq83vq83vq80="
	cases := []struct {
		name, value string
		ids         string
		wantErr     bool
	}{
		{"none", "", "", false},
		{"two", "2027:" + key + ", 2026:" + strings.Repeat("ab", 32), "2027,2026", false},
		{"short key", "2027:c2hvcnQ=", "", true},
		{"same id twice", "a:" + key + ",a:" + key, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string {
				if k == "KONTOR_ENCRYPTION_KEYS" {
					return c.value
				}
				return ""
			})
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			var ids []string
			for _, k := range got.EncryptionKeys {
				ids = append(ids, k.ID)
			}
			if !c.wantErr && strings.Join(ids, ",") != c.ids {
				t.Errorf("ids %v, want %s", ids, c.ids)
			}
		})
	}
}

func TestConfigInbound(t *testing.T) {
	env := map[string]string{"KONTOR_INBOUND_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "KONTOR_INBOUND_REPLY_DOMAIN": "reply.example.com"}
	got, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || got.Sequences.InboundWebhookSecret != env["KONTOR_INBOUND_WEBHOOK_SECRET"] || got.Sequences.InboundReplyDomain != "reply.example.com" {
		t.Fatalf("got %+v, %v", got.Sequences, err)
	}
	for name, value := range map[string]string{"KONTOR_INBOUND_WEBHOOK_SECRET": "not-a-secret", "KONTOR_INBOUND_REPLY_DOMAIN": "https://reply.example.com"} {
		if _, err := ConfigFromEnv(func(k string) string {
			if k == name {
				return value
			}
			return ""
		}); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: err = %v", name, value, err)
		}
	}
}

func TestConfigPrivacy(t *testing.T) {
	env := map[string]string{"KONTOR_INVOICE_RETENTION_YEARS": "8", "KONTOR_ERASURE_GRACE_DAYS": "14", "KONTOR_EXPORT_EXPIRY_HOURS": "24"}
	got, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || got.Privacy.InvoiceRetentionYears != 8 || got.Privacy.ErasureGraceDays != 14 || got.Privacy.ExportExpiry.Hours() != 24 {
		t.Fatalf("got %+v, %v", got.Privacy, err)
	}
	if _, err := ConfigFromEnv(func(k string) string {
		if k == "KONTOR_ERASURE_GRACE_DAYS" {
			return "31"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "KONTOR_ERASURE_GRACE_DAYS") {
		t.Errorf("a grace period of 31 days: err = %v", err)
	}
}
