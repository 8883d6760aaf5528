package privacy_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/privacy"
)

// An erasure waits for its grace period, then anonymises the account, ends
// its sessions and deletes its touchpoints, while its issued invoices stay,
// readable by superusers only; running the job again changes nothing.
func TestErasureAnonymisesTheUserAndKeepsIssuedInvoicesForAdmins(t *testing.T) {
	s := newServer(t)
	ada := seed(t, s, "ada@example.com", "Acme Iberia")
	draft := s.Draft(t, ada.user, ada.workspace, ada.client, map[string]any{"description": "Later", "quantity": "1", "unit_price": "1", "vat_category": "S", "vat_rate": "19"})
	root := superuser(t, s.App)

	r := request(t, s, ada.user, "erasure", "")
	if r.Status != http.StatusCreated || r.String("status") != "scheduled" {
		t.Fatalf("erasure request: %d %s", r.Status, r.Raw)
	}
	received, _ := time.Parse("2006-01-02 15:04:05.000Z", r.String("received"))
	eraseAfter, _ := time.Parse("2006-01-02 15:04:05.000Z", r.String("erase_after"))
	due, _ := time.Parse("2006-01-02 15:04:05.000Z", r.String("due"))
	if got := eraseAfter.Sub(received); got != 7*24*time.Hour {
		t.Fatalf("grace period %v, want 7 days", got)
	}
	if !due.Equal(received.AddDate(0, 1, 0)) {
		t.Fatalf("due %v for received %v", due, received)
	}

	// within the grace period nothing happens
	report, err := privacy.RunRetention(s.App, retentionConfig(), eraseAfter.Add(-time.Minute))
	if err != nil || report[privacy.JobErasures] != 0 {
		t.Fatalf("before the grace period ended: %v %v", report, err)
	}
	if u := record(t, s.App, "users", ada.user.ID); u.Email() != ada.user.Email {
		t.Fatalf("anonymised too early: %s", u.Email())
	}

	for run, want := range []int{1, 0} {
		report, err := privacy.RunRetention(s.App, retentionConfig(), eraseAfter.Add(time.Minute))
		if err != nil || report[privacy.JobErasures] != want {
			t.Fatalf("run %d: %v %v", run, report, err)
		}
	}

	u := record(t, s.App, "users", ada.user.ID)
	if u.GetString("name") != privacy.ErasedName || u.Email() != privacy.ErasedEmail(ada.user.ID) || u.GetString("erased_at") == "" {
		t.Fatalf("account: name %q, email %q, erased_at %q", u.GetString("name"), u.Email(), u.GetString("erased_at"))
	}
	if req := record(t, s.App, "privacy_requests", r.String("id")); req.GetString("status") != "completed" || req.GetString("completed") == "" {
		t.Fatalf("request: %s", req.GetString("status"))
	}
	// sessions and tokens end, and the old password no longer signs in
	if got := s.Do(t, ada.user.Token, http.MethodPost, "/api/collections/users/auth-refresh", nil); got.Status != http.StatusUnauthorized {
		t.Fatalf("old token: %d %s", got.Status, got.Raw)
	}
	if got := s.Do(t, "", http.MethodPost, "/api/collections/users/auth-with-password",
		map[string]any{"identity": ada.user.Email, "password": "correct horse battery"}); got.Status != http.StatusBadRequest {
		t.Fatalf("sign-in with the old email: %d", got.Status)
	}
	if n := count(t, s.App, "touchpoints", dbx.HashExp{"user": ada.user.ID}); n != 0 {
		t.Fatalf("%d touchpoints left", n)
	}
	if n := count(t, s.App, "consents", dbx.HashExp{"consent_id": "consent-" + ada.user.ID}); n != 1 {
		t.Fatalf("%d consents kept as proof, want 1", n)
	}
	if n := count(t, s.App, "consents", dbx.HashExp{"user": ada.user.ID}); n != 0 {
		t.Fatalf("%d consents still linked to the person", n)
	}
	if n := count(t, s.App, "memberships", dbx.HashExp{"user": ada.user.ID}); n != 0 {
		t.Fatalf("%d memberships left", n)
	}

	// the issued invoice is kept, for superusers only
	if record(t, s.App, "invoices", ada.invoice) == nil {
		t.Fatal("the issued invoice is gone")
	}
	if got := s.Do(t, root, http.MethodGet, "/api/collections/invoices/records/"+ada.invoice, nil); got.Status != http.StatusOK ||
		got.String("buyer.name") != "Acme Iberia" {
		t.Fatalf("superuser reads the kept invoice: %d %s", got.Status, got.Raw)
	}
	// the workspace is deleted: its drafts and personal data go after the
	// workspace's grace period
	ws := record(t, s.App, "workspaces", ada.workspace)
	if ws == nil || ws.GetString("deleted_at") == "" {
		t.Fatal("the workspace Ada was alone in is not deleted")
	}
	if _, err := privacy.RunRetention(s.App, retentionConfig(), eraseAfter.Add(privacy.WorkspaceGrace+time.Hour)); err != nil {
		t.Fatal(err)
	}
	if record(t, s.App, "invoices", draft) != nil || record(t, s.App, "clients", ada.client) != nil {
		t.Fatal("the draft or the client outlived the workspace's purge")
	}
	if record(t, s.App, "invoices", ada.invoice) == nil {
		t.Fatal("the issued invoice did not outlive the purge")
	}
}

