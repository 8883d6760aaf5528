package privacy_test

import (
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/privacy"
)

func TestConfigFromEnv(t *testing.T) {
	for _, c := range []struct {
		name    string
		env     map[string]string
		want    privacy.Config
		wantErr bool
	}{
		{name: "defaults", env: nil, want: privacy.Config{}},
		{name: "set", env: map[string]string{"KONTOR_INVOICE_RETENTION_YEARS": "8", "KONTOR_ERASURE_GRACE_DAYS": "3", "KONTOR_EXPORT_EXPIRY_HOURS": "48"},
			want: privacy.Config{InvoiceRetentionYears: 8, ErasureGraceDays: 3, ExportExpiry: 48 * time.Hour}},
		{name: "retention not a number", env: map[string]string{"KONTOR_INVOICE_RETENTION_YEARS": "ten"}, wantErr: true},
		{name: "retention zero", env: map[string]string{"KONTOR_INVOICE_RETENTION_YEARS": "0"}, wantErr: true},
		{name: "grace of 30 days", env: map[string]string{"KONTOR_ERASURE_GRACE_DAYS": "30"}, wantErr: true},
		{name: "grace negative", env: map[string]string{"KONTOR_ERASURE_GRACE_DAYS": "-1"}, wantErr: true},
		{name: "expiry too long", env: map[string]string{"KONTOR_EXPORT_EXPIRY_HOURS": "721"}, wantErr: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := privacy.ConfigFromEnv(func(name string) string { return c.env[name] })
			if (err != nil) != c.wantErr {
				t.Fatalf("error %v, want error %v", err, c.wantErr)
			}
			if err == nil && (got.InvoiceRetentionYears != c.want.InvoiceRetentionYears ||
				got.ErasureGraceDays != c.want.ErasureGraceDays || got.ExportExpiry != c.want.ExportExpiry) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
