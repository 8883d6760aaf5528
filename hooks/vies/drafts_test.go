package vies_test

import (
	"net/http"
	"testing"

	"github.com/kontor-app/kontor/hooks/vies/viestest"
	"github.com/kontor-app/kontor/internal/testserver"
)

const unverified = `[{"code":"buyer_vat_unverified","message":"The client's VAT number has not been confirmed by VIES; check it before invoicing with reverse charge."}]`

func reverseCharge(description string) map[string]any {
	return map[string]any{"description": description, "quantity": "1", "unit_price": "1000", "vat_category": "AE", "vat_rate": "0"}
}

func intraEUSupply(description string) map[string]any {
	return map[string]any{"description": description, "quantity": "1", "unit_price": "500", "vat_category": "K", "vat_rate": "0"}
}

// A draft with a reverse-charge or intra-EU line warns while the client's
// VAT number is not confirmed by VIES, and stops warning once it is.
func TestReverseChargeWarning(t *testing.T) {
	w := newWorld(t, nil)
	retried := make(chan struct{})
	w.fake.Script("ESB12345678", viestest.Answer{Valid: true}, viestest.Answer{Error: "MS_UNAVAILABLE"}, viestest.Answer{Valid: true, Hold: retried})
	client := w.client(t, "ESB12345678")
	warnings := func(invoice string) string {
		t.Helper()
		return w.s.Must(t, w.owner.Token, http.MethodGet, "/api/collections/invoices/records/"+invoice, nil).String("warnings")
	}

	reverse := w.s.Draft(t, w.owner, w.ws, client, testserver.Line("Licence", "1", "10"), reverseCharge("Consulting"))
	supply := w.s.Draft(t, w.owner, w.ws, client, intraEUSupply("Machine"))
	standard := w.s.Draft(t, w.owner, w.ws, client, testserver.Line("Licence", "1", "10"))
	for id, want := range map[string]string{reverse: unverified, supply: unverified, standard: "[]"} {
		if got := warnings(id); got != want {
			t.Errorf("unchecked client: %s", got)
		}
	}

	// VIES confirms the number: the drafts stop warning
	if r := w.check(t, client); r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	for _, id := range []string{reverse, supply, standard} {
		if got := warnings(id); got != "[]" {
			t.Errorf("valid client: %s", got)
		}
	}
	// a new draft for the confirmed client does not warn either
	if got := warnings(w.s.Draft(t, w.owner, w.ws, client, reverseCharge("More"))); got != "[]" {
		t.Errorf("new draft, valid client: %s", got)
	}

	// a new check finds VIES unavailable: pending is not confirmed
	if r := w.check(t, client); r.Status != http.StatusAccepted {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if got := warnings(reverse); got != unverified {
		t.Errorf("pending client: %s", got)
	}
	close(retried)
	eventually(t, "the retry confirms the number", func() bool { return warnings(reverse) == "[]" })

	// a new VAT number is unchecked again
	w.s.Must(t, w.owner.Token, http.MethodPatch, "/api/collections/clients/records/"+client, map[string]any{"vat_id": "ESB87654321"})
	if got := warnings(reverse); got != unverified {
		t.Errorf("changed number: %s", got)
	}

	// the warnings are the server's
	r := w.s.Do(t, w.owner.Token, http.MethodPatch, "/api/collections/invoices/records/"+reverse, map[string]any{"warnings": []any{}})
	if r.Status != http.StatusBadRequest || r.String("data.warnings.message") == "" {
		t.Errorf("writing warnings: %d %s", r.Status, r.Raw)
	}

	// an issued invoice keeps the warnings it was issued with
	if r := w.s.Issue(t, w.owner, reverse); r.Status != http.StatusOK || r.String("warnings") != unverified {
		t.Fatalf("issue: %d %s", r.Status, r.Raw)
	}
	w.fake.Script("ESB87654321", viestest.Answer{Valid: true})
	if r := w.check(t, client); r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if got := warnings(reverse); got != unverified {
		t.Errorf("issued invoice: %s", got)
	}
	if got := warnings(supply); got != "[]" {
		t.Errorf("draft after the new number is confirmed: %s", got)
	}
}