// An erasure can be cancelled within its grace period, and then never
// happens.
func TestErasureCancelledWithinTheGracePeriod(t *testing.T) {
	s := newServer(t)
	ada := s.SignUp(t, "ada@example.com")
	bob := s.SignUp(t, "bob@example.com")
	r := request(t, s, ada, "erasure", "")
	if r.Status != http.StatusCreated {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if again := request(t, s, ada, "erasure", ""); again.Status != http.StatusBadRequest {
		t.Fatalf("a second erasure: %d", again.Status)
	}
	path := "/api/kontor/privacy/requests/" + r.String("id") + "/cancel"
	if got := s.Do(t, bob.Token, http.MethodPost, path, nil); got.Status != http.StatusNotFound {
		t.Fatalf("another user cancels: %d", got.Status)
	}
	if got := s.Do(t, "", http.MethodPost, path, nil); got.Status != http.StatusUnauthorized {
		t.Fatalf("a guest cancels: %d", got.Status)
	}
	if got := s.Must(t, ada.Token, http.MethodPost, path, nil); got.String("status") != "cancelled" {
		t.Fatalf("cancel: %s", got.Raw)
	}
	if got := s.Do(t, ada.Token, http.MethodPost, path, nil); got.Status != http.StatusBadRequest {
		t.Fatalf("cancel twice: %d", got.Status)
	}
	report, err := privacy.RunRetention(s.App, retentionConfig(), time.Now().AddDate(0, 0, 40))
	if err != nil || report[privacy.JobErasures] != 0 {
		t.Fatalf("%v %v", report, err)
	}
	if u := record(t, s.App, "users", ada.ID); u.Email() != ada.Email || u.GetString("erased_at") != "" {
		t.Fatal("a cancelled erasure was carried out")
	}
}

// The only owner of a workspace with other members must hand it over or
// delete it before their account can be erased.
func TestErasureRefusedForTheSoleOwnerOfASharedWorkspace(t *testing.T) {
	s := newServer(t)
	ada := s.SignUp(t, "ada@example.com")
	bob := s.SignUp(t, "bob@example.com")
	ws := s.Workspace(t, ada, "Shared GmbH")
	membership := s.Create(t, ada, "memberships", map[string]any{"workspace": ws, "user": bob.ID, "role": "member"}).String("id")

	r := request(t, s, ada, "erasure", "")
	if r.Status != http.StatusBadRequest || r.String("data.type.message") == "" {
		t.Fatalf("erasure of the sole owner: %d %s", r.Status, r.Raw)
	}
	if n := count(t, s.App, "privacy_requests", nil); n != 0 {
		t.Fatalf("a refused request wrote %d rows", n)
	}
	// once Bob is owner too, Ada may go; Bob and the workspace stay
	s.Must(t, ada.Token, http.MethodPatch, "/api/collections/memberships/records/"+membership, map[string]any{"role": "owner"})
	r = request(t, s, ada, "erasure", "")
	if r.Status != http.StatusCreated {
		t.Fatalf("erasure after the handover: %d %s", r.Status, r.Raw)
	}
	if err := privacy.Anonymise(s.App, ada.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if w := record(t, s.App, "workspaces", ws); w == nil || w.GetString("deleted_at") != "" {
		t.Fatal("the shared workspace was deleted with its former owner")
	}
	if n := count(t, s.App, "memberships", dbx.HashExp{"workspace": ws}); n != 1 {
		t.Fatalf("%d memberships left, want Bob's", n)
	}
}

// Restriction of processing marks the account, stops the conversions of
// the user and is lifted by them; the flag cannot be written through the
// record API.
func TestRestriction(t *testing.T) {
	s := newServer(t)
	ada := s.SignUp(t, "ada@example.com")
	allowAll := func(core.App, string) (bool, string, error) { return true, "", nil }
	check := privacy.UnlessRestricted(allowAll)

	if ok, _, err := check(s.App, ada.ID); !ok || err != nil {
		t.Fatalf("before: %v %v", ok, err)
	}
	if got := s.Do(t, ada.Token, http.MethodPatch, "/api/collections/users/records/"+ada.ID, map[string]any{"restricted": true}); got.Status != http.StatusBadRequest ||
		got.String("data.restricted.message") == "" {
		t.Fatalf("writing the flag: %d %s", got.Status, got.Raw)
	}
	r := request(t, s, ada, "restriction", "")
	if r.Status != http.StatusCreated || r.String("status") != "completed" {
		t.Fatalf("restriction: %d %s", r.Status, r.Raw)
	}
	if restricted, err := privacy.Restricted(s.App, ada.ID); !restricted || err != nil {
		t.Fatalf("Restricted: %v %v", restricted, err)
	}
	if ok, reason, err := check(s.App, ada.ID); ok || reason != privacy.ReasonRestricted || err != nil {
		t.Fatalf("conversions of a restricted user: %v %q %v", ok, reason, err)
	}
	if again := request(t, s, ada, "restriction", ""); again.Status != http.StatusBadRequest {
		t.Fatalf("restricting twice: %d", again.Status)
	}
	if got := s.Do(t, "", http.MethodDelete, "/api/kontor/privacy/restriction", nil); got.Status != http.StatusUnauthorized {
		t.Fatalf("guest lifts: %d", got.Status)
	}
	s.Must(t, ada.Token, http.MethodDelete, "/api/kontor/privacy/restriction", nil)
	if restricted, _ := privacy.Restricted(s.App, ada.ID); restricted {
		t.Fatal("still restricted")
	}
	if got := s.Do(t, ada.Token, http.MethodDelete, "/api/kontor/privacy/restriction", nil); got.Status != http.StatusBadRequest {
		t.Fatalf("lifting twice: %d", got.Status)
	}
}
