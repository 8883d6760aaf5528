package vies_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kontor-app/kontor/hooks/vies"
	"github.com/kontor-app/kontor/hooks/vies/viestest"
	"github.com/kontor-app/kontor/internal/testserver"
)

// A check VIES answers is kept as evidence and sets the client's status;
// the workspace's VAT number goes with it as requester, so a consultation
// number comes back.
func TestCheckAnswered(t *testing.T) {
	w := newWorld(t, nil)
	w.fake.Script("ESB12345678", viestest.Answer{Valid: true, Name: "ACME SOCIEDAD LIMITADA", Address: "CALLE MAYOR 5\n28013 MADRID"})
	w.fake.Script("FR40303265045", viestest.Answer{Valid: false})
	w.fake.Script("DE811907980", viestest.Answer{Valid: true})
	w.fake.Script("EL094019245", viestest.Answer{Valid: true, Name: "ΕΤΑΙΡΕΙΑ Α.Ε."})

	cases := []struct {
		name, vatID       string
		call              viestest.Call
		status, client    string
		company, address  string
		message           string
		wantsConsultation bool
	}{
		{"valid", "ESB12345678", viestest.Call{CountryCode: "ES", VATNumber: "B12345678", RequesterMemberStateCode: "DE", RequesterNumber: "123456789"},
			vies.CheckValid, vies.Valid, "ACME SOCIEDAD LIMITADA", "CALLE MAYOR 5\n28013 MADRID", "is a valid VAT number", true},
		{"invalid", "FR40303265045", viestest.Call{CountryCode: "FR", VATNumber: "40303265045", RequesterMemberStateCode: "DE", RequesterNumber: "123456789"},
			vies.CheckInvalid, vies.Invalid, "", "", "is not a valid VAT number", true},
		{"name and address not disclosed", "DE811907980", viestest.Call{CountryCode: "DE", VATNumber: "811907980", RequesterMemberStateCode: "DE", RequesterNumber: "123456789"},
			vies.CheckValid, vies.Valid, "", "", "is a valid VAT number", true},
		{"Greece written GR", "GR094019245", viestest.Call{CountryCode: "EL", VATNumber: "094019245", RequesterMemberStateCode: "DE", RequesterNumber: "123456789"},
			vies.CheckValid, vies.Valid, "ΕΤΑΙΡΕΙΑ Α.Ε.", "", "is a valid VAT number", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(w.fake.Calls())
			client := w.client(t, tc.vatID)
			start := time.Now().UTC().Add(-time.Second)
			r := w.check(t, client)
			if r.Status != http.StatusOK || !strings.Contains(r.String("message"), tc.message) {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			if calls := w.fake.Calls(); len(calls) != before+1 || calls[before] != tc.call {
				t.Errorf("VIES was asked %+v, want %+v", calls[before:], tc.call)
			}
			if r.String("check.status") != tc.status || r.String("client.vat_status") != tc.client || r.String("client.id") != client {
				t.Errorf("answer %s", r.Raw)
			}

			checks := w.checks(t, client)
			if len(checks) != 1 {
				t.Fatalf("%d checks kept", len(checks))
			}
			c := checks[0]
			if c.Id != r.String("check.id") || c.GetString("workspace") != w.ws || c.GetString("vat_id") != tc.vatID ||
				c.GetString("status") != tc.status || c.GetString("name") != tc.company || c.GetString("address") != tc.address ||
				c.GetString("requester") != "DE123456789" || c.GetString("error_code") != "" {
				t.Errorf("evidence %v", c.FieldsData())
			}
			if got := c.GetString("consultation_number"); strings.HasPrefix(got, "WAPI") != tc.wantsConsultation {
				t.Errorf("consultation number %q", got)
			}
			if d := c.GetDateTime("request_date").Time(); d.Before(start) || d.After(time.Now().Add(time.Second)) {
				t.Errorf("request date %v", d)
			}
			cl := w.record(t, "clients", client)
			if cl.GetString("vat_status") != tc.client || cl.GetDateTime("vat_checked_at").Time().Before(start) {
				t.Errorf("client %s, checked at %v", cl.GetString("vat_status"), cl.GetDateTime("vat_checked_at"))
			}

			// members of the workspace read the evidence
			list := w.s.Must(t, w.owner.Token, http.MethodGet, "/api/collections/vat_checks/records?filter=client='"+client+"'", nil)
			if list.String("totalItems") != "1" || list.String("items.0.consultation_number") != c.GetString("consultation_number") {
				t.Errorf("list %s", list.Raw)
			}
		})
	}
}

