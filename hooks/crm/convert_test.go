package crm_test

import (
	"net/http"
	"testing"
)

// TestConvertLeadKeepsHistory: converting a lead makes the client from the
// contact and its company without retyping; the contact keeps its
// activities and deals, its timeline shows them with the client's
// documents; a second conversion is refused; a colleague at the same
// company is linked to the same client.
func TestConvertLeadKeepsHistory(t *testing.T) {
	w := newWorld(t)
	company := w.create(t, "companies", map[string]any{"name": "Acme SL", "country": "es", "vat_id": "ESB12345678",
		"address_line": "Calle Mayor 5", "city": "Madrid", "postal_code": "28013"})
	lead := w.contact(t, map[string]any{"company": company, "email": "Ana@Acme.example", "language": "es"})
	activity := w.create(t, "activities", map[string]any{"type": "call", "subject": "Discovery call", "contact": lead})
	deal := w.deal(t, "qualified", map[string]any{"contact": lead, "company": company})

	r := w.s.Must(t, w.user("member").Token, http.MethodPost, "/api/kontor/contacts/"+lead+"/convert", nil)
	client := r.String("client.id")
	for path, want := range map[string]string{
		"client.name": "Acme SL", "client.email": "ana@acme.example", "client.country": "ES", "client.vat_id": "ESB12345678",
		"client.address_line": "Calle Mayor 5", "client.city": "Madrid", "client.postal_code": "28013", "client.language": "es",
		"client.workspace": w.ws, "contact.status": "customer", "contact.client": client,
	} {
		if got := r.String(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if got := w.record(t, "companies", company).GetString("client"); got != client {
		t.Errorf("company.client = %q, want %q", got, client)
	}
	if a := w.record(t, "activities", activity); a.GetString("contact") != lead {
		t.Errorf("the activity moved off the contact")
	}
	if d := w.record(t, "deals", deal); d.GetString("contact") != lead {
		t.Errorf("the deal moved off the contact")
	}

	// the client's invoices join the contact's history
	invoice := w.s.Draft(t, w.owner, w.ws, client, map[string]any{"description": "Work", "quantity": "1", "unit_price": "100", "vat_category": "S", "vat_rate": "21"})
	tl := w.s.Must(t, w.owner.Token, http.MethodGet, "/api/kontor/timeline?contact="+lead, nil)
	seen := map[string]bool{}
	for _, item := range tl.Body["items"].([]any) {
		m := item.(map[string]any)
		seen[m["ref_collection"].(string)+":"+m["ref_id"].(string)] = true
	}
	if !seen["activities:"+activity] || !seen["invoices:"+invoice] {
		t.Errorf("timeline %s lacks the activity or the invoice", tl.Raw)
	}

	again := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/kontor/contacts/"+lead+"/convert", nil)
	if again.Status != 400 {
		t.Errorf("second conversion: %d %s", again.Status, again.Raw)
	}
	clients := w.count(t, "clients", "workspace = {:w}", map[string]any{"w": w.ws})

	colleague := w.contact(t, map[string]any{"first_name": "Luis", "company": company})
	r = w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/contacts/"+colleague+"/convert", nil)
	if r.String("client.id") != client || w.count(t, "clients", "workspace = {:w}", map[string]any{"w": w.ws}) != clients {
		t.Errorf("a colleague's conversion made a new client: %s", r.Raw)
	}
}

// TestConvertWithoutCompany: a lead on their own becomes a client by name;
// a lead the client rules refuse (a bad VAT number on its company) leaves
// nothing behind.
func TestConvertWithoutCompany(t *testing.T) {
	w := newWorld(t)
	lead := w.contact(t, map[string]any{"first_name": "Mia", "last_name": "Roth", "country": "DE"})
	r := w.s.Must(t, w.owner.Token, http.MethodPost, "/api/kontor/contacts/"+lead+"/convert", nil)
	if r.String("client.name") != "Mia Roth" || r.String("client.country") != "DE" {
		t.Errorf("client %s", r.Raw)
	}

	company := w.create(t, "companies", map[string]any{"name": "Vague"})
	w.exec(t, "UPDATE companies SET country = 'XX' WHERE id = {:id}", map[string]any{"id": company})
	bad := w.contact(t, map[string]any{"company": company})
	before := w.count(t, "clients", "1 = 1", nil)
	if r := w.s.Do(t, w.owner.Token, http.MethodPost, "/api/kontor/contacts/"+bad+"/convert", nil); r.Status != 400 {
		t.Errorf("conversion of a company with a bad country: %d %s", r.Status, r.Raw)
	}
	if w.count(t, "clients", "1 = 1", nil) != before || w.record(t, "contacts", bad).GetString("client") != "" {
		t.Error("a failed conversion wrote")
	}
}
