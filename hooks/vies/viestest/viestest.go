// Package viestest is a fake of the VIES REST API for tests. It answers
// POST /check-vat-number as VIES does: a JSON request of countryCode and
// vatNumber (and requesterMemberStateCode and requesterNumber for a
// consultation number), a JSON result of valid, name, address, requestDate
// and requestIdentifier, and errors as
// {"actionSucceed": false, "errorWrappers": [{"error", "message"}]}.
//
// The numbers of VIES's test service answer as there (100 valid, 200
// invalid, 201 INVALID_INPUT, 202 INVALID_REQUESTER_INFO, 300
// SERVICE_UNAVAILABLE, 301 MS_UNAVAILABLE, 302 TIMEOUT, 400 VAT_BLOCKED, 401
// IP_BLOCKED, 500/501 GLOBAL_MAX_CONCURRENT_REQ(_TIME), 600/601
// MS_MAX_CONCURRENT_REQ(_TIME)); any other number is valid, with its name
// and address undisclosed ("---"), unless Script says otherwise.
package viestest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// memberStates are the country codes VIES takes: the EU member states,
// Greece as EL, and XI for Northern Ireland.
var memberStates = strings.Fields("AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI")

var numberPattern = regexp.MustCompile(`^[0-9A-Z+*]{1,14}$`)

// Messages are VIES's descriptions of its error codes.
var Messages = map[string]string{
	"INVALID_INPUT":                  "The provided CountryCode is invalid or the VAT number is empty",
	"INVALID_REQUESTER_INFO":         "The requester information is invalid",
	"SERVICE_UNAVAILABLE":            "An error was encountered either at the network level or the Web application level, try again later",
	"MS_UNAVAILABLE":                 "The application at the Member State is not replying or not available. Please refer to the Technical Information page to check the status of the requested Member State, try again later",
	"TIMEOUT":                        "The application did not receive a reply within the allocated time period, try again later",
	"VAT_BLOCKED":                    "The VAT number is blocked",
	"IP_BLOCKED":                     "The IP address is blocked",
	"GLOBAL_MAX_CONCURRENT_REQ":      "Your Request for VAT validation has not been processed; the maximum number of concurrent requests has been reached. Please re-submit your request later",
	"GLOBAL_MAX_CONCURRENT_REQ_TIME": "Your Request for VAT validation has not been processed; the maximum number of requests per minute has been reached. Please re-submit your request later",
	"MS_MAX_CONCURRENT_REQ":          "Your Request for VAT validation has not been processed; the maximum number of concurrent requests for this Member State has been reached. Please re-submit your request later",
	"MS_MAX_CONCURRENT_REQ_TIME":     "Your Request for VAT validation has not been processed; the maximum number of requests per minute for this Member State has been reached. Please re-submit your request later",
}

// testService are the answers of VIES's test service, by number.
var testService = map[string]Answer{
	"100": {Valid: true}, "200": {Valid: false},
	"201": {Error: "INVALID_INPUT"}, "202": {Error: "INVALID_REQUESTER_INFO"},
	"300": {Error: "SERVICE_UNAVAILABLE"}, "301": {Error: "MS_UNAVAILABLE"}, "302": {Error: "TIMEOUT"},
	"400": {Error: "VAT_BLOCKED"}, "401": {Error: "IP_BLOCKED"},
	"500": {Error: "GLOBAL_MAX_CONCURRENT_REQ"}, "501": {Error: "GLOBAL_MAX_CONCURRENT_REQ_TIME"},
	"600": {Error: "MS_MAX_CONCURRENT_REQ"}, "601": {Error: "MS_MAX_CONCURRENT_REQ_TIME"},
}

// Answer is how the fake answers one check.
type Answer struct {
	// Valid, Name and Address are the result; an empty Name or Address
	// is answered as "---", as for a member state that does not disclose
	// them.
	Valid         bool
	Name, Address string
	// Error is a VIES error code to answer instead of a result.
	Error string
	// Status is the HTTP status of the answer; 0 is VIES's: 200 for a
	// result and for the errors of VIES or a member state, 400 for
	// INVALID_INPUT and INVALID_REQUESTER_INFO.
	Status int
	// Body, when set, is answered as it is instead of JSON, e.g. the HTML
	// page of a proxy in front of VIES.
	Body string
	// Hold, when set, keeps the answer back until it is closed.
	Hold <-chan struct{}
}

