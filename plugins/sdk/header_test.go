package sdk

import "testing"

func TestHeader(t *testing.T) {
	h := map[string][]string{"Webhook-Signature": {"a", "b"}, "x-lower": {"c"}, "Empty": {}}
	tests := []struct{ name, want string }{
		{"Webhook-Signature", "a"},
		{"webhook-signature", "a"},
		{"X-Lower", "c"},
		{"Empty", ""},
		{"Missing", ""},
	}
	for _, tt := range tests {
		if got := Header(h, tt.name); got != tt.want {
			t.Errorf("Header(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
