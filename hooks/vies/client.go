package vies

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// checkPath is VIES's REST route that checks one VAT number.
const checkPath = "/check-vat-number"

// Timeout is the longest one call to VIES may take; VIES waits for the
// member state's own registry, which is sometimes slow.
const Timeout = 10 * time.Second

// Client calls the VIES REST API.
type Client struct {
	http *resty.Client
}

// NewClient returns a client of the VIES REST API at baseURL, e.g.
// DefaultURL.
func NewClient(baseURL string) *Client {
	c := resty.New().
		SetBaseURL(strings.TrimRight(baseURL, "/")).
		SetTimeout(Timeout).
		SetResponseBodyLimit(1<<20).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "Kontor")
	return &Client{http: c}
}

// Request asks VIES about one VAT number. With the requester's own VAT
// number (requesterMemberStateCode and requesterNumber), VIES answers with
// a consultation number that proves the check was made.
type Request struct {
	CountryCode              string `json:"countryCode"`
	VATNumber                string `json:"vatNumber"`
	RequesterMemberStateCode string `json:"requesterMemberStateCode,omitempty"`
	RequesterNumber          string `json:"requesterNumber,omitempty"`
}

// Result is VIES's answer about a VAT number.
type Result struct {
	Valid bool
	// Name and Address are as the member state registered them; empty
	// where the member state does not disclose them (VIES's "---").
	Name    string
	Address string
	// RequestDate is when VIES answered; zero if it did not say.
	RequestDate time.Time
	// RequestIdentifier is the consultation number; empty when the check
	// was made without a requester.
	RequestIdentifier string
}

// answer is the JSON VIES answers with: a result, or the errors of a check
// it could not make.
type answer struct {
	Valid             *bool  `json:"valid"`
	Name              string `json:"name"`
	Address           string `json:"address"`
	RequestDate       string `json:"requestDate"`
	RequestIdentifier string `json:"requestIdentifier"`

	ActionSucceed *bool `json:"actionSucceed"`
	ErrorWrappers []struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	} `json:"errorWrappers"`
}

// Check asks VIES about a VAT number. A failure is an *Error, which says
// whether asking again later may help.
func (c *Client) Check(ctx context.Context, req Request) (Result, error) {
	res, err := c.http.R().SetContext(ctx).SetBody(req).Post(checkPath)
	if err != nil {
		return Result{}, &Error{Message: "VIES cannot be reached: " + err.Error()}
	}
	var a answer
	decodeErr := json.Unmarshal(res.Body(), &a)
	if decodeErr == nil && (len(a.ErrorWrappers) > 0 || (a.ActionSucceed != nil && !*a.ActionSucceed)) {
		e := &Error{HTTPStatus: res.StatusCode()}
		var messages []string
		for _, w := range a.ErrorWrappers {
			if code := strings.TrimSpace(w.Error); code != "" {
				e.Codes = append(e.Codes, code)
			}
			if m := strings.TrimSpace(w.Message); m != "" {
				messages = append(messages, m)
			}
		}
		e.Message = strings.Join(messages, " ")
		return Result{}, e
	}
	if res.StatusCode() != http.StatusOK || decodeErr != nil || a.Valid == nil {
		return Result{}, &Error{HTTPStatus: res.StatusCode(), Message: "VIES answered " + res.Status() + " without a result"}
	}
	return Result{
		Valid:             *a.Valid,
		Name:              disclosed(a.Name),
		Address:           disclosed(a.Address),
		RequestDate:       parseRequestDate(a.RequestDate),
		RequestIdentifier: strings.TrimSpace(a.RequestIdentifier),
	}, nil
}

// disclosed returns a name or address as VIES gives it, or "" for "---",
// which VIES answers where a member state does not disclose it.
func disclosed(s string) string {
	s = strings.TrimSpace(s)
	if s == "---" {
		return ""
	}
	return s
}

// parseRequestDate reads VIES's requestDate, a timestamp such as
// "2026-01-15T10:12:44.123Z" (older answers: a date with an offset,
// "2026-01-15+01:00"); the zero time when it cannot be read.
func parseRequestDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02Z07:00", time.DateOnly} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// retryableCodes are VIES's errors that say VIES or a member state's
// registry cannot answer now, not that anything is wrong with the number:
// asking again later may get an answer.
var retryableCodes = map[string]bool{
	"SERVICE_UNAVAILABLE":            true,
	"MS_UNAVAILABLE":                 true,
	"TIMEOUT":                        true,
	"GLOBAL_MAX_CONCURRENT_REQ":      true,
	"GLOBAL_MAX_CONCURRENT_REQ_TIME": true,
	"MS_MAX_CONCURRENT_REQ":          true,
	"MS_MAX_CONCURRENT_REQ_TIME":     true,
}

// Error is a check VIES did not answer: an error VIES reported, an HTTP
// answer without a result, or no answer at all.
type Error struct {
	// Codes are the error codes VIES reported, e.g. MS_UNAVAILABLE; none
	// when it could not be reached or did not answer in its format.
	Codes []string
	// Message is what VIES said, or what went wrong.
	Message string
	// HTTPStatus is the status VIES answered with; 0 when it did not.
	HTTPStatus int
}

// Error describes the failure.
func (e *Error) Error() string {
	if len(e.Codes) == 0 {
		return e.Message
	}
	s := "VIES: " + strings.Join(e.Codes, ", ")
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Code is the failure in a word, as kept in the evidence: VIES's codes
// (comma-separated), else HTTP_<status>, else UNREACHABLE.
func (e *Error) Code() string {
	switch {
	case len(e.Codes) > 0:
		return strings.Join(e.Codes, ",")
	case e.HTTPStatus != 0:
		return fmt.Sprintf("HTTP_%d", e.HTTPStatus)
	}
	return "UNREACHABLE"
}

// Retryable reports whether asking again later may get an answer: VIES or
// the member state was unavailable, busy or too slow, VIES answered with a
// server error (5xx, 429) or without a result, or could not be reached.
// The others (INVALID_INPUT, INVALID_REQUESTER_INFO, VAT_BLOCKED,
// IP_BLOCKED, a 4xx) need a person to act first.
func (e *Error) Retryable() bool {
	if len(e.Codes) > 0 {
		for _, code := range e.Codes {
			if retryableCodes[code] {
				return true
			}
		}
		return false
	}
	switch s := e.HTTPStatus; {
	case s == 0, s == http.StatusOK, s == http.StatusRequestTimeout, s == http.StatusTooManyRequests, s >= 500:
		return true
	}
	return false
}