// A workspace without a VAT number of a member state still checks, without
// requester, and gets no consultation number.
func TestCheckWithoutRequester(t *testing.T) {
	w := newWorld(t, nil)
	ws := w.s.Create(t, w.owner, "workspaces", map[string]any{"name": "Zürich AG", "country": "CH", "vat_id": "CHE123456789"}).String("id")
	client := w.s.Client(t, w.owner, ws, map[string]any{"vat_id": "ATU12345678"})
	r := w.check(t, client)
	if r.Status != http.StatusOK || r.String("check.status") != vies.CheckValid {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if calls := w.fake.Calls(); len(calls) != 1 || calls[0] != (viestest.Call{CountryCode: "AT", VATNumber: "U12345678"}) {
		t.Errorf("VIES was asked %+v", calls)
	}
	if r.String("check.requester") != "" || r.String("check.consultation_number") != "" {
		t.Errorf("evidence %s", r.Raw)
	}
}

// What cannot be checked, or what VIES refuses to check, is refused with a
// message saying why; nothing is kept and the client does not change.
func TestCheckRefused(t *testing.T) {
	w := newWorld(t, nil)
	w.fake.Script("ESB00000001", viestest.Answer{Error: "INVALID_REQUESTER_INFO"})
	w.fake.Script("ESB00000002", viestest.Answer{Error: "SOMETHING_NEW", Status: http.StatusBadRequest})
	cases := []struct {
		name, vatID string
		status      int
		message     string
		field       string
	}{
		{"no VAT number", "", 400, "no VAT number to check", "vat_id"},
		{"outside VIES", "GB123456789", 400, "is not one of them", "vat_id"},
		{"INVALID_INPUT", "DE201", 400, "INVALID_INPUT", "vat_id"},
		{"INVALID_REQUESTER_INFO", "ESB00000001", 400, "workspace's VAT number DE123456789", ""},
		{"VAT_BLOCKED", "DE400", 502, "VAT_BLOCKED", ""},
		{"IP_BLOCKED", "DE401", 502, "IP_BLOCKED", ""},
		{"an error VIES adds later", "ESB00000002", 502, "SOMETHING_NEW", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client := w.client(t, tc.vatID)
			r := w.check(t, client)
			if r.Status != tc.status || !strings.Contains(r.String("message"), tc.message) {
				t.Errorf("%d %s", r.Status, r.Raw)
			}
			if tc.field != "" && r.String("data."+tc.field+".message") == "" {
				t.Errorf("no message for %s: %s", tc.field, r.Raw)
			}
			if n := len(w.checks(t, client)); n != 0 {
				t.Errorf("%d checks kept", n)
			}
			if s := w.record(t, "clients", client).GetString("vat_status"); s != vies.Unchecked {
				t.Errorf("client %s", s)
			}
		})
	}
}

// Without VIES the server runs, and a check says that checks are off.
func TestChecksOff(t *testing.T) {
	s := testserver.NewWithEnv(t, map[string]string{"KONTOR_VIES_URL": "off"})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client := s.Client(t, owner, ws, nil)
	r := s.Do(t, owner.Token, http.MethodPost, "/api/kontor/clients/"+client+"/check-vat", nil)
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(r.String("message"), "KONTOR_VIES_URL=off") {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}
