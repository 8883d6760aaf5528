package providerapi

import "testing"

func TestBaseURL(t *testing.T) {
	const def = "https://api.example.com"
	tests := []struct {
		value, want, err string
	}{
		{"", def, ""},
		{"  ", def, ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{" https://gateway.example.com/v1 ", "https://gateway.example.com/v1", ""},
		{"ftp://example.com", "", "acme: the base_url setting is not an http(s) URL"},
		{"example.com", "", "acme: the base_url setting is not an http(s) URL"},
		{"https://", "", "acme: the base_url setting is not an http(s) URL"},
	}
	for _, tt := range tests {
		got, err := BaseURL("acme", "base_url", map[string]string{"base_url": tt.value}, def)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("BaseURL(%q) = %q, %v; want %q, %q", tt.value, got, err, tt.want, tt.err)
		}
	}
}
