package vies_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kontor-app/kontor/hooks/outbox"
	"github.com/kontor-app/kontor/hooks/vies"
	"github.com/kontor-app/kontor/hooks/vies/viestest"
	"github.com/kontor-app/kontor/internal/testserver"
)

// When VIES is unavailable the client is pending and the check is queued;
// the outbox worker checks again, and once VIES answers the client is
// valid.
func TestUnavailableThenRetried(t *testing.T) {
	for _, unavailable := range []viestest.Answer{
		{Error: "MS_UNAVAILABLE"},
		{Error: "SERVICE_UNAVAILABLE", Status: http.StatusInternalServerError},
		{Error: "GLOBAL_MAX_CONCURRENT_REQ"},
		{Error: "MS_MAX_CONCURRENT_REQ_TIME"},
		{Error: "TIMEOUT"},
		{Status: http.StatusServiceUnavailable, Body: "<html>Service Unavailable</html>"},
	} {
		name := unavailable.Error
		if name == "" {
			name = "HTTP 503"
		}
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, nil)
			retried := make(chan struct{})
			w.fake.Script("ESB12345678", unavailable, viestest.Answer{Valid: true, Name: "ACME SL", Hold: retried})
			client := w.client(t, "ESB12345678")

			r := w.check(t, client)
			if r.Status != http.StatusAccepted || !strings.Contains(r.String("message"), "Kontor checks again automatically") {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			if r.String("check.status") != vies.CheckUnavailable || r.String("check.error_code") == "" || r.String("client.vat_status") != vies.Pending {
				t.Errorf("answer %s", r.Raw)
			}
			queued := w.retryOf(t, client)
			if !strings.HasPrefix(queued.GetString("idempotency_key"), "vies:"+client+":ESB12345678:") || queued.GetString("workspace") != w.ws {
				t.Errorf("queued %v", queued.FieldsData())
			}

			// the worker is asking VIES again; meanwhile the client is pending
			eventually(t, "the retry reaches VIES", func() bool { return len(w.fake.Calls()) == 2 })
			if s := w.record(t, "clients", client).GetString("vat_status"); s != vies.Pending {
				t.Errorf("client %s while the retry runs", s)
			}
			close(retried)
			eventually(t, "the client is valid", func() bool {
				return w.record(t, "clients", client).GetString("vat_status") == vies.Valid
			})
			if got := statuses(w.checks(t, client)); !slices.Equal(got, []string{vies.CheckUnavailable, vies.CheckValid}) {
				t.Errorf("checks kept: %v", got)
			}
			eventually(t, "the queued check is done", func() bool {
				return w.record(t, outbox.Collection, queued.Id).GetString("status") == outbox.StatusSent
			})
			if calls := w.fake.Calls(); calls[1].RequesterNumber != "123456789" {
				t.Errorf("the retry asked %+v", calls[1])
			}
		})
	}
}

