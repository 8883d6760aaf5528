package vies

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/vies/viestest"
)

// The client reads VIES's results and sorts its failures into those worth
// retrying and those that need a person, for every documented code and for
// answers that are not VIES's.
func TestClientCheck(t *testing.T) {
	fake := viestest.New(t)
	fake.Script("ESB12345678", viestest.Answer{Valid: true, Name: "ACME SOCIEDAD LIMITADA", Address: "CALLE MAYOR 5\n28013 MADRID"})
	fake.Script("DE999999999", viestest.Answer{Error: "MS_UNAVAILABLE", Status: http.StatusInternalServerError})
	fake.Script("FR11111111111", viestest.Answer{Status: http.StatusBadGateway, Body: "<html><body>502 Bad Gateway</body></html>"})
	fake.Script("FR22222222222", viestest.Answer{Status: http.StatusNotFound, Body: "Not Found"})
	fake.Script("FR33333333333", viestest.Answer{Body: "<html>maintenance</html>"})
	c := NewClient(fake.URL + "/")

	cases := []struct {
		name, country, number string
		valid                 bool
		nameOut, addressOut   string
		code                  string // "" for a result
		retryable             bool
	}{
		{"valid, disclosed", "ES", "B12345678", true, "ACME SOCIEDAD LIMITADA", "CALLE MAYOR 5\n28013 MADRID", "", false},
		{"valid, undisclosed", "DE", "100", true, "", "", "", false},
		{"invalid", "DE", "200", false, "", "", "", false},
		{"INVALID_INPUT", "DE", "201", false, "", "", "INVALID_INPUT", false},
		{"INVALID_REQUESTER_INFO", "DE", "202", false, "", "", "INVALID_REQUESTER_INFO", false},
		{"SERVICE_UNAVAILABLE", "DE", "300", false, "", "", "SERVICE_UNAVAILABLE", true},
		{"MS_UNAVAILABLE", "DE", "301", false, "", "", "MS_UNAVAILABLE", true},
		{"TIMEOUT", "DE", "302", false, "", "", "TIMEOUT", true},
		{"VAT_BLOCKED", "DE", "400", false, "", "", "VAT_BLOCKED", false},
		{"IP_BLOCKED", "DE", "401", false, "", "", "IP_BLOCKED", false},
		{"GLOBAL_MAX_CONCURRENT_REQ", "DE", "500", false, "", "", "GLOBAL_MAX_CONCURRENT_REQ", true},
		{"GLOBAL_MAX_CONCURRENT_REQ_TIME", "DE", "501", false, "", "", "GLOBAL_MAX_CONCURRENT_REQ_TIME", true},
		{"MS_MAX_CONCURRENT_REQ", "DE", "600", false, "", "", "MS_MAX_CONCURRENT_REQ", true},
		{"MS_MAX_CONCURRENT_REQ_TIME", "DE", "601", false, "", "", "MS_MAX_CONCURRENT_REQ_TIME", true},
		{"error with HTTP 500", "DE", "999999999", false, "", "", "MS_UNAVAILABLE", true},
		{"not a member state", "GR", "123456789", false, "", "", "INVALID_INPUT", false},
		{"proxy error page", "FR", "11111111111", false, "", "", "HTTP_502", true},
		{"wrong base URL", "FR", "22222222222", false, "", "", "HTTP_404", false},
		{"200 without a result", "FR", "33333333333", false, "", "", "HTTP_200", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Check(context.Background(), Request{CountryCode: tc.country, VATNumber: tc.number})
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if res.Valid != tc.valid || res.Name != tc.nameOut || res.Address != tc.addressOut {
					t.Errorf("got %+v", res)
				}
				if time.Since(res.RequestDate) > time.Minute || res.RequestIdentifier != "" {
					t.Errorf("request date %v, identifier %q", res.RequestDate, res.RequestIdentifier)
				}
				return
			}
			var verr *Error
			if !errors.As(err, &verr) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if verr.Code() != tc.code || verr.Retryable() != tc.retryable {
				t.Errorf("code %s, retryable %v; want %s, %v (%v)", verr.Code(), verr.Retryable(), tc.code, tc.retryable, verr)
			}
		})
	}
}

// With the requester's VAT number VIES answers with a consultation number.
func TestClientRequester(t *testing.T) {
	fake := viestest.New(t)
	res, err := NewClient(fake.URL).Check(context.Background(), Request{
		CountryCode: "ES", VATNumber: "B12345678", RequesterMemberStateCode: "DE", RequesterNumber: "123456789",
	})
	if err != nil || !res.Valid || !strings.HasPrefix(res.RequestIdentifier, "WAPI") {
		t.Fatalf("%+v, %v", res, err)
	}
	want := viestest.Call{CountryCode: "ES", VATNumber: "B12345678", RequesterMemberStateCode: "DE", RequesterNumber: "123456789"}
	if calls := fake.Calls(); len(calls) != 1 || calls[0] != want {
		t.Fatalf("calls %+v", calls)
	}
}

// A VIES that cannot be reached or does not answer in time is worth
// retrying.
func TestClientUnreachable(t *testing.T) {
	fake := viestest.New(t)
	hold := make(chan struct{})
	defer close(hold)
	fake.Script("DE123456789", viestest.Answer{Valid: true, Hold: hold})
	for name, c := range map[string]*Client{"slow": NewClient(fake.URL), "closed port": NewClient("http://127.0.0.1:1")} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, err := c.Check(ctx, Request{CountryCode: "DE", VATNumber: "123456789"})
		cancel()
		var verr *Error
		if !errors.As(err, &verr) || !verr.Retryable() || verr.Code() != "UNREACHABLE" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseRequestDate(t *testing.T) {
	cases := map[string]time.Time{
		"2026-01-15T10:12:44.123Z":     time.Date(2026, 1, 15, 10, 12, 44, 123e6, time.UTC),
		"2026-01-15T10:12:44+01:00":    time.Date(2026, 1, 15, 9, 12, 44, 0, time.UTC),
		"2026-01-15+01:00":             time.Date(2026, 1, 14, 23, 0, 0, 0, time.UTC),
		"2026-01-15":                   time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		"":                             {},
		"yesterday":                    {},
		"2026-01-15T10:12:44.123456Z":  time.Date(2026, 1, 15, 10, 12, 44, 123456e3, time.UTC),
		" 2026-01-15T10:12:44.123Z\n ": time.Date(2026, 1, 15, 10, 12, 44, 123e6, time.UTC),
	}
	for in, want := range cases {
		if got := parseRequestDate(in); !got.Equal(want) {
			t.Errorf("parseRequestDate(%q) = %v, want %v", in, got, want)
		}
	}
}
