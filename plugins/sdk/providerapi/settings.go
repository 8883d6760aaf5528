package providerapi

import (
	"fmt"
	"net/url"
	"strings"
)

// HTTPURL reports whether s is an absolute http or https URL with a host.
func HTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// BaseURL reads the base URL setting of a provider's account: def when it
// is empty, else the http(s) URL it gives; the error names the provider
// and the setting.
func BaseURL(provider, setting string, settings map[string]string, def string) (string, error) {
	b := strings.TrimSpace(settings[setting])
	if b == "" {
		return def, nil
	}
	if !HTTPURL(b) {
		return "", fmt.Errorf("%s: the %s setting is not an http(s) URL", provider, setting)
	}
	return b, nil
}