// Call is a request the fake received.
type Call struct {
	CountryCode              string `json:"countryCode"`
	VATNumber                string `json:"vatNumber"`
	RequesterMemberStateCode string `json:"requesterMemberStateCode"`
	RequesterNumber          string `json:"requesterNumber"`
}

// Server is a running fake; it stops when the test ends.
type Server struct {
	// URL is the base URL to configure, like VIES's
	// https://ec.europa.eu/taxation_customs/vies/rest-api.
	URL string

	t       testing.TB
	mu      sync.Mutex
	scripts map[string][]Answer
	calls   []Call
	serial  int
}

// New starts a fake VIES.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, scripts: map[string][]Answer{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/taxation_customs/vies/rest-api"
	return s
}

// Script sets how the next checks of a VAT number are answered, one
// answer per check in order, the last one for every check after it. The
// VAT number is VIES's country code followed by the number, e.g.
// "ESB12345678" (Greece: "EL…").
func (s *Server) Script(vatID string, answers ...Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[vatID] = answers
}

// Calls returns the checks received so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/taxation_customs/vies/rest-api/check-vat-number" {
		s.t.Errorf("fake VIES: unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("fake VIES: Content-Type %q", ct)
	}
	var c Call
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		s.t.Errorf("fake VIES: request body: %v", err)
		writeError(w, Answer{Error: "INVALID_INPUT"})
		return
	}

	s.mu.Lock()
	s.calls = append(s.calls, c)
	a, scripted := s.next(c.CountryCode + c.VATNumber)
	s.serial++
	serial := s.serial
	s.mu.Unlock()

	switch {
	case !isMemberState(c.CountryCode) || !numberPattern.MatchString(c.VATNumber):
		a = Answer{Error: "INVALID_INPUT"}
	case (c.RequesterMemberStateCode == "") != (c.RequesterNumber == ""),
		c.RequesterMemberStateCode != "" && (!isMemberState(c.RequesterMemberStateCode) || !numberPattern.MatchString(c.RequesterNumber)):
		a = Answer{Error: "INVALID_REQUESTER_INFO"}
	case !scripted:
		if ts, ok := testService[c.VATNumber]; ok {
			a = ts
		} else {
			a = Answer{Valid: true}
		}
	}

	if a.Hold != nil {
		select {
		case <-a.Hold:
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case a.Body != "":
		w.WriteHeader(cmp.Or(a.Status, http.StatusOK))
		io.WriteString(w, a.Body)
	case a.Error != "":
		writeError(w, a)
	default:
		identifier := ""
		if c.RequesterMemberStateCode != "" {
			identifier = fmt.Sprintf("WAPIAAAA%08d", serial)
		}
		writeJSON(w, cmp.Or(a.Status, http.StatusOK), map[string]any{
			"countryCode":            c.CountryCode,
			"vatNumber":              c.VATNumber,
			"requestDate":            time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
			"valid":                  a.Valid,
			"requestIdentifier":      identifier,
			"name":                   orUndisclosed(a.Name),
			"address":                orUndisclosed(a.Address),
			"traderName":             "---",
			"traderStreet":           "---",
			"traderPostalCode":       "---",
			"traderCity":             "---",
			"traderCompanyType":      "---",
			"traderNameMatch":        "NOT_PROCESSED",
			"traderStreetMatch":      "NOT_PROCESSED",
			"traderPostalCodeMatch":  "NOT_PROCESSED",
			"traderCityMatch":        "NOT_PROCESSED",
			"traderCompanyTypeMatch": "NOT_PROCESSED",
		})
	}
}

// next takes the scripted answer for a VAT number; s.mu is held.
func (s *Server) next(vatID string) (Answer, bool) {
	script := s.scripts[vatID]
	if len(script) == 0 {
		return Answer{}, false
	}
	if len(script) > 1 {
		s.scripts[vatID] = script[1:]
	}
	return script[0], true
}

func writeError(w http.ResponseWriter, a Answer) {
	status := a.Status
	if status == 0 {
		status = http.StatusOK
		if a.Error == "INVALID_INPUT" || a.Error == "INVALID_REQUESTER_INFO" {
			status = http.StatusBadRequest
		}
	}
	writeJSON(w, status, map[string]any{
		"actionSucceed": false,
		"errorWrappers": []map[string]string{{"error": a.Error, "message": Messages[a.Error]}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func isMemberState(code string) bool { return slices.Contains(memberStates, code) }

func orUndisclosed(s string) string {
	if s == "" {
		return "---"
	}
	return s
}