// A retry that finds VIES still unavailable is an error the outbox retries
// later; the client stays pending, never invalid.
func TestRetryStillUnavailable(t *testing.T) {
	w := newWorld(t, nil)
	w.fake.Script("ESB12345678", viestest.Answer{Error: "MS_UNAVAILABLE"}, viestest.Answer{Error: "TIMEOUT"})
	client := w.client(t, "ESB12345678")
	if r := w.check(t, client); r.Status != http.StatusAccepted {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	queued := w.retryOf(t, client)
	eventually(t, "the first retry failed", func() bool {
		return w.record(t, outbox.Collection, queued.Id).GetInt("attempts") == 1 &&
			w.record(t, outbox.Collection, queued.Id).GetString("last_error") != ""
	})
	q := w.record(t, outbox.Collection, queued.Id)
	if q.GetString("status") != outbox.StatusPending || !strings.Contains(q.GetString("last_error"), "TIMEOUT") {
		t.Errorf("queued check %s: %s", q.GetString("status"), q.GetString("last_error"))
	}
	if s := w.record(t, "clients", client).GetString("vat_status"); s != vies.Pending {
		t.Errorf("client %s", s)
	}
	if got := statuses(w.checks(t, client)); !slices.Equal(got, []string{vies.CheckUnavailable}) {
		t.Errorf("checks kept: %v", got)
	}
}

// A retry VIES refuses (INVALID_INPUT, VAT_BLOCKED, IP_BLOCKED) is kept as
// an error and ends the retries; the client is unchecked, not invalid.
func TestRetryRefused(t *testing.T) {
	for _, code := range []string{"INVALID_INPUT", "VAT_BLOCKED", "IP_BLOCKED"} {
		t.Run(code, func(t *testing.T) {
			w := newWorld(t, nil)
			w.fake.Script("ESB12345678", viestest.Answer{Error: "MS_UNAVAILABLE"}, viestest.Answer{Error: code})
			client := w.client(t, "ESB12345678")
			if r := w.check(t, client); r.Status != http.StatusAccepted {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			queued := w.retryOf(t, client)
			eventually(t, "the queued check failed", func() bool {
				return w.record(t, outbox.Collection, queued.Id).GetString("status") == outbox.StatusFailed
			})
			q := w.record(t, outbox.Collection, queued.Id)
			if q.GetInt("attempts") != 1 || !strings.Contains(q.GetString("last_error"), code) {
				t.Errorf("queued check: %d attempts, %s", q.GetInt("attempts"), q.GetString("last_error"))
			}
			checks := w.checks(t, client)
			if got := statuses(checks); !slices.Equal(got, []string{vies.CheckUnavailable, vies.CheckError}) || checks[1].GetString("error_code") != code {
				t.Errorf("checks kept: %v", got)
			}
			if s := w.record(t, "clients", client).GetString("vat_status"); s != vies.Unchecked {
				t.Errorf("client %s", s)
			}
		})
	}
}

// A retry of a VAT number the client no longer has is dropped: its answer
// says nothing about the new number.
func TestStaleRetryDropped(t *testing.T) {
	w := newWorld(t, nil)
	retried := make(chan struct{})
	w.fake.Script("ESB12345678", viestest.Answer{Error: "MS_UNAVAILABLE"}, viestest.Answer{Valid: true, Hold: retried})
	client := w.client(t, "ESB12345678")
	if r := w.check(t, client); r.Status != http.StatusAccepted {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	queued := w.retryOf(t, client)
	eventually(t, "the retry reaches VIES", func() bool { return len(w.fake.Calls()) == 2 })

	r := w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/clients/records/"+client, map[string]any{"vat_id": "ESB87654321"})
	if r.String("vat_status") != vies.Unchecked {
		t.Errorf("after the change: %s", r.Raw)
	}
	close(retried)
	eventually(t, "the queued check is done", func() bool {
		return w.record(t, outbox.Collection, queued.Id).GetString("status") == outbox.StatusSent
	})
	if s := w.record(t, "clients", client).GetString("vat_status"); s != vies.Unchecked {
		t.Errorf("client %s", s)
	}
	if got := statuses(w.checks(t, client)); !slices.Equal(got, []string{vies.CheckUnavailable}) {
		t.Errorf("checks kept: %v", got)
	}
}

// When the outbox gives up a check (too many attempts) the client is no
// longer pending: it is unchecked, not invalid.
func TestRetryGivenUp(t *testing.T) {
	w := newWorld(t, map[string]string{"KONTOR_OUTBOX_MAX_ATTEMPTS": "1"})
	w.fake.Script("ESB12345678", viestest.Answer{Error: "MS_UNAVAILABLE"})
	client := w.client(t, "ESB12345678")
	if r := w.check(t, client); r.Status != http.StatusAccepted {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	queued := w.retryOf(t, client)
	eventually(t, "the outbox gives up", func() bool {
		return w.record(t, outbox.Collection, queued.Id).GetString("status") == outbox.StatusFailed
	})
	eventually(t, "the client is unchecked", func() bool {
		return w.record(t, "clients", client).GetString("vat_status") == vies.Unchecked
	})
}

// A check queued while VIES was on is not carried out once it is off, and
// the client waits no longer.
func TestRetryWhileOff(t *testing.T) {
	s := testserver.NewWithEnv(t, map[string]string{"KONTOR_VIES_URL": "off"})
	owner := s.SignUp(t, "owner@example.com")
	ws := s.Workspace(t, owner, "Nordlicht GmbH")
	client, err := s.App.FindRecordById("clients", s.Client(t, owner, ws, nil))
	if err != nil {
		t.Fatal(err)
	}
	client.Set("vat_status", vies.Pending)
	if err := s.App.Save(client); err != nil {
		t.Fatal(err)
	}
	queued, _, err := outbox.Enqueue(s.App, outbox.Message{Kind: vies.Kind, Key: "vies:" + client.Id + ":ESB12345678:1", Workspace: ws,
		Payload: map[string]string{"client": client.Id, "vat_id": "ESB12345678"}})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the queued check is not sent", func() bool {
		r, _ := s.App.FindRecordById(outbox.Collection, queued.Id)
		return r.GetString("status") == outbox.StatusNotSent && strings.Contains(r.GetString("last_error"), "KONTOR_VIES_URL=off")
	})
	eventually(t, "the client is unchecked", func() bool {
		r, _ := s.App.FindRecordById("clients", client.Id)
		return r.GetString("vat_status") == vies.Unchecked
	})
}
