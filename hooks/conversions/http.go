package conversions

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// Timeout is the longest one call to Google may take; the outbox gives an
// attempt 30 seconds by default, the token and the upload included.
const Timeout = 20 * time.Second

// newHTTPClient is the client of Google's endpoints. It does not retry by
// itself: the outbox does, with backoff, across restarts.
func newHTTPClient() *resty.Client {
	return resty.New().
		SetTimeout(Timeout).
		SetResponseBodyLimit(1<<20).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "Kontor")
}

// cause is the reason a call failed without the URL it was made to, which
// for GA4 carries the API secret.
func cause(err error) error {
	var u *url.Error
	if errors.As(err, &u) {
		return u.Err
	}
	return err
}

// statusError is the error of an HTTP answer that is not a success: a
// timeout, too many requests or a server error may pass and is retried;
// any other refusal is permanent.
func statusError(service string, status int, msg string) error {
	err := fmt.Errorf("%s answered %d %s: %s", service, status, http.StatusText(status), msg)
	if status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500 {
		return err
	}
	return outbox.Permanent(err)
}

// googleStatus is a google.rpc.Status as Google's REST APIs answer it: the
// "error" of a refused call, or Google Ads' partialFailureError, whose
// details hold a GoogleAdsFailure.
type googleStatus struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
	Details []struct {
		Errors []struct {
			ErrorCode map[string]any `json:"errorCode"`
			Message   string         `json:"message"`
		} `json:"errors"`
	} `json:"details"`
}

// codes are the Google Ads error codes in the details, e.g.
// CLICK_CONVERSION_ALREADY_EXISTS.
func (g *googleStatus) codes() []string {
	var codes []string
	for _, d := range g.Details {
		for _, e := range d.Errors {
			for _, v := range e.ErrorCode {
				codes = append(codes, fmt.Sprint(v))
			}
		}
	}
	return codes
}

// String is the status in one line: the status, the message, and each
// error of the details with its code.
func (g *googleStatus) String() string {
	var parts []string
	if g.Status != "" {
		parts = append(parts, g.Status)
	}
	if g.Message != "" {
		parts = append(parts, g.Message)
	}
	var details []string
	for _, d := range g.Details {
		for _, e := range d.Errors {
			var codes []string
			for k, v := range e.ErrorCode {
				codes = append(codes, k+"="+fmt.Sprint(v))
			}
			sort.Strings(codes)
			details = append(details, strings.TrimSpace(strings.Join(codes, ",")+" "+e.Message))
		}
	}
	s := strings.Join(parts, ": ")
	if len(details) > 0 {
		s += " [" + strings.Join(details, "; ") + "]"
	}
	return s
}

// googleMessage is what Google said in an error answer, or the start of
// the answer when it is not Google's error JSON.
func googleMessage(body []byte) string {
	var e struct {
		Error *googleStatus `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != nil {
		if s := e.Error.String(); s != "" {
			return s
		}
	}
	return snippet(body)
}

// snippet is the start of an answer's body, on one line.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:299]) + "…"
	}
	if s == "" {
		s = "(no body)"
	}
	return s
}
