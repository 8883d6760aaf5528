package sdk

import (
	"net/http"
	"strings"
)

// Header returns the first value of the named header of a webhook
// (WebhookRequest.Headers, CallWebhookRequest.Headers), whatever the case of
// its name in the map.
func Header(h map[string][]string, name string) string {
	if v := h[http.CanonicalHeaderKey(name)]; len(v) > 0 {
		return v[0]
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
